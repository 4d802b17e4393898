extension CardLayout {
    /// The data bits of `card`: its fields' bits concatenated in layout order (the whole card for a
    /// layout without fields). This is what Akuvox shows and converts: W26 → 3 bytes, W34 → 4 bytes.
    public func dataBits(of card: CardBits) throws(CardFormatError) -> CardBits {
        guard card.bitCount == bitCount else { throw .wrongBitCount(format: name, expected: bitCount, actual: card.bitCount) }
        guard !fields.isEmpty else { return card }
        var word = Word128.zero
        var count = 0
        for field in fields {
            for run in field.runs {
                word = (word << run.length) | Word128(high: 0, low: card.extract(start: run.start, length: run.length))
                count += run.length
            }
        }
        return CardBits(uncheckedBitCount: count, word: word)
    }

    /// The data bits as one number; throws when they exceed 64 bits.
    public func dataValue(of card: CardBits) throws(CardFormatError) -> UInt64 {
        let data = try dataBits(of: card)
        guard data.bitCount <= 64 else { throw .fieldTooWide(length: data.bitCount) }
        return data.lowWord
    }

    /// Packs `value` across the data bits (fields concatenated in layout order) and adds the checks:
    /// an all-at-once PIN, or an Akuvox byte string, into this layout.
    public func packingData(_ value: UInt64) throws(CardFormatError) -> CardBits {
        let total = dataPositions.count
        guard total > 0 else { throw .invalidLayout(format: name, reason: "it has no data fields") }
        guard total >= 64 || value >> UInt64(total) == 0 else { throw .valueTooWideForBitCount(bitCount: total) }
        var values: [FieldRole: UInt64] = [:]
        var remaining = total
        for field in fields {
            remaining -= field.length
            values[field.role] = (value >> UInt64(remaining)) & (field.length >= 64 ? .max : (1 << UInt64(field.length)) - 1)
        }
        return try pack(values)
    }
}
