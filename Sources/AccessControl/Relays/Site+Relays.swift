import Foundation
import PushProtocol

extension Site {
    func triggerRelay(_ id: RelayID, hold: Int?, at instant: Date) {
        guard var machine = relays[id] else { return }
        if machine.trigger(now: instant, hold: hold) { relayDriver.apply(machine.output) }
        relays[id] = machine
    }

    func holdRelay(_ id: RelayID, _ held: Bool, at instant: Date) {
        guard var machine = relays[id] else { return }
        if machine.setHeld(held, now: instant) { relayDriver.apply(machine.output) }
        relays[id] = machine
    }

    func releaseRelay(_ id: RelayID) {
        guard var machine = relays[id] else { return }
        if machine.release() { relayDriver.apply(machine.output) }
        relays[id] = machine
    }

    /// Processes relays whose trigger delay or hold has run out.
    func advanceRelays(to instant: Date) {
        for (id, machine) in relays {
            guard let deadline = machine.nextDeadline, deadline <= instant else { continue }
            var copy = machine
            if copy.advance(to: instant) { relayDriver.apply(copy.output) }
            relays[id] = copy
        }
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
        let index = record(event, at: instant, door: door, source: source, detail: "relay \(id)")
        return Decision(outcome: .granted, event: event, verifyMode: .other, door: door, journalIndex: index)
    }

    /// Resets a "reset by event" relay (Akuvox "Other switches"): the triggering event has been dealt with.
    public func resetRelay(_ id: RelayID) throws(ModelError) {
        guard relays[id] != nil else { throw ModelError(field: "relay \(id)", rule: .notFound) }
        releaseRelay(id)
    }
}
