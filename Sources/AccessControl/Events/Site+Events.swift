import Foundation
import PushProtocol

extension Site {
    /// The one place an occurrence enters the site's record: the journal takes its projection (when it keeps the
    /// kind), then the typed event goes to the stream's followers. Returns the journal index, if journalled.
    @discardableResult
    func emit(_ kind: SiteEvent.Kind, at instant: Date, source: JournalSource) -> UInt64? {
        var index: UInt64?
        if let record = kind.journalRecord {
            index = appendJournal(
                event: record.event, at: instant, verifyMode: record.verifyMode, door: record.door, reader: record.reader,
                direction: record.direction, pin: record.pin, card: record.card, siteCode: record.siteCode, source: source,
                detail: record.detail)
        }
        guard !eventSubscribers.isEmpty else {
            nextEventSequence += 1
            return index
        }
        let event = SiteEvent(
            sequence: nextEventSequence, time: instant, localTime: local(instant).formatted, source: source,
            journalIndex: index, kind: kind)
        nextEventSequence += 1
        unpublishedEvents.append(event)
        if !eventPublishScheduled {
            eventPublishScheduled = true
            Task { self.publishEvents() }
        }
        return index
    }

    /// Emits a journalled event and returns its index (every kind but `relay` and the levels of door sensors and exit
    /// buttons is journalled).
    func emitJournalled(_ kind: SiteEvent.Kind, at instant: Date, source: JournalSource) -> UInt64 {
        emit(kind, at: instant, source: source) ?? 0
    }

    private func publishEvents() {
        eventPublishScheduled = false
        guard !unpublishedEvents.isEmpty else { return }
        let batch = unpublishedEvents
        unpublishedEvents = []
        for continuation in eventSubscribers.values { continuation.yield(batch) }
    }

    /// The typed events emitted from now on, in order, a batch at a time (what happened while the follower was busy
    /// arrives together). `limit` counts batches; a follower that falls that far behind loses the oldest.
    public func events(bufferingNewest limit: Int = 10_000) -> AsyncStream<[SiteEvent]> {
        let (stream, continuation) = AsyncStream<[SiteEvent]>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        let id = UUID()
        eventSubscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await self.unsubscribeEvents(id) }
        }
        return stream
    }

    private func unsubscribeEvents(_ id: UUID) { eventSubscribers[id] = nil }

    /// The sequence number of the last event emitted (0 before the first): a follower that has handled this one has
    /// handled everything so far.
    public var lastEventSequence: UInt64 { nextEventSequence - 1 }

    /// The door's state as status pages, MQTT and scripts name it.
    public func doorState(_ id: DoorID) -> DoorState? {
        guard let door = doors[id], let state = doorStates[id] else { return nil }
        if state.persistent.breakInLatched { return .alarm }
        if state.isNormalOpen { return .normalOpen }
        if state.sensorOpen && state.heldOpenReported { return .heldOpen }
        if state.sensorOpen { return .open }
        if door.isLocked { return .locked }
        return .closed
    }

    /// A door change with the door's state after it.
    func doorChange(_ id: DoorID, _ change: DoorChange.Change, detail: String? = nil) -> SiteEvent.Kind {
        let state = doorState(id) ?? .closed
        return .door(DoorChange(door: id, change: change, state: state, relay: doors[id]?.relay, detail: detail))
    }

    /// Applies a relay machine's output to the driver and tells the followers, when it changed.
    func drive(_ output: RelayOutput, at instant: Date) {
        relayDriver.apply(output)
        let door = doors.values.first { $0.relay == output.relay }?.id
        emit(.relay(RelayChange(relay: output.relay, isActive: output.isActive, door: door)), at: instant, source: .local)
    }
}
