import AccessControl
import Foundation

/// Home Assistant MQTT discovery: retained `…/config` messages under the discovery prefix describing the site's
/// entities, grouped under one device.
///
/// Per door, a `lock` and a `binary_sensor` (device class `door`, the contact). For the host, an `event` entity of
/// device class `doorbell` (the reception button), a `sensor` with the last access and a connectivity
/// `binary_sensor`. Every entity but the connectivity one carries the host's availability topic, so a crashed host
/// shows its entities unavailable.
///
/// The lock is the door's strike: `closed` and `locked` doors show locked, a normal-open door unlocked, an open or
/// held-open door open, an alarm jammed. Home Assistant's Lock sends `CLOSE` (end normal open, lock now), Unlock
/// `NORMAL_OPEN` (hold the strike released) and Open `OPEN` (the momentary strike, the door's drive time).
public struct HomeAssistantDiscovery: Sendable {
    public let discoveryPrefix: String
    /// The device's id in topics and `unique_id`s: `gatehouse_<site>`.
    public let node: String
    public let deviceName: String
    public let version: String
    public let topics: SiteMessages

    public init(discoveryPrefix: String, site: String, version: String, topics: SiteMessages) {
        self.discoveryPrefix = discoveryPrefix
        self.node = "gatehouse_" + String(site.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        self.deviceName = "Gatehouse \(site)"
        self.version = version
        self.topics = topics
    }

    /// The config topics a door owns (emptied when the door is deleted).
    public func doorTopics(_ door: DoorID) -> [String] {
        [
            "\(discoveryPrefix)/lock/\(node)/door_\(door.rawValue)/config",
            "\(discoveryPrefix)/binary_sensor/\(node)/door_\(door.rawValue)_contact/config",
        ]
    }

    public var hostTopics: [String] {
        [
            "\(discoveryPrefix)/event/\(node)/doorbell/config",
            "\(discoveryPrefix)/sensor/\(node)/last_access/config",
            "\(discoveryPrefix)/binary_sensor/\(node)/connectivity/config",
        ]
    }

    /// Config messages for the host and every door.
    public func messages(doors: [Door]) -> [MQTTMessage] {
        var messages: [MQTTMessage] = []
        let host = hostTopics
        messages.append(
            config(
                host[0],
                [
                    "name": "Doorbell", "unique_id": "\(node)_doorbell", "device_class": "doorbell",
                    "state_topic": topics.doorbell, "event_types": ["press"],
                ]))
        messages.append(
            config(
                host[1],
                [
                    "name": "Last access", "unique_id": "\(node)_last_access", "icon": "mdi:badge-account",
                    "state_topic": topics.lastAccess, "value_template": "{{ value_json.result }}",
                    "json_attributes_topic": topics.lastAccess,
                ]))
        messages.append(
            config(
                host[2],
                [
                    "name": "Connectivity", "unique_id": "\(node)_connectivity", "device_class": "connectivity",
                    "entity_category": "diagnostic", "state_topic": topics.availability, "payload_on": "online",
                    "payload_off": "offline",
                ], availability: false))
        for door in doors { messages += self.messages(door: door) }
        return messages
    }

    public func messages(door: Door) -> [MQTTMessage] {
        let topics = doorTopics(door.id)
        let name = door.name.isEmpty ? "Door \(door.id.rawValue)" : door.name
        let state = self.topics.doorState(door.id)
        return [
            config(
                topics[0],
                [
                    "name": name, "unique_id": "\(node)_door_\(door.id.rawValue)",
                    "command_topic": self.topics.doorCommand(door.id), "state_topic": state,
                    "payload_lock": "CLOSE", "payload_unlock": "NORMAL_OPEN", "payload_open": "OPEN",
                    "state_locked": "LOCKED", "state_unlocked": "UNLOCKED", "state_jammed": "JAMMED", "state_open": "OPEN",
                    "value_template":
                        "{% set s = value %}{{ 'OPEN' if s in ['open', 'held_open'] else ('UNLOCKED' if s == 'normal_open' else ('JAMMED' if s == 'alarm' else 'LOCKED')) }}",
                    "optimistic": false, "qos": 1,
                ]),
            config(
                topics[1],
                [
                    "name": "\(name) contact", "unique_id": "\(node)_door_\(door.id.rawValue)_contact", "device_class": "door",
                    "state_topic": self.topics.doorContact(door.id), "payload_on": "open", "payload_off": "closed",
                ]),
        ]
    }

    /// Empty retained payloads: Home Assistant removes the entities.
    public func removals(door: DoorID) -> [MQTTMessage] {
        doorTopics(door).map { MQTTMessage(topic: $0, payload: Data(), qos: 1, retain: true) }
    }

    private func config(_ topic: String, _ fields: [String: Any], availability: Bool = true) -> MQTTMessage {
        var object = fields
        object["device"] = [
            "identifiers": [node], "name": deviceName, "manufacturer": "Gatehouse", "model": "Gatehouse access-control host",
            "sw_version": version,
        ]
        if availability {
            object["availability_topic"] = topics.availability
            object["payload_available"] = "online"
            object["payload_not_available"] = "offline"
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return MQTTMessage(topic: topic, payload: data, qos: 1, retain: true)
    }
}
