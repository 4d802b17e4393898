import Foundation
import PushProtocol

/// What a person presented at a reader.
public enum Credential: Hashable, Sendable {
    /// A card; `bitLength` and `siteCode` as the reader decoded them (informational: the number is the key).
    case card(CardNumber, bitLength: Int = 0, siteCode: Int? = nil)
    /// Digits typed on the keypad: a private PIN, a public PIN, a door's emergency or duress password.
    case pin(String)
    /// Akuvox APT#+PIN: the apartment number, then the private PIN.
    case apartmentPIN(apartment: String, pin: String)
    /// Card and password together (Appendix 3 mode 11).
    case cardAndPIN(CardNumber, pin: String)
    /// The user id typed on the keypad, with a password when the mode needs one (Appendix 3 modes 2 and 3).
    case userID(UserPIN, password: String?)
    /// A licence plate read by an LPR camera or a UHF windscreen tag.
    case plate(String)
    /// A QR code scanned at the reader.
    case qrCode(String)
    /// A face or BLE key recognised outside Gatehouse.
    case identity(ExternalIdentity)

    /// The Appendix 3 mode code the journal records for this credential.
    public var verifyMode: VerifyMode {
        switch self {
        case .card: .card
        case .pin, .apartmentPIN: .password
        case .cardAndPIN: .cardAndPassword
        case .userID(_, let password): password == nil ? .userID : .password
        case .plate, .qrCode: .other
        case .identity(let identity): identity.kind == .face ? .face : .other
        }
    }

    var factors: Factors {
        switch self {
        case .card: [.card]
        case .pin, .apartmentPIN: [.password]
        case .cardAndPIN: [.card, .password]
        case .userID(_, let password): password == nil ? [.userID] : [.userID, .password]
        case .plate, .qrCode: [.other]
        case .identity(let identity): identity.kind == .face ? [.face] : [.other]
        }
    }
}

/// The verification factors a credential proves.
struct Factors: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    static let card = Factors(rawValue: 1)
    static let password = Factors(rawValue: 2)
    static let userID = Factors(rawValue: 4)
    static let face = Factors(rawValue: 8)
    static let other = Factors(rawValue: 16)
}

extension VerifyMode {
    /// Whether `factors` satisfy this mode. Modes needing fingerprint, vein or palm cannot be met: Gatehouse does
    /// no biometrics. Plates, QR codes and BLE keys ("other") pass the automatic mode and mode 200 only.
    func accepts(_ factors: Factors) -> Bool {
        switch self {
        case .automatic, .other: true
        case .userID: factors.contains(.userID)
        case .password: factors.contains(.password)
        case .card: factors.contains(.card)
        case .cardOrPassword: factors.contains(.card) || factors.contains(.password)
        case .cardAndPassword: factors.contains(.card) && factors.contains(.password)
        case .face: factors.contains(.face)
        case .faceAndPassword: factors.contains(.face) && factors.contains(.password)
        case .faceAndCard: factors.contains(.face) && factors.contains(.card)
        default: false
        }
    }
}
