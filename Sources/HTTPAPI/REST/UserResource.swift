import AccessControl
import Foundation
import PushProtocol

/// A user as the REST API shows and accepts it.
///
/// `{"pin": "1001", "name": "Alice", "cards": [{"number": "4567"}], "pin_code": "4321", "valid_from": null,
///  "valid_until": "2027-01-01T00:00:00Z", "disabled": false, "authorizations": [{"timezone": 1, "doors": [1, 2]}]}`
/// plus what the door model holds (privilege, residence, plates, QR tokens, identities …). Cards are decimal
/// strings or `{"bits": 26, "hex": "…"}`.
struct UserResource: Codable, Sendable {
    struct CardResource: Codable, Sendable {
        var number: String?
        var bits: Int?
        var hex: String?
        var siteCode: Int?
        var lost: Bool?
        var role: String?

        enum CodingKeys: String, CodingKey {
            case number, bits, hex, lost, role
            case siteCode = "site_code"
        }
    }

    struct AuthorizationResource: Codable, Sendable {
        var timezone: Int
        var doors: [Int]
        var validFrom: Date?
        var validUntil: Date?

        enum CodingKeys: String, CodingKey {
            case timezone, doors
            case validFrom = "valid_from"
            case validUntil = "valid_until"
        }
    }

    struct WindowedText: Codable, Sendable {
        var value: String
        var validFrom: Date?
        var validUntil: Date?

        enum CodingKeys: String, CodingKey {
            case value
            case validFrom = "valid_from"
            case validUntil = "valid_until"
        }
    }

    struct IdentityResource: Codable, Sendable {
        var kind: String
        var id: String
    }

    struct ResidenceResource: Codable, Sendable {
        var building: String?
        var floor: String?
        var room: String?
        var apartment: String?
    }

    var pin: String
    var name: String?
    var privilege: Int?
    var group: Int?
    var validFrom: Date?
    var validUntil: Date?
    var disabled: Bool?
    var superUser: Bool?
    var temporary: Bool?
    var extendedUnlock: Bool?
    var verifyMode: Int?
    var residence: ResidenceResource?
    var pinCode: String?
    var cards: [CardResource]?
    var plates: [WindowedText]?
    var qrCodes: [WindowedText]?
    var identities: [IdentityResource]?
    var authorizations: [AuthorizationResource]?

    enum CodingKeys: String, CodingKey {
        case pin, name, privilege, group, disabled, residence, cards, plates, identities, authorizations
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case superUser = "super_user"
        case temporary
        case extendedUnlock = "extended_unlock"
        case verifyMode = "verify_mode"
        case pinCode = "pin_code"
        case qrCodes = "qr_codes"
    }

    /// Always writes every key (null where empty), so clients see the whole shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pin, forKey: .pin)
        try container.encode(name ?? "", forKey: .name)
        try container.encode(privilege ?? 0, forKey: .privilege)
        try container.encode(group ?? 1, forKey: .group)
        try container.encode(validFrom.map(RFC3339.format), forKey: .validFrom)
        try container.encode(validUntil.map(RFC3339.format), forKey: .validUntil)
        try container.encode(disabled ?? false, forKey: .disabled)
        try container.encode(superUser ?? false, forKey: .superUser)
        try container.encode(temporary ?? false, forKey: .temporary)
        try container.encode(extendedUnlock ?? false, forKey: .extendedUnlock)
        try container.encode(verifyMode, forKey: .verifyMode)
        try container.encode(residence, forKey: .residence)
        try container.encode(pinCode, forKey: .pinCode)
        try container.encode(cards ?? [], forKey: .cards)
        try container.encode(plates ?? [], forKey: .plates)
        try container.encode(qrCodes ?? [], forKey: .qrCodes)
        try container.encode(identities ?? [], forKey: .identities)
        try container.encode(authorizations ?? [], forKey: .authorizations)
    }

    init(_ user: User) {
        pin = user.pin.rawValue
        name = user.name
        privilege = user.privilege.rawValue
        group = user.group
        validFrom = user.validity?.start
        validUntil = user.validity?.end
        disabled = user.isDisabled
        superUser = user.isSuperUser
        temporary = user.isTemporary
        extendedUnlock = user.hasExtendedUnlock
        verifyMode = user.verifyMode?.rawValue
        residence = user.residence.map {
            ResidenceResource(building: $0.building, floor: $0.floor, room: $0.room, apartment: $0.apartment)
        }
        pinCode = user.privatePIN
        cards = user.cards.map {
            CardResource(
                number: $0.number.decimal, bits: $0.bitLength > 0 ? $0.bitLength : nil, hex: $0.number.hex,
                siteCode: $0.siteCode, lost: $0.isLost, role: $0.role == .main ? "main" : "sub")
        }
        plates = user.plates.map { WindowedText(value: $0.text, validFrom: $0.validity?.start, validUntil: $0.validity?.end) }
        qrCodes = user.qrTokens.map { WindowedText(value: $0.token, validFrom: $0.validity.start, validUntil: $0.validity.end) }
        identities = user.identities.map { IdentityResource(kind: $0.kind.rawValue, id: $0.id) }
        authorizations = user.authorisations.map {
            AuthorizationResource(
                timezone: $0.timezone.rawValue, doors: $0.doors.doors.map(\.rawValue), validFrom: $0.validity?.start,
                validUntil: $0.validity?.end)
        }
    }

    /// The door-model user this resource describes; every problem names its field.
    func user() throws(APIError) -> User {
        guard !pin.isEmpty else { throw unprocessable("pin must not be empty", field: "pin") }
        var user = User(pin: UserPIN(pin))
        user.name = name ?? ""
        if let privilege {
            guard let value = Privilege(rawValue: privilege) else {
                throw unprocessable("privilege must be one of 0, 2, 6, 10, 14", field: "privilege")
            }
            user.privilege = value
        }
        user.group = group ?? 1
        user.validity = Self.window(validFrom, validUntil)
        if let start = validFrom, let end = validUntil, end < start {
            throw unprocessable("valid_until is before valid_from", field: "valid_until")
        }
        user.isDisabled = disabled ?? false
        user.isSuperUser = superUser ?? false
        user.isTemporary = temporary ?? false
        user.hasExtendedUnlock = extendedUnlock ?? false
        if let verifyMode {
            guard let mode = VerifyMode(rawValue: verifyMode) else {
                throw unprocessable("verify_mode \(verifyMode) is not a verification mode of Appendix 3", field: "verify_mode")
            }
            user.verifyMode = mode
        }
        if let residence {
            user.residence = Residence(
                building: residence.building ?? "", floor: residence.floor ?? "", room: residence.room ?? "",
                apartment: residence.apartment ?? "")
        }
        user.privatePIN = pinCode
        for (index, card) in (cards ?? []).enumerated() {
            user.cards.append(try Self.card(card, field: "cards[\(index)]"))
        }
        user.plates = (plates ?? []).map { LicencePlate($0.value, validity: Self.window($0.validFrom, $0.validUntil)) }
        for (index, qr) in (qrCodes ?? []).enumerated() {
            guard let window = Self.window(qr.validFrom, qr.validUntil) else {
                throw unprocessable("a QR code needs valid_from or valid_until", field: "qr_codes[\(index)]")
            }
            user.qrTokens.append(QRToken(qr.value, validity: window))
        }
        for (index, identity) in (identities ?? []).enumerated() {
            guard let kind = ExternalIdentity.Kind(rawValue: identity.kind) else {
                throw unprocessable("unknown identity kind '\(identity.kind)'", field: "identities[\(index)].kind")
            }
            user.identities.append(ExternalIdentity(kind, id: identity.id))
        }
        for (index, authorization) in (authorizations ?? []).enumerated() {
            if let bad = authorization.doors.first(where: { !(1...64).contains($0) }) {
                throw unprocessable("door \(bad) is out of range 1...64", field: "authorizations[\(index)].doors")
            }
            user.authorisations.append(
                Authorisation(
                    timezone: TimezoneID(authorization.timezone), doors: DoorMask(authorization.doors.map(DoorID.init)),
                    validity: Self.window(authorization.validFrom, authorization.validUntil)))
        }
        return user
    }

    static func window(_ start: Date?, _ end: Date?) -> DateWindow? {
        start == nil && end == nil ? nil : DateWindow(start: start, end: end)
    }

    static func card(_ card: CardResource, field: String) throws(APIError) -> Card {
        let number: CardNumber
        do {
            switch (card.number, card.hex) {
            case (let decimal?, nil): number = try CardNumber(decimal: decimal)
            case (nil, let hex?): number = try CardNumber(hex: hex)
            case (let decimal?, let hex?):
                number = try CardNumber(decimal: decimal)
                guard try CardNumber(hex: hex) == number else {
                    throw unprocessable("number and hex disagree", field: field)
                }
            case (nil, nil): throw unprocessable("a card needs number (decimal string) or hex", field: field)
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw unprocessable("\(error)", field: field)
        }
        if let bits = card.bits, !(1...64).contains(bits) {
            throw unprocessable("bits must be in 1...64", field: "\(field).bits")
        }
        let role: Card.Role
        switch card.role ?? "main" {
        case "main": role = .main
        case "sub": role = .sub
        default: throw unprocessable("role must be main or sub", field: "\(field).role")
        }
        return Card(number: number, bitLength: card.bits ?? 0, siteCode: card.siteCode, isLost: card.lost ?? false, role: role)
    }
}
