/// A card recognised by one accepted format.
public struct CardMatch: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// A built-in or ZKTeco layout: the fields and every check's outcome.
        case decoded(DecodedCard)
        /// A site format: the card number it produced.
        case site(number: String)
    }

    public let format: String
    public let source: Source

    /// The decoded fields, for layout matches.
    public var decoded: DecodedCard? {
        if case .decoded(let card) = source { return card }
        return nil
    }
}

/// A site format that threw something other than ``ExternalCardFormatDeclined``.
public struct CardMatchFailure: Sendable, Hashable {
    public let format: String
    public let message: String
}

/// Tries a card against formats in configured order (the DoorAutoMatch idea generalised): built-in
/// layouts, ZKTeco rows and site formats alike.
public struct CardMatcher: Sendable {
    public let formats: [AcceptedFormat]
    /// false = ZKTeco ParityVerifyDisable: accept cards whose parity fails.
    public let checkingParity: Bool

    public init(formats: [AcceptedFormat], checkingParity: Bool = true) {
        self.formats = formats
        self.checkingParity = checkingParity
    }

    /// The first format that accepts `card`, or nil.
    public func firstMatch(_ card: CardBits) -> CardMatch? {
        for format in formats {
            if let match = try? attempt(format, card) { return match }
        }
        return nil
    }

    /// Every format that accepts `card`, in order, plus the site formats that failed.
    public func allMatches(_ card: CardBits) -> (matches: [CardMatch], failures: [CardMatchFailure]) {
        var matches: [CardMatch] = []
        var failures: [CardMatchFailure] = []
        for format in formats {
            do {
                if let match = try attempt(format, card) { matches.append(match) }
            } catch {
                failures.append(CardMatchFailure(format: format.name, message: String(describing: error)))
            }
        }
        return (matches, failures)
    }

    /// How many formats accept `card`, without building results (the hot path of auto-matching).
    public func matchCount(_ card: CardBits) -> Int {
        var count = 0
        for format in formats {
            switch format {
            case .layout(let layout):
                if layout.accepts(card, checkingParity: checkingParity) { count += 1 }
            default:
                if (try? attempt(format, card)) != nil { count += 1 }
            }
        }
        return count
    }

    private func attempt(_ format: AcceptedFormat, _ card: CardBits) throws -> CardMatch? {
        switch format {
        case .layout(let layout):
            guard layout.accepts(card, checkingParity: checkingParity) else { return nil }
            return CardMatch(format: layout.name, source: .decoded(try layout.unpack(card)))
        case .zkteco(let row):
            guard let decoded = row.decode(card, checkingParity: checkingParity) else { return nil }
            return CardMatch(format: row.formatName, source: .decoded(decoded))
        case .site(let external):
            do {
                return CardMatch(format: external.name, source: .site(number: try external.transform(card)))
            } catch is ExternalCardFormatDeclined {
                return nil
            } catch {
                throw CardFormatError.externalFormatFailed(name: external.name, message: String(describing: error))
            }
        }
    }
}
