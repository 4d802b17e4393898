import Foundation
import Logging

/// `gatehouse replay <site> <events.jsonl>`: feeds recorded events through the
/// scripts in the fake world and prints what they did, one JSON object per
/// line with sorted keys, so the output diffs cleanly against a golden file.
///
/// Input lines: `{"event": "credential", "fields": {...}, "at": 1767225600,
/// "replies": {"url substring": {"status": 200} | "error text"}, "users": [{"pin": "7", "cards": [{"number": "123"}]}]}`
/// (`at`, `replies` and `users` optional; `event` and `fields` as `sim.event` takes them, `users` as `sim.users`;
/// blank lines and lines starting with `#` are skipped). The events enter the site's real door engine.
/// Output lines: `{"line": n, "kind": "relay.open", ...}` for each action and
/// outbound request, `{"line": n, "kind": "decision", ...}` for the engine's answer (the REST API's)
/// and `{"line": n, "kind": "error", "error": "..."}`.
public enum ScriptReplay {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case site(ScriptDiagnostic)
        case input(line: Int, message: String)

        public var description: String {
            switch self {
            case .site(let diagnostic): diagnostic.description
            case .input(let line, let message): "events line \(line): \(message)"
            }
        }
    }

    /// One event line of the input.
    public struct Line: Sendable {
        public var number: Int
        public var event: String
        public var fields: LuaTable
        public var at: Date?
        /// `sim.reply` patterns, in the order given.
        public var replies: [(pattern: String, reply: LuaValue)]
        /// `sim.users` bodies.
        public var users: LuaValue?
    }

    /// Parses the JSON lines; errors name the line.
    public static func parse(_ events: String) throws(Failure) -> [Line] {
        var lines: [Line] = []
        for (offset, rawLine) in events.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let text = rawLine.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                throw .input(line: number, message: "not a JSON object")
            }
            guard case .string(let name)? = object["event"] else {
                throw .input(line: number, message: "field 'event' must be a string: credential, dtmf, button or input")
            }
            for key in object.keys where !["event", "fields", "at", "replies", "users"].contains(key) {
                throw .input(line: number, message: "unknown field '\(key)' (known: event, fields, at, replies, users)")
            }
            var line = Line(number: number, event: name, fields: LuaTable(), at: nil, replies: [], users: nil)
            switch object["at"] {
            case .integer(let at)?: line.at = Date(timeIntervalSince1970: Double(at))
            case .number(let at)?: line.at = Date(timeIntervalSince1970: at)
            case nil: break
            default: throw .input(line: number, message: "'at' must be a Unix time in seconds")
            }
            if let given = object["replies"] {
                guard case .object(let replies) = given else { throw .input(line: number, message: "'replies' must be an object") }
                for (pattern, reply) in replies.sorted(by: { $0.key < $1.key }) {
                    switch reply {
                    case .string, .object: line.replies.append((pattern, LuaValue(json: reply)))
                    default: throw .input(line: number, message: "a reply must be an object or an error string")
                    }
                }
            }
            if let given = object["users"] {
                guard case .array = given else { throw .input(line: number, message: "'users' must be a list of user objects") }
                line.users = LuaValue(json: given)
            }
            switch object["fields"] {
            case .object?: if case .table(let table) = LuaValue(json: object["fields"]!) { line.fields = table }
            case nil: break
            default: throw .input(line: number, message: "'fields' must be an object")
            }
            lines.append(line)
        }
        return lines
    }

    public static func jsonLine(_ fields: [String: LuaValue]) -> String {
        let object = fields.compactMapValues { $0.isNil ? nil : $0.jsonObject }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension LuaValue {
    /// From a parsed JSON value: integral numbers become integers, objects and arrays tables.
    public init(json: JSONValue) {
        switch json {
        case .string(let text): self = .string(text)
        case .bool(let flag): self = .boolean(flag)
        case .integer(let number): self = .integer(number)
        case .number(let number): self = .number(number)
        case .array(let array): self = .table(LuaTable(array: array.map { LuaValue(json: $0) }))
        case .object(let object): self = .table(LuaTable(object.mapValues { LuaValue(json: $0) }))
        case .null: self = .nil
        }
    }

    /// For JSONSerialization: tables with keys 1...n become arrays, other tables objects (non-string keys stringified).
    public var jsonObject: Any? {
        switch self {
        case .nil, .function, .other: return nil
        case .boolean(let flag): return flag
        case .integer(let number): return number
        case .number(let number): return number.isFinite ? number : nil
        case .string(let text): return text
        case .table(let table):
            let array = table.array
            if !table.entries.isEmpty && array.count == table.entries.count { return array.compactMap(\.jsonObject) }
            var object: [String: Any] = [:]
            for entry in table.entries {
                let key: String
                switch entry.key {
                case .string(let text): key = text
                case .integer(let number): key = String(number)
                default: continue
                }
                if let value = entry.value.jsonObject { object[key] = value }
            }
            return object
        }
    }
}

/// A parsed JSON value (JSONSerialization's Any loses the bool/number distinction on Linux).
public enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
