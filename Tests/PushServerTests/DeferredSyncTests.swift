import Foundation
import GRDB
import Testing

@testable import PushServer
@testable import Storage

/// Under `data.sync = full` the server's group commits go out unsynced and are acknowledged after the log's sync.
@Suite("PUSH group commits with deferred syncs")
struct DeferredSyncTests {
    @Test("concurrent uploads are all stored and acknowledged, sharing syncs; the writer stays FULL")
    func uploadsShareSyncs() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DatabasePool(path: directory.appendingPathComponent("gatehouse.sqlite").path)
        try GatehouseDatabase.setSync(.full, on: pool)
        var migrator = DatabaseMigrator()
        PushServerMigrations.register(in: &migrator)
        try migrator.migrate(pool)
        let syncer = WALSyncer(databasePath: pool.path)
        defer { syncer.stop() }
        let store = PushServerStore(writer: pool, deferredSync: syncer)

        let devices = 8
        let statuses = try await withServer(store: store) { running in
            // Registration is not what this is about: one device after the other.
            for device in 0..<devices { _ = try await register(running, serial: "SYNC\(device)") }
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for device in 0..<devices {
                    group.addTask {
                        var last = 0
                        for index in 1...4 {
                            last = try await running.send(
                                "POST", "/iclock/cdata?SN=SYNC\(device)&table=rtlog",
                                body: "time=2026-11-21 10:00:0\(index)\tevent=0\tindex=\(index)"
                            ).status
                        }
                        return last
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses == Array(repeating: 200, count: devices))
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM push_event") } == devices * 4)
        #expect(syncer.syncCount >= 1)
        #expect(syncer.syncCount <= devices * 4, "no upload took more than one sync of its own")
        #expect(try await pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
    }
}
