import AccessControl
import Foundation
import GRDB
import Testing

@testable import Storage

/// `data.sync = full` with the journal's syncs taken off the writer: commits go out unsynced, and a flush waits for
/// the log's sync instead.
@Suite("deferred journal syncs")
struct WALSyncerTests {
    func database(_ sync: GatehouseDatabase.Sync = .full) throws -> (GatehouseDatabase, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return (try GatehouseDatabase(directory: url.path, sync: sync), url)
    }

    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func entry(_ index: UInt64) -> JournalEntry {
        JournalEntry(
            index: index, time: start.addingTimeInterval(Double(index)), localTime: "2027-01-15 08:00:00", event: 0,
            verifyMode: 4, door: 1, reader: 1, direction: .entry, pin: "1001", card: "4567", source: .api())
    }

    @Test("only data.sync = full defers the journal's syncs")
    func onlyFullDefers() throws {
        let (full, fullDirectory) = try database(.full)
        let (normal, normalDirectory) = try database(.normal)
        defer {
            try? FileManager.default.removeItem(at: fullDirectory)
            try? FileManager.default.removeItem(at: normalDirectory)
        }
        #expect(full.walSyncer?.path == full.path + "-wal")
        #expect(normal.walSyncer == nil)
    }

    @Test("journal batches commit unsynced, the writer returns to FULL for everyone else, even after a refused batch")
    func writerKeepsFull() async throws {
        let (database, directory) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = DoorModelStore(writer: database.pool, deferredSync: database.walSyncer)
        try await store.append([Self.entry(1), Self.entry(2)])
        #expect(try await database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        await #expect(throws: ModelError.self) { try await store.append([Self.entry(2)]) }
        #expect(try await database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        try await store.waitUntilDurable()
        #expect(try await store.entries(indices: 1...10, limit: 10).map(\.index) == [1, 2])
    }

    @Test("concurrent waits share syncs, and every one returns")
    func waitsShareSyncs() async throws {
        let (database, directory) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let syncer = try #require(database.walSyncer)
        let store = DoorModelStore(writer: database.pool, deferredSync: syncer)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...200 {
                group.addTask {
                    try await store.append([Self.entry(UInt64(index))])
                    try await store.waitUntilDurable()
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.lastIndex() == 200)
        #expect(syncer.syncCount >= 1)
        #expect(syncer.syncCount <= 200)
    }

    @Test("a later ticket's sync covers an earlier ticket: waiting on the earlier one afterwards needs no sync")
    func laterTicketsCoverEarlierOnes() async throws {
        let (database, directory) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let syncer = try #require(database.walSyncer)
        let store = DoorModelStore(writer: database.pool, deferredSync: syncer)
        try await store.append([Self.entry(1)])
        let first = syncer.ticket()
        try await store.append([Self.entry(2)])
        let second = syncer.ticket()
        #expect(second > first)
        try await syncer.wait(for: second)
        let syncs = syncer.syncCount
        try await syncer.wait(for: first)
        #expect(syncer.syncCount == syncs, "already covered")
    }

    @Test("a log that cannot be synced is an error naming it; a stopped syncer refuses")
    func failuresAreErrors() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        let syncer = WALSyncer(databasePath: directory.appendingPathComponent("missing.sqlite").path)
        await #expect(throws: WALSyncer.SyncError.self) { try await syncer.sync() }
        do {
            try await syncer.sync()
        } catch {
            #expect("\(error)".contains("missing.sqlite-wal"))
        }
        syncer.stop()
        await #expect(throws: WALSyncer.SyncError.self) { try await syncer.sync() }
    }
}

@Suite("unsynced commits")
struct UnsyncedCommitTests {
    @Test(
        "a write without sync leaves the writer's synchronous as it found it, under either data.sync",
        arguments: [
            (GatehouseDatabase.Sync.full, 2), (GatehouseDatabase.Sync.normal, 1),
        ])
    func restoresTheSetting(_ sync: GatehouseDatabase.Sync, _ expected: Int) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("unsynced-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let database = try GatehouseDatabase(directory: url.path, sync: sync)
        try database.pool.writeWithoutSync { db in
            try db.execute(sql: "CREATE TABLE hint (id INTEGER PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO hint (id) VALUES (1)")
        }
        // A failing transaction rolls back as a whole and still restores the setting.
        #expect(throws: DatabaseError.self) {
            try database.pool.writeWithoutSync { db in
                try db.execute(sql: "INSERT INTO hint (id) VALUES (2)")
                try db.execute(sql: "INSERT INTO hint (id) VALUES (1)")
            }
        }
        #expect(try database.pool.read { db in try Int.fetchAll(db, sql: "SELECT id FROM hint") } == [1])
        #expect(try database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == expected)
    }
}
