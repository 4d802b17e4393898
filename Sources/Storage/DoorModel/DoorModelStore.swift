import AccessControl
import Foundation
import GRDB

/// The door model in SQLite: implements AccessControl's ``UserDirectory``, ``SiteStateStore`` and ``JournalSink``
/// on a GRDB `DatabaseWriter` (a `DatabasePool` in production).
///
/// Every change is one transaction: a user with all their credentials and authorisations, one configuration
/// change, one batch of runtime changes, one batch of journal entries. A failure rolls the whole change back.
/// Constraint violations surface as ``ModelError`` naming the column and the rule.
public final class DoorModelStore: UserDirectory, SiteStateStore, JournalSink, Sendable {
    public let writer: any DatabaseWriter
    /// With a syncer, journal and runtime batches are committed without a sync and made durable by
    /// ``waitUntilDurable()`` (see ``WALSyncer``); without one, a commit is as durable as the writer's
    /// `synchronous` makes it when it returns.
    let syncer: WALSyncer?

    /// `writer` must have been migrated with ``DoorModelMigrations``. Pass `deferredSync` only for a WAL database
    /// whose writer runs `synchronous = FULL` (``GatehouseDatabase/walSyncer``).
    public init(writer: any DatabaseWriter, deferredSync: WALSyncer? = nil) {
        self.writer = writer
        self.syncer = deferredSync
    }

    /// Opens (creating if needed) a standalone SQLite file with only the door model's migrations: for tools and
    /// tests that do not need the rest of Gatehouse's schema.
    public static func open(path: String) throws -> DoorModelStore {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try GatehouseDatabase.setSync(.full, on: pool)
        var migrator = DatabaseMigrator()
        DoorModelMigrations.register(in: &migrator)
        try migrator.migrate(pool)
        return DoorModelStore(writer: pool)
    }

    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(updates)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw DoorModelStore.modelError(from: error)
        }
    }

    /// As `write`, but on the calling thread: GRDB runs a synchronous write inline when its writer is free, and
    /// waits for it otherwise. For the journal and runtime batches on the decision path: sending each batch to
    /// GRDB's queue and back costs two thread switches, which under load cost more than the inserts themselves.
    /// Callers must not hold a thread others wait on for longer than a batch takes.
    func writeInline(_ updates: (Database) throws -> Void) throws {
        do {
            guard syncer != nil else { return try writer.write(updates) }
            // Commit without syncing; `waitUntilDurable` syncs off the writer.
            try writer.writeWithoutSync(updates)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw DoorModelStore.modelError(from: error)
        }
    }

    /// Returns once the journal and runtime batches stored so far are on disk.
    public func waitUntilDurable() async throws {
        try await syncer?.sync()
    }

    /// Turns a constraint failure into the model's vocabulary, e.g. "access_card.number: already used by a
    /// stored row".
    static func modelError(from error: DatabaseError) -> ModelError {
        let message = error.message ?? "constraint failed"
        let columns = message.components(separatedBy: ": ").last ?? message
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return ModelError(field: columns, rule: .duplicate(usedBy: "a stored row"))
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return ModelError(field: columns, rule: .unknownReference("a stored row"))
        default:
            return ModelError(field: columns, rule: .conflict(message))
        }
    }
}

// MARK: - Value conversions

extension UInt64 {
    var storedBits: Int64 { Int64(bitPattern: self) }
    init(storedBits: Int64) { self = UInt64(bitPattern: storedBits) }
}

extension Optional where Wrapped == DateWindow {
    var storedStart: Double? { self?.start?.timeIntervalSince1970 }
    var storedEnd: Double? { self?.end?.timeIntervalSince1970 }
}

func window(_ start: Double?, _ end: Double?) -> DateWindow? {
    guard start != nil || end != nil else { return nil }
    return DateWindow(
        start: start.map(Date.init(timeIntervalSince1970:)), end: end.map(Date.init(timeIntervalSince1970:)))
}
