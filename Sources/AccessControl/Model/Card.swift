import Foundation
import PushProtocol

/// Card numbers are PushProtocol's `CardNumber` (the bits a reader delivered, up to 64); the door model adds the
/// decimal and big-endian hex views the `mulcarduser` table and Akuvox displays use. The card → user index is keyed
/// by `value`.
extension CardNumber {
    /// Parses a decimal card number (`user.CardNo=123456789`).
    public init(decimal text: String) throws(ModelError) {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = UInt64(text) else {
            throw ModelError(field: "card \(text)", rule: .format("a decimal number of at most 64 bits"))
        }
        self.init(value)
    }

    /// Parses a big-endian hexadecimal card number (`mulcarduser.CardNo=DF349C3BEA5277ED`).
    public init(hex text: String) throws(ModelError) {
        guard !text.isEmpty, text.count <= 16, let value = UInt64(text, radix: 16) else {
            throw ModelError(field: "card \(text)", rule: .format("a hexadecimal number of at most 16 digits"))
        }
        self.init(value)
    }

    public var decimal: String { String(value) }

    /// Upper-case big-endian hex with an even number of digits.
    public var hex: String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count % 2 == 0 ? digits : "0" + digits
    }
}

/// A card enrolled to a user (PUSH `mulcarduser`: LossCardFlag, CardType main/sub, CardBit, SiteCode).
public struct Card: Hashable, Sendable, Codable {
    public enum Role: Int, Hashable, Sendable, Codable {
        case main = 0
        case sub = 1
    }

    public var number: CardNumber
    /// Wiegand bit count the card was enrolled with (0 when unknown).
    public var bitLength: Int
    /// Wiegand facility/site code, when the format carries one.
    public var siteCode: Int?
    public var isLost: Bool
    public var role: Role

    public init(number: CardNumber, bitLength: Int = 0, siteCode: Int? = nil, isLost: Bool = false, role: Role = .main) {
        self.number = number
        self.bitLength = bitLength
        self.siteCode = siteCode
        self.isLost = isLost
        self.role = role
    }
}

/// A licence plate; Akuvox allows a validity window for vehicles that are not "long-term".
public struct LicencePlate: Hashable, Sendable, Codable {
    public var text: String
    public var validity: DateWindow?

    public init(_ text: String, validity: DateWindow? = nil) {
        self.text = LicencePlate.normalised(text)
        self.validity = validity
    }

    /// Cameras disagree on spaces, dashes and case; the index compares plates without them.
    public static func normalised(_ text: String) -> String {
        String(text.uppercased().filter { $0.isLetter || $0.isNumber })
    }
}

/// A QR token handed to a visitor or resident, valid within its window.
public struct QRToken: Hashable, Sendable, Codable {
    public var token: String
    public var validity: DateWindow

    public init(_ token: String, validity: DateWindow) {
        self.token = token
        self.validity = validity
    }
}

/// An identity recognised outside Gatehouse (a face engine, a BLE key app) and handed in by id.
public struct ExternalIdentity: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case face
        case bluetoothKey = "ble"
    }

    public var kind: Kind
    public var id: String

    public init(_ kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }
}
