/// The card part of an OSDP `osdp_RAW` (0x50) reply: a bit count and the bits left-justified
/// into whole bytes, MSB first, zero padded. Proxmark's "PACS" form carries the same bytes
/// preceded by the number of pad bits.
public struct OSDPRawCard: Hashable, Sendable, Codable {
    /// osdp_RAW format code: 0 = raw/unspecified, 1 = Wiegand.
    public enum FormatCode: UInt8, Sendable, Codable {
        case unspecified = 0
        case wiegand = 1
    }

    public var bitCount: UInt16
    public var data: [UInt8]

    public init(bitCount: UInt16, data: [UInt8]) {
        self.bitCount = bitCount
        self.data = data
    }

    /// The reply payload after the command byte: reader number, format code, bit count
    /// (little-endian u16), then the data bytes, as libosdp puts them on the wire.
    public func replyPayload(readerNumber: UInt8 = 0, format: FormatCode = .wiegand) -> [UInt8] {
        [readerNumber, format.rawValue, UInt8(truncatingIfNeeded: bitCount), UInt8(truncatingIfNeeded: bitCount >> 8)] + data
    }

    /// Parses a reply payload (reader, format, u16 LE bit count, data); returns the reader number,
    /// the format code and the card.
    public static func parseReplyPayload(_ payload: [UInt8]) throws(CardFormatError) -> (readerNumber: UInt8, format: FormatCode, card: CardBits) {
        guard payload.count >= 5 else { throw .invalidRecord(table: "osdp_RAW", field: "length", value: "\(payload.count) bytes") }
        guard let format = FormatCode(rawValue: payload[1]) else {
            throw .invalidRecord(table: "osdp_RAW", field: "format", value: "\(payload[1])")
        }
        let count = Int(payload[2]) | Int(payload[3]) << 8
        let card = try CardBits(leftJustifiedBytes: Array(payload[4...]), bitCount: count)
        return (payload[0], format, card)
    }

    /// The card these bytes describe.
    public func card() throws(CardFormatError) -> CardBits {
        try CardBits(leftJustifiedBytes: data, bitCount: Int(bitCount))
    }

    /// Proxmark "PACS" hex: one byte of pad-bit count, then the left-justified data.
    public var pacsHex: String {
        // Clamped: a hand-built value may carry a bit count that disagrees with its data.
        let pad = UInt8(clamping: data.count * 8 - Int(bitCount))
        return ([pad] + data).map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// Data bytes as upper-case hex.
    public var dataHex: String {
        data.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
