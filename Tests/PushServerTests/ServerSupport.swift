import Digests
import Foundation
import GRDB
import Hummingbird
import Logging
import PushDevice
import PushProtocol
@testable import PushServer

/// A controllable clock for the server (tests never sleep).
final class TestClock: @unchecked Sendable {
    // Safe: every access to `current` goes through `lock`.
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_763_700_000)) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A temporary SQLite file with the server's migrations applied.
func makeStore() throws -> (PushServerStore, DatabasePool, URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-server-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let pool = try DatabasePool(path: directory.appendingPathComponent("gatehouse.sqlite").path)
    var migrator = DatabaseMigrator()
    PushServerMigrations.register(in: &migrator)
    try migrator.migrate(pool)
    return (PushServerStore(writer: pool), pool, directory)
}

/// Collects events handed to the sink.
actor CollectingSink: DeviceEventSink {
    private(set) var events: [DeviceEvent] = []
    func deviceEventsStored(_ events: [DeviceEvent]) { self.events += events }
}

/// A server running on a loopback port, and a raw HTTP client against it.
struct RunningServer: Sendable {
    let server: PushServer
    let transport: HTTPPushTransport
    let port: Int

    /// Sends a raw request (path + query as given, body bytes as given).
    func send(_ method: String, _ target: String, body: String = "", cookie: String? = nil) async throws -> PushTransportReply {
        try await send(method, target, bytes: Array(body.utf8), cookie: cookie)
    }

    func send(_ method: String, _ target: String, bytes: [UInt8], cookie: String? = nil) async throws -> PushTransportReply {
        var headers = [("User-Agent", "iClock Proxy/1.09"), ("Accept", "application/push")]
        if let cookie { headers.append(("Cookie", cookie)) }
        return try await transport.send(method: method, target: target, headers: headers, body: bytes)
    }
}

/// Runs `body` against a server listening on 127.0.0.1 (port chosen by the kernel), then stops it.
func withServer<T: Sendable>(
    configuration: PushServerConfiguration = PushServerConfiguration(registration: .open),
    clock: TestClock = TestClock(), identifier: (any RemoteIdentifier)? = nil, sink: (any DeviceEventSink)? = nil,
    store: PushServerStore? = nil,
    _ body: @Sendable (RunningServer) async throws -> T
) async throws -> T {
    let store = try store ?? makeStore().0
    let server = PushServer(
        store: store, configuration: configuration, identifier: identifier, sink: sink, now: { clock.now })
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var quiet = Logger(label: "test.push.listener")
    quiet.logLevel = .critical  // cancelling the listener at the end of a test logs errors by design
    let app = PushListener.application(server: server, host: "127.0.0.1", port: 0, logger: quiet) { channel in
        continuation.yield(channel.localAddress?.port ?? 0)
        continuation.finish()
    }
    let task = Task { try await app.runService() }
    defer { task.cancel() }
    var port = 0
    for await value in ports { port = value }
    let transport = try HTTPPushTransport(baseURL: "http://127.0.0.1:\(port)")
    return try await body(RunningServer(server: server, transport: transport, port: port))
}

/// The registration of a device: handshake, registry, configuration. Returns the session cookie.
@discardableResult
func register(_ running: RunningServer, serial: String, options: String = "DeviceType=acc,~DeviceName=Test,FirmVer=Ver 8.0.1.3-20151229,MaxPackageSize=2048000,LockCount=4") async throws -> String {
    _ = try await running.send("GET", "/iclock/cdata?SN=\(serial)&options=all&pushver=3.1.2")
    let registry = try await running.send("POST", "/iclock/registry?SN=\(serial)", body: options)
    guard case .registryCode(let code) = try ServerReply.parse(registry.body, endpoint: .registry) else {
        throw TestFailure("registry answered `\(registry.text)`")
    }
    let handshake = try await running.send("GET", "/iclock/cdata?SN=\(serial)&options=all&pushver=3.1.2")
    guard case .registration(let configuration) = try ServerReply.parse(handshake.body, endpoint: .cdata),
        let session = configuration.sessionID
    else {
        throw TestFailure("handshake answered `\(handshake.text)`")
    }
    return "token=" + SessionToken.compute(registryCode: code, serialNumber: serial, sessionID: session)
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
