import Foundation
import PushProtocol

/// PUSH `user.Privilege`.
public enum Privilege: Int, Hashable, Sendable, Codable, CaseIterable {
    case common = 0
    case registrar = 2
    case administrator = 6
    case userDefined = 10
    case superAdministrator = 14
}

/// Where a resident lives (Akuvox building / floor / room, and the apartment number used by APT#+PIN).
public struct Residence: Hashable, Sendable, Codable {
    public var building: String
    public var floor: String
    public var room: String
    public var apartment: String

    public init(building: String = "", floor: String = "", room: String = "", apartment: String = "") {
        self.building = building
        self.floor = floor
        self.room = room
        self.apartment = apartment
    }
}

/// `userauthorize`: the user may pass the doors of `doors` while `timezone` is active (and within `validity`).
public struct Authorisation: Hashable, Sendable, Codable {
    public var timezone: TimezoneID
    public var doors: DoorMask
    public var validity: DateWindow?

    public init(timezone: TimezoneID, doors: DoorMask, validity: DateWindow? = nil) {
        self.timezone = timezone
        self.doors = doors
        self.validity = validity
    }
}

/// A person known to the site, with every credential and authorisation they hold.
///
/// Fields follow PUSH `user` / `extuser` / `mulcarduser` / `userauthorize` and the Akuvox user page. Stored
/// properties are ordered to pack (a site may hold a million of these in memory); the residence, which most
/// deployments leave empty, lives in an immutable shared box.
public struct User: Hashable, Sendable, Codable {
    public var pin: UserPIN
    public var name: String
    /// The private PIN (2–8 digits, unique on the site).
    public var privatePIN: String?
    private var residenceBox: ResidenceBox?
    public var cards: [Card]
    public var plates: [LicencePlate]
    public var qrTokens: [QRToken]
    public var identities: [ExternalIdentity]
    public var authorisations: [Authorisation]
    public var group: Int
    /// `user.StartTime` / `EndTime`; nil means unlimited.
    public var validity: DateWindow?
    public var privilege: Privilege
    /// Blacklisted: every credential is refused with event 39.
    public var isDisabled: Bool
    /// `extuser.PersonalVS`: overrides the door's verify mode when set.
    public var verifyMode: VerifyMode?
    /// Super authorisation: passes any door at any time (event 208), like ZKTeco's super user.
    public var isSuperUser: Bool
    /// `extuser.FunSwitch` bit 2: a visitor.
    public var isTemporary: Bool
    /// `extuser.FunSwitch` bit 1: the door's extended drive time applies (`ExtDoorDelayDrivertime`).
    public var hasExtendedUnlock: Bool

    public var residence: Residence? {
        get { residenceBox?.value }
        set { residenceBox = newValue.map(ResidenceBox.init) }
    }

    private enum CodingKeys: String, CodingKey {
        case pin, name, privatePIN, cards, plates, qrTokens, identities, authorisations, group, validity, privilege
        case isDisabled, verifyMode, isSuperUser, isTemporary, hasExtendedUnlock
        case residenceBox = "residence"
    }

    public init(
        pin: UserPIN, name: String = "", privilege: Privilege = .common, group: Int = 1, validity: DateWindow? = nil,
        isDisabled: Bool = false, verifyMode: VerifyMode? = nil, isSuperUser: Bool = false, isTemporary: Bool = false,
        hasExtendedUnlock: Bool = false, residence: Residence? = nil, privatePIN: String? = nil, cards: [Card] = [],
        plates: [LicencePlate] = [], qrTokens: [QRToken] = [], identities: [ExternalIdentity] = [],
        authorisations: [Authorisation] = []
    ) {
        self.pin = pin
        self.name = name
        self.privilege = privilege
        self.group = group
        self.validity = validity
        self.isDisabled = isDisabled
        self.verifyMode = verifyMode
        self.isSuperUser = isSuperUser
        self.isTemporary = isTemporary
        self.hasExtendedUnlock = hasExtendedUnlock
        self.residenceBox = residence.map(ResidenceBox.init)
        self.privatePIN = privatePIN
        self.cards = cards
        self.plates = plates
        self.qrTokens = qrTokens
        self.identities = identities
        self.authorisations = authorisations
    }

    /// `extuser.FunSwitch` as the PUSH table carries it.
    public var functionSwitch: Int {
        get { (hasExtendedUnlock ? 1 : 0) | (isTemporary ? 2 : 0) }
        set {
            hasExtendedUnlock = newValue & 1 != 0
            isTemporary = newValue & 2 != 0
        }
    }
}

/// Immutable, so sharing it between copies of a `User` keeps value semantics.
final class ResidenceBox: Hashable, Sendable, Codable {
    let value: Residence

    init(_ value: Residence) { self.value = value }

    static func == (lhs: ResidenceBox, rhs: ResidenceBox) -> Bool { lhs.value == rhs.value }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }

    init(from decoder: any Decoder) throws { value = try Residence(from: decoder) }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
