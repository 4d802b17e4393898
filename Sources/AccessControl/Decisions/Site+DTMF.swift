import Foundation
import PushProtocol

extension Site {
    /// DTMF digits received during a call. Opens the relay whose DTMF code matches (event 8) when the caller passes
    /// the allowlist (none / phonebook / all). Every sequence is emitted as a ``DTMFSequence`` event, matched or not,
    /// so site scripts see each one; the journal says what the built-in rule did.
    @discardableResult
    public func dtmf(call: String, caller: String, digits: String) -> Decision {
        let instant = now
        advanceRelays(to: instant)
        let source = JournalSource(.dtmf, name: caller)
        let allowed = dtmfCallerAllowed(caller)
        let relay = relays.values.map(\.relay).sorted(by: { $0.id < $1.id }).first(where: { $0.dtmfCode == digits })
        let door = relay.flatMap { relay in doors.values.first { $0.relay == relay.id }?.id }
        var sequence = DTMFSequence(
            call: call, caller: caller, digits: digits, callerAllowed: allowed, result: .noMatchingCode, relay: relay?.id,
            door: door)
        guard let relay else {
            let index = emitJournalled(.dtmf(sequence), at: instant, source: source)
            return Decision(
                outcome: .denied(.unregistered), event: DenyReason.unregistered.event, verifyMode: .other,
                journalIndex: index, detail: "no relay has this DTMF code")
        }
        guard allowed else {
            sequence.result = .callerNotAllowed
            let index = emitJournalled(.dtmf(sequence), at: instant, source: source)
            return Decision(
                outcome: .denied(.callerNotAllowed), event: DenyReason.callerNotAllowed.event, verifyMode: .other,
                door: door, journalIndex: index, detail: "caller not allowed to open by DTMF")
        }
        sequence.result = .opened
        triggerRelay(relay.id, hold: nil, at: instant)
        let index = emitJournalled(.dtmf(sequence), at: instant, source: source)
        return Decision(outcome: .granted, event: .openedRemotely, verifyMode: .other, door: door, journalIndex: index)
    }
}
