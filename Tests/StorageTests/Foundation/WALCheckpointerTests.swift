import AccessControl
import Foundation
import GRDB
import Testing

@testable import Storage

@Suite("background WAL checkpoints")
struct WALCheckpointerTests {
    func database() throws -> (GatehouseDatabase, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return (try GatehouseDatabase(directory: url.path), url)
    }

    @Test("commits are synced to disk (FULL), and the writer's own checkpoints are only a backstop")
    func writerSettings() throws {
        let (database, directory) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (pages, synchronous) = try database.pool.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(pages == GatehouseDatabase.writerCheckpointPages)
        #expect(synchronous == 2, "PRAGMA synchronous = FULL")
        #expect(try database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("data.sync = normal leaves syncing to checkpoints")
    func normalSync() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let database = try GatehouseDatabase(directory: url.path, sync: .normal)
        #expect(try database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 1)
    }

    @Test("a checkpoint on its own connection moves the whole log into the database while the pool stays open")
    func checkpointCopiesTheLog() async throws {
        let (database, directory) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = DoorModelStore(writer: database.pool)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for batch in 0..<20 {
            try await store.append(
                (1...50).map { number in
                    let index = UInt64(batch * 50 + number)
                    return JournalEntry(
                        index: index, time: start.addingTimeInterval(Double(index)), localTime: "2027-01-15 08:00:00",
                        event: 0, verifyMode: 4, door: 1, reader: 1, direction: .entry, pin: "1001", card: "4567",
                        siteCode: nil, linkID: nil, source: .api(), detail: "granted")
                })
        }
        let checkpointer = WALCheckpointer(database: database)
        let connection = try DatabaseQueue(path: database.path)
        let result = try await checkpointer.checkpoint(connection)
        #expect(result.walFrameCount > 0, "1,000 entries went through the log")
        #expect(result.checkpointedFrameCount == result.walFrameCount)
        // The journal reads the same through the pool afterwards, and keeps accepting writes.
        #expect(try await store.lastIndex() == 1000)
        try await store.append([
            JournalEntry(
                index: 1001, time: start, localTime: "2027-01-15 08:00:00", event: 27, verifyMode: 4, source: .api())
        ])
        #expect(try await store.entries(indices: 999...1001, limit: 10).map(\.index) == [999, 1000, 1001])
    }

    @Test("the loop ends with cancellation")
    func runStopsWhenCancelled() async throws {
        let (database, directory) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let loop = Task { try await WALCheckpointer(database: database, interval: .seconds(3600)).run() }
        loop.cancel()
        await #expect(throws: CancellationError.self) { try await loop.value }
    }
}
