import Foundation
import GRDB

/// Moves the write-ahead log into the database file in the background, on a connection of its own.
///
/// SQLite's own checkpoint runs in the writer, after a commit that finds the log past its threshold: copying a
/// thousand pages and syncing the file held the journal writer for milliseconds every second or two under load,
/// and every decision waiting to be journalled waited with it (a third of the access API's p99). Here the writer's
/// threshold is raised to ``GatehouseDatabase/writerCheckpointPages`` as a backstop, and this checkpointer copies
/// the log in small passive steps that never block the writer or readers.
public struct WALCheckpointer: Sendable {
    let path: String
    let interval: Duration

    public init(database: GatehouseDatabase, interval: Duration = .milliseconds(250)) {
        self.path = database.path
        self.interval = interval
    }

    /// Checkpoints every `interval` until cancelled (then throws `CancellationError`). A checkpoint that fails
    /// (the file is busy) is retried at the next interval; the writer's backstop keeps the log bounded whatever
    /// happens here.
    public func run() async throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(0.1)
        configuration.label = "gatehouse.checkpoint"
        // GRDB runs this queue's work on a thread of its own, so the fsyncs never hold an event loop.
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        while true {
            try await Task.sleep(for: interval)
            _ = try? await checkpoint(connection)
        }
    }

    /// One passive checkpoint: the log's size and how much of it is now in the database, in pages.
    @discardableResult
    public func checkpoint(_ connection: DatabaseQueue) async throws -> (walFrameCount: Int, checkpointedFrameCount: Int) {
        try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }
}
