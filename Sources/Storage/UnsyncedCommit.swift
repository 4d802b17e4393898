import GRDB

extension DatabaseWriter {
    /// Runs `updates` in one transaction committed without a sync (`synchronous = NORMAL`), then puts the writer's
    /// `synchronous` back as it was, whatever happened. For writes whose durability is taken care of otherwise: a
    /// journal batch that ``WALSyncer`` syncs next, or a hint that recovery can do without (a lost one is redone).
    /// Under `data.sync = normal` it is an ordinary write.
    public func writeWithoutSync(_ updates: (Database) throws -> Void) throws {
        try writeWithoutTransaction { db in
            let previous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 1
            guard previous > 1 else {
                try db.inTransaction {
                    try updates(db)
                    return .commit
                }
                return
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            let outcome = Result {
                try db.inTransaction {
                    try updates(db)
                    return .commit
                }
            }
            try db.execute(sql: "PRAGMA synchronous = \(previous)")
            try outcome.get()
        }
    }

    /// As `writeWithoutSync`, on the writer's own queue (the caller suspends; no thread waits).
    public func writeWithoutSync<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writeWithoutTransaction { db in
            let previous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 1
            if previous > 1 { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            let outcome = Result {
                var value: T?
                try db.inTransaction {
                    value = try updates(db)
                    return .commit
                }
                return value!
            }
            if previous > 1 { try db.execute(sql: "PRAGMA synchronous = \(previous)") }
            return try outcome.get()
        }
    }
}
