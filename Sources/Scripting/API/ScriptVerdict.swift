/// What a `credential` handler asked for. The composition root maps it onto the
/// door engine's `DecisionAdvisor` verdict.
public enum ScriptVerdict: Sendable, Equatable, Codable {
    /// `{deny = "reason"}`
    case deny(reason: String)
    /// `{grant = true, door = id, seconds = n}`; nil fields keep the built-in door and drive time.
    case grant(door: Int64?, seconds: Double?)
    /// `{require = "pin"}`: ask for a second factor.
    case requireFactor(String)

    /// Parses a handler's return value. nil: no verdict (the built-in decision stands).
    static func parse(_ value: LuaValue) throws(HostRaise) -> ScriptVerdict? {
        switch value {
        case .nil: return nil
        case .table(let table):
            if !table["deny"].isNil {
                guard case .string(let reason) = table["deny"] else {
                    throw HostRaise("verdict field 'deny' must be a reason string")
                }
                return .deny(reason: reason)
            }
            if !table["require"].isNil {
                guard case .string(let factor) = table["require"], factor == "pin" else {
                    throw HostRaise("verdict field 'require' must be \"pin\"")
                }
                return .requireFactor(factor)
            }
            if table["grant"] == .boolean(true) {
                var door: Int64?
                if !table["door"].isNil {
                    guard let id = table["door"].integerValue else { throw HostRaise("verdict field 'door' must be an integer") }
                    door = id
                }
                var seconds: Double?
                if !table["seconds"].isNil {
                    guard let value = table["seconds"].doubleValue, value > 0, value <= 86_400 else {
                        throw HostRaise("verdict field 'seconds' must be between 0 and 86400")
                    }
                    seconds = value
                }
                return .grant(door: door, seconds: seconds)
            }
            if table.entries.isEmpty { return nil }
            throw HostRaise("verdict table needs 'deny', 'grant = true' or 'require'")
        default:
            throw HostRaise("credential handler returned a \(value.typeName); expected a verdict table or nothing")
        }
    }

    /// The verdict as the Lua table a handler would return (for `sim.event` and replay output).
    var luaValue: LuaValue {
        switch self {
        case .deny(let reason): return .table(LuaTable(["deny": .string(reason)]))
        case .grant(let door, let seconds):
            var fields: [String: LuaValue] = ["grant": true]
            if let door { fields["door"] = .integer(door) }
            if let seconds { fields["seconds"] = .number(seconds) }
            return .table(LuaTable(fields))
        case .requireFactor(let factor): return .table(LuaTable(["require": .string(factor)]))
        }
    }
}

/// The outcome of a script card-format transform.
public enum CardTransformOutcome: Sendable, Equatable {
    /// The card number (digits only, at most 32).
    case number(String)
    /// The transform returned nil: the bits are not this format.
    case rejected
    /// No script registered a format of that name (or no scripts are loaded).
    case unknownFormat
    /// The transform raised, ran out of budget or returned something invalid: use the built-in format.
    case failed(ScriptDiagnostic)
}
