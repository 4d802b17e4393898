import GRDB

/// The device role's table: per upstream server, the last journal index the server acknowledged and the
/// RegistryCode it issued. The lead registers the migration in `GatehouseDatabase.migrator`.
public enum PushDeviceMigrations {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-push-device") { db in
            try db.execute(sql: """
                CREATE TABLE push_upstream_cursor (
                    upstream TEXT PRIMARY KEY NOT NULL,
                    acknowledged_index INTEGER NOT NULL DEFAULT 0,
                    registry_code TEXT
                );
                """)
        }
        migrator.registerMigration("v2-push-device-user-ledger") { db in
            // What the upstream server knows of each user (the §7.5 row it last received or sent), so users
            // registered or changed locally go up as tabledata once, and users the server sent never echo back.
            try db.execute(sql: """
                CREATE TABLE push_upstream_user (
                    upstream TEXT NOT NULL,
                    pin TEXT NOT NULL,
                    row TEXT NOT NULL,
                    PRIMARY KEY (upstream, pin)
                );
                """)
        }
    }
}

/// The persisted upload cursor: what the upstream server has acknowledged survives restarts and network loss, so
/// nothing is sent twice except what was never acknowledged.
public struct PushDeviceCursorStore: Sendable {
    public let writer: any DatabaseWriter
    /// Identifies the upstream (its URL and this device's serial number).
    public let upstream: String

    public init(writer: any DatabaseWriter, upstream: String) {
        self.writer = writer
        self.upstream = upstream
    }

    public func acknowledgedIndex() throws -> UInt64 {
        try writer.read { db in
            let value = try Int64.fetchOne(
                db, sql: "SELECT acknowledged_index FROM push_upstream_cursor WHERE upstream = ?", arguments: [upstream]) ?? 0
            return UInt64(max(0, value))
        }
    }

    public func setAcknowledgedIndex(_ index: UInt64) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO push_upstream_cursor (upstream, acknowledged_index) VALUES (?, ?)
                    ON CONFLICT(upstream) DO UPDATE SET acknowledged_index = max(acknowledged_index, excluded.acknowledged_index)
                    """,
                arguments: [upstream, Int64(clamping: index)])
        }
    }

    public func registryCode() throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT registry_code FROM push_upstream_cursor WHERE upstream = ?", arguments: [upstream])
        }
    }

    public func setRegistryCode(_ code: String?) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO push_upstream_cursor (upstream, registry_code) VALUES (?, ?)
                    ON CONFLICT(upstream) DO UPDATE SET registry_code = excluded.registry_code
                    """,
                arguments: [upstream, code])
        }
    }
}

extension PushDeviceCursorStore {
    /// The user rows the server is known to hold, by PIN.
    public func knownUserRows() throws -> [String: String] {
        try writer.read { db in
            var rows: [String: String] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT pin, row FROM push_upstream_user WHERE upstream = ?", arguments: [upstream])
            while let row = try cursor.next() { rows[row["pin"]] = row["row"] }
            return rows
        }
    }

    /// Records rows the server now holds; a nil row forgets the user (deleted on the server's word).
    public func setKnownUserRows(_ rows: [(pin: String, row: String?)]) throws {
        guard !rows.isEmpty else { return }
        try writer.write { db in
            for (pin, row) in rows {
                if let row {
                    try db.execute(
                        sql: "INSERT INTO push_upstream_user (upstream, pin, row) VALUES (?, ?, ?) ON CONFLICT(upstream, pin) DO UPDATE SET row = excluded.row",
                        arguments: [upstream, pin, row])
                } else {
                    try db.execute(sql: "DELETE FROM push_upstream_user WHERE upstream = ? AND pin = ?", arguments: [upstream, pin])
                }
            }
        }
    }
}
