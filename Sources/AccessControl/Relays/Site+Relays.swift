import Foundation
import PushProtocol

extension Site {
    func triggerRelay(_ id: RelayID, hold: Int?, at instant: Date) {
        guard var machine = relays[id] else { return }
        if machine.trigger(now: instant, hold: hold) { drive(machine.output, at: instant) }
        relays[id] = machine
        noteDeadline(machine.nextDeadline)
    }

    func holdRelay(_ id: RelayID, _ held: Bool, at instant: Date) {
        guard var machine = relays[id] else { return }
        if machine.setHeld(held, now: instant) { drive(machine.output, at: instant) }
        relays[id] = machine
        noteDeadline(machine.nextDeadline)
    }

    func releaseRelay(_ id: RelayID) {
        guard var machine = relays[id] else { return }
        if machine.release() { drive(machine.output, at: now) }
        relays[id] = machine
    }

    private func noteDeadline(_ deadline: Date?) {
        guard let deadline else { return }
        if let current = earliestRelayDeadline, current <= deadline { return }
        earliestRelayDeadline = deadline
    }

    /// Processes relays whose trigger delay or hold has run out. Cheap when nothing is due: the earliest
    /// deadline is cached, so the decision path does not walk every relay.
    func advanceRelays(to instant: Date) {
        guard let earliest = earliestRelayDeadline, earliest <= instant else { return }
        var next: Date?
        for id in relays.keys {
            guard var machine = relays[id], let deadline = machine.nextDeadline else { continue }
            if deadline <= instant {
                if machine.advance(to: instant) { drive(machine.output, at: instant) }
                relays[id] = machine
            }
            if let upcoming = machine.nextDeadline, upcoming < (next ?? .distantFuture) { next = upcoming }
        }
        earliestRelayDeadline = next
    }

    func isRelayActive(_ id: RelayID) -> Bool { relays[id]?.isActive ?? false }

    /// The relay's current output.
    public func relayOutput(_ id: RelayID) throws(ModelError) -> RelayOutput {
        guard let machine = relays[id] else { throw ModelError(field: "relay \(id)", rule: .notFound) }
        return machine.output
    }

    /// Switches an auxiliary output on or off remotely (events 12 / 13).
    @discardableResult
    public func setAuxiliaryOutput(_ id: RelayID, on: Bool, by source: JournalSource) throws(ModelError) -> Decision {
        guard relays[id] != nil else { throw ModelError(field: "relay \(id)", rule: .notFound) }
        let instant = now
        advanceRelays(to: instant)
        holdRelay(id, on, at: instant)
        let event: PushEventCode = on ? .auxiliaryOutputEnabledRemotely : .auxiliaryOutputDisabledRemotely
        let door = doors.values.first { $0.relay == id }?.id
        let index = emitJournalled(.output(OutputCommand(relay: id, on: on, door: door)), at: instant, source: source)
        return Decision(outcome: .granted, event: event, verifyMode: .other, door: door, journalIndex: index)
    }

    /// Resets a "reset by event" relay (Akuvox "Other switches"): the triggering event has been dealt with.
    public func resetRelay(_ id: RelayID) throws(ModelError) {
        guard relays[id] != nil else { throw ModelError(field: "relay \(id)", rule: .notFound) }
        releaseRelay(id)
    }
}
