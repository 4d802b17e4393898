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
///
/// Stored in 16 bytes (two per user in a million-user site): the bit length, flags and site code are packed.
public struct Card: Hashable, Sendable, Codable {
    public enum Role: Int, Hashable, Sendable, Codable {
        case main = 0
        case sub = 1
    }

    public var number: CardNumber
    private var bits: UInt8
    private var flags: UInt8
    /// `Int32.min` when the card has no site code.
    private var site: Int32

    public init(number: CardNumber, bitLength: Int = 0, siteCode: Int? = nil, isLost: Bool = false, role: Role = .main) {
        self.number = number
        self.bits = UInt8(clamping: bitLength)
        self.flags = 0
        self.site = siteCode.map { Int32(clamping: $0) } ?? .min
        self.isLost = isLost
        self.role = role
    }

    /// Wiegand bit count the card was enrolled with (0 when unknown; at most 64).
    public var bitLength: Int {
        get { Int(bits) }
        set { bits = UInt8(clamping: newValue) }
    }

    /// Wiegand facility/site code, when the format carries one (0…2,147,483,647).
    public var siteCode: Int? {
        get { site == .min ? nil : Int(site) }
        set { site = newValue.map { Int32(clamping: $0) } ?? .min }
    }

    public var isLost: Bool {
        get { flags & 1 != 0 }
        set { flags = newValue ? flags | 1 : flags & ~1 }
    }

    public var role: Role {
        get { flags & 2 != 0 ? .sub : .main }
        set { flags = newValue == .sub ? flags | 2 : flags & ~2 }
    }

    private enum CodingKeys: String, CodingKey {
        case number, bitLength, siteCode, isLost, role
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            number: CardNumber(try container.decode(UInt64.self, forKey: .number)),
            bitLength: try container.decodeIfPresent(Int.self, forKey: .bitLength) ?? 0,
            siteCode: try container.decodeIfPresent(Int.self, forKey: .siteCode),
            isLost: try container.decodeIfPresent(Bool.self, forKey: .isLost) ?? false,
            role: try container.decodeIfPresent(Role.self, forKey: .role) ?? .main)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number.value, forKey: .number)
        try container.encode(bitLength, forKey: .bitLength)
        try container.encodeIfPresent(siteCode, forKey: .siteCode)
        try container.encode(isLost, forKey: .isLost)
        try container.encode(role, forKey: .role)
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
