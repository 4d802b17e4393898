import Foundation

/// A relay the site drives: a local relay on the panel, or a web relay / security relay whose effect a driver
/// delivers elsewhere.
public struct Relay: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case local
        case web
        case security
    }

    /// Akuvox "Mode": monostable resets by itself after the hold delay, bistable toggles on each trigger.
    public enum Mode: String, Hashable, Sendable, Codable {
        case monostable
        case bistable
    }

    /// Akuvox "Relay Type".
    public enum Purpose: String, Hashable, Sendable, Codable {
        case openDoor
        case chimeBell
        /// "Other switches (reset by event)": stays active until the triggering event is dealt with.
        case resetByEvent
        /// A ZKTeco auxiliary output (events 12/13).
        case auxiliary
    }

    public var id: RelayID
    public var name: String
    public var kind: Kind
    public var mode: Mode
    public var purpose: Purpose
    /// Seconds between the trigger and the relay energising.
    public var triggerDelay: Int
    /// Seconds a monostable relay stays energised.
    public var holdDelay: Int
    /// "Invert State": the output level reads high when the relay is at rest.
    public var isInverted: Bool
    public var liftControl: Bool
    /// DTMF code (1 digit, or 2–4 digits as set by the site's DTMF length) that opens this relay during a call.
    public var dtmfCode: String?

    public init(
        id: RelayID, name: String? = nil, kind: Kind = .local, mode: Mode = .monostable, purpose: Purpose = .openDoor,
        triggerDelay: Int = 0, holdDelay: Int = 5, isInverted: Bool = false, liftControl: Bool = false,
        dtmfCode: String? = nil
    ) {
        self.id = id
        self.name = name ?? "Relay \(id.rawValue)"
        self.kind = kind
        self.mode = mode
        self.purpose = purpose
        self.triggerDelay = triggerDelay
        self.holdDelay = holdDelay
        self.isInverted = isInverted
        self.liftControl = liftControl
        self.dtmfCode = dtmfCode
    }
}

/// Electrical level of an input or a relay output.
public enum Level: Int, Hashable, Sendable, Codable {
    case low = 0
    case high = 1
}

/// A physical input and what it is bound to.
public struct Input: Hashable, Sendable, Codable {
    public enum Role: Hashable, Sendable, Codable {
        case exitButton(DoorID)
        case doorSensor(DoorID)
        /// An auxiliary input; when it triggers it may energise a relay (Akuvox "Execute Relay").
        case auxiliary(relay: RelayID?)
    }

    public var id: InputID
    public var name: String
    public var role: Role
    /// The level at which the input counts as triggered (Akuvox "Trigger Option").
    public var triggerLevel: Level
    /// Changes closer together than this are contact bounce and ignored.
    public var debounceMilliseconds: Int

    public init(id: InputID, name: String? = nil, role: Role, triggerLevel: Level = .low, debounceMilliseconds: Int = 50) {
        self.id = id
        self.name = name ?? "Input \(id.rawValue)"
        self.role = role
        self.triggerLevel = triggerLevel
        self.debounceMilliseconds = debounceMilliseconds
    }
}

/// Who may open relays with DTMF during a call (Akuvox "Access Phone Numbers").
public enum DTMFWhitelist: String, Hashable, Sendable, Codable {
    case none
    case phonebook
    case all
}

public struct DTMFSettings: Hashable, Sendable, Codable {
    /// Digits in a DTMF code: 1, or 2–4.
    public var codeLength: Int
    public var whitelist: DTMFWhitelist
    /// The door phone's contacts, for `.phonebook`.
    public var phonebook: Set<String>

    public init(codeLength: Int = 1, whitelist: DTMFWhitelist = .all, phonebook: Set<String> = []) {
        self.codeLength = codeLength
        self.whitelist = whitelist
        self.phonebook = phonebook
    }
}

/// The Akuvox reception tab: relays it triggers and the HTTP URLs handed to the outbound actions.
public struct ReceptionSettings: Hashable, Sendable, Codable {
    public var relays: [RelayID]
    public var actionURLs: [String]

    public init(relays: [RelayID] = [], actionURLs: [String] = []) {
        self.relays = relays
        self.actionURLs = actionURLs
    }
}
