import Foundation
import TestSupport
import Testing

/// The Outbound module's Python peers (Tests/OutboundTests/Peers: pyftpdlib, an HTTP server with Basic/Digest,
/// a camera snapshot and a third-party verifier), launched here against the real host process. They are shared
/// by path rather than copied, so both test targets exercise the same servers.
enum ActionsPeers {
    static let repositoryRoot: URL = {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        return file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    static var scripts: URL { repositoryRoot.appendingPathComponent("Tests/OutboundTests/Peers") }

    /// The test venv (scripts/setup): `GATEHOUSE_TEST_PYTHON`, else `.venv` of the package being tested (the
    /// working directory of `swift test`), else of the repository.
    static var python: URL? {
        if let override = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_PYTHON"] { return URL(fileURLWithPath: override) }
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".venv/bin/python"),
            repositoryRoot.appendingPathComponent(".venv/bin/python"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Bytes that look like a JPEG and hold every byte value, CR/LF pairs and lone dots, so any text-mode
    /// mangling on the way shows up.
    static let snapshot: Data = {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        var state: UInt32 = 0x9E37_79B9
        for index in 0..<30_000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes.append(index % 101 == 0 ? 0x0D : index % 83 == 0 ? 0x2E : UInt8(truncatingIfNeeded: state >> 24))
            if index % 101 == 0 { bytes.append(0x0A) }
        }
        bytes += (0...255).map(UInt8.init)
        bytes += [0xFF, 0xD9]
        return Data(bytes)
    }()
}

extension ActionsPeers {
    /// Runs one of the peers' helper scripts (e.g. `mime_check.py`) and decodes the JSON object it prints.
    static func runJSON(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
        guard let python else { throw PeerLaunchError(description: "no test venv (.venv/bin/python)") }
        let data = try await runToEnd(python, [scripts.appendingPathComponent(script).path] + arguments).output
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PeerLaunchError(description: "\(script) printed no JSON object")
        }
        return object
    }

    /// SHA-256 of a file as hex, by the venv's Python (Foundation on Linux has no hash API).
    static func sha256(of file: URL) async throws -> String {
        guard let python else { throw PeerLaunchError(description: "no test venv (.venv/bin/python)") }
        let data = try await runToEnd(
            python, ["-c", "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", file.path]
        ).output
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct PeerLaunchError: Error, CustomStringConvertible {
    var description: String
}

/// One Python peer on 127.0.0.1, stopped by `stop()` or when its stdin closes (the test process ended).
final class PythonPeer: @unchecked Sendable {
    // @unchecked: every property is set in init and never changes; Process.terminate is safe to repeat.
    let process: Process
    private let input: Pipe
    private let output: Pipe
    let port: Int

    /// Starts the peer and waits for its first line (its port) without holding a cooperative thread.
    static func start(_ script: String, _ arguments: [String], in directory: URL = ActionsPeers.scripts) async throws -> PythonPeer {
        try await PythonPeer(script, arguments, in: directory)
    }

    init(_ script: String, _ arguments: [String], in directory: URL = ActionsPeers.scripts) async throws {
        guard let python = ActionsPeers.python else {
            throw PeerLaunchError(description: "no test venv (.venv/bin/python): run scripts/setup, or link one into the package")
        }
        process = Process()
        process.executableURL = python
        process.arguments = ["-u", directory.appendingPathComponent(script).path] + arguments
        input = Pipe()
        output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let line = try await firstLine(of: output.fileHandleForReading)
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            let port = object["port"] as? Int
        else {
            process.terminate()
            throw PeerLaunchError(
                description:
                    "\(script) did not start: \(String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))")
        }
        self.port = port
    }

    /// An HTTP peer started with `--listen-later` holds its port but refuses connections (a server that is
    /// down) until this; it returns once the peer accepts them.
    func listen() async throws {
        try await startListening(input: input.fileHandleForWriting, output: output.fileHandleForReading)
    }

    func stop() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        stopProcess(process)
    }

    deinit { stop() }

    /// The requests an http_peer recorded, oldest first: method, path, headers, body (base64).
    func recordedRequests() async throws -> [[String: Any]] {
        let (_, data) = try await httpGet("http://127.0.0.1:\(port)/_requests")
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }
}

/// Polls `condition` until it holds or `seconds` pass: the host acts asynchronously (outbox loop, journal
/// follower), so tests wait for what a user would see rather than for a fixed time.
func waitFor<T>(within seconds: Double = 20, _ condition: () async throws -> T?) async rethrows -> T? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let value = try await condition() { return value }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
