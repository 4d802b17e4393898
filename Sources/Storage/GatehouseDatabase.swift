import Foundation
import GRDB

/// Storage: Gatehouse's SQLite store, reached through one GRDB `DatabasePool`
/// (WAL mode, so readers never wait on the journal writer).
///
/// Seams: the door model persists through `DoorModel/`, API tokens through
/// `APITokenStore`, scripts' key/value data through `KeyValueStore`. Schema
/// changes are versioned migrations; a database written by a newer Gatehouse
/// is refused rather than guessed at.
public final class GatehouseDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String
    /// Registers one module's migrations; the composition root passes every module's, in a fixed order.
    public typealias Migrations = @Sendable (inout DatabaseMigrator) -> Void
    let migrator: DatabaseMigrator
    /// The log size, in pages, at which the writer checkpoints by itself (SQLite's default is 1,000; 8,000 pages of
    /// 4 KiB is 32 MiB). Tools and tests that run no ``WALCheckpointer`` stay bounded by it.
    public static let writerCheckpointPages = 8000

    public enum OpenError: Error, CustomStringConvertible {
        case directoryNotWritable(path: String, reason: String)
        case cannotOpen(path: String, reason: String)
        case newerSchema(path: String, unknown: [String])

        public var description: String {
            switch self {
            case .directoryNotWritable(let path, let reason): "data directory \(path) is not writable: \(reason)"
            case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
            case .newerSchema(let path, let unknown):
                "database \(path) was written by a newer Gatehouse (unknown migrations: \(unknown.joined(separator: ", ")))"
            }
        }
    }

    /// When a commit reaches the disk (SQLite's `synchronous` on the pool's writer, in WAL mode).
    public enum Sync: String, Sendable, CaseIterable {
        /// Before the commit returns: what the host acknowledged (a journalled decision, an uploaded PUSH record, a
        /// queued action) survives a power cut. One sync per commit; group commit makes that one per batch.
        case full
        /// At checkpoints: a commit survives a crash of the process, but a power cut or an OS crash can roll back
        /// the last ones. Faster where syncs are slow (SD cards, virtual disks).
        case normal
    }

    /// The one syncer of this database's log under ``Sync/full`` (nil under ``Sync/normal``: nothing to sync before a
    /// reply), shared by every writer that defers its syncs (``DoorModelStore``'s journal, the PUSH server's group
    /// commits), so concurrent ones share an `fdatasync` and the next batch is written while the last is synced.
    public let walSyncer: WALSyncer?

    deinit {
        walSyncer?.stop()
    }

    /// Sets the writer's `synchronous`. GRDB sets NORMAL when it opens a pool in WAL mode, after
    /// `prepareDatabase`, so it is set here, once the pool is open (the writer is one connection for the pool's life).
    public static func setSync(_ sync: Sync, on pool: DatabasePool) throws {
        let value = sync == .full ? "FULL" : "NORMAL"
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(value)") }
    }

    /// Opens (creating if needed) `<directory>/gatehouse.sqlite` and migrates it: first the foundation and the door
    /// model, then `additionalMigrations` (other modules' tables) in the order given.
    public init(directory: String, additionalMigrations: [Migrations] = [], sync: Sync = .full) throws(OpenError) {
        try Self.ensureWritableDirectory(directory)
        let path = URL(fileURLWithPath: directory).appendingPathComponent("gatehouse.sqlite").path
        self.path = path
        try Self.keepPrivate(path)
        self.walSyncer = sync == .full ? WALSyncer(databasePath: path) : nil
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // A backstop: a running host checkpoints in the background (``WALCheckpointer``).
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(GatehouseDatabase.writerCheckpointPages)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.setSync(sync, on: pool)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
        var migrator = Self.coreMigrator
        for register in additionalMigrations { register(&migrator) }
        self.migrator = migrator
        do {
            let unknown = try pool.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
            }
            guard unknown.isEmpty else { throw OpenError.newerSchema(path: path, unknown: unknown.sorted()) }
            try migrator.migrate(pool)
        } catch let error as OpenError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: "migration failed: \(error)")
        }
    }

    /// Number of migrations applied: the schema version reported on /healthz.
    public func schemaVersion() throws -> Int {
        try pool.read { db in try migrator.appliedMigrations(db).count }
    }

    static var coreMigrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.create(table: "api_token") { table in
                table.column("id", .text).primaryKey()
                table.column("name", .text).notNull().unique()
                table.column("secret_sha256", .blob).notNull()
                table.column("created_at", .datetime).notNull()
                table.column("last_used_at", .datetime)
            }
            try db.create(table: "kv") { table in
                table.column("namespace", .text).notNull()
                table.column("key", .text).notNull()
                table.column("value", .blob).notNull()
                table.column("expires_at", .double)
                table.primaryKey(["namespace", "key"])
            }
        }
        DoorModelMigrations.register(in: &migrator)
        AkuvoxDirectoryStore.register(in: &migrator)
        ConsoleSessionStore.register(in: &migrator)
        return migrator
    }

    /// The database holds what devices need back in clear (users' PINs, door passwords) and the credentials of
    /// queued actions, so only the host's user may read it: the file is created 0600, and one an earlier version
    /// (or SQLite's default 0644) left readable is narrowed, with its `-wal` and `-shm`. SQLite gives the files it
    /// creates beside the database the database's mode.
    static func keepPrivate(_ path: String) throws(OpenError) {
        // Created here with its mode if missing (O_EXCL: an existing file is left alone and narrowed below).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 || errno == EEXIST else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if descriptor >= 0 { close(descriptor) }
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, 0o600) == 0 else {
                throw .cannotOpen(path: file, reason: "cannot make it private (mode 0600): \(String(cString: strerror(errno)))")
            }
        }
    }

    private static func ensureWritableDirectory(_ directory: String) throws(OpenError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .directoryNotWritable(path: directory, reason: Self.posixReason(error) ?? "cannot create it")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw .directoryNotWritable(path: directory, reason: String(cString: strerror(errno)))
        }
    }

    static func posixReason(_ error: any Error) -> String? {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nil
    }
}
