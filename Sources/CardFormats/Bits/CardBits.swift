/// A card value as a reader sends it: a bit length and that many bits.
///
/// Never a bare integer: BQT34 and D10202 can give the same hex for the same FC/CN while
/// differing in length, so the length travels with the bits.
///
/// Positions are numbered from 0 in transmission order: position 0 is sent first and is the most
/// significant bit (the Proxmark3 convention). Internally the bits are kept right-aligned in a
/// 128-bit word, so the numeric value of the card is the integer those bits spell.
public struct CardBits: Hashable, Sendable {
    /// The widest card the module models (the Akuvox custom reader mode allows 1–128 bits).
    public static let maximumBitCount = 128

    /// How many bits the card has (1...128).
    public let bitCount: Int
    @usableFromInline var word: Word128

    @inlinable
    init(uncheckedBitCount bitCount: Int, word: Word128) {
        self.bitCount = bitCount
        self.word = word & Word128.lowOnes(bitCount)
    }

    /// A card of `bitCount` zero bits.
    public init(bitCount: Int) throws(CardFormatError) {
        try self.init(bitCount: bitCount, high: 0, low: 0)
    }

    /// A card whose bits spell `value` (right-aligned); throws when `value` needs more than `bitCount` bits.
    public init(bitCount: Int, value: UInt64) throws(CardFormatError) {
        try self.init(bitCount: bitCount, high: 0, low: value)
    }

    /// A card whose bits spell the 128-bit value `high:low` (right-aligned).
    public init(bitCount: Int, high: UInt64, low: UInt64) throws(CardFormatError) {
        guard (1...Self.maximumBitCount).contains(bitCount) else { throw .bitCountOutOfRange(bitCount) }
        let word = Word128(high: high, low: low)
        guard (word & ~Word128.lowOnes(bitCount)).isZero else { throw .valueTooWideForBitCount(bitCount: bitCount) }
        self.init(uncheckedBitCount: bitCount, word: word)
    }

    /// Parses a string of `0` and `1` (spaces and underscores ignored); its length is the bit count.
    public init(binary text: String) throws(CardFormatError) {
        var word = Word128.zero
        var count = 0
        for character in text {
            switch character {
            case "0", "1":
                count += 1
                guard count <= Self.maximumBitCount else { throw .bitCountOutOfRange(count) }
                word = (word << 1) | (character == "1" ? Word128(high: 0, low: 1) : .zero)
            case " ", "_":
                continue
            default:
                throw .invalidBinary(text)
            }
        }
        guard count > 0 else { throw .invalidBinary(text) }
        self.init(uncheckedBitCount: count, word: word)
    }

    /// Parses a right-justified hex value (optional `0x`; spaces, `:` and `-` ignored) into `bitCount` bits.
    /// Leading zero digits beyond the bit count are allowed; set bits beyond it are not.
    public init(hex text: String, bitCount: Int) throws(CardFormatError) {
        guard (1...Self.maximumBitCount).contains(bitCount) else { throw .bitCountOutOfRange(bitCount) }
        let digits = try Self.hexDigits(text)
        var word = Word128.zero
        for digit in digits {
            guard (word >> 124).isZero else { throw .valueTooWideForBitCount(bitCount: bitCount) }
            word = (word << 4) | Word128(high: 0, low: UInt64(digit))
        }
        guard (word & ~Word128.lowOnes(bitCount)).isZero else { throw .valueTooWideForBitCount(bitCount: bitCount) }
        self.init(uncheckedBitCount: bitCount, word: word)
    }

    /// Bytes taken whole, first byte most significant: a UID of `n` bytes becomes `8n` bits.
    public init(bytes: [UInt8]) throws(CardFormatError) {
        guard !bytes.isEmpty, bytes.count <= Self.maximumBitCount / 8 else {
            throw .bitCountOutOfRange(bytes.count * 8)
        }
        var word = Word128.zero
        for byte in bytes { word = (word << 8) | Word128(high: 0, low: UInt64(byte)) }
        self.init(uncheckedBitCount: bytes.count * 8, word: word)
    }

    /// Left-justified bytes with a bit count (the OSDP raw and Proxmark "PACS" layout).
    /// Pad bits after the last counted bit are ignored, as a reader may leave them set.
    public init(leftJustifiedBytes bytes: [UInt8], bitCount: Int) throws(CardFormatError) {
        guard (1...Self.maximumBitCount).contains(bitCount) else { throw .bitCountOutOfRange(bitCount) }
        let needed = (bitCount + 7) / 8
        guard bytes.count == needed else { throw .wrongBitCount(format: "left-justified bytes", expected: needed * 8, actual: bytes.count * 8) }
        var word = Word128.zero
        for byte in bytes { word = (word << 8) | Word128(high: 0, low: UInt64(byte)) }
        self.init(uncheckedBitCount: bitCount, word: word >> (needed * 8 - bitCount))
    }

    static func hexDigits(_ text: String) throws(CardFormatError) -> [UInt8] {
        var body = Substring(text)
        if body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
        var digits: [UInt8] = []
        digits.reserveCapacity(body.count)
        for character in body {
            if character == " " || character == ":" || character == "-" { continue }
            guard let value = character.hexDigitValue else { throw .invalidHex(text) }
            digits.append(UInt8(value))
        }
        guard !digits.isEmpty else { throw .invalidHex(text) }
        return digits
    }

    // MARK: Reading

    /// The 64 most significant bits of the right-aligned 128-bit value.
    public var highWord: UInt64 { word.high }
    /// The 64 least significant bits of the right-aligned value (the whole value for cards of ≤ 64 bits).
    public var lowWord: UInt64 { word.low }

    /// The bit at a transmission position (0 = first sent). Positions outside the card read as `false`.
    @inlinable
    public subscript(position: Int) -> Bool {
        guard position >= 0, position < bitCount else { return false }
        return word.testBit(bitCount - 1 - position)
    }

    /// `0`/`1` characters, first-sent bit first.
    public var binaryString: String {
        var text = ""
        text.reserveCapacity(bitCount)
        for position in 0..<bitCount { text.append(self[position] ? "1" : "0") }
        return text
    }

    /// The value in upper-case hex, right-justified, `ceil(bitCount / 4)` digits.
    public var hexString: String {
        let digitCount = (bitCount + 3) / 4
        var text = ""
        text.reserveCapacity(digitCount)
        for index in stride(from: digitCount - 1, through: 0, by: -1) {
            let nibble = Int(((word >> (index * 4)).low) & 0xF)
            text.append(Self.hexAlphabet[nibble])
        }
        return text
    }

    static let hexAlphabet: [Character] = Array("0123456789ABCDEF")

    /// The value as right-justified bytes, `ceil(bitCount / 8)` of them, most significant first.
    public var bytes: [UInt8] {
        let count = (bitCount + 7) / 8
        return (0..<count).reversed().map { UInt8(truncatingIfNeeded: (word >> ($0 * 8)).low) }
    }

    /// The bits left-justified into `ceil(bitCount / 8)` bytes with zero padding (OSDP raw data).
    public var leftJustifiedBytes: [UInt8] {
        let count = (bitCount + 7) / 8
        let shifted = word << (count * 8 - bitCount)
        return (0..<count).reversed().map { UInt8(truncatingIfNeeded: (shifted >> ($0 * 8)).low) }
    }

    // MARK: Fields

    /// The unsigned number spelled by `length` bits starting at `start` (MSB first).
    public func field(start: Int, length: Int) throws(CardFormatError) -> UInt64 {
        try checkRange(start: start, length: length)
        return extract(start: start, length: length)
    }

    @inlinable
    func extract(start: Int, length: Int) -> UInt64 {
        let shift = bitCount - start - length
        return (word >> shift).low & (length >= 64 ? .max : (1 << UInt64(length)) - 1)
    }

    /// A copy with `length` bits starting at `start` replaced by `value`; throws when `value` does not fit.
    public func inserting(_ value: UInt64, start: Int, length: Int) throws(CardFormatError) -> CardBits {
        try checkRange(start: start, length: length)
        guard length >= 64 || value >> UInt64(length) == 0 else {
            throw .valueTooWideForBitCount(bitCount: length)
        }
        return inserted(value, start: start, length: length)
    }

    @inlinable
    func inserted(_ value: UInt64, start: Int, length: Int) -> CardBits {
        let shift = bitCount - start - length
        let mask = Word128.lowOnes(length) << shift
        let placed = (Word128(high: 0, low: value) << shift) & mask
        return CardBits(uncheckedBitCount: bitCount, word: (word & ~mask) | placed)
    }

    /// The bits `start..<start+length` as a card of their own.
    public func slice(start: Int, length: Int) throws(CardFormatError) -> CardBits {
        guard length >= 1, start >= 0, start + length <= bitCount else {
            throw .positionOutOfRange(position: start + max(length, 1) - 1, bitCount: bitCount)
        }
        return CardBits(uncheckedBitCount: length, word: word >> (bitCount - start - length))
    }

    /// This card's bits followed by `other`'s.
    public func appending(_ other: CardBits) throws(CardFormatError) -> CardBits {
        let total = bitCount + other.bitCount
        guard total <= Self.maximumBitCount else { throw .bitCountOutOfRange(total) }
        return CardBits(uncheckedBitCount: total, word: (word << other.bitCount) | other.word)
    }

    /// A copy with the bit at `position` flipped (used to prove parity catches single-bit errors).
    public func flipping(_ position: Int) throws(CardFormatError) -> CardBits {
        guard position >= 0, position < bitCount else { throw .positionOutOfRange(position: position, bitCount: bitCount) }
        return CardBits(uncheckedBitCount: bitCount, word: word ^ Word128.bit(bitCount - 1 - position))
    }

    private func checkRange(start: Int, length: Int) throws(CardFormatError) {
        guard length >= 1, length <= 64 else { throw .fieldTooWide(length: length) }
        guard start >= 0, start < bitCount else { throw .positionOutOfRange(position: start, bitCount: bitCount) }
        guard start + length <= bitCount else { throw .positionOutOfRange(position: start + length - 1, bitCount: bitCount) }
    }

    // MARK: Parity and checks

    /// How many of the bits at `positions` are set. Positions beyond the card count as zero.
    @inlinable
    public func onesCount(in positions: PositionSet) -> Int {
        (word & positions.valueMask(bitCount: bitCount)).nonzeroBitCount
    }

    @inlinable
    func onesCount(valueMask: Word128) -> Int { (word & valueMask).nonzeroBitCount }

    /// True when the set bits among `positions` number an even count.
    public func hasEvenParity(over positions: PositionSet) -> Bool { onesCount(in: positions) % 2 == 0 }

    /// The XOR of the bytes starting at each of `positions` (each 8 bits, MSB first), e.g. P10001's check byte.
    public func xorCheckByte(bytesStartingAt positions: [Int]) throws(CardFormatError) -> UInt8 {
        var check: UInt8 = 0
        for start in positions { check ^= UInt8(try field(start: start, length: 8)) }
        return check
    }

    // MARK: Reversal

    /// All bits in reverse transmission order (ZKTeco ReversalType 1 as this module reads it).
    public var bitsReversed: CardBits {
        CardBits(uncheckedBitCount: bitCount, word: word.bitReversed >> (128 - bitCount))
    }

    /// Every bit inverted (ZKTeco ReversalType 2, "invert 0 and 1").
    public var complemented: CardBits {
        CardBits(uncheckedBitCount: bitCount, word: ~word)
    }

    /// The bytes in reverse order; the card must be a whole number of bytes.
    public func bytesReversed() throws(CardFormatError) -> CardBits {
        guard bitCount % 8 == 0 else { throw .reversalNeedsWholeBytes(bitCount: bitCount) }
        var result = Word128.zero
        for index in 0..<(bitCount / 8) {
            let byte = (word >> (index * 8)).low & 0xFF
            result = (result << 8) | Word128(high: 0, low: byte)
        }
        return CardBits(uncheckedBitCount: bitCount, word: result)
    }

    /// The two nibbles of every byte swapped; the card must be a whole number of bytes.
    public func nibblesSwapped() throws(CardFormatError) -> CardBits {
        guard bitCount % 8 == 0 else { throw .reversalNeedsWholeBytes(bitCount: bitCount) }
        let highNibbles = Word128(high: 0xF0F0_F0F0_F0F0_F0F0, low: 0xF0F0_F0F0_F0F0_F0F0)
        let lowNibbles = ~highNibbles
        return CardBits(uncheckedBitCount: bitCount, word: ((word & highNibbles) >> 4) | ((word & lowNibbles) << 4))
    }

    // MARK: OSDP

    /// The osdp_RAW form of this card.
    public var osdpRaw: OSDPRawCard { OSDPRawCard(bitCount: UInt16(bitCount), data: leftJustifiedBytes) }
}

extension CardBits: CustomStringConvertible {
    /// `26:2F623AE`: the bit count and the right-justified hex value.
    public var description: String { "\(bitCount):\(hexString)" }
}

extension CardBits: Codable {
    private enum CodingKeys: String, CodingKey {
        case bitCount
        case hex
    }

    /// `{"bitCount": 26, "hex": "2F623AE"}`: the length always travels with the value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bitCount, forKey: .bitCount)
        try container.encode(hexString, forKey: .hex)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let count = try container.decode(Int.self, forKey: .bitCount)
        let hex = try container.decode(String.self, forKey: .hex)
        do {
            self = try CardBits(hex: hex, bitCount: count)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .hex, in: container, debugDescription: error.description)
        }
    }
}
