import Foundation

/// What `users.find{...}` looks a user up by.
public enum ScriptUserQuery: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The user's PIN (the PUSH `Pin` id, `user_pin` in journal events).
    case pin(String)
    /// A card number in decimal, as credential events carry it.
    case card(String)

    public var description: String {
        switch self {
        case .pin(let pin): "pin=\(pin)"
        case .card(let card): "card=\(card)"
        }
    }
}

/// A user as scripts see it: a read-only copy of the door engine's record.
public struct ScriptUser: Sendable, Equatable, Codable {
    public var pin: String
    public var name: String
    public var disabled: Bool
    /// nil: unlimited.
    public var validFrom: Date?
    public var validUntil: Date?
    /// Decimal card numbers.
    public var cards: [String]
    public var authorizations: [ScriptAuthorization]
    /// APT#+PIN apartment number, when the user has a residence.
    public var apartment: String?
    public var group: Int
    public var temporary: Bool
    public var superUser: Bool

    public init(
        pin: String, name: String = "", disabled: Bool = false, validFrom: Date? = nil, validUntil: Date? = nil,
        cards: [String] = [], authorizations: [ScriptAuthorization] = [], apartment: String? = nil, group: Int = 1,
        temporary: Bool = false, superUser: Bool = false
    ) {
        self.pin = pin
        self.name = name
        self.disabled = disabled
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.cards = cards
        self.authorizations = authorizations
        self.apartment = apartment
        self.group = group
        self.temporary = temporary
        self.superUser = superUser
    }

    func matches(_ query: ScriptUserQuery) -> Bool {
        switch query {
        case .pin(let pin): self.pin == pin
        case .card(let card): cards.contains(card)
        }
    }
}

/// `userauthorize`: doors the user may pass while the site timezone is active.
public struct ScriptAuthorization: Sendable, Equatable, Codable {
    public var timezone: Int
    public var doors: [Int]
    public var validFrom: Date?
    public var validUntil: Date?

    public init(timezone: Int, doors: [Int], validFrom: Date? = nil, validUntil: Date? = nil) {
        self.timezone = timezone
        self.doors = doors
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// The site's users, read by `users.find`. The composition root adapts the door
/// engine's `Site` (an actor, hence `async`); `gatehouse test` uses the table a
/// test seeds with `sim.users{...}`. A thrown error reaches the script as `nil, err`.
public protocol ScriptUserDirectory: Sendable {
    func find(_ query: ScriptUserQuery) async throws -> ScriptUser?
}

/// A real in-memory directory (tests and hosts without a door engine).
public struct StaticScriptUserDirectory: ScriptUserDirectory {
    public var users: [ScriptUser]
    public init(_ users: [ScriptUser]) { self.users = users }
    public func find(_ query: ScriptUserQuery) async throws -> ScriptUser? { users.first { $0.matches(query) } }
}

extension ScriptUser {
    /// The table `users.find` returns; times are `time.now()`-style seconds.
    var luaValue: LuaValue {
        var fields: [String: LuaValue] = [
            "pin": .string(pin), "name": .string(name), "disabled": .boolean(disabled),
            "cards": .table(LuaTable(array: cards.map(LuaValue.string))),
            "authorizations": .table(LuaTable(array: authorizations.map(\.luaValue))),
            "group": .integer(Int64(group)), "temporary": .boolean(temporary), "super_user": .boolean(superUser),
        ]
        if let validFrom { fields["valid_from"] = .number(validFrom.timeIntervalSince1970) }
        if let validUntil { fields["valid_until"] = .number(validUntil.timeIntervalSince1970) }
        if let apartment { fields["apartment"] = .string(apartment) }
        return .table(LuaTable(fields))
    }

    /// From a `sim.users{...}` entry: `{pin = "7", name = "Ana", cards = {"123"}, apartment = "12", disabled = false,
    /// valid_from = t, valid_until = t, authorizations = {{timezone = 1, doors = {1}}}}`.
    init(lua table: LuaTable, index: Int) throws(HostRaise) {
        func bad(_ what: String) -> HostRaise { HostRaise("bad argument #1 to 'sim.users' (user \(index): \(what))") }
        guard let pin = table["pin"].stringValue ?? table["pin"].integerValue.map(String.init), !pin.isEmpty else {
            throw bad("field 'pin' (string) expected")
        }
        func date(_ key: String) throws(HostRaise) -> Date? {
            guard !table[key].isNil else { return nil }
            guard let seconds = table[key].doubleValue, seconds.isFinite else { throw bad("'\(key)' must be seconds like time.now()") }
            return Date(timeIntervalSince1970: seconds)
        }
        var cards: [String] = []
        if !table["cards"].isNil {
            guard case .table(let list) = table["cards"] else { throw bad("'cards' must be a list of card numbers") }
            for card in list.array {
                guard let text = card.stringValue ?? card.integerValue.map(String.init) else {
                    throw bad("'cards' must be a list of card numbers")
                }
                cards.append(text)
            }
        }
        var authorizations: [ScriptAuthorization] = []
        if case .table(let list) = table["authorizations"] {
            for item in list.array {
                guard case .table(let entry) = item, let timezone = entry["timezone"].integerValue else {
                    throw bad("each authorization needs 'timezone' (integer) and 'doors' (list)")
                }
                let doors = entry["doors"].tableValue?.array.compactMap(\.integerValue).map { Int($0) } ?? []
                authorizations.append(ScriptAuthorization(timezone: Int(timezone), doors: doors))
            }
        }
        self.init(
            pin: pin, name: table["name"].stringValue ?? "", disabled: table["disabled"] == .boolean(true),
            validFrom: try date("valid_from"), validUntil: try date("valid_until"), cards: cards,
            authorizations: authorizations, apartment: table["apartment"].stringValue,
            group: table["group"].integerValue.map { Int($0) } ?? 1, temporary: table["temporary"] == .boolean(true),
            superUser: table["super_user"] == .boolean(true))
    }
}

extension ScriptAuthorization {
    var luaValue: LuaValue {
        var fields: [String: LuaValue] = [
            "timezone": .integer(Int64(timezone)), "doors": .table(LuaTable(array: doors.map { .integer(Int64($0)) })),
        ]
        if let validFrom { fields["valid_from"] = .number(validFrom.timeIntervalSince1970) }
        if let validUntil { fields["valid_until"] = .number(validUntil.timeIntervalSince1970) }
        return .table(LuaTable(fields))
    }
}
