import Foundation
import GRDB
import Storage

/// Group commit for the hot write paths (rtlog/rtstate ingestion, command delivery, command results).
///
/// Why: one SQLite write transaction per request serialises every device behind one commit (and one WAL sync) each;
/// under a fleet's load the queue, not the work, made the latency. Here requests that arrive while a transaction is
/// being committed wait together and go into the next transaction, each in its own savepoint (one request's failure
/// rolls back only its own writes). Every caller resumes only after the transaction holding its writes has
/// committed, so "durable before acknowledged" still holds. GRDB's async `write` suspends instead of blocking a
/// thread of the cooperative pool.
actor GroupCommitter {
    let writer: any DatabaseWriter
    private var pending: [PendingWrite] = []
    private var draining = false
    /// The most writes one transaction takes (bounds the latency of the first writer of a large batch).
    let maximumBatch: Int

    /// With a syncer, a group commits without a sync and its writers resume once the syncer has synced the log;
    /// the next group is written meanwhile.
    let deferredSync: WALSyncer?

    init(writer: any DatabaseWriter, deferredSync: WALSyncer? = nil, maximumBatch: Int = 256) {
        self.writer = writer
        self.deferredSync = deferredSync
        self.maximumBatch = maximumBatch
    }

    /// Runs `work` in the next group transaction; returns its result once that transaction has committed and, with
    /// a deferred sync, is on disk.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let (value, ticket) = try await writeCommitted(work)
        try await durable(ticket)
        return value
    }

    /// Waits until a commit's ticket from `writeCommitted` is synced (at once without a deferred sync).
    nonisolated func durable(_ ticket: UInt64?) async throws {
        guard let ticket, let deferredSync else { return }
        try await deferredSync.wait(for: ticket)
    }

    /// As `write`, but returns as soon as the transaction has committed, with the sync ticket that makes it durable
    /// (nil without a deferred sync). The caller must `durable(ticket)` before it acknowledges anything: meanwhile
    /// it may do work whose own sync covers this one.
    func writeCommitted<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> (T, UInt64?) {
        let box = ResultBox<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(T, UInt64?), any Error>) in
            pending.append(PendingWrite(
                run: { db in
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try work(db)
                            return .commit
                        }
                        box.result = value.map { .success($0) }
                    } catch {
                        box.result = .failure(error)
                    }
                },
                finish: { commitError, ticket in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else if let result = box.result {
                        continuation.resume(with: result.map { ($0, ticket) })
                    } else {
                        continuation.resume(throwing: GroupCommitError.noResult)
                    }
                }))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            do {
                guard let syncer = deferredSync else {
                    try await writer.write { db in
                        for write in batch { write.run(db) }
                    }
                    for write in batch { write.finish(nil, nil) }
                    continue
                }
                try await writer.writeWithoutSync { db in
                    for write in batch { write.run(db) }
                }
                // Committed, not yet on disk: the writers wait on the ticket before they acknowledge, and the
                // writer takes the next group while this one syncs.
                let ticket = syncer.ticket()
                for write in batch { write.finish(nil, ticket) }
            } catch {
                for write in batch { write.finish(error, nil) }
            }
        }
        draining = false
    }
}

enum GroupCommitError: Error, CustomStringConvertible {
    case noResult
    var description: String { "a grouped write produced no result" }
}

/// One queued write: `run` inside the group transaction, `finish` after it committed (or failed).
///
/// `@unchecked Sendable` is safe: `run` is called once on GRDB's writer queue, then `finish` once on the committer
/// actor after the transaction returned; the two never overlap, and nothing else touches the closures.
final class PendingWrite: @unchecked Sendable {
    let run: (Database) -> Void
    let finish: (Error?, UInt64?) -> Void

    init(run: @escaping (Database) -> Void, finish: @escaping (Error?, UInt64?) -> Void) {
        self.run = run
        self.finish = finish
    }
}

/// The result of one grouped write, set inside the transaction and read after it.
///
/// `@unchecked Sendable` is safe for the same reason as `PendingWrite`: written once by `run`, read once by
/// `finish`, strictly after.
final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// Last-seen times and addresses of devices that polled, kept in memory and written in one statement batch at
/// most once a second, so a getrequest with nothing to deliver touches no writer at all.
///
/// Reads of the registry overlay these values, so what the REST API and tests see is current; at most the last
/// second of presence is lost on a crash (never an event: those are committed before the 200).
public final class PresenceBuffer: @unchecked Sendable {
    // Safe: every access to the two dictionaries and the flush time goes through `lock`.
    private let lock = NSLock()
    private var seen: [String: (date: Date, address: String?)] = [:]
    private var lastFlush = Date.distantPast
    /// How long presence may stay unwritten.
    let interval: TimeInterval = 1

    public init() {}

    /// Records a request; returns the entries to write now when the interval has passed (nil otherwise).
    func note(_ serialNumber: String, address: String?, now: Date) -> [(String, Date, String?)]? {
        lock.withLock {
            let previous = seen[serialNumber]
            seen[serialNumber] = (max(now, previous?.date ?? now), address ?? previous?.address)
            guard now.timeIntervalSince(lastFlush) >= interval || now < lastFlush else { return nil }
            lastFlush = now
            let batch = seen.map { ($0.key, $0.value.date, $0.value.address) }
            return batch
        }
    }

    /// Forgets entries that were written (unless a newer request came in meanwhile).
    func written(_ batch: [(String, Date, String?)]) {
        lock.withLock {
            for (serial, date, _) in batch where (seen[serial]?.date ?? .distantFuture) <= date {
                seen[serial] = nil
            }
        }
    }

    /// The record with its most recent presence.
    func overlay(_ record: PushDeviceRecord) -> PushDeviceRecord {
        guard let recent = lock.withLock({ seen[record.serialNumber] }) else { return record }
        var record = record
        if recent.date > record.lastSeen { record.lastSeen = recent.date }
        if let address = recent.address { record.ipAddress = address }
        return record
    }

    static func write(_ db: Database, _ batch: [(String, Date, String?)]) throws {
        let statement = try db.cachedStatement(sql: "UPDATE push_device SET last_seen = max(last_seen, ?), ip = coalesce(?, ip) WHERE sn = ?")
        for (serial, date, address) in batch {
            try statement.execute(arguments: [date.timeIntervalSince1970, address, serial])
        }
    }
}
