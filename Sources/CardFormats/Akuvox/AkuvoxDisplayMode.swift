/// Akuvox card display modes: how a card's bytes are printed as the number stored for a user
/// and shown on the web UI. The interpretation follows shared/research/card-formats.md §1 (the
/// H/D naming of Chinese reader vendors, cross-checked against three published examples); see
/// docs/card-formats.md for the sources and what remains unverified (6H3D5D-R, the physical byte order).
public enum AkuvoxDisplayMode: String, CaseIterable, Sendable, Codable {
    /// 4 bytes as 8 hex digits, in the order received.
    case hex8Normal = "8HN"
    /// 4 bytes as 8 hex digits, bytes reversed.
    case hex8Reversed = "8HR"
    /// 4 bytes big-endian as 10 decimal digits, zero-padded.
    case hex8Decimal10 = "8H10D"
    /// 4 bytes reversed, then as 10 decimal digits.
    case hex8ReversedDecimal10 = "8HR10D"
    /// The last 3 bytes as 8 decimal digits.
    case hex6Decimal8 = "6H8D"
    /// The last 3 bytes: the first of them as 3 decimal digits, the other two as 5.
    case hex6Decimal3Decimal5 = "6H3D5D"
    /// 6H3D5D applied to the reversed bytes (the research's guess, unverified on hardware).
    case hex6Decimal3Decimal5Reversed = "6H3D5D-R"
    /// All bytes as hex (7-byte UIDs too).
    case raw = "RAW"

    /// Case-insensitive lookup by the Akuvox name (`8hn`, `6H3D5D-R`, …).
    public init(name: String) throws(CardFormatError) {
        let wanted = name.uppercased()
        guard let mode = Self.allCases.first(where: { $0.rawValue == wanted }) else { throw .unknownDisplayMode(name) }
        self = mode
    }

    /// The display form of a card's bytes (first byte as received first).
    ///
    /// The 8H modes use the last 4 bytes, left-padded with zero bytes when fewer arrive (a 3-byte
    /// Wiegand-26 number shows as `00xxxxxx`); the 6H modes use the last 3 bytes, as Akuvox's
    /// Wiegand-26 conversion does.
    public func format(_ bytes: [UInt8]) throws(CardFormatError) -> String {
        guard !bytes.isEmpty, bytes.count <= 16 else { throw .invalidUID("\(bytes.count) bytes") }
        switch self {
        case .hex8Normal:
            return Self.hex(Self.last(4, of: bytes))
        case .hex8Reversed:
            return Self.hex(Self.last(4, of: bytes).reversed())
        case .hex8Decimal10:
            return Self.decimal(Self.number(Self.last(4, of: bytes)), width: 10)
        case .hex8ReversedDecimal10:
            return Self.decimal(Self.number(Self.last(4, of: bytes).reversed()), width: 10)
        case .hex6Decimal8:
            return Self.decimal(Self.number(Self.last(3, of: bytes)), width: 8)
        case .hex6Decimal3Decimal5:
            return Self.threePlusFive(Self.last(3, of: bytes))
        case .hex6Decimal3Decimal5Reversed:
            return Self.threePlusFive(Self.last(3, of: Array(bytes.reversed())))
        case .raw:
            return Self.hex(bytes)
        }
    }

    /// The display form of a UID typed as hex (`11223344`, `11:22:33:44`).
    public func format(uidHex: String) throws(CardFormatError) -> String {
        try format(try Self.parseUID(uidHex))
    }

    /// Parses a UID typed as hex: an even number of digits, 1 to 16 bytes.
    public static func parseUID(_ text: String) throws(CardFormatError) -> [UInt8] {
        let digits: [UInt8]
        do { digits = try CardBits.hexDigits(text) } catch { throw .invalidUID(text) }
        guard digits.count % 2 == 0, digits.count / 2 <= 16 else { throw .invalidUID(text) }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    static func last(_ count: Int, of bytes: some Collection<UInt8>) -> [UInt8] {
        let tail = Array(bytes.suffix(count))
        return Array(repeating: 0, count: count - tail.count) + tail
    }

    static func number(_ bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    static func decimal(_ value: UInt64, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func threePlusFive(_ bytes: [UInt8]) -> String {
        decimal(UInt64(bytes[0]), width: 3) + decimal(UInt64(bytes[1]) << 8 | UInt64(bytes[2]), width: 5)
    }
}
