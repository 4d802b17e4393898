/// Events a site script can handle with `on(name, fn)`.
public enum ScriptEvent: String, Sendable, CaseIterable, Codable {
    /// A credential was presented; the handler may return a verdict table.
    case credential
    /// The final decision for a credential (observer).
    case decision
    /// DTMF digits from a call.
    case dtmf
    /// A button (reception, exit) was pressed.
    case button
    /// A digital input changed state.
    case input
    /// A door changed state (opened, closed, held open, forced).
    case door
    /// A relay changed state.
    case relay
    /// An alarm was raised or cleared.
    case alarm
    /// An event reported by a PUSH device.
    case deviceEvent = "device_event"
    /// The site's scripts were (re)loaded; runs once on the new VM after the swap.
    case reload
    /// A message arrived on a topic the site subscribed to with `mqtt.subscribe(pattern)` (observer).
    case mqtt
    /// A SIP call at the door. Asked while an incoming call rings (`phase` `ringing`): the handler may return
    /// `{grant = true}` to answer it or `{deny = "reason"}` to refuse it; then told of every later phase.
    case call

    /// `credential` handlers advise a decision and `call` handlers whether a ringing call is answered; all others
    /// observe.
    public var isAdvisory: Bool { self == .credential || self == .call }

    static var namesForMessages: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
