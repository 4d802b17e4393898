import Foundation
import Testing

@testable import AccessControl

/// `Site.flush()` is what "durable before acknowledged" waits on: it must return as soon as the entries it covers are
/// stored, not when the writer next runs out of work, or under steady load every reply waits for later batches too.
@Suite("Journal group commit")
struct GroupCommitTests {
    /// The default panel with no users, journalling to `journal`.
    static func site(journal: any JournalSink) throws -> Site {
        let configuration = SiteConfiguration.fourDoorPanel()
        return try Site(
            configuration: configuration, users: [], clock: TestClock(Fixture.start), relayDriver: VirtualRelayDriver(),
            userDirectory: InMemoryUserDirectory([]), stateStore: InMemoryStateStore(configuration), journalSink: journal)
    }

    /// A journal whose `append` waits until the test lets that batch through, so batches can be held in flight.
    actor GatedJournal: JournalSink {
        private var stored: [JournalEntry] = []
        private var gates: [CheckedContinuation<Void, Never>] = []
        private var arrivals: [CheckedContinuation<Void, Never>] = []
        private var batchesWaiting = 0

        func lastIndex() async throws -> UInt64 { stored.last?.index ?? 0 }

        func append(_ entries: [JournalEntry]) async throws {
            batchesWaiting += 1
            for arrival in arrivals { arrival.resume() }
            arrivals = []
            await withCheckedContinuation { gates.append($0) }
            stored += entries
        }

        /// Waits until a batch is held at the gate.
        func batchArrived() async {
            if batchesWaiting > 0 { return }
            await withCheckedContinuation { arrivals.append($0) }
        }

        /// Lets the oldest held batch be stored.
        func release() {
            guard !gates.isEmpty else { return }
            batchesWaiting -= 1
            gates.removeFirst().resume()
        }

        func storedIndices() -> [UInt64] { stored.map(\.index) }

        func entries(indices: ClosedRange<UInt64>, limit: Int) async throws -> [JournalEntry] {
            Array(stored.filter { indices.contains($0.index) }.prefix(limit))
        }

        func entries(from: Date, to: Date, limit: Int) async throws -> [JournalEntry] {
            Array(stored.filter { $0.time >= from && $0.time < to }.prefix(limit))
        }
    }

    @Test("a flush returns once its own batch is stored while a later batch is still being written", .timeLimit(.minutes(1)))
    func flushDoesNotWaitForLaterBatches() async throws {
        let journal = GatedJournal()
        let site = try Self.site(journal: journal)

        let first = await site.recordSiteEvent("first", source: .local)
        let firstFlush = Task { try await site.flush() }
        await journal.batchArrived()  // batch [first] is in flight

        let second = await site.recordSiteEvent("second", source: .local)
        let secondFlush = Task { try await site.flush() }
        await journal.release()  // [first] stored; the writer moves on to [second] and is held there
        try await firstFlush.value
        #expect(await journal.storedIndices() == [first], "the first flush returned with only its own batch stored")

        await journal.batchArrived()
        await journal.release()
        try await secondFlush.value
        #expect(await journal.storedIndices() == [first, second])
    }

    @Test("batch followers get each entry once, in order, one batch per write", .timeLimit(.minutes(1)))
    func batchFollowersWakeOncePerBatch() async throws {
        let journal = GatedJournal()
        let site = try Self.site(journal: journal)
        var batches = await site.journalBatches().makeAsyncIterator()

        let first = await site.recordSiteEvent("first", source: .local)
        await journal.batchArrived()  // [first] is being stored
        #expect(await batches.next()?.map(\.index) == [first], "handed over when the writer took it")

        var later: [UInt64] = []
        for name in ["second", "third", "fourth"] { later.append(await site.recordSiteEvent(name, source: .local)) }
        await journal.release()
        await journal.batchArrived()  // the three together are being stored
        #expect(await batches.next()?.map(\.index) == later, "recorded during one write, handed over as one batch")
        await journal.release()
        try await site.flush()
        #expect(await journal.storedIndices() == [first] + later)
    }

    /// A journal that stores at once but holds durability until the test says so, as a sink that syncs off the
    /// writer does.
    actor DeferredJournal: JournalSink {
        private var stored: [JournalEntry] = []
        private var syncs: [CheckedContinuation<Void, Never>] = []

        func lastIndex() async throws -> UInt64 { stored.last?.index ?? 0 }
        func append(_ entries: [JournalEntry]) async throws { stored += entries }
        func waitUntilDurable() async throws { await withCheckedContinuation { syncs.append($0) } }
        var syncsWaiting: Int { syncs.count }
        func storedIndices() -> [UInt64] { stored.map(\.index) }

        func finishSyncs() {
            for sync in syncs { sync.resume() }
            syncs = []
        }

        func entries(indices: ClosedRange<UInt64>, limit: Int) async throws -> [JournalEntry] {
            Array(stored.filter { indices.contains($0.index) }.prefix(limit))
        }

        func entries(from: Date, to: Date, limit: Int) async throws -> [JournalEntry] {
            Array(stored.filter { $0.time >= from && $0.time < to }.prefix(limit))
        }
    }

    @Test("a flush waits for durability, not only for the store; the next batch is written meanwhile", .timeLimit(.minutes(1)))
    func flushWaitsForDurability() async throws {
        let journal = DeferredJournal()
        let site = try Self.site(journal: journal)

        let first = await site.recordSiteEvent("first", source: .local)
        let firstFlush = Task { try await site.flush() }
        while await journal.syncsWaiting == 0 { await Task.yield() }
        let second = await site.recordSiteEvent("second", source: .local)
        while await journal.storedIndices() != [first, second] { await Task.yield() }  // stored while the first syncs
        #expect(!(await site.isDurable(through: first)), "stored, not yet durable: the flush still waits")
        await journal.finishSyncs()
        try await firstFlush.value
        let secondFlush = Task { try await site.flush() }
        while !(await site.isDurable(through: second)) {
            await journal.finishSyncs()
            await Task.yield()
        }
        try await secondFlush.value
    }
}
