import Foundation
import Logging
import NIOCore
import NIOPosix
import Scripting
import ServiceLifecycle

/// What the console evaluates a chunk of Lua with: the site's script host, in a scratch environment per session,
/// under the same limits as handlers.
protocol ConsoleEvaluator: Sendable {
    func evaluate(_ chunk: String, session: Int) async -> ConsoleReply
    func endSession(_ session: Int) async
}

/// One answer of the console.
struct ConsoleReply: Sendable, Equatable {
    enum Status: String, Sendable {
        /// Evaluated; `text` is what it printed and returned.
        case ok
        /// Failed; `text` is `stdin:1: message`.
        case error
        /// The chunk is incomplete (an open `function`, a missing `end`): send the next line.
        case more
    }

    var status: Status
    var text: String
}

/// The console's wire format on the Unix socket, shared by the host and `gatehouse console`.
///
/// The client sends one line of Lua per request (`\n`-terminated). The host answers each with a header line
/// `<status> <byte count>\n` followed by exactly that many bytes of UTF-8 text. Length-prefixed so output may hold any
/// byte, including blank lines and the header's own shape.
public enum ConsoleWire {
    /// The socket lives in a private (0700) folder of the data directory: only the data directory's owner can connect.
    public static func socketPath(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("console").appendingPathComponent("console.sock").path
    }

    static func encode(_ reply: ConsoleReply) -> [UInt8] {
        let body = Array(reply.text.utf8)
        return Array("\(reply.status.rawValue) \(body.count)\n".utf8) + body
    }

    /// Parses one header line (`ok 12`); nil when it is not one.
    public static func parseHeader(_ line: String) -> (status: String, length: Int)? {
        let parts = line.split(separator: " ")
        guard parts.count == 2, ["ok", "error", "more"].contains(parts[0]), let length = Int(parts[1]), length >= 0,
            length <= maxReplyBytes
        else { return nil }
        return (String(parts[0]), length)
    }

    /// Longer input lines are refused, so a client cannot make the host buffer without bound.
    static let maxLineBytes = 64 * 1024
    static let maxReplyBytes = 16 << 20
}

/// `gatehouse console`'s server side: a Unix socket in the data directory; each connection is a session with its
/// own scratch environment; every line is evaluated by the site's script host under its limits.
struct ScriptConsoleService: Service {
    let path: String
    let evaluator: any ConsoleEvaluator
    let logger: Logger

    /// Creates the private folder (0700) and removes a stale socket left by a previous run.
    static func prepare(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // An existing folder keeps its mode: force it, since the folder is what keeps others out.
        guard chmod(folder, 0o700) == 0 else {
            throw ConsoleError.socket(path: folder, reason: String(cString: strerror(errno)))
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }

    func run() async throws {
        do {
            try await listen()
        } catch is CancellationError {
            // Shutdown.
        } catch {
            // The console is a convenience: without it the host still serves doors.
            logger.error("console unavailable", metadata: ["socket": "\(path)", "error": "\(error)"])
        }
    }

    private func listen() async throws {
        try Self.prepare(path: path)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        _ = chmod(path, 0o600)
        logger.info("console listening", metadata: ["socket": "\(path)"])
        let counter = SessionCounter()
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        let session = await counter.next()
                        group.addTask { await serve(connection, session: session) }
                    }
                }
            }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, session: Int) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var pending: [UInt8] = []
                let refusal = ConsoleReply(
                    status: .error, text: "console: line longer than \(ConsoleWire.maxLineBytes) bytes refused")
                reading: for try await buffer in inbound {
                    pending += buffer.readableBytesView
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        // A complete line is held to the cap too: the rest of a long line can arrive with its newline
                        // in the same read.
                        guard newline <= ConsoleWire.maxLineBytes else { break }
                        let line = String(decoding: pending[..<newline], as: UTF8.self)
                        pending.removeSubrange(...newline)
                        let reply = await evaluator.evaluate(line, session: session)
                        try await outbound.write(ByteBuffer(bytes: ConsoleWire.encode(reply)))
                    }
                    if (pending.firstIndex(of: UInt8(ascii: "\n")) ?? pending.count) > ConsoleWire.maxLineBytes {
                        try await outbound.write(ByteBuffer(bytes: ConsoleWire.encode(refusal)))
                        break reading
                    }
                }
            }
        } catch {
            logger.debug("console session ended", metadata: ["session": "\(session)", "error": "\(error)"])
        }
        await evaluator.endSession(session)
    }
}

private actor SessionCounter {
    private var last = 0
    func next() -> Int {
        last += 1
        return last
    }
}

enum ConsoleError: Error, CustomStringConvertible {
    case socket(path: String, reason: String)

    var description: String {
        switch self {
        case .socket(let path, let reason): "console socket \(path): \(reason)"
        }
    }
}

/// The console evaluated by the site's script host: one scratch `_ENV` per connection.
struct ScriptHostConsole: ConsoleEvaluator {
    let scripts: ScriptHost

    func evaluate(_ chunk: String, session: Int) async -> ConsoleReply {
        let result = await scripts.consoleEvaluate(chunk, session: ConsoleSession(id: "console-\(session)"))
        if result.incomplete { return ConsoleReply(status: .more, text: "") }
        return ConsoleReply(status: result.succeeded ? .ok : .error, text: result.text)
    }

    func endSession(_ session: Int) async {
        await scripts.endConsole(ConsoleSession(id: "console-\(session)"))
    }
}
