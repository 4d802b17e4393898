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
