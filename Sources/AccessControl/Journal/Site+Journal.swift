import Foundation
import PushProtocol

extension Site {
    /// The one place entries are numbered and queued: the journal's side of ``emit(_:at:source:)``.
    func appendJournal(
        event: Int, at instant: Date, verifyMode: Int = VerifyMode.other.rawValue, door: DoorID? = nil,
        reader: ReaderID? = nil, direction: Direction? = nil, pin: UserPIN? = nil, card: String? = nil,
        siteCode: Int? = nil, linkID: Int? = nil, source: JournalSource, detail: String? = nil
    ) -> UInt64 {
        let index = nextIndex
        nextIndex += 1
        let entry = JournalEntry(
            index: index, time: instant, localTime: local(instant).formatted, event: event, verifyMode: verifyMode,
            door: door, reader: reader, direction: direction, pin: pin, card: card, siteCode: siteCode, linkID: linkID,
            source: source, detail: detail)
        pendingJournal.append(entry)
        for continuation in subscribers.values { continuation.yield(entry) }
        if !batchSubscribers.isEmpty { unpublished.append(entry) }
        startWriter()
        return index
    }

    /// Queues runtime state for storage (normal open, latches, anti-passback positions).
    func persist(_ change: RuntimeChange) {
        pendingRuntime.append(change)
        runtimeQueued += 1
        startWriter()
    }

    func persistDoor(_ id: DoorID) {
        guard let state = doorStates[id] else { return }
        persist(.door(id, state.persistent))
    }

    private func startWriter() {
        guard !writerRunning else { return }
        writerRunning = true
        Task { await self.drain() }
    }

    /// Writes queued batches until none are left. Runs at most once at a time; entries queued while a batch is
    /// being written go in the next batch. On failure the batch is put back and waiters get the error.
    private func drain() async {
        while !pendingJournal.isEmpty || !pendingRuntime.isEmpty {
            publish()
            let batch = Array(pendingJournal.prefix(4096))
            let runtime = pendingRuntime
            let runtimeMark = runtimeQueued
            pendingJournal.removeFirst(batch.count)
            pendingRuntime = []
            do {
                if !runtime.isEmpty { try await stateStore.apply(runtime) }
                if !batch.isEmpty { try await journalSink.append(batch) }
            } catch {
                publish()
                pendingJournal.insert(contentsOf: batch, at: 0)
                pendingRuntime.insert(contentsOf: runtime, at: 0)
                writerRunning = false
                resumeWaiters(where: { _ in true }, throwing: error)
                return
            }
            // Group commit: whoever waited for what this batch stored goes as soon as it is durable, not when the
            // queue next runs dry (under steady load it may not for a while). The next batch is written meanwhile.
            makeDurable(journalThrough: batch.last?.index ?? 0, runtimeThrough: runtimeMark)
        }
        writerRunning = false
    }

    /// Waits for the sink to make the stored batch durable, off the writer loop, then resumes the flushes it covers.
    private func makeDurable(journalThrough: UInt64, runtimeThrough: UInt64) {
        let sink = journalSink
        Task {
            do {
                try await sink.waitUntilDurable()
                self.durable(journalThrough: journalThrough, runtimeThrough: runtimeThrough, failure: nil)
            } catch {
                self.durable(journalThrough: journalThrough, runtimeThrough: runtimeThrough, failure: error)
            }
        }
    }

    private func durable(journalThrough: UInt64, runtimeThrough: UInt64, failure: (any Error)?) {
        guard let failure else {
            // A sync covers every batch stored before it, so marks only move forward.
            journalDurableThrough = max(journalDurableThrough, journalThrough)
            runtimeDurable = max(runtimeDurable, runtimeThrough)
            resumeWaiters { $0.journalIndex <= journalDurableThrough && $0.runtimeCount <= runtimeDurable }
            return
        }
        // The batch is stored but not known to be on disk: whoever waited for it hears so. A later sync that
        // succeeds covers it again for later flushes.
        resumeWaiters(where: { $0.journalIndex <= journalThrough && $0.runtimeCount <= runtimeThrough }, throwing: failure)
    }

    /// Whether the journal through `index` is known durable.
    func isDurable(through index: UInt64) -> Bool { journalDurableThrough >= index }

    /// Resumes the flush waiters `covered` selects, with `failure` if given; the others keep waiting.
    private func resumeWaiters(where covered: (FlushWaiter) -> Bool, throwing failure: (any Error)? = nil) {
        guard !flushWaiters.isEmpty else { return }
        var waiting: [FlushWaiter] = []
        for waiter in flushWaiters {
            guard covered(waiter) else {
                waiting.append(waiter)
                continue
            }
            if let failure { waiter.continuation.resume(throwing: failure) } else { waiter.continuation.resume() }
        }
        flushWaiters = waiting
    }

    /// Hands batch followers what was recorded since the last batch. It runs when the writer takes a batch, so a
    /// follower wakes once per batch, not once per entry: under load that is the difference between a few wake-ups
    /// a millisecond and one per decision for every follower.
    private func publish() {
        guard !unpublished.isEmpty else { return }
        let batch = unpublished
        unpublished = []
        for continuation in batchSubscribers.values { continuation.yield(batch) }
    }

    /// Returns once every journal entry and state change so far is stored; throws the store's error otherwise
    /// (the entries stay queued and are retried).
    public func flush() async throws {
        guard journalDurableThrough < nextIndex - 1 || runtimeDurable < runtimeQueued else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            flushWaiters.append(FlushWaiter(journalIndex: nextIndex - 1, runtimeCount: runtimeQueued, continuation: continuation))
            startWriter()
        }
    }

    /// Entries recorded from now on, for subscribers (PUSH uploads, scripts, REST, SSE). Past entries are read from
    /// the ``JournalSink``.
    public func journalEntries(bufferingNewest limit: Int = 10_000) -> AsyncStream<JournalEntry> {
        let (stream, continuation) = AsyncStream<JournalEntry>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await self.unsubscribe(id) }
        }
        return stream
    }

    /// Entries recorded from now on, in batches: those recorded while the previous batch was being stored arrive
    /// together, in order, just before they are stored themselves. For followers that handle every entry and
    /// can take a millisecond's delay (metrics, scripts, site actions, uploads): far fewer wake-ups than
    /// ``journalEntries(bufferingNewest:)`` under load. `limit` counts batches.
    public func journalBatches(bufferingNewest limit: Int = 10_000) -> AsyncStream<[JournalEntry]> {
        let (stream, continuation) = AsyncStream<[JournalEntry]>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        let id = UUID()
        batchSubscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await self.unsubscribe(id) }
        }
        return stream
    }

    private func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
        batchSubscribers[id] = nil
    }

    /// The index the next journal entry will get.
    public var nextJournalIndex: UInt64 { nextIndex }

    /// Stored entries by index range (entries not yet flushed are included).
    public func journal(indices: ClosedRange<UInt64>, limit: Int = 1000) async throws -> [JournalEntry] {
        try await flush()
        return try await journalSink.entries(indices: indices, limit: limit)
    }

    /// Stored entries with `from <= time < to`.
    public func journal(from: Date, to: Date, limit: Int = 1000) async throws -> [JournalEntry] {
        try await flush()
        return try await journalSink.entries(from: from, to: to, limit: limit)
    }
}

/// A caller of `Site.flush()`: resumed once the journal through `journalIndex` and the first `runtimeCount` runtime
/// changes are stored.
struct FlushWaiter {
    let journalIndex: UInt64
    let runtimeCount: UInt64
    let continuation: CheckedContinuation<Void, any Error>
}
