import Foundation
import TestSupport
import Testing

@testable import Outbound

/// Finds the repository and its test venv, and launches the Python peers in Peers/.
enum TestEnvironment {
    /// `#filePath` may point through the dev package's symlink; resolve it, else fall back to /work/main.
    static let repositoryRoot: URL = {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let root = file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: root.appendingPathComponent("Tests/OutboundTests/Peers").path) {
            return root
        }
        return URL(fileURLWithPath: "/work/main")
    }()

    /// The test venv: `GATEHOUSE_TEST_PYTHON`, else `.venv` of the package under test (the working directory of
    /// `swift test`, where a dev package links it), else the repository's.
    static var python: URL {
        if let override = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_PYTHON"] { return URL(fileURLWithPath: override) }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".venv/bin/python")
        if FileManager.default.isExecutableFile(atPath: local.path) { return local }
        return repositoryRoot.appendingPathComponent(".venv/bin/python")
    }
    static var peers: URL { repositoryRoot.appendingPathComponent("Tests/OutboundTests/Peers") }

    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gatehouse-outbound-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Bytes that look like a JPEG and contain every byte value, CR/LF pairs and lone dots, so any
    /// text-mode mangling on the way shows up.
    static let snapshotBytes: Data = {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        var state: UInt32 = 0x1234_5678
        for index in 0..<40_000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes.append(index % 97 == 0 ? 0x0D : index % 89 == 0 ? 0x2E : UInt8(truncatingIfNeeded: state >> 24))
            if index % 97 == 0 { bytes.append(0x0A) }
        }
        bytes += Array(0...255).map(UInt8.init)
        bytes += [0xFF, 0xD9]
        return Data(bytes)
    }()
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
}

/// A Python server on 127.0.0.1, alive until `stop()` (or its stdin closes when the test process dies).
final class Peer: @unchecked Sendable {
    // @unchecked: mutated only in `launch` before it is shared, and `stop` is idempotent on Process.
    let process: Process
    private let input: Pipe
    private let output: Pipe
    let info: [String: Any]
    var port: Int { info["port"] as? Int ?? 0 }
    var caFile: String? { info["ca"] as? String }

    private init(process: Process, input: Pipe, output: Pipe, info: [String: Any]) {
        self.process = process
        self.input = input
        self.output = output
        self.info = info
    }

    /// Starts the peer and waits for its first line (its port and details) without holding a cooperative thread.
    static func launch(_ script: String, _ arguments: [String]) async throws -> Peer {
        let python = TestEnvironment.python
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw PeerError(description: "no test venv at \(python.path): run scripts/setup to install the Python test peers")
        }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-u", TestEnvironment.peers.appendingPathComponent(script).path] + arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let line = try await firstLine(of: output.fileHandleForReading)
        guard let object = try? JSONSerialization.jsonObject(with: line), let info = object as? [String: Any] else {
            process.terminate()
            let stderr = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw PeerError(description: "\(script) did not start (is the venv complete? run scripts/setup): \(stderr)")
        }
        return Peer(process: process, input: input, output: output, info: info)
    }

    /// An HTTP peer launched with `--listen-later` holds its port but refuses connections (a server that is
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
}

/// Runs the venv's Python on a helper script and decodes its JSON output.
func runPythonJSON(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
    let data = try await runToEnd(
        TestEnvironment.python, [TestEnvironment.peers.appendingPathComponent(script).path] + arguments
    ).output
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw PeerError(description: "\(script) printed no JSON object")
    }
    return object
}

extension Peer {
    /// The requests an http_peer recorded, oldest first.
    func recordedRequests() async throws -> [[String: Any]] {
        let transport = try Transport()
        let response = try await transport.send(HTTPRequest(url: "http://127.0.0.1:\(port)/_requests"))
        return try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]] ?? []
    }
}
