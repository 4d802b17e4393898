/// A small JSON value with ordered objects, so `gatehouse push decode` prints fields in wire order. Rendering is
/// done here, not by JSONEncoder, to keep key order and to avoid any Foundation formatting differences.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// Pretty-printed JSON with two-space indentation.
    public func rendered(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let innerPad = String(repeating: "  ", count: indent + 1)
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .string(let value): return JSONValue.quote(value)
        case .array(let values):
            if values.isEmpty { return "[]" }
            return "[\n" + values.map { innerPad + $0.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { innerPad + JSONValue.quote($0.0) + ": " + $0.1.rendered(indent: indent + 1) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + hexByte(UInt8(scalar.value)).lowercased()
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func optional(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
}

/// Types that have a JSON view.
public protocol PushJSONRepresentable {
    var json: JSONValue { get }
}

extension PushField: PushJSONRepresentable {
    public var json: JSONValue { .object([("key", .string(key)), ("value", JSONValue.optional(value))]) }
}

func fieldsJSON(_ fields: [PushField]) -> JSONValue {
    // An object when keys are unique (the usual case), else the ordered list of pairs so nothing is lost.
    var seen = Set<String>()
    for field in fields where !seen.insert(field.key).inserted {
        return .array(fields.map(\.json))
    }
    return .object(fields.map { ($0.key, JSONValue.optional($0.value)) })
}

extension PushRecord: PushJSONRepresentable {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let tag { members.append(("tag", .string(tag))) }
        members.append(("fields", fieldsJSON(fields)))
        if encoding != .utf8 { members.append(("encoding", .string(encoding.rawValue))) }
        return .object(members)
    }
}

extension PushOptionList: PushJSONRepresentable {
    public var json: JSONValue { fieldsJSON(fields) }
}

extension PushKeyValueLines: PushJSONRepresentable {
    public var json: JSONValue { fieldsJSON(fields) }
}

extension PushTimestamp: PushJSONRepresentable {
    public var json: JSONValue {
        switch self {
        case .valid(let value): .object([("valid", .bool(true)), ("text", .string(value.text))])
        case .unparsable(let raw): .object([("valid", .bool(false)), ("raw", .string(raw))])
        }
    }
}

extension RealtimeEvent: PushJSONRepresentable {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string("event")), ("time", time.json)]
        members.append(("pin", JSONValue.optional(pin)))
        members.append(("cardno", JSONValue.optional(cardNumberText)))
        if let card = cardNumber { members.append(("cardNumber", .int(Int(clamping: card.value)))) }
        members.append(("event", JSONValue.optional(eventCode)))
        members.append(("eventName", JSONValue.optional(event?.name)))
        members.append(("eventClass", JSONValue.optional(eventClass?.rawValue)))
        members.append(("eventaddr", JSONValue.optional(eventAddress)))
        members.append(("inoutstatus", JSONValue.optional(inOutStatus)))
        members.append(("verifytype", JSONValue.optional(verifyTypeText)))
        if let mode = verifyMode { members.append(("verifyMode", .string(mode.name))) }
        if let factors = verificationFactors { members.append(("verificationFactors", .array(factors.map { .string("\($0)") }))) }
        members.append(("index", JSONValue.optional(index)))
        members.append(("record", record.json))
        return .object(members)
    }
}

extension RealtimeState: PushJSONRepresentable {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string("state")), ("time", time.json)]
        if let doors {
            members.append(("doors", .array(doors.map { door in
                .object([
                    ("door", .int(door.door)), ("sensor", .string(door.sensor.rawValue)),
                    ("relayBitSet", .bool(door.relayBitSet)), ("alarms", .array(door.alarmNames.map(JSONValue.string))),
                ])
            })))
        }
        members.append(("record", record.json))
        return .object(members)
    }
}

extension RealtimeRow: PushJSONRepresentable {
    public var json: JSONValue {
        switch self {
        case .event(let event): event.json
        case .state(let state): state.json
        }
    }
}

extension CommandResult: PushJSONRepresentable {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("id", .string(id))]
        members.append(("return", JSONValue.optional(returnText)))
        if let code = returnCode {
            members.append(("returnMeaning", .string(code.description)))
            members.append(("success", .bool(code.isSuccess)))
        }
        members.append(("cmd", JSONValue.optional(command)))
        if let serial = serialNumber { members.append(("sn", .string(serial))) }
        members.append(("fields", .array(fields.map(\.json))))
        members.append(("payload", .array(payload.map(JSONValue.string))))
        return .object(members)
    }
}

extension PushQuery: PushJSONRepresentable {
    public var json: JSONValue { fieldsJSON(items) }
}
