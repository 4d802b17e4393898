import Foundation
import NIOCore
import Outbound
import Synchronization
import TestSupport

/// Runs the real `gatehouse` binary (built beside the test bundle) and
/// collects its output, for tests that exercise the process as an operator does.
final class HostProcess: @unchecked Sendable {
    // @unchecked: `output` and `errorOutput` are only touched under `lock`.
    let process = Process()
    private let lock = NSLock()
    private var output = Data()
    private var errorOutput = Data()
    /// Pipes that reached end of file: everything the process wrote to them has been collected.
    private var closedPipes = 0

    /// Every process a test started, so none outlives the test run: suites whose instances own a host are not
    /// always deinitialised before the runner exits, and a host left behind would keep serving.
    private static let started = Mutex<[Int32]>([])
    private static let reaperInstalled: Bool = {
        atexit {
            // Only our own children: a pid whose process ended may have been reused by someone else's.
            let me = getpid()
            for pid in HostProcess.started.withLock({ $0 }) {
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, Int32(fields[1]) == me { kill(pid, SIGKILL) }
            }
        }
        return true
    }()

    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["GATEHOUSE_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        // .build/<config>/GatehousePackageTests.xctest → .build/<config>/gatehouse
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("gatehouse")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/gatehouse")
    }

    init(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        process.executableURL = Self.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GATEHOUSE_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            guard let self else { return }
            self.lock.withLock { if data.isEmpty { self.closedPipes += 1 } else { self.output.append(data) } }
        }
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            guard let self else { return }
            self.lock.withLock { if data.isEmpty { self.closedPipes += 1 } else { self.errorOutput.append(data) } }
        }
        try process.run()
        _ = Self.reaperInstalled
        let pid = process.processIdentifier
        Self.started.withLock { $0.append(pid) }
    }

    var stdout: String { lock.withLock { String(decoding: output, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: errorOutput, as: UTF8.self) } }

    // The waits below poll with `Task.sleep`, never block: the test runner's cooperative pool has as many threads
    // as the machine has cores (two here), and a test blocked on a starting host starved every other test.

    /// Waits (bounded) until stderr contains `text`; returns the matching line.
    func waitForStderrLine(containing text: String, timeout: TimeInterval = 60) async -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stderr.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning {
                await drainOutput()
                return stderr.split(separator: "\n").first(where: { $0.contains(text) }).map(String.init)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// The port of a `--log-format json` "… listening" line (`http listening`, `push listening`), once it is logged.
    func listeningPort(_ message: String) async -> Int? {
        guard let line = await waitForStderrLine(containing: message),
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { return nil }
        return (object["port"] as? String).flatMap { Int($0) }
    }

    /// Waits (bounded) for exit; returns the status or nil on timeout.
    @discardableResult
    func waitForExit(timeout: TimeInterval = 30) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { return nil }
        await drainOutput()
        return process.terminationStatus
    }

    /// After exit, waits (bounded) until both pipes reached end of file, so `stdout` and `stderr` hold everything
    /// the process wrote. A fixed pause was not enough on a loaded runner.
    private func drainOutput(timeout: TimeInterval = 10) async {
        let deadline = Date().addingTimeInterval(timeout)
        while lock.withLock({ closedPipes < 2 }) && Date() < deadline { try? await Task.sleep(for: .milliseconds(5)) }
    }

    func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Runs a command to completion and returns (status, stdout, stderr).
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) async throws -> (
        Int32, String, String
    ) {
        let host = try HostProcess(arguments, environment: environment, directory: directory)
        let status = await host.waitForExit(timeout: 120) ?? -1
        return (status, host.stdout, host.stderr)
    }
}

func temporaryDirectory(_ name: String = "gatehouse-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A site directory whose `main.lua` holds `source`.
func temporarySite(mainLua source: String) throws -> URL {
    let site = try temporaryDirectory("site")
    try source.write(to: site.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
    return site
}

func httpGet(_ url: String, bearer: String? = nil, method: String = "GET") async throws -> (Int, Data) {
    try await httpExchange(method, url, headers: bearer.map { ["Authorization": "Bearer \($0)"] } ?? [:])
}

/// One HTTP exchange with a process under test, through the host's own libcurl transport. Not URLSession: on Linux
/// its socket teardown can crash the test process (see `HTTPPushTransport`).
func httpExchange(
    _ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil, timeout: Int64 = 30
) async throws -> (Int, Data) {
    let fields = HTTPHeader.onlyThese(headers.sorted { $0.key < $1.key }.map { HTTPHeader($0.key, $0.value) })
    let request = HTTPRequest(
        method: method, url: url, headers: fields, body: body ?? Data(),
        options: TransportOptions(
            connectTimeoutMilliseconds: Int(timeout) * 1000, totalTimeoutMilliseconds: Int(timeout) * 1000,
            maxResponseBytes: 64 << 20))
    let response = try await Transport().send(request)
    return (response.status, response.body)
}

/// A running host's REST API on loopback, called with the admin token its data directory holds.
struct AdminAPI: Sendable {
    let port: Int
    let token: String

    init(port: Int, data: URL) throws {
        self.port = port
        token = try PushRolesEndToEndTests.token(data)
    }

    /// One call; the status and the JSON object of the reply (empty when it is not one).
    @discardableResult
    func call(_ method: String, _ path: String, json: String? = nil) async throws -> (Int, [String: Any]) {
        var headers = ["Authorization": "Bearer \(token)"]
        if json != nil { headers["Content-Type"] = "application/json" }
        let (status, body) = try await httpExchange(
            method, "http://127.0.0.1:\(port)\(path)", headers: headers, body: json.map { Data($0.utf8) })
        return (status, (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:])
    }
}
