import AccessControl
import Foundation
import PushProtocol

/// Maps between the REST API's lower-case names and a model enum, refusing anything else with a 422 that lists
/// the accepted names.
struct APIEnum<Value: Hashable & Sendable>: Sendable {
    let names: [(String, Value)]

    init(_ names: [(String, Value)]) { self.names = names }

    func name(of value: Value) -> String { names.first { $0.1 == value }?.0 ?? "" }

    func value(_ name: String?, default fallback: Value, field: String) throws(APIError) -> Value {
        guard let name else { return fallback }
        guard let value = names.first(where: { $0.0 == name })?.1 else {
            throw unprocessable("\(field) must be one of \(names.map(\.0).joined(separator: ", "))", field: field)
        }
        return value
    }
}

/// A value in 0...65535 seconds (or other unit), the range the door model and PUSH allow.
func checkedRange(_ value: Int?, _ field: String, _ range: ClosedRange<Int> = 0...65535) throws(APIError) -> Int? {
    guard let value else { return nil }
    guard range.contains(value) else {
        throw unprocessable("\(field) must be between \(range.lowerBound) and \(range.upperBound)", field: field)
    }
    return value
}

// MARK: Doors

/// A door's configuration: the ZKTeco Appendix 10 door parameters (`DoorDrivertime`, `DoorValidTZ`,
/// `DoorDetectortime` …) and its lock relay. Omitted fields take the model's defaults.
struct DoorBody: SiteResourceBody {
    var id: Int?
    var name: String?
    var relay: Int
    var lockDriveTime: Int?
    var extendedDriveTime: Int?
    var normalOpenTimezone: Int?
    var validTimezone: Int?
    var verifyMode: Int?
    var sensorType: String?
    var openTimeout: Int?
    var closeAndLock: Bool?
    var punchInterval: Int?
    var exitButtonEnabled: Bool?
    var exitButtonTimezone: Int?
    var firstCardMode: String?
    var multiCardOpen: Bool?
    var multiCardInterval: Int?
    var antiPassback: String?
    var antiPassbackDuration: Int?
    var disabled: Bool?
    var locked: Bool?
    var emergencyPassword: String?
    var duressPassword: String?

    enum CodingKeys: String, CodingKey {
        case id, name, relay, disabled, locked
        case lockDriveTime = "lock_drive_time"
        case extendedDriveTime = "extended_drive_time"
        case normalOpenTimezone = "normal_open_timezone"
        case validTimezone = "valid_timezone"
        case verifyMode = "verify_mode"
        case sensorType = "sensor_type"
        case openTimeout = "open_timeout"
        case closeAndLock = "close_and_lock"
        case punchInterval = "punch_interval"
        case exitButtonEnabled = "exit_button_enabled"
        case exitButtonTimezone = "exit_button_timezone"
        case firstCardMode = "first_card_mode"
        case multiCardOpen = "multi_card_open"
        case multiCardInterval = "multi_card_interval"
        case antiPassback = "anti_passback"
        case antiPassbackDuration = "anti_passback_duration"
        case emergencyPassword = "emergency_password"
        case duressPassword = "duress_password"
    }

    static let collection = "doors"
    static let noun = "door"
    static let fieldNames = [
        "id": "id", "relay": "relay", "valid timezone": "valid_timezone", "normal-open timezone": "normal_open_timezone",
        "exit button timezone": "exit_button_timezone", "lock drive time": "lock_drive_time",
        "extended drive time": "extended_drive_time", "door-open timeout": "open_timeout", "punch interval": "punch_interval",
        "multi-card interval": "multi_card_interval", "anti-passback duration": "anti_passback_duration",
        "emergency password": "emergency_password", "duress password": "duress_password",
    ]
    static let sensorTypes = APIEnum<DoorSensorType>([
        ("none", .none), ("normally_open", .normallyOpen), ("normally_closed", .normallyClosed),
    ])
    static let firstCardModes = APIEnum<FirstCardMode>([
        ("disabled", .disabled), ("normal_open", .normalOpen), ("activation", .activation),
    ])
    static let antiPassbackModes = APIEnum<InOutAntiPassback>([
        ("none", .none), ("entry", .entry), ("exit", .exit), ("both", .both),
    ])

    static func key(fromPath text: String) -> Int? { identifier(text, maximum: 64) }
    func key() throws(APIError) -> Int? { try Self.checkedIdentifier(id, maximum: 64) }

    static func resources(of site: Site) async -> [DoorResource] { await site.doorResources() }
    static func resource(_ key: Int, of site: Site) async -> DoorResource? { await site.doorResource(DoorID(key)) }

    func door(_ key: Int) throws(APIError) -> Door {
        guard relay > 0 else { throw unprocessable("relay must be a relay id (1 or more)", field: "relay") }
        var door = Door(id: DoorID(key), name: name, relay: RelayID(relay))
        if let value = try checkedRange(lockDriveTime, "lock_drive_time") { door.lockDriveTime = value }
        if let value = try checkedRange(extendedDriveTime, "extended_drive_time") { door.extendedDriveTime = value }
        door.normalOpenTimezone = normalOpenTimezone.map(TimezoneID.init)
        if let validTimezone { door.validTimezone = TimezoneID(validTimezone) }
        if let verifyMode {
            guard let mode = VerifyMode(rawValue: verifyMode) else {
                throw unprocessable("verify_mode \(verifyMode) is not a verification mode of Appendix 3", field: "verify_mode")
            }
            door.verifyMode = mode
        }
        door.sensorType = try Self.sensorTypes.value(sensorType, default: door.sensorType, field: "sensor_type")
        if let value = try checkedRange(openTimeout, "open_timeout") { door.openTimeout = value }
        door.closeAndLock = closeAndLock ?? door.closeAndLock
        if let value = try checkedRange(punchInterval, "punch_interval") { door.punchInterval = value }
        door.exitButtonEnabled = exitButtonEnabled ?? door.exitButtonEnabled
        door.exitButtonTimezone = exitButtonTimezone.map(TimezoneID.init)
        door.firstCardMode = try Self.firstCardModes.value(firstCardMode, default: door.firstCardMode, field: "first_card_mode")
        door.multiCardOpen = multiCardOpen ?? door.multiCardOpen
        if let value = try checkedRange(multiCardInterval, "multi_card_interval") { door.multiCardInterval = value }
        door.antiPassback = try Self.antiPassbackModes.value(antiPassback, default: door.antiPassback, field: "anti_passback")
        if let value = try checkedRange(antiPassbackDuration, "anti_passback_duration") { door.antiPassbackDuration = value }
        door.isDisabled = disabled ?? false
        door.isLocked = locked ?? false
        door.emergencyPassword = emergencyPassword
        door.duressPassword = duressPassword
        return door
    }

    func store(as key: Int, in site: Site) async throws {
        var configured = try door(key)
        // Locking is also a live action (POST …/lock, /unlock); a PUT that leaves `locked` out keeps it as it is.
        if locked == nil, let current = await site.currentConfiguration.doors.first(where: { $0.id == configured.id }) {
            configured.isLocked = current.isLocked
        }
        try await site.upsert(configured)
    }

    static func delete(_ key: Int, from site: Site) async throws { try await site.deleteDoor(DoorID(key)) }
}

/// A door's configuration with its live state (`sensor_open`, `relay_active`, `normal_open`, `break_in_latched`,
/// `first_card_activated`; `locked` is both).
struct DoorResource: Encodable, Sendable {
    var door: Door
    var state: DoorSnapshot

    init(_ door: Door, _ state: DoorSnapshot) {
        self.door = door
        self.state = state
    }

    /// The live fields; the configuration fields use the request body's own keys (`DoorBody.CodingKeys`).
    enum LiveKeys: String, CodingKey {
        case sensorOpen = "sensor_open"
        case relayActive = "relay_active"
        case normalOpen = "normal_open"
        case breakInLatched = "break_in_latched"
        case firstCardActivated = "first_card_activated"
        case state
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DoorBody.CodingKeys.self)
        try container.encode(door.id.rawValue, forKey: .id)
        try container.encode(door.name, forKey: .name)
        try container.encode(door.relay.rawValue, forKey: .relay)
        try container.encode(door.lockDriveTime, forKey: .lockDriveTime)
        try container.encode(door.extendedDriveTime, forKey: .extendedDriveTime)
        try container.encode(door.normalOpenTimezone?.rawValue, forKey: .normalOpenTimezone)
        try container.encode(door.validTimezone.rawValue, forKey: .validTimezone)
        try container.encode(door.verifyMode.rawValue, forKey: .verifyMode)
        try container.encode(DoorBody.sensorTypes.name(of: door.sensorType), forKey: .sensorType)
        try container.encode(door.openTimeout, forKey: .openTimeout)
        try container.encode(door.closeAndLock, forKey: .closeAndLock)
        try container.encode(door.punchInterval, forKey: .punchInterval)
        try container.encode(door.exitButtonEnabled, forKey: .exitButtonEnabled)
        try container.encode(door.exitButtonTimezone?.rawValue, forKey: .exitButtonTimezone)
        try container.encode(DoorBody.firstCardModes.name(of: door.firstCardMode), forKey: .firstCardMode)
        try container.encode(door.multiCardOpen, forKey: .multiCardOpen)
        try container.encode(door.multiCardInterval, forKey: .multiCardInterval)
        try container.encode(DoorBody.antiPassbackModes.name(of: door.antiPassback), forKey: .antiPassback)
        try container.encode(door.antiPassbackDuration, forKey: .antiPassbackDuration)
        try container.encode(door.isDisabled, forKey: .disabled)
        try container.encode(state.isLocked, forKey: .locked)
        try container.encode(door.emergencyPassword, forKey: .emergencyPassword)
        try container.encode(door.duressPassword, forKey: .duressPassword)
        var live = encoder.container(keyedBy: LiveKeys.self)
        try live.encode(state.isSensorOpen, forKey: .sensorOpen)
        try live.encode(state.isRelayActive, forKey: .relayActive)
        try live.encode(state.isNormalOpen, forKey: .normalOpen)
        try live.encode(state.isBreakInLatched, forKey: .breakInLatched)
        try live.encode(state.isFirstCardActivated, forKey: .firstCardActivated)
        try live.encode(state.state.rawValue, forKey: .state)
    }
}

// MARK: Readers

/// A reader and the side of its door it is on (`ReaderProperty.InOut`).
struct ReaderBody: SiteResourceBody {
    var id: Int?
    var door: Int
    var direction: String?

    static let collection = "readers"
    static let noun = "reader"
    static let fieldNames = ["door": "door"]
    static let directions = APIEnum<Direction>([("entry", .entry), ("exit", .exit)])

    static func key(fromPath text: String) -> Int? { identifier(text) }
    func key() throws(APIError) -> Int? { try Self.checkedIdentifier(id) }

    static func resources(of site: Site) async -> [ReaderResource] {
        await site.currentConfiguration.readers.sorted { $0.id < $1.id }.map(ReaderResource.init)
    }

    static func resource(_ key: Int, of site: Site) async -> ReaderResource? {
        await site.currentConfiguration.readers.first { $0.id.rawValue == key }.map(ReaderResource.init)
    }

    func store(as key: Int, in site: Site) async throws {
        guard (1...64).contains(door) else { throw unprocessable("door must be a door id 1–64", field: "door") }
        let side = try Self.directions.value(direction, default: .entry, field: "direction")
        try await site.upsert(Reader(id: ReaderID(key), door: DoorID(door), direction: side))
    }

    static func delete(_ key: Int, from site: Site) async throws { try await site.deleteReader(ReaderID(key)) }
}

struct ReaderResource: Encodable, Sendable {
    var id: Int
    var door: Int
    var direction: String

    init(_ reader: Reader) {
        id = reader.id.rawValue
        door = reader.door.rawValue
        direction = ReaderBody.directions.name(of: reader.direction)
    }
}

// MARK: Relays

/// A relay as the Akuvox relay page describes it: `kind` (local, web, security), `mode` (monostable resets by
/// itself after `hold_delay` seconds, bistable toggles), `purpose` (Akuvox "Relay Type"), `trigger_delay`
/// seconds before it energises, `inverted` ("Invert State"), `lift_control`, and the `dtmf_code` that opens it
/// during a call.
struct RelayBody: SiteResourceBody {
    var id: Int?
    var name: String?
    var kind: String?
    var mode: String?
    var purpose: String?
    var triggerDelay: Int?
    var holdDelay: Int?
    var inverted: Bool?
    var liftControl: Bool?
    var dtmfCode: String?

    enum CodingKeys: String, CodingKey {
        case id, name, kind, mode, purpose, inverted
        case triggerDelay = "trigger_delay"
        case holdDelay = "hold_delay"
        case liftControl = "lift_control"
        case dtmfCode = "dtmf_code"
    }

    static let collection = "relays"
    static let noun = "relay"
    static let fieldNames = [
        "id": "id", "trigger delay": "trigger_delay", "hold delay": "hold_delay", "mode": "mode", "DTMF code": "dtmf_code",
    ]
    static let kinds = APIEnum<Relay.Kind>([("local", .local), ("web", .web), ("security", .security)])
    static let modes = APIEnum<Relay.Mode>([("monostable", .monostable), ("bistable", .bistable)])
    static let purposes = APIEnum<Relay.Purpose>([
        ("open_door", .openDoor), ("chime_bell", .chimeBell), ("reset_by_event", .resetByEvent), ("auxiliary", .auxiliary),
    ])

    static func key(fromPath text: String) -> Int? { identifier(text) }
    func key() throws(APIError) -> Int? { try Self.checkedIdentifier(id) }

    static func resources(of site: Site) async -> [RelayResource] { await site.relayResources() }
    static func resource(_ key: Int, of site: Site) async -> RelayResource? { await site.relayResource(RelayID(key)) }

    func relay(_ key: Int) throws(APIError) -> Relay {
        let resolvedMode = try Self.modes.value(self.mode, default: .monostable, field: "mode")
        return Relay(
            id: RelayID(key), name: name, kind: try Self.kinds.value(kind, default: .local, field: "kind"), mode: resolvedMode,
            purpose: try Self.purposes.value(purpose, default: .openDoor, field: "purpose"),
            triggerDelay: try checkedRange(triggerDelay, "trigger_delay") ?? 0,
            // A bistable relay has no hold delay; the model insists on 0 for it.
            holdDelay: try checkedRange(holdDelay, "hold_delay") ?? (resolvedMode == .bistable ? 0 : 5),
            isInverted: inverted ?? false, liftControl: liftControl ?? false, dtmfCode: dtmfCode)
    }

    func store(as key: Int, in site: Site) async throws { try await site.upsert(try relay(key)) }
    static func delete(_ key: Int, from site: Site) async throws { try await site.deleteRelay(RelayID(key)) }
}

/// A relay's configuration with its live output: `active` (energised) and `level` (after "Invert State").
struct RelayResource: Encodable, Sendable {
    var relay: Relay
    var output: RelayOutput

    enum CodingKeys: String, CodingKey {
        case id, name, kind, mode, purpose, inverted, active, level
        case triggerDelay = "trigger_delay"
        case holdDelay = "hold_delay"
        case liftControl = "lift_control"
        case dtmfCode = "dtmf_code"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(relay.id.rawValue, forKey: .id)
        try container.encode(relay.name, forKey: .name)
        try container.encode(RelayBody.kinds.name(of: relay.kind), forKey: .kind)
        try container.encode(RelayBody.modes.name(of: relay.mode), forKey: .mode)
        try container.encode(RelayBody.purposes.name(of: relay.purpose), forKey: .purpose)
        try container.encode(relay.triggerDelay, forKey: .triggerDelay)
        try container.encode(relay.holdDelay, forKey: .holdDelay)
        try container.encode(relay.isInverted, forKey: .inverted)
        try container.encode(relay.liftControl, forKey: .liftControl)
        try container.encode(relay.dtmfCode, forKey: .dtmfCode)
        try container.encode(output.isActive, forKey: .active)
        try container.encode(output.level == .high ? "high" : "low", forKey: .level)
    }
}

// MARK: Inputs

/// A physical input: an exit button or a door sensor of `door`, or an auxiliary input that may trigger `relay`
/// (Akuvox "Execute Relay"); `trigger_level` is the Akuvox "Trigger Option" (the level at which it counts as
/// triggered), `debounce_ms` the shortest change that is not contact bounce.
struct InputBody: SiteResourceBody {
    var id: Int?
    var name: String?
    var role: String
    var door: Int?
    var relay: Int?
    var triggerLevel: String?
    var debounceMilliseconds: Int?

    enum CodingKeys: String, CodingKey {
        case id, name, role, door, relay
        case triggerLevel = "trigger_level"
        case debounceMilliseconds = "debounce_ms"
    }

    static let collection = "inputs"
    static let noun = "input"
    static let fieldNames = ["debounce": "debounce_ms", "door": "door", "door sensor": "door", "relay": "relay"]
    static let levels = APIEnum<Level>([("low", .low), ("high", .high)])

    static func key(fromPath text: String) -> Int? { identifier(text) }
    func key() throws(APIError) -> Int? { try Self.checkedIdentifier(id) }

    static func resources(of site: Site) async -> [InputResource] { await site.inputResources() }
    static func resource(_ key: Int, of site: Site) async -> InputResource? { await site.inputResource(InputID(key)) }

    func input(_ key: Int) throws(APIError) -> Input {
        let resolvedRole: Input.Role
        switch self.role {
        case "exit_button", "door_sensor":
            guard let door else { throw unprocessable("an \(self.role) input needs its door", field: "door") }
            guard (1...64).contains(door) else { throw unprocessable("door must be a door id 1–64", field: "door") }
            guard relay == nil else {
                throw unprocessable("only an auxiliary input triggers a relay of its own", field: "relay")
            }
            resolvedRole = self.role == "exit_button" ? .exitButton(DoorID(door)) : .doorSensor(DoorID(door))
        case "auxiliary":
            guard door == nil else { throw unprocessable("an auxiliary input belongs to no door", field: "door") }
            if let relay, relay < 1 { throw unprocessable("relay must be a relay id (1 or more)", field: "relay") }
            resolvedRole = .auxiliary(relay: relay.map(RelayID.init))
        default:
            throw unprocessable("role must be one of exit_button, door_sensor, auxiliary", field: "role")
        }
        return Input(
            id: InputID(key), name: name, role: resolvedRole,
            triggerLevel: try Self.levels.value(triggerLevel, default: .low, field: "trigger_level"),
            debounceMilliseconds: try checkedRange(debounceMilliseconds, "debounce_ms", 0...10_000) ?? 50)
    }

    func store(as key: Int, in site: Site) async throws { try await site.upsert(try input(key)) }
    static func delete(_ key: Int, from site: Site) async throws { try await site.deleteInput(InputID(key)) }
}

/// An input's configuration with its debounced live state `active`.
struct InputResource: Encodable, Sendable {
    var input: Input
    var isActive: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, role, door, relay, active
        case triggerLevel = "trigger_level"
        case debounceMilliseconds = "debounce_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input.id.rawValue, forKey: .id)
        try container.encode(input.name, forKey: .name)
        let (role, door, relay): (String, DoorID?, RelayID?) =
            switch input.role {
            case .exitButton(let door): ("exit_button", door, nil)
            case .doorSensor(let door): ("door_sensor", door, nil)
            case .auxiliary(let relay): ("auxiliary", nil, relay)
            }
        try container.encode(role, forKey: .role)
        try container.encode(door?.rawValue, forKey: .door)
        try container.encode(relay?.rawValue, forKey: .relay)
        try container.encode(InputBody.levels.name(of: input.triggerLevel), forKey: .triggerLevel)
        try container.encode(input.debounceMilliseconds, forKey: .debounceMilliseconds)
        try container.encode(isActive, forKey: .active)
    }
}
