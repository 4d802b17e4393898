import Foundation

/// The site's users with lookup indexes keyed by compact values (card number, PIN digits, plate, token), so a
/// decision is a handful of hash lookups and never touches storage.
///
/// Users live in a dense slot array; indexes hold 32-bit slot numbers. A deleted user's slot holds a vacant
/// placeholder (empty PIN, never indexed) until it is reused.
struct UserIndex: Sendable {
    private(set) var slots: [User] = []
    private var freeSlots: [Int32] = []
    private(set) var slotByPIN: [UserPIN: Int32] = [:]
    private(set) var cards: [UInt64: Int32] = [:]
    private(set) var privatePINs: [String: Int32] = [:]
    private(set) var plates: [String: Int32] = [:]
    private(set) var qrTokens: [String: Int32] = [:]
    private(set) var identities: [ExternalIdentity: Int32] = [:]

    var count: Int { slotByPIN.count }

    init() {}

    /// Bulk load (trusted rows from storage): adopts the array as the slot table (no copy) and sizes the indexes
    /// once. A PIN or credential repeated in `users` keeps its last holder.
    init(loading users: [User]) {
        slots = users
        slotByPIN.reserveCapacity(users.count)
        cards.reserveCapacity(users.reduce(0) { $0 + $1.cards.count })
        for (position, user) in users.enumerated() {
            let slot = Int32(truncatingIfNeeded: position)
            if let previous = slotByPIN[user.pin] {
                slots[Int(previous)] = Self.vacant
                freeSlots.append(previous)
            }
            index(user, at: slot)
        }
    }

    private static let vacant = User(pin: "")

    func slot(of pin: UserPIN) -> Int32? { slotByPIN[pin] }
    subscript(slot: Int32) -> User? {
        let user = slots[Int(slot)]
        return user.pin.rawValue.isEmpty ? nil : user
    }
    func user(_ pin: UserPIN) -> User? { slotByPIN[pin].map { slots[Int($0)] } }


    /// Checks `user` against the rules and against every other user. `existing` is the stored version, if any.
    func validate(_ user: User, cardLimit: Int, publicPINs: [String], timezones: (TimezoneID) -> Bool) throws(ModelError) {
        let who = "user \(user.pin)"
        let owner = slotByPIN[user.pin]
        func usedByOther(_ slot: Int32?) -> String? {
            guard let slot, slot != owner, let other = self[slot] else { return nil }
            return "user \(other.pin)"
        }
        guard !user.pin.rawValue.isEmpty, user.pin.rawValue.utf8.count <= 24,
            !user.pin.rawValue.contains(where: { $0.isWhitespace || $0.isNewline })
        else { throw ModelError(field: "\(who): pin", rule: .format("1–24 characters without spaces")) }
        guard user.name.utf8.count <= 128 else { throw ModelError(field: "\(who): name", rule: .length(min: 0, max: 128)) }
        guard (0...9999).contains(user.group) else { throw ModelError(field: "\(who): group", rule: .range(min: 0, max: 9999)) }
        if let validity = user.validity, let start = validity.start, let end = validity.end, start > end {
            throw ModelError(field: "\(who): validity", rule: .conflict("start is after end"))
        }
        guard user.cards.count <= cardLimit else { throw ModelError(field: "\(who): cards", rule: .tooMany(limit: cardLimit)) }
        var seenCards = Set<UInt64>()
        for card in user.cards {
            guard seenCards.insert(card.number.value).inserted else {
                throw ModelError(field: "\(who): card \(card.number)", rule: .duplicate(usedBy: who))
            }
            if let other = usedByOther(cards[card.number.value]) {
                throw ModelError(field: "\(who): card \(card.number)", rule: .duplicate(usedBy: other))
            }
            guard (0...64).contains(card.bitLength) else {
                throw ModelError(field: "\(who): card \(card.number) bit length", rule: .range(min: 0, max: 64))
            }
            if card.bitLength > 0, card.bitLength < 64, card.number.value >> UInt64(card.bitLength) != 0 {
                throw ModelError(field: "\(who): card \(card.number)", rule: .conflict("does not fit in \(card.bitLength) bits"))
            }
        }
        if let code = user.privatePIN {
            guard code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw ModelError(field: "\(who): private PIN", rule: .format("digits only"))
            }
            guard (2...8).contains(code.utf8.count) else {
                throw ModelError(field: "\(who): private PIN", rule: .length(min: 2, max: 8))
            }
            if let other = usedByOther(privatePINs[code]) {
                throw ModelError(field: "\(who): private PIN", rule: .duplicate(usedBy: other))
            }
            if publicPINs.contains(code) {
                throw ModelError(field: "\(who): private PIN", rule: .duplicate(usedBy: "a public PIN"))
            }
        }
        guard user.plates.count <= 5 else { throw ModelError(field: "\(who): licence plates", rule: .tooMany(limit: 5)) }
        var seenPlates = Set<String>()
        for plate in user.plates {
            guard !plate.text.isEmpty, plate.text.count <= 16 else {
                throw ModelError(field: "\(who): licence plate", rule: .length(min: 1, max: 16))
            }
            guard seenPlates.insert(plate.text).inserted, usedByOther(plates[plate.text]) == nil else {
                throw ModelError(
                    field: "\(who): licence plate \(plate.text)",
                    rule: .duplicate(usedBy: usedByOther(plates[plate.text]) ?? who))
            }
        }
        var seenTokens = Set<String>()
        for token in user.qrTokens {
            guard !token.token.isEmpty, token.token.utf8.count <= 512 else {
                throw ModelError(field: "\(who): QR token", rule: .length(min: 1, max: 512))
            }
            guard seenTokens.insert(token.token).inserted, usedByOther(qrTokens[token.token]) == nil else {
                throw ModelError(
                    field: "\(who): QR token", rule: .duplicate(usedBy: usedByOther(qrTokens[token.token]) ?? who))
            }
        }
        var seenIdentities = Set<ExternalIdentity>()
        for identity in user.identities {
            guard !identity.id.isEmpty else { throw ModelError(field: "\(who): \(identity.kind.rawValue) id", rule: .length(min: 1, max: 256)) }
            guard seenIdentities.insert(identity).inserted, usedByOther(identities[identity]) == nil else {
                throw ModelError(
                    field: "\(who): \(identity.kind.rawValue) id \(identity.id)",
                    rule: .duplicate(usedBy: usedByOther(identities[identity]) ?? who))
            }
        }
        for (position, authorisation) in user.authorisations.enumerated() {
            guard timezones(authorisation.timezone) else {
                throw ModelError(
                    field: "\(who): authorisation \(position + 1) timezone", rule: .unknownReference("timezone \(authorisation.timezone)"))
            }
            if let window = authorisation.validity, let start = window.start, let end = window.end, start > end {
                throw ModelError(field: "\(who): authorisation \(position + 1) validity", rule: .conflict("start is after end"))
            }
        }
    }

    /// Inserts or replaces (call `validate` first for outside input).
    mutating func upsert(_ user: User) {
        if slotByPIN[user.pin] != nil { remove(user.pin) }
        insert(user)
    }

    private mutating func insert(_ user: User) {
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            slots[Int(free)] = user
        } else {
            slot = Int32(truncatingIfNeeded: slots.count)
            slots.append(user)
        }
        index(user, at: slot)
    }

    private mutating func index(_ user: User, at slot: Int32) {
        slotByPIN[user.pin] = slot
        for card in user.cards { cards[card.number.value] = slot }
        if let code = user.privatePIN { privatePINs[code] = slot }
        for plate in user.plates { plates[plate.text] = slot }
        for token in user.qrTokens { qrTokens[token.token] = slot }
        for identity in user.identities { identities[identity] = slot }
    }

    @discardableResult
    mutating func remove(_ pin: UserPIN) -> User? {
        guard let slot = slotByPIN.removeValue(forKey: pin) else { return nil }
        let user = slots[Int(slot)]
        for card in user.cards where cards[card.number.value] == slot { cards[card.number.value] = nil }
        if let code = user.privatePIN, privatePINs[code] == slot { privatePINs[code] = nil }
        for plate in user.plates where plates[plate.text] == slot { plates[plate.text] = nil }
        for token in user.qrTokens where qrTokens[token.token] == slot { qrTokens[token.token] = nil }
        for identity in user.identities where identities[identity] == slot { identities[identity] = nil }
        slots[Int(slot)] = Self.vacant
        freeSlots.append(slot)
        return user
    }
}
