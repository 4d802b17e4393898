import GRDB

/// The PUSH server's tables. The lead registers them in `GatehouseDatabase.migrator`; tests register them in their
/// own migrator on a temporary file.
public enum PushServerMigrations {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1-push-server") { db in
            // The device registry. `status` is pending | approved. Times are Unix seconds.
            try db.execute(sql: """
                CREATE TABLE push_device (
                    sn TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    registry_code TEXT,
                    session_id TEXT,
                    registry_options TEXT NOT NULL DEFAULT '',
                    device_type TEXT,
                    device_name TEXT,
                    firmware TEXT,
                    push_version TEXT,
                    max_package_size INTEGER,
                    lock_count INTEGER,
                    reader_count INTEGER,
                    ip TEXT,
                    first_seen REAL NOT NULL,
                    last_seen REAL NOT NULL,
                    approved_at REAL
                );
                """)
            // rtlog and rtstate rows. `dedupe_key` is index + time for events and the raw text for state rows,
            // so a replay after a reconnect or a reset index is stored once.
            try db.execute(sql: """
                CREATE TABLE push_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sn TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    dedupe_key TEXT NOT NULL,
                    device_index TEXT,
                    time_text TEXT NOT NULL,
                    time_valid INTEGER NOT NULL,
                    event_code INTEGER,
                    pin TEXT,
                    card TEXT,
                    door INTEGER,
                    raw TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    UNIQUE (sn, kind, dedupe_key)
                );
                CREATE INDEX push_event_by_device ON push_event (sn, id);
                """)
            // tabledata / querydata rows (user, biodata, biophoto, userpic, identitycard, errorlog, templatev10…).
            try db.execute(sql: """
                CREATE TABLE push_table_row (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sn TEXT NOT NULL,
                    table_name TEXT NOT NULL,
                    command_id INTEGER,
                    raw TEXT NOT NULL,
                    received_at REAL NOT NULL,
                    UNIQUE (sn, table_name, raw)
                );
                """)
            // Everything else a device uploads (options, querydata counts and packages, ACCOUNT overviews and
            // file parts, enrollment data), raw, so nothing acknowledged is ever lost.
            try db.execute(sql: """
                CREATE TABLE push_upload (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sn TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    query TEXT NOT NULL,
                    command_id INTEGER,
                    body BLOB NOT NULL,
                    received_at REAL NOT NULL
                );
                """)
            // The durable command queue. AUTOINCREMENT keeps IDs monotonic (never reused after a delete).
            try db.execute(sql: """
                CREATE TABLE push_command (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sn TEXT NOT NULL,
                    command TEXT NOT NULL,
                    state TEXT NOT NULL,
                    idempotency_key TEXT,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    delivered_at REAL,
                    delivery_count INTEGER NOT NULL DEFAULT 0,
                    completed_at REAL,
                    return_code INTEGER,
                    return_text TEXT,
                    result_command TEXT,
                    payload TEXT NOT NULL DEFAULT '',
                    UNIQUE (sn, idempotency_key)
                );
                CREATE INDEX push_command_pending ON push_command (sn, state, id);
                """)
        }
        migrator.registerMigration("v2-push-server-encryption") { db in
            // Communication encryption (Appendix 16, Gatehouse's scheme in PushCrypto): the device's public key P1
            // from `exchange?type=publickey`, and the AES-256-GCM session key once the factors are exchanged. A new
            // handshake (a reconnect) deletes the row: keys are made fresh per connection.
            try db.execute(sql: """
                CREATE TABLE push_device_crypto (
                    sn TEXT PRIMARY KEY NOT NULL REFERENCES push_device(sn) ON DELETE CASCADE,
                    device_public_key BLOB NOT NULL,
                    session_key BLOB,
                    negotiated_at REAL
                );
                """)
        }
        migrator.registerMigration("v3-push-event-journaled") { db in
            // A row is stored here (the replay ledger) before the site journal holds it. `journaled` closes that gap:
            // rows a crash left unjournaled are published once more at the next start (`unjournaledEvents`), so an
            // event is neither lost (a resend is a replay here) nor doubled. Rows from before this column existed
            // were journaled when they arrived.
            try db.execute(sql: "ALTER TABLE push_event ADD COLUMN journaled INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "UPDATE push_event SET journaled = 1")
            try db.execute(sql: "CREATE INDEX push_event_unjournaled ON push_event (id) WHERE journaled = 0")
        }
    }
}
