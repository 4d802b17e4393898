import Foundation
import Logging

/// `gatehouse replay <site> <events.jsonl>`: feeds recorded events through the
/// scripts in the fake world and prints what they did, one JSON object per
/// line with sorted keys, so the output diffs cleanly against a golden file.
///
/// Input lines: `{"event": "credential", "fields": {...}, "at": 1767225600,
/// "replies": {"url substring": {"status": 200} | "error text"}, "users": [{"pin": "7", "cards": ["123"]}]}`
/// (`at`, `replies` and `users` optional; `users` replaces the directory `users.find` reads, like `sim.users`;
/// blank lines and lines starting with `#` are skipped).
/// Output lines: `{"line": n, "kind": "relay.open", ...}` for each action and
/// outbound request, `{"line": n, "kind": "verdict", ...}` for a credential
/// verdict and `{"line": n, "kind": "error", "error": "file:line: message"}`.
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

    public static func run(siteDirectory: URL, events: String, limits: ScriptLimits = .init()) throws(Failure) -> [String] {
        let bundle: SiteBundle
        do {
            bundle = try SiteBundle.snapshot(of: siteDirectory)
        } catch {
            throw .site(ScriptDiagnostic(file: siteDirectory.path, line: 0, message: error.description))
        }
        return try run(bundle: bundle, events: events, limits: limits)
    }

    static func run(bundle: SiteBundle, events: String, limits: ScriptLimits) throws(Failure) -> [String] {
        var logger = Logger(label: "gatehouse.scripts.replay")
        logger.logLevel = .critical
        let driver: SimulationDriver
        do throws(LuaVM.Failure) {
            driver = try SimulationDriver.make(bundle: bundle, files: ["main.lua"], limits: limits, start: ScriptTestRunner.start, logger: logger)
        } catch {
            throw .site(error.diagnostic)
        }
        defer { driver.vm.close() }
        var output: [String] = []
        for (offset, rawLine) in events.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let text = rawLine.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                throw .input(line: number, message: "not a JSON object")
            }
            guard case .string(let name)? = object["event"], let event = ScriptEvent(rawValue: name) else {
                throw .input(line: number, message: "field 'event' must be one of \(ScriptEvent.namesForMessages)")
            }
            switch object["at"] {
            case .integer(let at)?: driver.advance(by: Date(timeIntervalSince1970: Double(at)).timeIntervalSince(driver.clock.now))
            case .number(let at)?: driver.advance(by: Date(timeIntervalSince1970: at).timeIntervalSince(driver.clock.now))
            default: break
            }
            if case .object(let replies)? = object["replies"] {
                for (pattern, reply) in replies.sorted(by: { $0.key < $1.key }) {
                    switch reply {
                    case .string(let message): driver.simulation.replies.append(.init(pattern: pattern, result: .failure(message)))
                    case .object(let fields):
                        driver.simulation.replies.append(.init(pattern: pattern, result: .success(fields.mapValues { LuaValue(json: $0) })))
                    default: throw .input(line: number, message: "a reply must be an object or an error string")
                    }
                }
            }
            if let given = object["users"] {
                guard case .array(let list) = given else { throw .input(line: number, message: "'users' must be a list of user objects") }
                var users: [ScriptUser] = []
                for (index, item) in list.enumerated() {
                    guard case .table(let table) = LuaValue(json: item) else {
                        throw .input(line: number, message: "user \(index + 1) must be an object")
                    }
                    do throws(HostRaise) {
                        users.append(try ScriptUser(lua: table, index: index + 1))
                    } catch {
                        throw .input(line: number, message: error.message)
                    }
                }
                driver.simulation.users = users
            }
            var fields: [String: LuaValue] = [:]
            if case .object(let given)? = object["fields"] { fields = given.mapValues { LuaValue(json: $0) } }
            let failuresBefore = driver.failures.count
            driver.simulation.record.removeAll()
            let verdict = driver.deliver(event, LuaTable(fields))
            for record in driver.simulation.record {
                guard let fields = record.luaRecord else { continue }
                output.append(jsonLine(fields.merging(["line": .integer(Int64(number))]) { a, _ in a }))
            }
            if let verdict, case .table(let table) = verdict.luaValue {
                var fields: [String: LuaValue] = ["line": .integer(Int64(number)), "kind": "verdict"]
                for entry in table.entries { if case .string(let key) = entry.key { fields[key] = entry.value } }
                output.append(jsonLine(fields))
            }
            for (label, failure) in driver.failures.dropFirst(failuresBefore) {
                output.append(jsonLine(["line": .integer(Int64(number)), "kind": "error", "handler": .string(label), "error": .string(failure.diagnostic.description)]))
            }
        }
        return output
    }

    static func jsonLine(_ fields: [String: LuaValue]) -> String {
        let object = fields.compactMapValues { $0.isNil ? nil : $0.jsonObject }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

extension LuaValue {
    /// From a parsed JSON value: integral numbers become integers, objects and arrays tables.
    init(json: JSONValue) {
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
    var jsonObject: Any? {
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
