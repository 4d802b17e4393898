import Foundation
import PushProtocol

extension Site {
    /// DTMF digits received during a call. Opens the relay whose DTMF code matches (event 8) when the caller passes
    /// the whitelist (none / phonebook / all).
    @discardableResult
    public func dtmf(call: String, caller: String, digits: String) -> Decision {
        let instant = now
        advanceRelays(to: instant)
        let settings = configuration.settings.dtmf
        let source = JournalSource(.dtmf, name: caller)
        let allowed: Bool =
            switch settings.whitelist {
            case .none: false
            case .phonebook: settings.phonebook.contains(caller)
            case .all: true
            }
        guard allowed else {
            let index = record(
                DenyReason.callerNotAllowed.event, at: instant, source: source,
                detail: "call \(call): caller not allowed to open by DTMF")
            return Decision(
                outcome: .denied(.callerNotAllowed), event: DenyReason.callerNotAllowed.event, verifyMode: .other,
                journalIndex: index)
        }
        guard let relay = relays.values.map(\.relay).sorted(by: { $0.id < $1.id }).first(where: { $0.dtmfCode == digits })
        else {
            let index = record(
                DenyReason.unregistered.event, at: instant, source: source, detail: "call \(call): unknown DTMF code")
            return Decision(
                outcome: .denied(.unregistered), event: DenyReason.unregistered.event, verifyMode: .other,
                journalIndex: index)
        }
        triggerRelay(relay.id, hold: nil, at: instant)
        let door = doors.values.first { $0.relay == relay.id }?.id
        let index = record(.openedRemotely, at: instant, door: door, source: source, detail: "call \(call): relay \(relay.id)")
        return Decision(outcome: .granted, event: .openedRemotely, verifyMode: .other, door: door, journalIndex: index)
    }
}
