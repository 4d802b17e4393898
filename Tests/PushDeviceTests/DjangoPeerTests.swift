import AccessControl
import Foundation
import PushDevice
import PushProtocol
import Testing
import TestSupport

/// django-fingerprint-attendance (PyPI) as the upstream server, run as a real process on loopback.
///
/// Where that server departs from the reference (each is asserted below):
/// - the handshake is the attendance-style `GET OPTION FROM: <SN>` block (no `registry=ok`, no `SessionID`, `Delay`
///   instead of `RequestDelay`, TAB-separated `TransFlag`), so no session token ever exists;
/// - `/iclock/registry` answers `RegistryCode=…` as the reference says; `/iclock/push` answers the handshake options
///   without the first line;
/// - rtlog uploads are acknowledged with `OK` without being parsed (acc-dialect events are not stored by it);
/// - it delivers one command per `C:<id>:` line and records `Return` codes, including the negative ones.
struct DjangoPeer {
    /// The Python with fingerprint_attendance installed: `GATEHOUSE_PEER_PYTHON`, else the repo's `.venv`.
    static let python: String? = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates: [String?] = [ProcessInfo.processInfo.environment["GATEHOUSE_PEER_PYTHON"], repository.appendingPathComponent(".venv/bin/python").path]
        for case let candidate? in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if (try? runBlocking(candidate, ["-c", "import fingerprint_attendance"])) != nil { return candidate }
        }
        return nil
    }()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/dfa_peer.py").path

    let python: String
    let directory: String
    let port: Int
    let process: Process

    var url: String { "http://127.0.0.1:\(port)" }

    /// Runs the peer's management script to its end on a thread of its own (`setup` migrates a database for
    /// seconds): the test runner's cooperative pool has one thread per core, and a blocked one starves the rest.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        try await offThePool { try runBlocking(executable, arguments) }
    }

    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> String {
        let (status, data) = try runToEndBlocking(URL(fileURLWithPath: executable), arguments, quiet: true)
        guard status == 0 else {
            throw PeerError("`\(arguments.prefix(3).joined(separator: " "))` exited with \(status)")
        }
        // The last line: Django's shell prints a banner ("24 objects imported automatically") before the answer.
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.split(separator: "\n").last.map(String.init) ?? ""
    }

    static func start() async throws -> DjangoPeer {
        guard let python else { throw PeerError("django-fingerprint-attendance is not installed") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dfa-\(UUID().uuidString)").path
        try await run(python, [script, "setup", directory])
        let port = Int.random(in: 20_000..<40_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "serve", directory, String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let peer = DjangoPeer(python: python, directory: directory, port: port, process: process)
        // Readiness of an external process: poll its ping endpoint (bounded, ~30 s).
        let transport = try HTTPPushTransport(baseURL: peer.url, timeout: 2)
        for _ in 0..<150 {
            if let reply = try? await transport.send(method: "GET", target: "/iclock/ping?SN=probe", headers: [], body: []), reply.status > 0 {
                return peer
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        peer.stop()
        throw PeerError("the Django peer did not start on port \(port)")
    }

    func stop() { stopProcess(process) }

    func queue(_ serial: String, _ command: String) async throws -> String { try await Self.run(python, [Self.script, "queue", directory, serial, command]) }
    func status(_ id: String) async throws -> String { try await Self.run(python, [Self.script, "status", directory, id]) }
    func registryCode(_ serial: String) async throws -> String { try await Self.run(python, [Self.script, "device", directory, serial]) }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite(.enabled(if: DjangoPeer.python != nil, "django-fingerprint-attendance is not installed (scripts/setup, scripts/test-peers.txt)"))
struct DjangoPeerTests {
    @Test func handshakePollExecuteAndReport() async throws {
        let peer = try await DjangoPeer.start()
        defer { peer.stop() }
        let clock = AccessControl.TestClock()
        let (client, site, _) = try makeDevice(serial: "GHDJ1", url: peer.url, clock: clock)

        try await client.connect()
        #expect(await client.isOnline)
        let session = await client.session
        #expect(session.departures.contains("attendance-style handshake (GET OPTION FROM:)"))
        #expect(session.sessionID == nil)
        #expect(session.settings.requestDelay == 10)  // `Delay=10`
        #expect(try await peer.registryCode("GHDJ1") == session.registryCode)

        let open = try await peer.queue("GHDJ1", "CONTROL DEVICE 01010105")
        let wrongDialect = try await peer.queue("GHDJ1", "DATA UPDATE USERINFO PIN=1\tName=A")
        var results: [CommandResult] = []
        for _ in 0..<5 where results.count < 2 { results += try await client.poll() }
        #expect(results.map(\.id) == [open, wrongDialect])
        #expect(results.map { $0.returnCode?.rawValue } == [0, -629])
        #expect(try await site.status(of: DoorID(1)).isRelayActive)
        #expect(try await peer.status(open) == "succeeded 0")
        #expect(try await peer.status(wrongDialect).hasSuffix("-629"))

        // Events go up and are acknowledged (that server stores attendance logs only).
        #expect(try await client.uploadPending() >= 1)
        #expect(try await client.uploadPending() == 0)
    }
}
