import PushProtocol
import Foundation

extension Site {
    public var userCount: Int { users.count }

    public func user(_ pin: UserPIN) -> User? { users.user(pin) }

    /// Users ordered by PIN, a page at a time. The order is cached and rebuilt only after users are added or
    /// removed, so paging through a million users does not sort them once per page.
    public func users(offset: Int = 0, limit: Int = 100) -> [User] {
        let order = pinOrder()
        let start = max(0, offset)
        guard start < order.count, limit > 0 else { return [] }
        return order[start..<min(order.count, start + limit)].compactMap { users.user($0) }
    }

    /// Users in PIN order strictly after `pin` (from the first when nil): a keyset page, which neither skips nor
    /// repeats a user when others are added or removed between pages, as an offset would.
    public func users(after pin: UserPIN?, limit: Int = 100) -> [User] {
        let order = pinOrder()
        var start = 0
        if let pin {
            // The first PIN greater than `pin` (binary search; `pin` itself need not exist any more).
            var high = order.count
            while start < high {
                let middle = (start + high) / 2
                if order[middle] <= pin { start = middle + 1 } else { high = middle }
            }
        }
        guard start < order.count, limit > 0 else { return [] }
        return order[start..<min(order.count, start + limit)].compactMap { users.user($0) }
    }

    private func pinOrder() -> [UserPIN] {
        if let cached = sortedPINs { return cached }
        let order = users.slotByPIN.keys.sorted()
        sortedPINs = order
        return order
    }

    /// The user holding a card, a private PIN or a plate (for APIs that look credentials up).
    public func user(holding card: CardNumber) -> User? { users.cards[card.value].flatMap { users[$0] } }

    /// Adds or replaces a user with all their credentials and authorisations. Validated first, then stored in one
    /// transaction, then live; a failure at any step leaves everything as it was.
    public func upsert(_ user: User) async throws {
        try validate(user)
        try await userDirectory.apply(.upsert(user))
        if users.slot(of: user.pin) == nil { sortedPINs = nil }
        users.upsert(user)
    }

    public func deleteUser(_ pin: UserPIN) async throws {
        guard users.user(pin) != nil else { throw ModelError(field: "user \(pin)", rule: .notFound) }
        try await userDirectory.apply(.delete(pin))
        users.remove(pin)
        sortedPINs = nil
        // The store drops the user's first-card rules in the same transaction.
        if configuration.firstCardRules.contains(where: { $0.user == pin }) {
            configuration.firstCardRules.removeAll { $0.user == pin }
            firstCardRules = Derived(configuration).firstCardRules
        }
        for id in doorStates.keys { doorStates[id]?.lastPass[pin] = nil }
        resetAntiPassback(of: pin)
    }

    func validate(_ user: User) throws(ModelError) {
        let book = schedules
        try users.validate(
            user, cardLimit: configuration.settings.cardLimitPerUser,
            publicPINs: configuration.settings.siteCodes.publicPINs, timezones: { book.contains($0) })
    }

    private func existing(_ pin: UserPIN) throws(ModelError) -> User {
        guard let user = users.user(pin) else { throw ModelError(field: "user \(pin)", rule: .notFound) }
        return user
    }

    public func addCard(_ card: Card, to pin: UserPIN) async throws {
        var user = try existing(pin)
        user.cards.append(card)
        try await upsert(user)
    }

    public func updateCard(_ card: Card, of pin: UserPIN) async throws {
        var user = try existing(pin)
        guard let at = user.cards.firstIndex(where: { $0.number == card.number }) else {
            throw ModelError(field: "user \(pin): card \(card.number)", rule: .notFound)
        }
        user.cards[at] = card
        try await upsert(user)
    }

    public func removeCard(_ number: CardNumber, from pin: UserPIN) async throws {
        var user = try existing(pin)
        guard user.cards.contains(where: { $0.number == number }) else {
            throw ModelError(field: "user \(pin): card \(number)", rule: .notFound)
        }
        user.cards.removeAll { $0.number == number }
        try await upsert(user)
    }

    public func setPrivatePIN(_ code: String?, for pin: UserPIN) async throws {
        var user = try existing(pin)
        user.privatePIN = code
        try await upsert(user)
    }

    public func addPlate(_ plate: LicencePlate, to pin: UserPIN) async throws {
        var user = try existing(pin)
        user.plates.append(plate)
        try await upsert(user)
    }

    public func removePlate(_ text: String, from pin: UserPIN) async throws {
        var user = try existing(pin)
        let normalised = LicencePlate.normalised(text)
        guard user.plates.contains(where: { $0.text == normalised }) else {
            throw ModelError(field: "user \(pin): licence plate \(normalised)", rule: .notFound)
        }
        user.plates.removeAll { $0.text == normalised }
        try await upsert(user)
    }

    public func addQRToken(_ token: QRToken, to pin: UserPIN) async throws {
        var user = try existing(pin)
        user.qrTokens.append(token)
        try await upsert(user)
    }

    public func addIdentity(_ identity: ExternalIdentity, to pin: UserPIN) async throws {
        var user = try existing(pin)
        user.identities.append(identity)
        try await upsert(user)
    }

    public func removeIdentity(_ identity: ExternalIdentity, from pin: UserPIN) async throws {
        var user = try existing(pin)
        guard user.identities.contains(identity) else {
            throw ModelError(field: "user \(pin): \(identity.kind.rawValue) id \(identity.id)", rule: .notFound)
        }
        user.identities.removeAll { $0 == identity }
        try await upsert(user)
    }

    /// Adds an authorisation (`userauthorize`); an existing one for the same timezone is replaced.
    public func authorise(_ pin: UserPIN, _ authorisation: Authorisation) async throws {
        var user = try existing(pin)
        user.authorisations.removeAll { $0.timezone == authorisation.timezone }
        user.authorisations.append(authorisation)
        try await upsert(user)
    }

    public func revokeAuthorisation(of pin: UserPIN, timezone: TimezoneID) async throws {
        var user = try existing(pin)
        guard user.authorisations.contains(where: { $0.timezone == timezone }) else {
            throw ModelError(field: "user \(pin): authorisation for timezone \(timezone)", rule: .notFound)
        }
        user.authorisations.removeAll { $0.timezone == timezone }
        try await upsert(user)
    }
}
