import GRDB

extension DatabaseWriter {
    /// Runs `updates` in one transaction committed without a sync (`synchronous = NORMAL`), then puts the writer's
    /// `synchronous` back as it was, whatever happened. For writes whose durability is taken care of otherwise: a
    /// journal batch that ``WALSyncer`` syncs next, or a hint that recovery can do without (a lost one is redone).
    /// Under `data.sync = normal` it is an ordinary write.
    public func writeWithoutSync(_ updates: (Database) throws -> Void) throws {
        try writeWithoutTransaction { db in try db.commitWithoutSync(updates) }
    }

    /// As `writeWithoutSync`, on the writer's own queue (the caller suspends; no thread waits).
    public func writeWithoutSync<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writeWithoutTransaction { db in try db.commitWithoutSync(updates) }
    }
}

extension Database {
    /// The one transaction of `writeWithoutSync`, on a connection outside any transaction.
    fileprivate func commitWithoutSync<T>(_ updates: (Database) throws -> T) throws -> T {
        let previous = try Int.fetchOne(self, sql: "PRAGMA synchronous") ?? 1
        if previous > 1 { try execute(sql: "PRAGMA synchronous = NORMAL") }
        let outcome = Result {
            var value: T?
            try inTransaction {
                value = try updates(self)
                return .commit
            }
            return value!
        }
        if previous > 1 { try execute(sql: "PRAGMA synchronous = \(previous)") }
        return try outcome.get()
    }
}
