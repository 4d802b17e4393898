import AccessControl
import Foundation
import HTTPAPI
import Outbound
import PushProtocol
import Synchronization

/// The action URLs an Akuvox client set through `config/set` (`Config.Features.ACTIONURL.*`, stored in SQLite):
/// per relay (`RelayATriggered`, `RelayAClosed`), per input (`InputATriggered`), per credential outcome
/// (`ValidCodeEntered`, `InvalidCardEntered`, …), calls and alarms. They fire from the door engine's typed events,
/// so `RelayATriggered` fires however the relay opened (card, PIN, DTMF, API, button, script), unlike firmware that
/// skips it when a PIN opened the relay. `$code` is masked unless `action_urls.reveal_codes` is set.
final class AkuvoxActionURLs: AkuvoxConfigurationTarget, Sendable {
    static let prefix = AkuvoxNaming.actionURLPrefix
    private let values = Mutex<[String: String]>([:])

    init(_ initial: [String: String] = [:]) { values.withLock { $0 = initial } }

    func actionURLsChanged(_ fresh: [String: String]) async { values.withLock { $0 = fresh } }

    /// The template for an event name (`RelayATriggered`), nil when unset or action URLs are disabled (`Enable` 0).
    func template(_ event: String) -> (template: String, method: String)? {
        values.withLock { values in
            guard values[Self.prefix + "Enable"] != "0", let template = values[Self.prefix + event], !template.isEmpty else {
                return nil
            }
            let method = values[Self.prefix + "Method"].map { $0.isEmpty ? "GET" : $0.uppercased() } ?? "GET"
            return (template, method)
        }
    }

    var isEmpty: Bool { values.withLock { $0.isEmpty } }

    /// The Akuvox event names a site event stands for.
    static func events(for event: SiteEvent) -> [String] {
        var names = kindEvents(for: event)
        // Every entry `doorlog/get` lists, however it came about (credential, DTMF, API, script).
        if let entry = event.journalEntry, AkuvoxDoorLog.lists(entry) { names.append("DoorLog") }
        return names
    }

    private static func kindEvents(for event: SiteEvent) -> [String] {
        switch event.kind {
        case .relay(let change):
            guard let letter = AkuvoxNaming.letter(change.relay.rawValue) else { return [] }
            return ["Relay\(letter)\(change.isActive ? "Triggered" : "Closed")"]
        case .input(let change):
            guard let letter = AkuvoxNaming.letter(change.input.rawValue) else { return [] }
            return ["Input\(letter)\(change.isActive ? "Triggered" : "Closed")"]
        case .decision(let decision):
            guard let entry = event.journalEntry else { return [] }
            var names: [String] = []
            let outcome = entry.isRefusal ? "Invalid" : "Valid"
            switch VerifyMode(rawValue: entry.verifyMode) {
            case .password?: names.append("\(outcome)CodeEntered")
            case .card?, .cardAndPassword?: names.append("\(outcome)CardEntered")
            case .face?, .faceAndCard?, .faceAndPassword?: names.append("\(outcome)FaceRecognition")
            default: break
            }
            if decision.event.eventClass == .alarm { names.append("AlarmTriggered") }
            return names
        case .door(let change):
            // A door sensor's alarms: forced open (break-in) and held open.
            if case .forced = change.change { return ["InputBreakIn", "InputAlarm", "AlarmTriggered"] }
            if case .heldOpen = change.change { return ["InputAlarm", "AlarmTriggered"] }
            return []
        case .device(let report):
            switch PushEventCode(rawValue: report.event) {
            case .tamperAlarm?: return ["TamperAlarm"]
            case .deviceCall?: return ["MakeCall", "CallLog"]
            case .callEnded?: return ["HangUp"]
            default: return report.isAlarm ? ["AlarmTriggered"] : []
            }
        case .dtmf:
            // A call's digits: the call log (`calllog/get`) has the call.
            return ["CallLog"]
        case .reader(let report):
            switch report.change {
            case .tamper: return ["TamperAlarm", "AlarmTriggered"]
            case .offline: return ["AlarmTriggered"]
            default: return []
            }
        case .call(let report):
            switch report.phase {
            // The Akuvox action URLs know calls the door makes and calls that hang up; every call is in the log.
            case .dialing: return ["MakeCall", "CallLog"]
            case .answered, .refused, .failed: return ["CallLog"]
            case .ended: return ["HangUp"]
            case .ringing, .connected: return []
            }
        case .button, .output, .note, .configured:
            return []
        }
    }
}
