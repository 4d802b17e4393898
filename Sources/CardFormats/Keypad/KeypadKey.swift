/// A key of a Wiegand or OSDP keypad: a digit, `*` or `#`.
public enum KeypadKey: Hashable, Sendable {
    case digit(UInt8)
    case star
    case hash

    public init(_ character: Character) throws(CardFormatError) {
        switch character {
        case "*": self = .star
        case "#": self = .hash
        default:
            guard let value = character.wholeNumberValue, character.isASCII, (0...9).contains(value) else {
                throw .invalidKey(character)
            }
            self = .digit(UInt8(value))
        }
    }

    /// Wiegand key code: 0–9, `*` = 10, `#` = 11 (Akuvox, Rosslare, HID, Baltech agree).
    public init(code: UInt8) throws(CardFormatError) {
        switch code {
        case 0...9: self = .digit(code)
        case 10: self = .star
        case 11: self = .hash
        default: throw .invalidKeypadFrame(bits: String(code, radix: 2))
        }
    }

    /// Parses typed keys such as `1234#`.
    public static func parse(_ text: String) throws(CardFormatError) -> [KeypadKey] {
        var keys: [KeypadKey] = []
        for character in text { keys.append(try KeypadKey(character)) }
        guard !keys.isEmpty else { throw .emptyPIN }
        return keys
    }

    public var code: UInt8 {
        switch self {
        case .digit(let value): return value
        case .star: return 10
        case .hash: return 11
        }
    }

    public var character: Character {
        switch self {
        case .digit(let value): return Character(String(value))
        case .star: return "*"
        case .hash: return "#"
        }
    }

    /// The byte osdp_KEYPAD carries: ASCII digits, `0x7F` for `*`, `0x0D` for `#`.
    public var osdpByte: UInt8 {
        switch self {
        case .digit(let value): return 0x30 + value
        case .star: return 0x7F
        case .hash: return 0x0D
        }
    }

    /// Reads an osdp_KEYPAD byte.
    public init(osdpByte: UInt8) throws(CardFormatError) {
        switch osdpByte {
        case 0x30...0x39: self = .digit(osdpByte - 0x30)
        case 0x7F: self = .star
        case 0x0D: self = .hash
        default: throw .invalidRecord(table: "osdp_KEYPAD", field: "key", value: String(osdpByte, radix: 16))
        }
    }
}

/// How a keypad PIN travels over Wiegand (research §4).
public enum KeypadEncoding: Sendable {
    /// One 4-bit frame per key (`1` → `0001`, `*` → `1010`, `#` → `1011`).
    case fourBitPerKey
    /// One 8-bit frame per key whose high nibble is the ones' complement of the low (`1` → `11100001`).
    case eightBitPerKey
    /// The whole PIN as one decimal number in the data bits of a card layout
    /// (Akuvox "All at once": `123456` → `01e240` in Wiegand 26). A trailing `#` ends the entry.
    case allAtOnce(CardLayout)

    /// The frames to send for `keys`.
    public func encode(_ keys: [KeypadKey]) throws(CardFormatError) -> [CardBits] {
        switch self {
        case .fourBitPerKey:
            return keys.map { CardBits(uncheckedBitCount: 4, word: Word128(high: 0, low: UInt64($0.code))) }
        case .eightBitPerKey:
            return keys.map { key in
                let low = UInt64(key.code)
                return CardBits(uncheckedBitCount: 8, word: Word128(high: 0, low: (~low & 0xF) << 4 | low))
            }
        case .allAtOnce(let layout):
            return [try Self.burst(keys, into: layout)]
        }
    }

    static func burst(_ keys: [KeypadKey], into layout: CardLayout) throws(CardFormatError) -> CardBits {
        var digits = keys
        if digits.last == .hash { digits.removeLast() }
        var pin = ""
        var value: UInt64 = 0
        for key in digits {
            guard case .digit(let digit) = key else { throw .keyNotAllowedInBurst(key.character) }
            pin.append(key.character)
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(UInt64(digit))
            guard !overflowA, !overflowB else { throw .pinTooLargeForFormat(pin: pin, format: layout.name, dataBits: layout.dataPositions.count) }
            value = sum
        }
        guard !pin.isEmpty else { throw .emptyPIN }
        do {
            return try layout.packingData(value)
        } catch {
            throw .pinTooLargeForFormat(pin: pin, format: layout.name, dataBits: layout.dataPositions.count)
        }
    }

    /// Reads one key from a 4-bit or 8-bit keypad frame, checking the complemented nibble.
    public static func key(from frame: CardBits) throws(CardFormatError) -> KeypadKey {
        switch frame.bitCount {
        case 4:
            return try KeypadKey(code: UInt8(frame.lowWord))
        case 8:
            let low = frame.lowWord & 0xF
            guard frame.lowWord >> 4 == (~low & 0xF) else { throw .invalidKeypadFrame(bits: frame.binaryString) }
            return try KeypadKey(code: UInt8(low))
        default:
            throw .invalidKeypadFrame(bits: frame.binaryString)
        }
    }

    /// The PIN an all-at-once frame carries, as decimal digits.
    public static func pin(fromBurst card: CardBits, layout: CardLayout) throws(CardFormatError) -> String {
        try layout.validate(card)
        return String(try layout.dataValue(of: card))
    }
}
