import AccessControl
import Foundation

/// The Akuvox autop keys `config/get|set` serve, and how each maps onto Gatehouse: relay and input keys onto the
/// site configuration (so `GET /api/v1/relays` shows the same value), action URLs into the host's actions layer.
/// A key not listed here is refused by name: storing what nothing reads would only pretend it took effect.
///
/// Letters are relay and input ids (A = 1, B = 2, …), as on the device.
enum AkuvoxConfigKeys {
    static let relayPrefix = "Config.DoorSetting.RELAY."
    static let inputPrefix = "Config.DoorSetting.INPUT."
    static let dtmfPrefix = "Config.DoorSetting.DTMF."
    static let actionURLPrefix = AkuvoxNaming.actionURLPrefix

    /// Action URL events that are not per relay or input.
    static let actionURLEvents = [
        "ValidCodeEntered", "InvalidCodeEntered", "ValidCardEntered", "InvalidCardEntered", "ValidFaceRecognition",
        "InvalidFaceRecognition", "MakeCall", "HangUp", "AlarmTriggered", "InputBreakIn", "InputAlarm", "DoorLog", "CallLog",
        "TamperAlarm",
    ]

    struct FieldError: Error {
        var field: String
        var message: String
    }

    struct Plan {
        var configuration: SiteConfiguration
        var actionURLs: [String: String]
    }

    /// Every action-URL key this site has: the fixed ones and one Triggered/Closed pair per relay and input.
    static func actionURLKeys(_ configuration: SiteConfiguration) -> [String] {
        var keys = ["Enable", "Method"] + actionURLEvents
        for relay in configuration.relays {
            if let letter = AkuvoxNaming.letter(relay.id.rawValue) {
                keys += ["Relay\(letter)Triggered", "Relay\(letter)Closed"]
            }
        }
        for input in configuration.inputs {
            if let letter = AkuvoxNaming.letter(input.id.rawValue) {
                keys += ["Input\(letter)Triggered", "Input\(letter)Closed"]
            }
        }
        return keys.map { actionURLPrefix + $0 }
    }

    /// The relay, input and DTMF keys with the site's current values.
    static func values(of configuration: SiteConfiguration) -> [String: String] {
        var values: [String: String] = [:]
        for relay in configuration.relays {
            guard let letter = AkuvoxNaming.letter(relay.id.rawValue) else { continue }
            values[relayPrefix + "Name\(letter)"] = relay.name
            values[relayPrefix + "Type\(letter)"] = relay.isInverted ? "1" : "0"
            values[relayPrefix + "HoldDelay\(letter)"] = String(relay.holdDelay)
            values[relayPrefix + "TriggerDelay\(letter)"] = String(relay.triggerDelay)
        }
        for (index, relay) in configuration.relays.sorted(by: { $0.id < $1.id }).prefix(3).enumerated() {
            values[dtmfPrefix + "Code\(index + 1)"] = relay.dtmfCode ?? ""
        }
        for input in configuration.inputs {
            guard let letter = AkuvoxNaming.letter(input.id.rawValue) else { continue }
            values[inputPrefix + "Option\(letter)"] = String(input.triggerLevel.rawValue)
        }
        return values
    }

    /// Checks every key and value and computes the change; nothing is applied here.
    static func plan(_ values: [String: String], on current: SiteConfiguration) throws(FieldError) -> Plan {
        var configuration = current
        var actionURLs: [String: String] = [:]
        let urlKeys = Set(actionURLKeys(current))
        for (key, raw) in values.sorted(by: { $0.key < $1.key }) {
            let value = raw.trimmingCharacters(in: .whitespaces)
            if key.hasPrefix(actionURLPrefix) {
                guard urlKeys.contains(key) else { throw unknown(key) }
                try checkActionURL(key, value)
                actionURLs[key] = value
            } else if key.hasPrefix(relayPrefix) {
                let name = key.dropFirst(relayPrefix.count)
                guard let field = ["Name", "Type", "HoldDelay", "TriggerDelay"].first(where: { name.hasPrefix($0) }),
                    let number = AkuvoxNaming.number(ofLetter: name.dropFirst(field.count)),
                    let index = configuration.relays.firstIndex(where: { $0.id == RelayID(number) })
                else { throw unknown(key) }
                switch field {
                case "Name":
                    guard !value.isEmpty, value.count <= 64 else { throw FieldError(field: key, message: "1–64 characters") }
                    configuration.relays[index].name = value
                case "Type":
                    guard value == "0" || value == "1" else {
                        throw FieldError(field: key, message: "0 (default) or 1 (inverted)")
                    }
                    configuration.relays[index].isInverted = value == "1"
                case "HoldDelay":
                    configuration.relays[index].holdDelay = try seconds(key, value)
                default:
                    configuration.relays[index].triggerDelay = try seconds(key, value)
                }
            } else if key.hasPrefix(dtmfPrefix) {
                let name = key.dropFirst(dtmfPrefix.count)
                let relays = configuration.relays.sorted(by: { $0.id < $1.id }).prefix(3).map(\.id)
                guard name.hasPrefix("Code"), let slot = Int(name.dropFirst(4)), (1...relays.count).contains(slot),
                    let index = configuration.relays.firstIndex(where: { $0.id == relays[slot - 1] })
                else { throw unknown(key) }
                configuration.relays[index].dtmfCode = value.isEmpty ? nil : value
            } else if key.hasPrefix(inputPrefix) {
                let name = key.dropFirst(inputPrefix.count)
                guard name.hasPrefix("Option"), let number = AkuvoxNaming.number(ofLetter: name.dropFirst(6)),
                    let index = configuration.inputs.firstIndex(where: { $0.id == InputID(number) })
                else { throw unknown(key) }
                guard let level = Int(value).flatMap(Level.init(rawValue:)) else {
                    throw FieldError(field: key, message: "0 (triggered when low) or 1 (when high)")
                }
                configuration.inputs[index].triggerLevel = level
            } else {
                throw unknown(key)
            }
        }
        do {
            // The site's own rules (DTMF code length and symbols, names) are checked before anything is stored.
            try Site.validate(configuration)
        } catch {
            throw FieldError(field: values.keys.sorted().first ?? "data", message: "\(error)")
        }
        return Plan(configuration: configuration, actionURLs: actionURLs)
    }

    static func unknown(_ key: String) -> FieldError {
        FieldError(field: key, message: "unknown key (not served by Gatehouse: see README, Akuvox-compatible API)")
    }

    static func seconds(_ key: String, _ value: String) throws(FieldError) -> Int {
        guard let number = Int(value), (0...60).contains(number) else {
            throw FieldError(field: key, message: "seconds 0–60, got '\(value)'")
        }
        return number
    }

    static func checkActionURL(_ key: String, _ value: String) throws(FieldError) {
        if key.hasSuffix(".Enable") {
            guard value == "0" || value == "1" || value.isEmpty else { throw FieldError(field: key, message: "0 or 1") }
            return
        }
        if key.hasSuffix(".Method") {
            guard ["", "GET", "POST"].contains(value.uppercased()) else { throw FieldError(field: key, message: "GET or POST") }
            return
        }
        guard value.count <= 2048, !value.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw FieldError(field: key, message: "a URL without spaces, at most 2048 characters")
        }
        let lower = value.lowercased()
        if lower.contains("://"), !(lower.hasPrefix("http://") || lower.hasPrefix("https://")) {
            throw FieldError(field: key, message: "only http:// and https:// URLs")
        }
    }
}
