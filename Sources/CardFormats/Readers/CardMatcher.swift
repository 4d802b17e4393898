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
///
/// The parity masks of every layout are copied into one flat table at init, so rejecting a card is a
/// bit-count compare plus a few popcounts with no reference counting; only matches build results.
public struct CardMatcher: Sendable {
    public let formats: [AcceptedFormat]
    /// false = ZKTeco ParityVerifyDisable: accept cards whose parity fails.
    public let checkingParity: Bool

    private let entries: [Entry]
    private let parityTable: [ParityEntry]

    private struct Entry: Sendable {
        /// The bit count the format takes; -1 for site formats, which see every card.
        let bitCount: Int
        let parityStart: Int
        let parityEnd: Int
        /// Fixed bits, check bytes, ZKTeco site codes and site formats need the full check.
        let needsFullCheck: Bool
    }

    private struct ParityEntry: Sendable {
        let mask: Word128
        let ownBit: Int
        let even: Bool
    }

    public init(formats: [AcceptedFormat], checkingParity: Bool = true) {
        self.formats = formats
        self.checkingParity = checkingParity
        var entries: [Entry] = []
        var table: [ParityEntry] = []
        for format in formats {
            switch format {
            case .layout(let layout):
                let start = table.count
                for index in layout.parityRules.indices {
                    table.append(ParityEntry(mask: layout.parityMasks[index], ownBit: layout.parityOwnBits[index], even: layout.parityIsEven[index]))
                }
                entries.append(Entry(bitCount: layout.bitCount, parityStart: start, parityEnd: table.count,
                                     needsFullCheck: !layout.fixedBits.isEmpty || !layout.checkBytes.isEmpty))
            case .zkteco(let row):
                entries.append(Entry(bitCount: row.cardBit, parityStart: table.count, parityEnd: table.count, needsFullCheck: true))
            case .site:
                entries.append(Entry(bitCount: -1, parityStart: table.count, parityEnd: table.count, needsFullCheck: true))
            }
        }
        self.entries = entries
        self.parityTable = table
    }

    /// The first format that accepts `card`, or nil.
    public func firstMatch(_ card: CardBits) -> CardMatch? {
        for index in entries.indices where quickAccepts(index, card) {
            if let match = try? attempt(formats[index], card) { return match }
        }
        return nil
    }

    /// Every format that accepts `card`, in order, plus the site formats that failed.
    public func allMatches(_ card: CardBits) -> (matches: [CardMatch], failures: [CardMatchFailure]) {
        var matches: [CardMatch] = []
        matches.reserveCapacity(4)
        var failures: [CardMatchFailure] = []
        for index in entries.indices where quickAccepts(index, card) {
            do {
                if let match = try attempt(formats[index], card, quickCheckWasComplete: !entries[index].needsFullCheck) {
                    matches.append(match)
                }
            } catch {
                failures.append(CardMatchFailure(format: formats[index].name, message: String(describing: error)))
            }
        }
        return (matches, failures)
    }

    /// How many formats accept `card`, without building results.
    public func matchCount(_ card: CardBits) -> Int {
        var count = 0
        for index in entries.indices where quickAccepts(index, card) {
            if !entries[index].needsFullCheck {
                count += 1
            } else if (try? attempt(formats[index], card)) != nil {
                count += 1
            }
        }
        return count
    }

    /// Bit count and parity from the flat tables; true means "a candidate" (full checks follow where needed).
    private func quickAccepts(_ index: Int, _ card: CardBits) -> Bool {
        let entry = entries[index]
        if entry.bitCount >= 0 && entry.bitCount != card.bitCount { return false }
        guard checkingParity else { return true }
        return parityTable.withUnsafeBufferPointer { table in
            for slot in entry.parityStart..<entry.parityEnd {
                let rule = table[slot]
                let ones = (card.word & rule.mask).nonzeroBitCount + (card.word.testBit(rule.ownBit) ? 1 : 0)
                if (ones % 2 == 0) != rule.even { return false }
            }
            return true
        }
    }

    private func attempt(_ format: AcceptedFormat, _ card: CardBits, quickCheckWasComplete: Bool = false) throws -> CardMatch? {
        switch format {
        case .layout(let layout):
            guard quickCheckWasComplete || layout.accepts(card, checkingParity: checkingParity) else { return nil }
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
