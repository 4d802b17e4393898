@testable import AccessControl
import Foundation
import Testing

@testable import MQTT

@Suite("What the door engine's events look like on the broker")
struct SiteMessagesTests {
    let topics = SiteMessages(prefix: "gatehouse/home")

    func event(_ kind: SiteEvent.Kind, index: UInt64? = 7) -> SiteEvent {
        SiteEvent(
            sequence: 1, time: Date(timeIntervalSince1970: 1_767_225_600), localTime: "2026-01-01 00:00:00", source: .local,
            journalIndex: index, kind: kind)
    }

    @Test("a door change publishes its state, retained, and its journal entry as an event")
    func door() throws {
        let (state, events) = topics.messages(
            for: event(.door(DoorChange(door: DoorID(2), change: .heldOpen, state: .heldOpen, relay: RelayID(2)))))
        #expect(state == [MQTTMessage(topic: "gatehouse/home/door/2/state", text: "held_open", qos: 1, retain: true)])
        #expect(events.count == 1)
        #expect(events.first?.topic == "gatehouse/home/events")
        #expect(events.first?.retain == false)
        let json = try #require(try JSONSerialization.jsonObject(with: events[0].payload) as? [String: Any])
        #expect(json["index"] as? Int == 7)
        #expect(json["event"] as? Int == 28)
        #expect(json["door"] as? Int == 2)
        #expect(json["local_time"] as? String == "2026-01-01 00:00:00")
    }

    @Test("relay and input levels are ON/OFF; a door sensor also sets the door's contact")
    func levels() {
        let relay = topics.messages(for: event(.relay(RelayChange(relay: RelayID(3), isActive: true, door: nil)), index: nil))
        #expect(relay.state == [MQTTMessage(topic: "gatehouse/home/relay/3/state", text: "ON", qos: 1, retain: true)])
        #expect(relay.events.isEmpty, "relay levels are not journalled")
        let sensor = topics.messages(
            for: event(
                .input(InputChange(input: InputID(6), name: "Door 2 sensor", role: .doorSensor(DoorID(2)), isActive: true, level: .high)),
                index: nil))
        #expect(
            sensor.state == [
                MQTTMessage(topic: "gatehouse/home/input/6/state", text: "ON", qos: 1, retain: true),
                MQTTMessage(topic: "gatehouse/home/door/2/contact", text: "open", qos: 1, retain: true),
            ])
    }

    @Test("DTMF digits never travel; the doorbell has its own topic")
    func dtmfAndDoorbell() throws {
        let dtmf = topics.messages(
            for: event(
                .dtmf(
                    DTMFSequence(
                        call: "c1", caller: "1001", digits: "4711#", callerAllowed: true, result: .opened, relay: RelayID(2),
                        door: DoorID(2)))))
        let message = try #require(dtmf.events.first { $0.topic == "gatehouse/home/dtmf" })
        #expect(!message.text.contains("4711"))
        #expect(message.text.contains(#""digits":"*****""#))
        #expect(dtmf.events.allSatisfy { !$0.text.contains("4711") })
        let bell = topics.messages(
            for: event(
                .button(
                    ButtonPress(button: .reception, door: nil, outcome: .granted, event: .openedRemotely, relays: [RelayID(4)]))))
        let press = try #require(bell.events.first { $0.topic == "gatehouse/home/doorbell" })
        #expect(press.text.contains(#""event_type":"press""#))
        #expect(press.text.contains(#""relays":[4]"#))
        // An exit button is not the doorbell.
        let exit = topics.messages(
            for: event(.button(ButtonPress(button: .exit(DoorID(1)), door: DoorID(1), outcome: .granted, event: .exitButtonOpened, relays: []))))
        #expect(!exit.events.contains { $0.topic == "gatehouse/home/doorbell" })
    }

    @Test("Home Assistant discovery: a lock and a contact per door, removable; the host's entities under one device")
    func discovery() throws {
        let discovery = HomeAssistantDiscovery(discoveryPrefix: "homeassistant", site: "home", version: "9.9", topics: topics)
        var door = Door(id: DoorID(1), relay: RelayID(1))
        door.name = "Front door"
        let messages = discovery.messages(doors: [door])
        #expect(messages.count == 5)
        #expect(messages.allSatisfy { $0.retain && $0.topic.hasPrefix("homeassistant/") && $0.topic.hasSuffix("/config") })
        let lock = try #require(messages.first { $0.topic == "homeassistant/lock/gatehouse_home/door_1/config" })
        let json = try #require(try JSONSerialization.jsonObject(with: lock.payload) as? [String: Any])
        #expect(json["name"] as? String == "Front door")
        #expect(json["command_topic"] as? String == "gatehouse/home/door/1/set")
        #expect(json["state_topic"] as? String == "gatehouse/home/door/1/state")
        #expect((json["device"] as? [String: Any])?["sw_version"] as? String == "9.9")
        #expect(discovery.removals(door: DoorID(1)).allSatisfy { $0.payload.isEmpty && $0.retain })
        #expect(discovery.removals(door: DoorID(1)).map(\.topic) == discovery.doorTopics(DoorID(1)))
    }
}
