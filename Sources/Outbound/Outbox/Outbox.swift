import Foundation
import GRDB
import Logging

public enum OutboxState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its (next) attempt.
    case pending
    case delivered
    /// Out of attempts, or failed in a way retrying cannot fix; `lastError` says why.
    case dead
    /// Its fire condition no longer held at fire time (e.g. the input was released).
    case skipped
}

/// One row of the outbox as the API shows it.
public struct OutboxEntry: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var kind: String
    public var summary: String
    public var source: String
    public var state: OutboxState
    public var attempts: Int
    public var maxAttempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var action: OutboundAction
    public var condition: FireCondition?
    public var snapshotCamera: String?
}

extension OutboxEntry: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, kind, summary, source, state, attempts
        case maxAttempts = "max_attempts", nextAttemptAt = "next_attempt_at", lastError = "last_error"
        case createdAt = "created_at", updatedAt = "updated_at", condition, snapshotCamera = "snapshot_camera"
    }

    /// The listing form for `GET /api/v1/actions`: no payload, so no passwords or image bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(summary, forKey: .summary)
        try container.encode(source, forKey: .source)
        try container.encode(state.rawValue, forKey: .state)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(TemplateRenderer.timestamp(nextAttemptAt), forKey: .nextAttemptAt)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        try container.encode(TemplateRenderer.timestamp(createdAt), forKey: .createdAt)
        try container.encode(TemplateRenderer.timestamp(updatedAt), forKey: .updatedAt)
        if case let .inputStillTriggered(input)? = condition {
            try container.encode("input \(input) still triggered", forKey: .condition)
        }
        try container.encodeIfPresent(snapshotCamera, forKey: .snapshotCamera)
    }
}

/// What one attempt did.
public struct OutboxAttempt: Sendable, Equatable {
    public var id: Int64
    public var state: OutboxState
    public var attempts: Int
    public var error: String?
    public var nextAttemptAt: Date?
}

public enum OutboxError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(id: Int64)
    case notRetryable(id: Int64, state: OutboxState)
    case storage(String)
    case corruptPayload(id: Int64, detail: String)

    public var description: String {
        switch self {
        case let .notFound(id): "no outbound action \(id)"
        case let .notRetryable(id, state): "outbound action \(id) is \(state.rawValue); only dead or skipped actions can be retried"
        case let .storage(detail): "outbox storage failed: \(detail)"
        case let .corruptPayload(id, detail): "outbound action \(id) cannot be decoded: \(detail)"
        }
    }
}

/// The durable outbox: an action is written to SQLite before anything is attempted, retried with
/// exponential backoff on transient failures, parked dead with its last error when out of attempts
/// or on a permanent failure, and found again by a new `Outbox` on the same database after a restart.
///
/// Time comes from the injected `OutboxClock`: `runDue()` attempts whatever is due now; `run()` is the
/// production loop that sleeps until the next due time (or a new entry) and calls it.
public actor Outbox {
    private let database: any DatabaseWriter
    private let performer: any ActionPerformer
    private let clock: any OutboxClock
    private let policy: RetryPolicy
    private let snapshots: (any SnapshotSource)?
    private let inputs: (any InputStateReader)?
    private let logger: Logger
    private var inFlight: Set<Int64> = []
    private var wakeUp: AsyncStream<Void>.Continuation?
    /// Entries attempted together; bounds memory when thousands are due at once.
    private let batchSize: Int
    /// Told about every attempt after it is recorded (journal, event stream, tests).
    private let observer: (@Sendable (OutboxAttempt) -> Void)?

    public init(
        database: any DatabaseWriter, performer: any ActionPerformer, clock: any OutboxClock = SystemClock(),
        policy: RetryPolicy = RetryPolicy(), snapshots: (any SnapshotSource)? = nil, inputs: (any InputStateReader)? = nil,
        batchSize: Int = 256, logger: Logger = Logger(label: "gatehouse.outbound"),
        observer: (@Sendable (OutboxAttempt) -> Void)? = nil
    ) {
        self.observer = observer
        self.database = database
        self.performer = performer
        self.clock = clock
        self.policy = policy
        self.snapshots = snapshots
        self.inputs = inputs
        self.batchSize = max(1, batchSize)
        self.logger = logger
    }

    /// Persists the action; it runs at `notBefore` (default: now). Returns its id.
    @discardableResult
    public func enqueue(
        _ action: OutboundAction, source: String, notBefore: Date? = nil, condition: FireCondition? = nil,
        snapshotCamera: String? = nil, maxAttempts: Int? = nil
    ) async throws(OutboxError) -> Int64 {
        let now = clock.now()
        let payload: Data
        let conditionText: String?
        do {
            payload = try JSONEncoder().encode(action)
            conditionText = try condition.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        } catch {
            throw .storage("cannot encode action: \(error)")
        }
        let attempts = max(1, maxAttempts ?? policy.maxAttempts)
        let id: Int64 = try await write { db in
            try db.cachedStatement(sql: """
                    INSERT INTO outbound_action (kind, payload, source, summary, state, attempts, max_attempts,
                        next_attempt_at, condition, snapshot_camera, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)
                    """).execute(
                arguments: [action.kind, payload, source, action.summary, attempts,
                            (notBefore ?? now).timeIntervalSince1970, conditionText, snapshotCamera,
                            now.timeIntervalSince1970, now.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
        wakeUp?.yield()
        return id
    }

    /// Persists the action and makes its first attempt right away, returning how that went.
    /// Later attempts (if any) happen through `runDue`/`run` as usual.
    public func deliver(_ action: OutboundAction, source: String, snapshotCamera: String? = nil) async throws(OutboxError) -> OutboxAttempt {
        let id = try await enqueue(action, source: source, snapshotCamera: snapshotCamera)
        guard let entry = try await entry(id: id) else { throw .notFound(id: id) }
        return await attemptBatch([entry]).attempts.first ?? OutboxAttempt(id: id, state: .pending, attempts: 0, error: nil, nextAttemptAt: nil)
    }

    /// Attempts every pending entry whose time has come (in batches) and reports each attempt.
    @discardableResult
    public func runDue() async throws(OutboxError) -> [OutboxAttempt] {
        var reports: [OutboxAttempt] = []
        try await drainDue { reports.append($0) }
        return reports
    }

    /// Like `runDue()` without collecting the reports (a large backlog then costs no memory per entry): `each`
    /// sees every attempt once it is recorded.
    public func runDue(each report: @Sendable (OutboxAttempt) -> Void) async throws(OutboxError) {
        try await drainDue(report)
    }

    /// Attempts what is due at the time of the call, batch by batch, handing each attempt to `report`.
    ///
    /// Memory stays flat however large the backlog: nothing is kept per attempted entry except for the few that
    /// are due again right away (a retry with no delay, or an attempt whose result could not be recorded), which
    /// must not be hammered in a loop within one call. Delivered, dead and skipped rows are not due any more, and
    /// retried rows are due later than the frozen `now`, so the query itself excludes them.
    private func drainDue(_ report: (OutboxAttempt) -> Void) async throws(OutboxError) {
        let now = clock.now().timeIntervalSince1970
        var dueAgain: Set<Int64> = []
        while true {
            let limit = batchSize + inFlight.count + dueAgain.count
            // The due entries and the oldest waiting entry of each ordered kind, from one snapshot: read apart, an
            // entry made due between the two reads (a reconnect's `expedite`) was in neither, and its younger ones
            // went first.
            let (due, waiting) = try await read { db -> ([OutboxEntry], [String: Int64]) in
                let due = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT * FROM outbound_action WHERE state = 'pending' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ?
                    """), arguments: [now, limit]).map { row in try Outbox.entry(from: row) }
                var waiting: [String: Int64] = [:]
                for kind in Set(due.map(\.kind)).intersection(OutboundAction.orderedKinds) {
                    waiting[kind] = try Int64.fetchOne(
                        db.cachedStatement(sql: """
                            SELECT MIN(id) FROM outbound_action WHERE state = 'pending' AND kind = ? AND next_attempt_at > ?
                            """), arguments: [kind, now])
                }
                return (due, waiting)
            }
            let held = heldBack(due, waiting: waiting, retrying: dueAgain)
            let entries = Array(
                due.filter { !inFlight.contains($0.id) && !dueAgain.contains($0.id) && !held.contains($0.id) }.prefix(batchSize))
            if entries.isEmpty { return }
            let (attempts, recorded) = await attemptBatch(entries)
            for attempt in attempts {
                if !recorded || (attempt.state == .pending && (attempt.nextAttemptAt?.timeIntervalSince1970 ?? 0) <= now) {
                    dueAgain.insert(attempt.id)
                }
                report(attempt)
            }
        }
    }

    /// Due entries of an ordered kind that must wait: an older entry of their kind is pending but not due yet (it
    /// failed and waits for its retry: `waiting`), is being attempted, or failed in this pass.
    private func heldBack(_ due: [OutboxEntry], waiting: [String: Int64], retrying: Set<Int64>) -> Set<Int64> {
        let ordered = due.filter { OutboundAction.orderedKinds.contains($0.kind) }
        guard !ordered.isEmpty else { return [] }
        var blockers: [String: Int64] = [:]
        for kind in Set(ordered.map(\.kind)) {
            let attempting = ordered.filter { $0.kind == kind && (inFlight.contains($0.id) || retrying.contains($0.id)) }
                .map(\.id).min()
            if let first = [waiting[kind], attempting].compactMap({ $0 }).min() { blockers[kind] = first }
        }
        return Set(ordered.filter { entry in blockers[entry.kind].map { entry.id > $0 } ?? false }.map(\.id))
    }

    /// Entries of `kind` waiting to be delivered (pending, due or not).
    public func pendingCount(kind: String) async throws(OutboxError) -> Int {
        try await read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM outbound_action WHERE state = 'pending' AND kind = ?"),
                arguments: [kind]) ?? 0
        }
    }

    /// Makes every pending entry of `kind` due now (its destination is back) and wakes the loop.
    public func expedite(kind: String) async throws(OutboxError) {
        let now = clock.now().timeIntervalSince1970
        try await write { db in
            try db.execute(
                sql: "UPDATE outbound_action SET next_attempt_at = ? WHERE state = 'pending' AND kind = ? AND next_attempt_at > ?",
                arguments: [now, kind, now])
        }
        wakeUp?.yield()
    }

    /// The production loop: runs due entries, then sleeps until the next one is due or a new entry
    /// arrives. Ends when the task is cancelled.
    public func run() async {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wakeUp = continuation
        defer { wakeUp = nil }
        while !Task.isCancelled {
            do {
                try await drainDue { _ in }
            } catch {
                logger.error("outbox run failed", metadata: ["error": "\(error)"])
            }
            let next = (try? await nextDueDate()) ?? nil
            let wait = next.map { max(0.01, $0.timeIntervalSince(clock.now())) } ?? 3_600
            // Sleep until due, unless an enqueue wakes us first.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(for: .seconds(min(wait, 3_600))) }
                group.addTask {
                    var iterator = stream.makeAsyncIterator()
                    _ = await iterator.next()
                }
                _ = await group.next()
                group.cancelAll()
            }
        }
    }

    public func nextDueDate() async throws(OutboxError) -> Date? {
        let value = try await read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbound_action WHERE state = 'pending'")
        }
        return value.map { Date(timeIntervalSince1970: $0) }
    }

    /// Entries, newest first, optionally only those in one state (`GET /api/v1/actions?state=`).
    public func entries(state: OutboxState? = nil, limit: Int = 100) async throws(OutboxError) -> [OutboxEntry] {
        try await read { db in
            let rows = if let state {
                try Row.fetchAll(db, sql: "SELECT * FROM outbound_action WHERE state = ? ORDER BY id DESC LIMIT ?",
                                 arguments: [state.rawValue, max(1, limit)])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM outbound_action ORDER BY id DESC LIMIT ?", arguments: [max(1, limit)])
            }
            return try rows.map { row in try Outbox.entry(from: row) }
        }
    }

    public func entry(id: Int64) async throws(OutboxError) -> OutboxEntry? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbound_action WHERE id = ?", arguments: [id]).map { row in
                try Outbox.entry(from: row)
            }
        }
    }

    /// Puts a dead or skipped entry back to pending with a fresh set of attempts, due now
    /// (`POST /api/v1/actions/{id}/retry`). A skipped entry's condition is dropped: retrying is an order.
    @discardableResult
    public func retry(id: Int64) async throws(OutboxError) -> OutboxEntry {
        guard let existing = try await entry(id: id) else { throw .notFound(id: id) }
        guard existing.state == .dead || existing.state == .skipped else {
            throw .notRetryable(id: id, state: existing.state)
        }
        let now = clock.now().timeIntervalSince1970
        try await write { db in
            try db.execute(sql: """
                UPDATE outbound_action SET state = 'pending', attempts = 0, next_attempt_at = ?, condition = NULL,
                    updated_at = ? WHERE id = ?
                """, arguments: [now, now, id])
        }
        wakeUp?.yield()
        guard let updated = try await entry(id: id) else { throw .notFound(id: id) }
        return updated
    }

    /// Deletes delivered and skipped entries last updated before `date` (dead ones stay until
    /// retried or purged with `includingDead`). Returns how many rows went.
    @discardableResult
    public func purge(finishedBefore date: Date, includingDead: Bool = false) async throws(OutboxError) -> Int {
        let states = includingDead ? "('delivered', 'skipped', 'dead')" : "('delivered', 'skipped')"
        return try await write { db in
            try db.execute(sql: "DELETE FROM outbound_action WHERE state IN \(states) AND updated_at < ?",
                           arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }

    // MARK: - Attempts

    private struct Prepared: Sendable {
        var entry: OutboxEntry
        var action: OutboundAction?
        var outcome: Outcome?
    }

    private enum Outcome: Sendable {
        case delivered
        case skipped(String)
        case failed(TransportError)
    }

    /// The attempts, and whether their results are in the database (else the rows are still pending as before).
    private func attemptBatch(_ entries: [OutboxEntry]) async -> (attempts: [OutboxAttempt], recorded: Bool) {
        for entry in entries { inFlight.insert(entry.id) }
        defer { for entry in entries { inFlight.remove(entry.id) } }
        let performer = self.performer
        let snapshots = self.snapshots
        let inputs = self.inputs
        let database = self.database
        let ordered = Dictionary(grouping: entries.filter { OutboundAction.orderedKinds.contains($0.kind) }, by: \.kind)
        let results: [(OutboxEntry, Outcome)] = await withTaskGroup(of: [(OutboxEntry, Outcome)].self) { group in
            for entry in entries where !OutboundAction.orderedKinds.contains(entry.kind) {
                group.addTask {
                    let outcome = await Outbox.attempt(entry, performer: performer, snapshots: snapshots, inputs: inputs, database: database)
                    return [(entry, outcome)]
                }
            }
            // An ordered kind goes one entry at a time, oldest first; the first failure stops the rest (they wait
            // behind it, unattempted).
            for (_, group_) in ordered {
                group.addTask {
                    var done: [(OutboxEntry, Outcome)] = []
                    for entry in group_.sorted(by: { $0.id < $1.id }) {
                        let outcome = await Outbox.attempt(entry, performer: performer, snapshots: snapshots, inputs: inputs, database: database)
                        done.append((entry, outcome))
                        if case .failed = outcome { break }
                    }
                    return done
                }
            }
            var collected: [(OutboxEntry, Outcome)] = []
            for await result in group { collected += result }
            return collected
        }
        return await record(results)
    }

    /// One attempt, off the actor: the condition and snapshot are handled on the first attempt only.
    private static func attempt(
        _ entry: OutboxEntry, performer: any ActionPerformer, snapshots: (any SnapshotSource)?,
        inputs: (any InputStateReader)?, database: any DatabaseWriter
    ) async -> Outcome {
        if entry.attempts == 0, case let .inputStillTriggered(input)? = entry.condition {
            guard let inputs else {
                return .failed(.notConfigured("no input state reader to check input \(input)"))
            }
            if await !inputs.isTriggered(input: input) {
                return .skipped("input \(input) no longer triggered at fire time")
            }
        }
        var action = entry.action
        if let camera = entry.snapshotCamera {
            // Take the image once (at the first attempt) and keep it, so retries resend the same picture.
            let stored = try? await database.read { db in
                try Data.fetchOne(db, sql: "SELECT snapshot FROM outbound_action WHERE id = ?", arguments: [entry.id])
            }
            if let stored = stored ?? nil {
                action = action.withSnapshot(stored)
            } else {
                guard let snapshots else { return .failed(.notConfigured("no snapshot source for camera \"\(camera)\"")) }
                do {
                    let image = try await snapshots.snapshot(camera: camera)
                    _ = try? await database.write { db in
                        try db.execute(sql: "UPDATE outbound_action SET snapshot = ? WHERE id = ?", arguments: [image, entry.id])
                    }
                    action = action.withSnapshot(image)
                } catch {
                    return .failed(error)
                }
            }
        }
        do {
            try await performer.perform(action)
            return .delivered
        } catch {
            return .failed(error)
        }
    }

    private func record(_ results: [(OutboxEntry, Outcome)]) async -> (attempts: [OutboxAttempt], recorded: Bool) {
        let now = clock.now()
        var reports: [OutboxAttempt] = []
        var updates: [(state: OutboxState, attempts: Int, next: Double, error: String?, id: Int64)] = []
        for (entry, outcome) in results {
            let attempts = entry.attempts + 1
            switch outcome {
            case .delivered:
                updates.append((.delivered, attempts, entry.nextAttemptAt.timeIntervalSince1970, nil, entry.id))
                reports.append(OutboxAttempt(id: entry.id, state: .delivered, attempts: attempts, error: nil, nextAttemptAt: nil))
            case let .skipped(reason):
                updates.append((.skipped, entry.attempts, entry.nextAttemptAt.timeIntervalSince1970, reason, entry.id))
                reports.append(OutboxAttempt(id: entry.id, state: .skipped, attempts: entry.attempts, error: reason, nextAttemptAt: nil))
            case let .failed(error):
                let message = error.description
                if error.isTransient && attempts < entry.maxAttempts {
                    let next = now.addingTimeInterval(policy.delay(afterAttempts: attempts))
                    updates.append((.pending, attempts, next.timeIntervalSince1970, message, entry.id))
                    reports.append(OutboxAttempt(id: entry.id, state: .pending, attempts: attempts, error: message, nextAttemptAt: next))
                    logger.notice("outbound action failed, will retry", metadata: [
                        "id": "\(entry.id)", "action": "\(entry.summary)", "attempt": "\(attempts)", "error": "\(message)"])
                } else {
                    updates.append((.dead, attempts, entry.nextAttemptAt.timeIntervalSince1970, message, entry.id))
                    reports.append(OutboxAttempt(id: entry.id, state: .dead, attempts: attempts, error: message, nextAttemptAt: nil))
                    logger.warning("outbound action parked dead", metadata: [
                        "id": "\(entry.id)", "action": "\(entry.summary)", "attempts": "\(attempts)", "error": "\(message)"])
                }
            }
        }
        let stamp = now.timeIntervalSince1970
        let rows = updates
        var recorded = true
        do {
            try await write { db in
                let statement = try db.cachedStatement(sql: """
                    UPDATE outbound_action SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?
                    WHERE id = ?
                    """)
                for update in rows {
                    try statement.execute(arguments: [update.state.rawValue, update.attempts, update.next, update.error, stamp, update.id])
                }
            }
        } catch {
            // The entries stay pending in the database and will be attempted again: at-least-once.
            recorded = false
            logger.error("outbox could not record attempts", metadata: ["error": "\(error)"])
        }
        if let observer { reports.forEach(observer) }
        return (reports, recorded)
    }

    // MARK: - Storage helpers

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(OutboxError) -> T {
        do {
            return try await database.write(body)
        } catch let error as OutboxError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(OutboxError) -> T {
        do {
            return try await database.read(body)
        } catch let error as OutboxError {
            throw error
        } catch {
            throw .storage("\(error)")
        }
    }

    private static func entry(from row: Row) throws(OutboxError) -> OutboxEntry {
        let id: Int64 = row["id"]
        let action: OutboundAction
        var condition: FireCondition?
        do {
            action = try JSONDecoder().decode(OutboundAction.self, from: row["payload"] as Data)
            if let text = row["condition"] as String? {
                condition = try JSONDecoder().decode(FireCondition.self, from: Data(text.utf8))
            }
        } catch {
            throw .corruptPayload(id: id, detail: "\(error)")
        }
        guard let state = OutboxState(rawValue: row["state"]) else {
            throw .corruptPayload(id: id, detail: "unknown state \(String(describing: row["state"] as String?))")
        }
        return OutboxEntry(
            id: id, kind: row["kind"], summary: row["summary"], source: row["source"], state: state,
            attempts: row["attempts"], maxAttempts: row["max_attempts"],
            nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]), lastError: row["last_error"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            action: action, condition: condition, snapshotCamera: row["snapshot_camera"])
    }
}
