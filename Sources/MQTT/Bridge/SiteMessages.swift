import AccessControl
import Foundation
import PushProtocol

/// What the door engine's events look like on the broker: retained state topics and non-retained event topics,
/// all under one prefix. Pure: a ``SiteEvent`` in, messages out.
///
/// - `<prefix>/availability`: `online` / `offline` (the last will), retained
/// - `<prefix>/door/<id>/state`: `closed`, `open`, `held_open`, `alarm`, `locked`, `normal_open`, retained
/// - `<prefix>/door/<id>/contact`: `open` / `closed` from the door sensor, retained
/// - `<prefix>/relay/<id>/state`, `<prefix>/input/<id>/state`: `ON` / `OFF` (energised / triggered), retained
/// - `<prefix>/last_access`: the last credential decision as JSON, retained
/// - `<prefix>/events`: every journal entry as JSON (the REST API's fields)
/// - `<prefix>/doorbell`: `{"event_type": "press", …}` when the reception button is pressed
/// - `<prefix>/dtmf`: a call's DTMF sequence, digits masked
public struct SiteMessages: Sendable {
    public let prefix: String

    public init(prefix: String) { self.prefix = prefix }

    public var availability: String { "\(prefix)/availability" }
    public var events: String { "\(prefix)/events" }
    public var doorbell: String { "\(prefix)/doorbell" }
    public var dtmf: String { "\(prefix)/dtmf" }
    public var lastAccess: String { "\(prefix)/last_access" }
    public func doorState(_ door: DoorID) -> String { "\(prefix)/door/\(door.rawValue)/state" }
    public func doorContact(_ door: DoorID) -> String { "\(prefix)/door/\(door.rawValue)/contact" }
    public func doorCommand(_ door: DoorID) -> String { "\(prefix)/door/\(door.rawValue)/set" }
    public func relayState(_ relay: RelayID) -> String { "\(prefix)/relay/\(relay.rawValue)/state" }
    public func inputState(_ input: InputID) -> String { "\(prefix)/input/\(input.rawValue)/state" }

    public func online(_ online: Bool) -> MQTTMessage {
        MQTTMessage(topic: availability, text: online ? "online" : "offline", qos: 1, retain: true)
    }

    /// The messages one event makes: `state` (retained, superseded by the next; republished after a reconnect)
    /// and `events` (each one counts: queued while the broker is away).
    public func messages(for event: SiteEvent) -> (state: [MQTTMessage], events: [MQTTMessage]) {
        var state: [MQTTMessage] = []
        var events: [MQTTMessage] = []
        if let entry = event.journalEntry { events.append(json(events: self.events, JournalEntryJSON(entry: entry))) }
        switch event.kind {
        case .door(let change):
            state.append(retained(doorState(change.door), change.state.rawValue))
        case .relay(let change):
            state.append(retained(relayState(change.relay), change.isActive ? "ON" : "OFF"))
        case .input(let change):
            state.append(retained(inputState(change.input), change.isActive ? "ON" : "OFF"))
            if case .doorSensor(let door) = change.role {
                state.append(retained(doorContact(door), change.isActive ? "open" : "closed"))
            }
        case .decision(let decision):
            state.append(
                json(
                    retained: lastAccess,
                    LastAccess(
                        time: RFC3339.format(event.time), result: decision.isGranted ? "granted" : "denied",
                        user: decision.user?.rawValue, name: decision.userName, door: decision.door?.rawValue,
                        reader: decision.reader?.rawValue, event: decision.event.rawValue, eventName: decision.event.name,
                        detail: decision.detail ?? decision.outcome.denyDetail, index: event.journalIndex)))
        case .button(let press) where press.button == .reception:
            events.append(
                json(
                    events: doorbell,
                    Doorbell(
                        eventType: "press", time: RFC3339.format(event.time), door: press.door?.rawValue,
                        relays: press.relays.map(\.rawValue), index: event.journalIndex)))
        case .dtmf(let sequence):
            events.append(
                json(
                    events: dtmf,
                    DTMF(
                        time: RFC3339.format(event.time), call: sequence.call, caller: sequence.caller,
                        digits: String(repeating: "*", count: sequence.digits.count), result: sequence.result.rawValue,
                        relay: sequence.relay?.rawValue, door: sequence.door?.rawValue, index: event.journalIndex)))
        case .button, .output, .device, .note, .reader, .call, .configured:
            // Journalled calls reach `events` as their journal entries, like every journalled event.
            break
        }
        return (state, events)
    }

    /// Every state topic as the site is now: published on (re)connect so retained values are never stale.
    public func snapshot(of site: Site) async -> [MQTTMessage] {
        let configuration = await site.currentConfiguration
        var messages: [MQTTMessage] = []
        for door in configuration.doors {
            if let state = await site.doorState(door.id) { messages.append(retained(doorState(door.id), state.rawValue)) }
            if let status = try? await site.status(of: door.id) {
                messages.append(retained(doorContact(door.id), status.isSensorOpen ? "open" : "closed"))
            }
        }
        for relay in configuration.relays {
            if let output = try? await site.relayOutput(relay.id) {
                messages.append(retained(relayState(relay.id), output.isActive ? "ON" : "OFF"))
            }
        }
        for input in configuration.inputs {
            if let active = try? await site.isInputActive(input.id) {
                messages.append(retained(inputState(input.id), active ? "ON" : "OFF"))
            }
        }
        return messages
    }

    struct LastAccess: Encodable {
        var time: String
        var result: String
        var user: String?
        var name: String?
        var door: Int?
        var reader: Int?
        var event: Int
        var eventName: String
        var detail: String?
        var index: UInt64?

        enum CodingKeys: String, CodingKey {
            case time, result, user, name, door, reader, event, detail, index
            case eventName = "event_name"
        }
    }

    struct Doorbell: Encodable {
        var eventType: String
        var time: String
        var door: Int?
        var relays: [Int]
        var index: UInt64?

        enum CodingKeys: String, CodingKey {
            case time, door, relays, index
            case eventType = "event_type"
        }
    }

    struct DTMF: Encodable {
        var time: String
        var call: String
        var caller: String
        /// One `*` per digit: the digits may be a relay's code.
        var digits: String
        var result: String
        var relay: Int?
        var door: Int?
        var index: UInt64?
    }

    private func retained(_ topic: String, _ text: String) -> MQTTMessage {
        MQTTMessage(topic: topic, text: text, qos: 1, retain: true)
    }

    private func json(retained topic: String, _ value: some Encodable) -> MQTTMessage {
        MQTTMessage(topic: topic, payload: Self.encode(value), qos: 1, retain: true)
    }

    private func json(events topic: String, _ value: some Encodable) -> MQTTMessage {
        MQTTMessage(topic: topic, payload: Self.encode(value), qos: 1, retain: false)
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }
}
