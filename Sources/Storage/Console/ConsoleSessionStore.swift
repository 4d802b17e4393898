import Foundation
import GRDB

/// The web console's sign-in sessions at rest, so a host restart (an upgrade, a hot patch) does not sign the
/// people watching the site out, and their pages resume the event stream where they were.
///
/// A row holds the SHA-256 of the session cookie (never the cookie), the id and name of the admin token the
/// session was made from (never the token: the session lives only while a token of that id and name exists), the
/// session's CSRF token (useless without the cookie) and its times.
public struct ConsoleSessionStore: Sendable {
    public struct Record: Sendable, Equatable {
        public var key: String
        public var tokenID: String
        public var tokenName: String
        public var csrfToken: String
        public var createdAt: Date
        public var lastUsedAt: Date

        public init(key: String, tokenID: String, tokenName: String, csrfToken: String, createdAt: Date, lastUsedAt: Date) {
            self.key = key
            self.tokenID = tokenID
            self.tokenName = tokenName
            self.csrfToken = csrfToken
            self.createdAt = createdAt
            self.lastUsedAt = lastUsedAt
        }
    }

    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) { self.writer = writer }

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-console-sessions") { db in
            try db.create(table: "console_session") { table in
                table.column("key", .text).primaryKey()
                table.column("token_id", .text).notNull()
                table.column("token_name", .text).notNull()
                table.column("csrf_token", .text).notNull()
                table.column("created_at", .double).notNull()
                table.column("last_used_at", .double).notNull()
            }
        }
    }

    public func all() throws -> [Record] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM console_session").map { row in
                Record(
                    key: row["key"], tokenID: row["token_id"], tokenName: row["token_name"], csrfToken: row["csrf_token"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    lastUsedAt: Date(timeIntervalSince1970: row["last_used_at"]))
            }
        }
    }

    public func save(_ record: Record) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO console_session (key, token_id, token_name, csrf_token, created_at, last_used_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET last_used_at = excluded.last_used_at
                    """,
                arguments: [
                    record.key, record.tokenID, record.tokenName, record.csrfToken, record.createdAt.timeIntervalSince1970,
                    record.lastUsedAt.timeIntervalSince1970,
                ])
        }
    }

    public func delete(keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try writer.write { db in
            for key in keys { try db.execute(sql: "DELETE FROM console_session WHERE key = ?", arguments: [key]) }
        }
    }
}
