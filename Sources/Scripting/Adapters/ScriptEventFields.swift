import AccessControl
import Foundation
import PushProtocol

/// One field of an event table a handler receives, as docs/lua-api.md documents it.
public struct ScriptEventField: Sendable, Hashable {
    public var name: String
    /// A Lua type name: `integer`, `number`, `string`, `boolean`, `table`, or alternatives (`integer|string`).
    public var type: String
    /// Present on every event of its kind; otherwise only when it applies.
    public var always: Bool
    public var doc: String

    init(_ name: String, _ type: String, always: Bool = false, _ doc: String) {
        self.name = name
        self.type = type
        self.always = always
        self.doc = doc
    }
}

/// The one schema of every event's table, and the mapping from the door engine's typed events onto it.
///
/// The door engine emits ``SiteEvent``s; ``ScriptEventFields/events(for:)`` turns each into the handler events it
/// stands for (a held-open door is a `door` event and an `alarm`). Nothing here reads journal codes back into
/// events: the kind of event decides.
public enum ScriptEventFields {
    /// Fields every observed event carries.
    static let common: [ScriptEventField] = [
        .init("event", "string", always: true, "The event's name, as given to `on`."),
        .init("time", "number", always: true, "Unix time, seconds."),
        .init("local_time", "string", always: true, "Site local time `YYYY-MM-DD HH:MM:SS`."),
        .init(
            "source", "string", always: true,
            "Who caused it: `local`, `api`, `push:<SN>`, `script:lua`, `dtmf:<caller>`, `reception`, `schedule`, `mqtt`."),
        .init("sequence", "integer", always: true, "The site's event counter: increases by one per event."),
        .init(
            "index", "integer", "The journal entry recording it (absent for input and relay levels the journal does not keep)."),
    ]

    static let credentialFields: [ScriptEventField] = [
        .init(
            "kind", "string", always: true,
            "`card`, `pin`, `apartment_pin`, `card_and_pin`, `user_id`, `plate`, `qr`, `face` or `ble`."),
        .init("card", "string", "Card number, decimal."),
        .init("bits", "integer", "The card's bit length, when the reader gave it."),
        .init("site_code", "integer", "The card's facility code, when known."),
        .init("apartment", "string", "The apartment number of APT#+PIN."),
        .init("user_id", "string", "The user id typed on the keypad."),
        .init("plate", "string", "Licence plate."),
        .init("qr", "string", "The QR code's text."),
        .init("identity", "string", "The face or BLE identity."),
        .init("reader", "integer", "The reader it was presented at."),
        .init("door", "integer", "The reader's door."),
        .init("direction", "string", "`entry` or `exit`."),
        .init("user", "table", "`{pin, name}` of the user the credential belongs to, when known."),
        .init(
            "granted", "boolean", always: true, "The decision: the built-in one for `credential`, the final one for `decision`."),
        .init("event_code", "integer", always: true, "PUSH event code of the decision (Appendix 2)."),
        .init("event_name", "string", "The code's name."),
        .init("verify_mode", "integer", always: true, "PUSH verify mode (Appendix 3)."),
        .init(
            "reason", "string",
            "Why it was refused: `unregistered`, `expired`, `outsideTimezone`, … (`refusedByScript` when a script said no), as the REST API names it."
        ),
    ]

    static let callFields: [ScriptEventField] = [
        .init("call", "string", always: true, "The call's id: DTMF digits heard during it carry the same id."),
        .init("direction", "string", always: true, "`incoming` (a phone called the door) or `outgoing` (the door called)."),
        .init(
            "party", "string", always: true,
            "The caller (SIP user, or host) of an incoming call, the callee URI of an outgoing one."),
        .init(
            "phase", "string", always: true,
            "`ringing` (asked: return `{grant = true}` to answer, `{deny = \"why\"}` to refuse), `answered`, `refused`, `dialing`, `connected`, `ended` or `failed`."
        ),
        .init("caller_allowed", "boolean", "While ringing: whether the caller passes the site's DTMF allowlist."),
        .init("uri", "string", "While ringing: the caller's SIP URI."),
        .init("display_name", "string", "While ringing: the caller's display name, when it sent one."),
        .init("event_code", "integer", "239 answered or dialled, 72 refused or failed, 240 ended."),
        .init("event_name", "string", "The code's name."),
        .init("duration", "number", "Seconds the call was up, when it ended."),
        .init("detail", "string", "Words on it (who refused, why it failed)."),
    ]

    /// The fields of a `call` event, for the phases the engine emits and for the ringing question.
    public static func call(_ report: CallReport) -> [String: LuaValue] {
        var fields: [String: LuaValue] = [
            "call": .string(report.call), "direction": .string(report.direction.rawValue), "party": .string(report.party),
            "phase": .string(report.phase.rawValue),
        ]
        if let code = report.journalEvent {
            fields["event_code"] = .integer(Int64(code.rawValue))
            fields["event_name"] = .string(code.name)
        }
        if let duration = report.duration { fields["duration"] = .number(duration) }
        if let detail = report.detail { fields["detail"] = .string(detail) }
        return fields
    }

    /// The documented fields of each event, in the order the docs list them.
    public static func schema(_ event: ScriptEvent) -> [ScriptEventField] {
        switch event {
        case .credential:
            // Asked before the decision: not yet journalled, no sequence.
            return [
                .init("event", "string", always: true, "`credential`."),
                .init("time", "number", always: true, "Unix time, seconds."),
                .init("local_time", "string", always: true, "Site local time."),
                .init(
                    "pin", "string",
                    "The digits typed (PIN, APT#+PIN, card and PIN, user id password): only the `credential` hook sees them."),
            ] + credentialFields
        case .decision:
            return common + credentialFields + [
                .init("user_pin", "string", "The user's PIN (user id), when known."),
                .init("detail", "string", "Why, in words: a script's own reason, `public PIN`, `duress password`, …"),
            ]
        case .dtmf:
            return common + [
                .init("call", "string", always: true, "The call's id (`api` for the REST form)."),
                .init("caller", "string", always: true, "The caller's number or SIP URI."),
                .init("digits", "string", always: true, "The digit sequence (`0`–`9`, `*`, `#`)."),
                .init("caller_allowed", "boolean", always: true, "Whether the caller passes the site's DTMF allowlist."),
                .init(
                    "result", "string", always: true,
                    "What the built-in relay codes did: `opened`, `caller_not_allowed` or `no_matching_code`."),
                .init("relay", "integer", "The relay whose DTMF code matched."),
                .init("door", "integer", "That relay's door."),
            ]
        case .button:
            return common + [
                .init("button", "integer|string", always: true, "The door number of an exit button, or `reception`."),
                .init("door", "integer", "The door it opened (or would have)."),
                .init("granted", "boolean", always: true, "Whether it opened."),
                .init("event_code", "integer", always: true, "202 opened, 209 locked, 36 outside its timezone, 8 reception."),
                .init("event_name", "string", "The code's name."),
                .init("relays", "table", always: true, "The relays it triggered, a list of integers."),
            ]
        case .input:
            return common + [
                .init("input", "integer", always: true, "The input's id."),
                .init("name", "string", always: true, "The input's name."),
                .init("role", "string", always: true, "`exit_button`, `door_sensor` or `auxiliary`."),
                .init("active", "boolean", always: true, "Triggered (after its trigger level and debouncing)."),
                .init("level", "string", always: true, "`low` or `high`, the electrical level."),
                .init("door", "integer", "The door of an exit button or door sensor."),
                .init("relay", "integer", "The relay an auxiliary input energises."),
            ]
        case .door:
            return common + [
                .init("door", "integer", always: true, "The door."),
                .init(
                    "change", "string", always: true,
                    "`opened`, `closed`, `held_open`, `forced`, `opened_remotely`, `closed_remotely`, `normal_open_enabled`, `normal_open_started`, `normal_open_ended` or `alarm_cleared`."
                ),
                .init(
                    "state", "string", always: true,
                    "The door's state after it: `closed`, `open`, `held_open`, `alarm`, `locked` or `normal_open`."),
                .init("event_code", "integer", always: true, "PUSH event code."),
                .init("event_name", "string", "The code's name."),
                .init("relay", "integer", "The door's relay."),
                .init("detail", "string", "Words on it (`open longer than 30 s`)."),
            ]
        case .relay:
            return common + [
                .init("relay", "integer", always: true, "The relay."),
                .init("active", "boolean", always: true, "Energised."),
                .init("door", "integer", "The door it drives."),
            ]
        case .alarm:
            return common + [
                .init(
                    "alarm", "string", always: true,
                    "`held_open`, `forced`, `duress`, `device`, or for a hardware reader `reader_offline` or `reader_tamper`."),
                .init("raised", "boolean", always: true, "true when raised, false when cleared."),
                .init("name", "string", always: true, "What `alarm.clear` takes to clear it: `door:<id>` for door alarms."),
                .init("door", "integer", "The door."),
                .init("event_code", "integer", "PUSH event code."),
                .init("event_name", "string", "The code's name."),
                .init("device", "string", "The PUSH device's serial number, for device alarms."),
                .init("reader", "integer", "The reader, for reader alarms (`name` is then `reader:<id>`)."),
                .init("detail", "string", "Words on it."),
            ]
        case .deviceEvent:
            return common + [
                .init("device", "string", always: true, "The PUSH device's serial number."),
                .init("event_code", "integer", always: true, "The device's event code."),
                .init("event_name", "string", "The code's name."),
                .init("verify_mode", "integer", always: true, "The device's verify mode."),
                .init("door", "integer", "The device's door number."),
                .init("user_pin", "string", "The user, when the device named one."),
                .init("card", "string", "The card, when the device named one."),
                .init("detail", "string", "Words on it."),
            ]
        case .call:
            // Asked while ringing, before the engine has journalled anything: no sequence or index then.
            return common.map { field in
                var field = field
                if field.name == "sequence" {
                    field.always = false
                    field.doc += " Absent while ringing."
                }
                return field
            } + callFields
        case .reload:
            return [
                .init("event", "string", always: true, "`reload`."),
                .init("version", "string", always: true, "The version now serving."),
                .init("previous", "string", always: true, "The version it replaced (`none` at boot)."),
            ]
        case .mqtt:
            return [
                .init("event", "string", always: true, "`mqtt`."),
                .init("topic", "string", always: true, "The topic it arrived on."),
                .init("payload", "string", always: true, "The payload (UTF-8; invalid bytes replaced)."),
                .init("retain", "boolean", always: true, "Whether the broker replayed a retained message."),
                .init("qos", "integer", always: true, "0, 1 or 2."),
            ]
        }
    }

    /// The handler events a typed site event stands for, each with its table (without `event`, which the
    /// dispatcher adds). Site notes (the scripts' own `journal.emit`, errors, reloads) are not fed back.
    public static func events(for event: SiteEvent) -> [(ScriptEvent, [String: LuaValue])] {
        var base: [String: LuaValue] = [
            "time": .number(event.time.timeIntervalSince1970),
            "local_time": .string(event.localTime),
            "source": .string(event.source.description),
            "sequence": .integer(Int64(event.sequence)),
        ]
        if let index = event.journalIndex { base["index"] = .integer(Int64(index)) }
        func with(_ extra: [String: LuaValue]) -> [String: LuaValue] { base.merging(extra) { _, new in new } }
        func code(_ value: Int, into fields: inout [String: LuaValue]) {
            fields["event_code"] = .integer(Int64(value))
            if let name = PushEventCode(rawValue: value)?.name { fields["event_name"] = .string(name) }
        }

        switch event.kind {
        case .decision(let decision):
            var fields = with(credential(decision.credential, secrets: false))
            fields["granted"] = .boolean(decision.isGranted)
            code(decision.event.rawValue, into: &fields)
            fields["verify_mode"] = .integer(Int64(decision.verifyMode.rawValue))
            if let reader = decision.reader { fields["reader"] = .integer(Int64(reader.rawValue)) }
            if let door = decision.door { fields["door"] = .integer(Int64(door.rawValue)) }
            if let direction = decision.direction { fields["direction"] = direction == .entry ? "entry" : "exit" }
            if let user = decision.user {
                fields["user_pin"] = .string(user.rawValue)
                fields["user"] = .table(LuaTable(["pin": .string(user.rawValue), "name": .string(decision.userName ?? "")]))
            }
            if let card = decision.card, fields["card"] == nil { fields["card"] = .string(card.decimal) }
            if let siteCode = decision.siteCode { fields["site_code"] = .integer(Int64(siteCode)) }
            if let reason = decision.outcome.reason { fields["reason"] = .string(reason.rawValue) }
            if let detail = decision.detail { fields["detail"] = .string(detail) }
            var result: [(ScriptEvent, [String: LuaValue])] = [(.decision, fields)]
            if decision.event == .duressPassword, let door = decision.door {
                result.append((.alarm, alarm("duress", raised: true, door: door, base: base, code: decision.event.rawValue)))
            }
            return result
        case .dtmf(let sequence):
            var fields = with([
                "call": .string(sequence.call), "caller": .string(sequence.caller), "digits": .string(sequence.digits),
                "caller_allowed": .boolean(sequence.callerAllowed), "result": .string(sequence.result.rawValue),
            ])
            if let relay = sequence.relay { fields["relay"] = .integer(Int64(relay.rawValue)) }
            if let door = sequence.door { fields["door"] = .integer(Int64(door.rawValue)) }
            return [(.dtmf, fields)]
        case .button(let press):
            var fields = with([
                "granted": .boolean(press.outcome == .granted),
                "relays": .table(LuaTable(array: press.relays.map { .integer(Int64($0.rawValue)) })),
            ])
            switch press.button {
            case .exit(let door): fields["button"] = .integer(Int64(door.rawValue))
            case .reception: fields["button"] = "reception"
            }
            if let door = press.door { fields["door"] = .integer(Int64(door.rawValue)) }
            code(press.event.rawValue, into: &fields)
            return [(.button, fields)]
        case .input(let change):
            var fields = with([
                "input": .integer(Int64(change.input.rawValue)), "name": .string(change.name),
                "role": .string(change.roleName), "active": .boolean(change.isActive),
                "level": change.level == .high ? "high" : "low",
            ])
            if let door = change.door { fields["door"] = .integer(Int64(door.rawValue)) }
            if let relay = change.relay { fields["relay"] = .integer(Int64(relay.rawValue)) }
            return [(.input, fields)]
        case .door(let change):
            var fields = with([
                "door": .integer(Int64(change.door.rawValue)), "change": .string(change.change.rawValue),
                "state": .string(change.state.rawValue),
            ])
            code(change.journalEvent, into: &fields)
            if let relay = change.relay { fields["relay"] = .integer(Int64(relay.rawValue)) }
            if let detail = change.detail { fields["detail"] = .string(detail) }
            var result: [(ScriptEvent, [String: LuaValue])] = [(.door, fields)]
            if change.raisesAlarm || change.change == .alarmCleared {
                var alarmFields = alarm(
                    change.change == .alarmCleared ? "door" : change.change.rawValue, raised: change.raisesAlarm,
                    door: change.door, base: base, code: change.journalEvent)
                if let detail = change.detail { alarmFields["detail"] = .string(detail) }
                result.append((.alarm, alarmFields))
            }
            return result
        case .relay(let change):
            var fields = with(["relay": .integer(Int64(change.relay.rawValue)), "active": .boolean(change.isActive)])
            if let door = change.door { fields["door"] = .integer(Int64(door.rawValue)) }
            return [(.relay, fields)]
        case .output:
            // The level change follows as a `relay` event.
            return []
        case .device(let report):
            var fields = with([
                "device": .string(report.serialNumber), "verify_mode": .integer(Int64(report.verifyMode)),
            ])
            code(report.event, into: &fields)
            if let door = report.door { fields["door"] = .integer(Int64(door.rawValue)) }
            if let pin = report.pin { fields["user_pin"] = .string(pin.rawValue) }
            if let card = report.card { fields["card"] = .string(card) }
            if let detail = report.detail { fields["detail"] = .string(detail) }
            var result: [(ScriptEvent, [String: LuaValue])] = [(.deviceEvent, fields)]
            if report.isAlarm {
                var alarmFields = with([
                    "alarm": "device", "raised": true, "name": .string("device:\(report.serialNumber)"),
                    "device": .string(report.serialNumber),
                ])
                code(report.event, into: &alarmFields)
                if let door = report.door { alarmFields["door"] = .integer(Int64(door.rawValue)) }
                if let detail = report.detail { alarmFields["detail"] = .string(detail) }
                result.append((.alarm, alarmFields))
            }
            return result
        case .reader(let report):
            // Offline and tamper raise an alarm, back online and tamper cleared end it; a key installed is no alarm.
            let raised: Bool
            switch report.change {
            case .offline, .tamper: raised = true
            case .online, .tamperCleared: raised = false
            case .keyInstalled: return []
            }
            let cause = report.change == .offline || report.change == .online ? "reader_offline" : "reader_tamper"
            var fields = with([
                "alarm": .string(cause), "raised": .boolean(raised), "name": .string("reader:\(report.reader.rawValue)"),
                "reader": .integer(Int64(report.reader.rawValue)), "detail": .string(report.detail),
            ])
            if let door = report.door { fields["door"] = .integer(Int64(door.rawValue)) }
            code((report.alarmEvent ?? (cause == "reader_offline" ? .readerOffline : .tamperAlarm)).rawValue, into: &fields)
            return [(.alarm, fields)]
        case .call(let report):
            // A ringing call is a question the SIP endpoint asks the handlers itself (ScriptHost.advise).
            guard report.phase != .ringing else { return [] }
            return [(.call, with(call(report)))]
        case .note, .configured:
            return []
        }

        func alarm(_ cause: String, raised: Bool, door: DoorID, base: [String: LuaValue], code value: Int) -> [String: LuaValue] {
            var fields = base.merging([
                "alarm": .string(cause), "raised": .boolean(raised), "name": .string("door:\(door.rawValue)"),
                "door": .integer(Int64(door.rawValue)),
            ]) { _, new in new }
            code(value, into: &fields)
            return fields
        }
    }

    /// What was presented, as event fields. `secrets`: include the typed digits (only the advisory `credential`
    /// hook gets them; observers and the journal never do).
    static func credential(_ credential: Credential, secrets: Bool) -> [String: LuaValue] {
        var fields: [String: LuaValue] = [:]
        switch credential {
        case .card(let number, let bitLength, let siteCode):
            fields["kind"] = "card"
            fields["card"] = .string(String(number.value))
            if bitLength > 0 { fields["bits"] = .integer(Int64(bitLength)) }
            if let siteCode { fields["site_code"] = .integer(Int64(siteCode)) }
        case .pin(let code):
            fields["kind"] = "pin"
            if secrets { fields["pin"] = .string(code) }
        case .apartmentPIN(let apartment, let pin):
            fields["kind"] = "apartment_pin"
            fields["apartment"] = .string(apartment)
            if secrets { fields["pin"] = .string(pin) }
        case .cardAndPIN(let number, let pin):
            fields["kind"] = "card_and_pin"
            fields["card"] = .string(String(number.value))
            if secrets { fields["pin"] = .string(pin) }
        case .userID(let user, let password):
            fields["kind"] = "user_id"
            fields["user_id"] = .string(user.rawValue)
            if secrets, let password { fields["pin"] = .string(password) }
        case .plate(let plate):
            fields["kind"] = "plate"
            fields["plate"] = .string(plate)
        case .qrCode(let code):
            fields["kind"] = "qr"
            fields["qr"] = .string(code)
        case .identity(let identity):
            fields["kind"] = .string(identity.kind.rawValue)
            fields["identity"] = .string(identity.id)
        }
        return fields
    }
}

extension Decision.Outcome {
    var reason: DenyReason? {
        if case .denied(let reason) = self { return reason }
        return nil
    }
}
