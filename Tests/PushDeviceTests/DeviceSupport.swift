import AccessControl
import Foundation
import GRDB
import Hummingbird
import Logging
import PushDevice
import PushProtocol
import PushServer

/// A temporary SQLite file with both roles' migrations (a Gatehouse database holds both).
func makeDatabase() throws -> DatabasePool {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-device-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let pool = try DatabasePool(path: directory.appendingPathComponent("gatehouse.sqlite").path)
    var migrator = DatabaseMigrator()
    PushServerMigrations.register(in: &migrator)
    PushDeviceMigrations.register(in: &migrator)
    try migrator.migrate(pool)
    return pool
}

struct LiveServer: Sendable {
    let server: PushServer
    let url: String
}

/// Runs a Gatehouse PUSH server on a loopback port for the duration of `body`.
func withGatehouseServer<T: Sendable>(
    configuration: PushServerConfiguration = PushServerConfiguration(registration: .open),
    clock: AccessControl.TestClock,
    _ body: @Sendable (LiveServer) async throws -> T
) async throws -> T {
    let store = PushServerStore(writer: try makeDatabase())
    let server = PushServer(store: store, configuration: configuration, now: { clock.now })
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
    return try await body(LiveServer(server: server, url: "http://127.0.0.1:\(port)"))
}

/// A Gatehouse device: the default four-door site, its cursor in SQLite, a client pointed at `url`.
func makeDevice(serial: String, url: String, clock: AccessControl.TestClock, database: DatabasePool? = nil, site: Site? = nil) throws -> (PushDeviceClient, Site, DatabasePool) {
    let pool = try database ?? makeDatabase()
    let site = site ?? Site.defaultSite(clock: clock)
    let identity = DeviceIdentity(serialNumber: serial, deviceName: "Gatehouse test")
    let client = PushDeviceClient(
        identity: identity, transport: try HTTPPushTransport(baseURL: url), site: site,
        cursor: PushDeviceCursorStore(writer: pool, upstream: url + "#" + serial), now: { clock.now })
    return (client, site, pool)
}
