import Foundation
import PushProtocol

/// `DoorSensorType`: 0 none, 1 normally open, 2 normally closed contact.
public enum DoorSensorType: Int, Hashable, Sendable, Codable {
    case none = 0
    case normallyOpen = 1
    case normallyClosed = 2
}

/// `DoorFirstCardOpenDoor`: 0 disabled, 1 first-card normal open, 2 first-card activation.
public enum FirstCardMode: Int, Hashable, Sendable, Codable {
    case disabled = 0
    case normalOpen = 1
    case activation = 2
}

/// `DoorInOutAntiPassback`: 0 none, 1 in APB, 2 out APB, 3 in and out APB.
public enum InOutAntiPassback: Int, Hashable, Sendable, Codable {
    case none = 0
    case entry = 1
    case exit = 2
    case both = 3
}

/// A door and its Appendix 10 parameters.
public struct Door: Hashable, Sendable, Codable {
    public var id: DoorID
    public var name: String
    /// `DoorProperty.Address`: the lock relay.
    public var relay: RelayID
    /// `DoorDrivertime`: seconds the lock stays released after a grant (0 uses the relay's hold delay).
    public var lockDriveTime: Int
    /// `ExtDoorDelayDrivertime`: seconds for users with extended unlock.
    public var extendedDriveTime: Int
    /// `DoorKeepOpenTimeZone`: nil disables timed normal open.
    public var normalOpenTimezone: TimezoneID?
    /// `DoorValidTZ`.
    public var validTimezone: TimezoneID
    /// `DoorVerifyType` (Appendix 3).
    public var verifyMode: VerifyMode
    public var sensorType: DoorSensorType
    /// `DoorDetectortime`: seconds the door may stay open before event 28; 0 disables the alarm.
    public var openTimeout: Int
    /// `DoorCloseAndLock`: re-lock as soon as the sensor reports closed.
    public var closeAndLock: Bool
    /// `DoorIntertime`: seconds between two passes of the same user at this door.
    public var punchInterval: Int
    /// `DoorREXInput`: false means the exit button is locked out (event 209).
    public var exitButtonEnabled: Bool
    /// The exit button works only within this timezone (event 36 outside it); nil means always.
    public var exitButtonTimezone: TimezoneID?
    public var firstCardMode: FirstCardMode
    /// `DoorMultiCardOpenDoor`.
    public var multiCardOpen: Bool
    /// `DoorMultiCardInterTime`: seconds within which the group must complete.
    public var multiCardInterval: Int
    public var antiPassback: InOutAntiPassback
    /// `DoorInTimeAPB`: seconds after which a position is forgotten; 0 keeps it until the opposite pass.
    public var antiPassbackDuration: Int
    /// `DoorDisable`.
    public var isDisabled: Bool
    /// `DoorMaskFlag`: locked; credentials are refused with event 63.
    public var isLocked: Bool
    /// `DoorSupperPassWord`: up to 8 digits.
    public var emergencyPassword: String?
    /// `DoorForcePassWord`: up to 6 digits; opens and raises event 101.
    public var duressPassword: String?

    public init(
        id: DoorID, name: String? = nil, relay: RelayID, lockDriveTime: Int = 5, extendedDriveTime: Int = 15,
        normalOpenTimezone: TimezoneID? = nil, validTimezone: TimezoneID = .always, verifyMode: VerifyMode = .automatic,
        sensorType: DoorSensorType = .normallyOpen, openTimeout: Int = 15, closeAndLock: Bool = true,
        punchInterval: Int = 2, exitButtonEnabled: Bool = true, exitButtonTimezone: TimezoneID? = nil,
        firstCardMode: FirstCardMode = .disabled, multiCardOpen: Bool = false, multiCardInterval: Int = 10,
        antiPassback: InOutAntiPassback = .none, antiPassbackDuration: Int = 0, isDisabled: Bool = false,
        isLocked: Bool = false, emergencyPassword: String? = nil, duressPassword: String? = nil
    ) {
        self.id = id
        self.name = name ?? "Door \(id.rawValue)"
        self.relay = relay
        self.lockDriveTime = lockDriveTime
        self.extendedDriveTime = extendedDriveTime
        self.normalOpenTimezone = normalOpenTimezone
        self.validTimezone = validTimezone
        self.verifyMode = verifyMode
        self.sensorType = sensorType
        self.openTimeout = openTimeout
        self.closeAndLock = closeAndLock
        self.punchInterval = punchInterval
        self.exitButtonEnabled = exitButtonEnabled
        self.exitButtonTimezone = exitButtonTimezone
        self.firstCardMode = firstCardMode
        self.multiCardOpen = multiCardOpen
        self.multiCardInterval = multiCardInterval
        self.antiPassback = antiPassback
        self.antiPassbackDuration = antiPassbackDuration
        self.isDisabled = isDisabled
        self.isLocked = isLocked
        self.emergencyPassword = emergencyPassword
        self.duressPassword = duressPassword
    }
}

/// Which side of the door a reader is on (`ReaderProperty.InOut`).
public enum Direction: Int, Hashable, Sendable, Codable {
    case entry = 0
    case exit = 1
}

public struct Reader: Hashable, Sendable, Codable {
    public var id: ReaderID
    public var door: DoorID
    public var direction: Direction

    public init(id: ReaderID, door: DoorID, direction: Direction) {
        self.id = id
        self.door = door
        self.direction = direction
    }
}

/// `firstcard`: `user` may start first-card normal open / activation at `door` while `timezone` is active.
public struct FirstCardRule: Hashable, Sendable, Codable {
    public var door: DoorID
    public var timezone: TimezoneID
    public var user: UserPIN

    public init(door: DoorID, timezone: TimezoneID, user: UserPIN) {
        self.door = door
        self.timezone = timezone
        self.user = user
    }
}

/// `multimcard`: one combination of up to five user groups that together open `door`. A group listed twice needs
/// two different members.
public struct MultiCardCombination: Hashable, Sendable, Codable {
    public var index: Int
    public var door: DoorID
    public var groups: [Int]

    public init(index: Int, door: DoorID, groups: [Int]) {
        self.index = index
        self.door = door
        self.groups = groups
    }
}
