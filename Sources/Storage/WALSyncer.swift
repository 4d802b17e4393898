import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Makes what is committed to a SQLite write-ahead log durable, on a thread of its own, so the writer can go on
/// committing the next batch while the disk syncs the last one.
///
/// With `synchronous = FULL` SQLite syncs inside each commit: the writer, and whatever waits on it, stands still
/// for the whole sync (half a millisecond on a good disk, far more on an SD card). The journal instead commits
/// with NORMAL (frames written, not synced) and then asks here: one `fdatasync` of the log covers every commit
/// before it, so concurrent requests share syncs, and the next commit overlaps the current sync. Syncing the log
/// is enough: SQLite syncs the log before it checkpoints and the database after, so frames a checkpoint moved
/// are durable in the database by the time the log is reused.
///
/// `@unchecked Sendable`: `requested`, `completed`, `waiters`, `syncs`, `stopping` and `started` are touched only with
/// `condition` locked; `descriptor` and `inode` only on the sync thread.
public final class WALSyncer: @unchecked Sendable {
    public struct SyncError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot sync \(path): \(reason)" }
    }

    /// The `-wal` file beside the database.
    public let path: String
    private let condition = NSCondition()
    private var requested: UInt64 = 0
    private var completed: UInt64 = 0
    private var waiters: [(generation: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var stopping = false
    private var started = false
    private var syncs = 0
    private var lastFailure: SyncError?
    private var descriptor: Int32 = -1
    private var inode: UInt64 = 0

    public init(databasePath: String) {
        self.path = databasePath + "-wal"
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Returns once a sync that began after this call has finished: everything committed before the call is on
    /// disk. Throws ``SyncError`` when the sync fails (the data may or may not be durable).
    public func sync() async throws {
        try await wait(for: ticket())
    }

    /// Asks for a sync covering everything committed so far, without waiting: `wait(for:)` with the ticket waits.
    /// Taking the ticket right after a commit and waiting later lets a request do other work (or wait on a later
    /// ticket that covers this one) while the disk syncs.
    public func ticket() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        requested += 1
        if !started && !stopping {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "gatehouse.wal-sync"
            thread.start()
        }
        condition.signal()
        return requested
    }

    /// Returns once the sync a ticket asked for (or a later one) has finished.
    public func wait(for ticket: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            if completed >= ticket {
                // The latest sync covers every commit before it: its outcome is this ticket's.
                let failure = lastFailure
                condition.unlock()
                if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
                return
            }
            if stopping && !started {
                condition.unlock()
                continuation.resume(throwing: SyncError(path: path, reason: "the store is closing"))
                return
            }
            waiters.append((ticket, continuation))
            condition.unlock()
        }
    }

    /// How many times the log was synced: fewer than `sync()` calls when callers shared syncs.
    public var syncCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return syncs
    }

    /// Lets the thread finish the syncs already asked for, then exit. Later tickets are never synced: waiting on
    /// one fails.
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while requested == completed && !stopping { condition.wait() }
            if stopping && (requested == completed || waiters.isEmpty) {
                // Waiters are served before the thread goes; tickets nobody waits for are not synced.
                started = false
                condition.unlock()
                return
            }
            let target = requested
            condition.unlock()

            let failure = syncLog()

            condition.lock()
            syncs += 1
            lastFailure = failure
            completed = target
            let ready = waiters.filter { $0.generation <= target }
            waiters.removeAll { $0.generation <= target }
            condition.unlock()
            for waiter in ready {
                if let failure { waiter.continuation.resume(throwing: failure) } else { waiter.continuation.resume() }
            }
        }
    }

    /// `fdatasync` on the log, through a descriptor kept open (the log is a different file from the database, so
    /// holding or closing it never touches SQLite's locks). Reopened if the log was replaced.
    private func syncLog() -> SyncError? {
        var current = stat()
        guard stat(path, &current) == 0 else { return failure() }
        if descriptor < 0 || UInt64(current.st_ino) != inode {
            if descriptor >= 0 { close(descriptor) }
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0, fstat(descriptor, &current) == 0 else { return failure() }
            inode = UInt64(current.st_ino)
            // A log SQLite has just created is only reachable after a crash once its directory entry is on disk;
            // SQLite syncs the directory with a new file's first sync, which here is ours.
            let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
            guard directory >= 0 else { return failure() }
            defer { close(directory) }
            guard fsync(directory) == 0 else { return failure() }
        }
        guard fdatasync(descriptor) == 0 else { return failure() }
        return nil
    }

    private func failure() -> SyncError { SyncError(path: path, reason: String(cString: strerror(errno))) }
}
