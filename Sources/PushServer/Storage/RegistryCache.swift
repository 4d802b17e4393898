import Foundation

/// What the hot paths (every getrequest, every rtlog POST) would otherwise read from SQLite on each request: the
/// device's registry row with its session key, and whether it has any open (queued or delivered) command.
///
/// Every write to those facts goes through `PushServerStore`, which updates the cache after its transaction
/// committed. A reader caches what it read only if no invalidation happened while it was reading (`generation`), so
/// a read that raced with a write never leaves a stale entry behind.
public final class RegistryCache: @unchecked Sendable {
    // Safe: every stored property is read and written under `lock`.
    private let lock = NSLock()
    private var contexts: [String: PushDeviceContext] = [:]
    private var generation: UInt64 = 0
    /// Serials with at least one queued or delivered command; nil until loaded.
    private var openCommands: Set<String>?
    private var openCommandsLoaded = Date.distantPast
    private var commandGeneration: UInt64 = 0
    /// The open-command set is read again after this long, a safety net should a command ever be queued in the
    /// database other than through this store (one `SELECT DISTINCT` every few seconds).
    let openCommandsLifetime: TimeInterval = 5

    public init() {}

    func context(_ serialNumber: String) -> (cached: PushDeviceContext?, generation: UInt64) {
        lock.withLock { (contexts[serialNumber], generation) }
    }

    func remember(_ context: PushDeviceContext, readAt readGeneration: UInt64) {
        lock.withLock {
            if generation == readGeneration { contexts[context.record.serialNumber] = context }
        }
    }

    /// After a committed write to the device's registry row or keys.
    func invalidate(_ serialNumber: String) {
        lock.withLock {
            generation &+= 1
            contexts[serialNumber] = nil
        }
    }

    /// nil: not known (read the database); false: the device has no open command at all.
    func mayHaveOpenCommands(_ serialNumber: String) -> (known: Bool?, generation: UInt64) {
        lock.withLock {
            if openCommands != nil, Date().timeIntervalSince(openCommandsLoaded) > openCommandsLifetime { openCommands = nil }
            return (openCommands.map { $0.contains(serialNumber) }, commandGeneration)
        }
    }

    func loadOpenCommands(_ serials: Set<String>, readAt readGeneration: UInt64) {
        lock.withLock {
            if commandGeneration == readGeneration, openCommands == nil {
                openCommands = serials
                openCommandsLoaded = Date()
            }
        }
    }

    /// After an enqueue committed.
    func commandQueued(_ serialNumber: String) {
        lock.withLock {
            commandGeneration &+= 1
            openCommands?.insert(serialNumber)
        }
    }

    /// A read found no open command for the device (and no enqueue happened since it started).
    func noOpenCommands(_ serialNumber: String, readAt readGeneration: UInt64) {
        lock.withLock {
            if commandGeneration == readGeneration { openCommands?.remove(serialNumber) }
        }
    }
}
