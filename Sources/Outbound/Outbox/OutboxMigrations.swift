import GRDB

/// The outbox's own tables. The composition root registers them in the main database's migrator,
/// so Outbound needs no dependency on the Storage module.
public enum OutboxMigrations {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("outbound.v1.outbox") { db in
            try db.create(table: "outbound_action") { table in
                table.autoIncrementedPrimaryKey("id")
                /// `http`, `upload` or `mail`, for listing without decoding the payload.
                table.column("kind", .text).notNull()
                /// The `OutboundAction` as JSON (passwords included: the database is the host's secret store).
                table.column("payload", .blob).notNull()
                /// What produced it: "input A", "webrelay 3", "lua", "action-url valid_card"...
                table.column("source", .text).notNull().defaults(to: "")
                table.column("summary", .text).notNull().defaults(to: "")
                /// pending | delivered | dead | skipped
                table.column("state", .text).notNull()
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("max_attempts", .integer).notNull()
                /// Unix seconds; pending rows run when the outbox clock passes it.
                table.column("next_attempt_at", .double).notNull()
                /// JSON `FireCondition`, checked once at the first attempt.
                table.column("condition", .text)
                /// Camera to take the image from at the first attempt, and the image once taken.
                table.column("snapshot_camera", .text)
                table.column("snapshot", .blob)
                table.column("last_error", .text)
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
            }
            try db.create(index: "outbound_action_due", on: "outbound_action", columns: ["state", "next_attempt_at"])
        }
    }
}
