import Foundation
import GRDB
import Hummingbird
import Logging
import PushServer

// The PUSH server alone in its own process (the load comes from wrk in another process), with a plain
// Hummingbird "OK" route on a second port for comparison and a /count route for the durability check.
// usage: push-load-server <devices> <push port> <ok port> <data dir>
let arguments = CommandLine.arguments
let devices = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
let pushPort = arguments.count > 2 ? Int(arguments[2]) ?? 18088 : 18088
let okPort = arguments.count > 3 ? Int(arguments[3]) ?? 18089 : 18089
let directory = URL(fileURLWithPath: arguments.count > 4 ? arguments[4] : "/tmp/pushbench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

var quiet = Logger(label: "bench")
quiet.logLevel = .error
// As GatehouseDatabase opens it: WAL, synchronous NORMAL, busy timeout.
var dbConfiguration = Configuration()
dbConfiguration.busyMode = .timeout(5)
dbConfiguration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
let pool = try DatabasePool(path: directory.appendingPathComponent("gatehouse.sqlite").path, configuration: dbConfiguration)
var migrator = DatabaseMigrator()
PushServerMigrations.register(in: &migrator)
try migrator.migrate(pool)
let store = PushServerStore(writer: pool)
let now = Date()
for index in 0..<devices {
    let serial = String(format: "D%05d", index)
    _ = try await store.register(serial, options: try .parse("DeviceType=acc,~DeviceName=Bench,MaxPackageSize=2048000"), address: "127.0.0.1", autoApprove: true, now: now)
}
let server = PushServer(store: store, configuration: PushServerConfiguration(registration: .open, requestDelay: 2), logger: quiet, now: { Date() })

let router = Router()
router.get("ok") { _, _ in "OK" }
router.get("count") { _, _ in
    let count = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM push_event") ?? 0 }
    return String(count)
}
let okApp = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: okPort)), logger: quiet)
let pushApp = PushListener.application(server: server, host: "127.0.0.1", port: pushPort, logger: quiet) { _ in
    print("ready push=\(pushPort) ok=\(okPort) devices=\(devices) data=\(directory.path)")
    FileHandle.standardOutput.synchronizeFile()
}
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await okApp.runService() }
    group.addTask { try await pushApp.runService() }
    try await group.next()
}
