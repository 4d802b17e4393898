import AccessControl
import Foundation

/// A command that arrived on `<prefix>/door/<id>/set` or `<prefix>/relay/<id>/set`.
///
/// The payload is the command word (`OPEN`, case-insensitive) or a JSON object
/// `{"command": "OPEN", "seconds": 5, "id": "…"}`: `seconds` for `OPEN` only, `id` makes a command idempotent
/// (a second command with the same id within ten minutes is not acted on).
public struct MQTTCommand: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        case door(DoorID)
        case relay(RelayID)
    }

    public enum Verb: String, Sendable, Equatable, CaseIterable {
        // Doors.
        case open = "OPEN"
        case close = "CLOSE"
        case lock = "LOCK"
        case unlock = "UNLOCK"
        case normalOpen = "NORMAL_OPEN"
        case clearAlarm = "CLEAR_ALARM"
        // Relays.
        case on = "ON"
        case off = "OFF"

        static let door: [Verb] = [.open, .close, .lock, .unlock, .normalOpen, .clearAlarm]
        static let relay: [Verb] = [.on, .off]
    }

    public var target: Target
    public var verb: Verb
    public var seconds: Int?
    public var id: String?

    /// Why a message on a command topic is not a command.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Whether `topic` is one of the command topics under `prefix` (parsed or not).
    public static func isCommandTopic(_ topic: String, prefix: String) -> Bool {
        guard topic.hasPrefix(prefix + "/") else { return false }
        let parts = topic.dropFirst(prefix.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && (parts[0] == "door" || parts[0] == "relay") && parts[2] == "set"
    }

    /// The subscriptions that carry commands.
    public static func subscriptions(prefix: String) -> [String] { ["\(prefix)/door/+/set", "\(prefix)/relay/+/set"] }

    public static func parse(topic: String, payload: Data, prefix: String) throws(Refusal) -> MQTTCommand {
        guard isCommandTopic(topic, prefix: prefix) else { throw Refusal(reason: "not a command topic") }
        let parts = topic.dropFirst(prefix.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        guard let number = Int(parts[1]), number > 0, number <= 65535 else {
            throw Refusal(reason: "'\(parts[1])' is not a \(parts[0]) number")
        }
        let target: Target = parts[0] == "door" ? .door(DoorID(number)) : .relay(RelayID(number))
        guard payload.count <= 4096 else { throw Refusal(reason: "payload of \(payload.count) bytes is too long") }
        guard let text = String(data: payload, encoding: .utf8) else { throw Refusal(reason: "payload is not UTF-8") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Refusal(reason: "empty payload") }
        var word = trimmed
        var seconds: Int?
        var id: String?
        if trimmed.hasPrefix("{") {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                throw Refusal(reason: "payload is not a JSON object")
            }
            guard let command = object["command"] as? String else { throw Refusal(reason: "JSON payload without a \"command\" string") }
            word = command
            if let given = object["seconds"] {
                guard let value = given as? Int, (1...65535).contains(value) else {
                    throw Refusal(reason: "\"seconds\" must be a whole number from 1 to 65535")
                }
                seconds = value
            }
            if let given = object["id"] {
                guard let value = given as? String, !value.isEmpty, value.count <= 128 else {
                    throw Refusal(reason: "\"id\" must be a string of 1 to 128 characters")
                }
                id = value
            }
            let known: Set<String> = ["command", "seconds", "id"]
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw Refusal(reason: "unknown field \"\(unknown)\" (known: command, seconds, id)")
            }
        }
        let allowed = parts[0] == "door" ? Verb.door : Verb.relay
        guard let verb = Verb(rawValue: word.uppercased()), allowed.contains(verb) else {
            throw Refusal(
                reason: "unknown \(parts[0]) command '\(word.prefix(40))' (known: \(allowed.map(\.rawValue).joined(separator: ", ")))")
        }
        if seconds != nil && verb != .open { throw Refusal(reason: "\"seconds\" applies to OPEN only") }
        return MQTTCommand(target: target, verb: verb, seconds: seconds, id: id)
    }

    /// Carries the command out through the door engine, journalled with the source `mqtt`, durable on return.
    public func execute(on site: Site) async throws {
        switch target {
        case .door(let door):
            switch verb {
            case .open: try await site.open(door: door, seconds: seconds, by: .mqtt)
            case .close: try await site.close(door: door, by: .mqtt)
            case .normalOpen: try await site.setNormalOpen(door: door, by: .mqtt)
            case .clearAlarm: try await site.clearAlarm(door: door, by: .mqtt)
            case .lock: try await site.setLocked(true, door: door, by: .mqtt)
            case .unlock: try await site.setLocked(false, door: door, by: .mqtt)
            case .on, .off: return
            }
        case .relay(let relay):
            try await site.setAuxiliaryOutput(relay, on: verb == .on, by: .mqtt)
        }
        try await site.flush()
    }
}
