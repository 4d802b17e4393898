import GRDB

/// Migrations of the door model: users and their credentials, time rules, doors, readers, relays, inputs,
/// runtime state (normal open, break-in latch, anti-passback positions) and the journal.
/// Registered by `GatehouseDatabase` after the foundation migrations.
public enum DoorModelMigrations {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-door-model") { db in
            // Users and their cards and authorisations are clustered by PIN (WITHOUT ROWID, keyed by PIN first), so a
            // cold start reads them in one sequential pass each instead of an index walk with a lookup per row.
            try db.create(table: "access_user", options: [.withoutRowID]) { table in
                table.column("pin", .text).primaryKey()
                table.column("name", .text).notNull().defaults(to: "")
                table.column("privilege", .integer).notNull().defaults(to: 0)
                table.column("user_group", .integer).notNull().defaults(to: 1)
                table.column("valid_from", .double)
                table.column("valid_until", .double)
                table.column("disabled", .boolean).notNull().defaults(to: false)
                table.column("verify_mode", .integer)
                table.column("super_user", .boolean).notNull().defaults(to: false)
                table.column("temporary", .boolean).notNull().defaults(to: false)
                table.column("extended_unlock", .boolean).notNull().defaults(to: false)
                table.column("building", .text)
                table.column("floor", .text)
                table.column("room", .text)
                table.column("apartment", .text)
                table.column("private_pin", .text).unique()
            }
            try db.create(table: "access_card", options: [.withoutRowID]) { table in
                table.column("user_pin", .text).notNull()
                    .references("access_user", column: "pin", onDelete: .cascade)
                table.column("position", .integer).notNull()
                // The card number's 64 bits, stored as a signed bit pattern.
                table.column("number", .integer).notNull().unique()
                table.column("bit_length", .integer).notNull().defaults(to: 0)
                table.column("site_code", .integer)
                table.column("lost", .boolean).notNull().defaults(to: false)
                table.column("role", .integer).notNull().defaults(to: 0)
                table.primaryKey(["user_pin", "position"])
            }
            try db.create(table: "access_plate") { table in
                table.column("plate", .text).primaryKey()
                table.column("user_pin", .text).notNull().indexed()
                    .references("access_user", column: "pin", onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("valid_from", .double)
                table.column("valid_until", .double)
            }
            try db.create(table: "access_qr_token") { table in
                table.column("token", .text).primaryKey()
                table.column("user_pin", .text).notNull().indexed()
                    .references("access_user", column: "pin", onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("valid_from", .double)
                table.column("valid_until", .double)
            }
            try db.create(table: "access_identity") { table in
                table.column("kind", .text).notNull()
                table.column("identity", .text).notNull()
                table.column("user_pin", .text).notNull().indexed()
                    .references("access_user", column: "pin", onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.primaryKey(["kind", "identity"])
            }
            try db.create(table: "access_authorisation", options: [.withoutRowID]) { table in
                table.column("user_pin", .text).notNull()
                    .references("access_user", column: "pin", onDelete: .cascade)
                table.column("timezone_id", .integer).notNull()
                table.column("position", .integer).notNull()
                // AuthorizeDoorId bitmask (64 doors), signed bit pattern.
                table.column("door_mask", .integer).notNull()
                table.column("valid_from", .double)
                table.column("valid_until", .double)
                table.primaryKey(["user_pin", "position"])
                table.uniqueKey(["user_pin", "timezone_id"])
            }

            try db.create(table: "access_settings") { table in
                table.column("id", .integer).primaryKey().check { $0 == 1 }
                table.column("settings_json", .text).notNull()
            }
            try db.create(table: "access_timezone") { table in
                table.column("id", .integer).primaryKey()
                table.column("name", .text).notNull().defaults(to: "")
                // The 30 PUSH values SunTime1 … Hol3Time3, comma separated.
                table.column("periods", .text).notNull()
                table.column("holidays_follow_weekday", .boolean).notNull().defaults(to: false)
                table.column("valid_from", .double)
                table.column("valid_until", .double)
            }
            try db.create(table: "access_holiday") { table in
                table.column("date", .text).primaryKey()  // YYYYMMDD
                table.column("type", .integer).notNull().check { (1...3).contains($0) }
                table.column("recurrence", .integer).notNull()
            }
            try db.create(table: "access_relay") { table in
                table.column("id", .integer).primaryKey()
                table.column("name", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("mode", .text).notNull()
                table.column("purpose", .text).notNull()
                table.column("trigger_delay", .integer).notNull()
                table.column("hold_delay", .integer).notNull()
                table.column("inverted", .boolean).notNull()
                table.column("lift_control", .boolean).notNull()
                table.column("dtmf_code", .text)
            }
            try db.create(table: "access_door") { table in
                table.column("id", .integer).primaryKey()
                table.column("name", .text).notNull()
                table.column("relay_id", .integer).notNull().unique()
                table.column("lock_drive_time", .integer).notNull()
                table.column("extended_drive_time", .integer).notNull()
                table.column("normal_open_timezone", .integer)
                table.column("valid_timezone", .integer).notNull()
                table.column("verify_mode", .integer).notNull()
                table.column("sensor_type", .integer).notNull()
                table.column("open_timeout", .integer).notNull()
                table.column("close_and_lock", .boolean).notNull()
                table.column("punch_interval", .integer).notNull()
                table.column("exit_button_enabled", .boolean).notNull()
                table.column("exit_button_timezone", .integer)
                table.column("first_card_mode", .integer).notNull()
                table.column("multi_card_open", .boolean).notNull()
                table.column("multi_card_interval", .integer).notNull()
                table.column("anti_passback", .integer).notNull()
                table.column("anti_passback_duration", .integer).notNull()
                table.column("disabled", .boolean).notNull()
                table.column("locked", .boolean).notNull()
                table.column("emergency_password", .text)
                table.column("duress_password", .text)
            }
            try db.create(table: "access_reader") { table in
                table.column("id", .integer).primaryKey()
                table.column("door_id", .integer).notNull()
                table.column("direction", .integer).notNull()
            }
            try db.create(table: "access_input") { table in
                table.column("id", .integer).primaryKey()
                table.column("name", .text).notNull()
                table.column("role", .text).notNull()  // exit_button, door_sensor, auxiliary
                table.column("door_id", .integer)
                table.column("relay_id", .integer)
                table.column("trigger_level", .integer).notNull()
                table.column("debounce_ms", .integer).notNull()
            }
            try db.create(table: "access_first_card") { table in
                table.column("door_id", .integer).notNull()
                table.column("user_pin", .text).notNull()
                table.column("timezone_id", .integer).notNull()
                table.primaryKey(["door_id", "user_pin"])
            }
            try db.create(table: "access_multi_card") { table in
                table.column("idx", .integer).primaryKey()
                table.column("door_id", .integer).notNull()
                table.column("groups", .text).notNull()  // comma separated group ids
            }

            try db.create(table: "access_door_state") { table in
                table.column("door_id", .integer).primaryKey()
                table.column("remote_normal_open", .boolean).notNull()
                table.column("first_card_normal_open", .boolean).notNull()
                table.column("first_card_activated", .boolean).notNull()
                table.column("break_in_latched", .boolean).notNull()
            }
            try db.create(table: "access_apb_position") { table in
                table.column("user_pin", .text).notNull()
                table.column("zone", .text).notNull()
                table.column("side", .integer).notNull()
                table.column("time", .double).notNull()
                table.primaryKey(["user_pin", "zone"])
            }

            try db.create(table: "access_journal") { table in
                table.column("idx", .integer).primaryKey()
                table.column("time", .double).notNull().indexed()
                table.column("local_time", .text).notNull()
                table.column("event", .integer).notNull()
                table.column("verify_mode", .integer).notNull()
                table.column("door_id", .integer)
                table.column("reader_id", .integer)
                table.column("direction", .integer)
                table.column("pin", .text)
                table.column("card", .text)
                table.column("site_code", .integer)
                table.column("link_id", .integer)
                table.column("source_kind", .text).notNull()
                table.column("source_name", .text)
                table.column("detail", .text)
            }
        }
    }
}
