/// # CardFormats
///
/// Converts what a reader sends into what a user's card is stored as, and into what a third-party
/// panel expects, exactly. Pure: Foundation at most, no I/O, no clocks.
///
/// - `Bits/`: ``CardBits`` (a bit length plus up to 128 bits, never a bare integer, because two
///   formats can share a hex value and differ in length), ``PositionSet``, parity, XOR check
///   bytes, reversal, field extraction/insertion and the OSDP raw form (``OSDPRawCard``).
/// - `Formats/`: ``CardLayout`` (fields, parity rules, fixed bits, check bytes) with pack, unpack
///   and validate; the 17 built-in layouts (``NamedFormat``); raw pass-through of 1–128 bits;
///   ``CardFormatCatalog`` resolving a user-typed name or ZKTeco string.
/// - `ZKTeco/`: ``ZKFormatString`` (`code:parity` and the older case-encoded form), the firmware
///   defaults (``ZKDefaultFormat``), WGFormat/ReaderWGFormat records (WGRuleVer 1.0 and 2.0),
///   ``ZKReversalType``, ``ZKWiegandMatcher`` (DoorAutoMatch) and ``ZKCardStyle`` (IDCardStyle).
/// - `Akuvox/`: ``AkuvoxDisplayMode`` (8HN … RAW), ``AkuvoxWiegandOutput`` (byte orders, 3/4-byte
///   output, facility code replacement) and ``AkuvoxWiegandInput``.
/// - `Keypad/`: ``KeypadKey`` and ``KeypadEncoding`` (4-bit, 8-bit complemented, all-at-once).
/// - `Readers/`: ``ReaderConfiguration`` and ``CardMatcher``.
///
/// ## Seams
/// - ``ExternalCardFormat``: a site-defined format (the scripting module's `cardformat(name, fn)`)
///   that ``CardMatcher`` consults in configured order alongside the built-in layouts.
///
/// Every failure is a ``CardFormatError`` whose description names what was wrong and where.
public enum CardFormatsModule {
    /// The widest card value the module models.
    public static let maximumBitCount = CardBits.maximumBitCount
}

/// Everything that can go wrong in this module, each case naming the problem.
public enum CardFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    case bitCountOutOfRange(Int)
    case valueTooWideForBitCount(bitCount: Int)
    case positionOutOfRange(position: Int, bitCount: Int)
    case fieldTooWide(length: Int)
    case invalidHex(String)
    case invalidBinary(String)
    case invalidDecimal(String)
    case wrongBitCount(format: String, expected: Int, actual: Int)
    case fieldValueOutOfRange(format: String, field: FieldRole, value: UInt64, bits: Int)
    case fieldNotInFormat(format: String, field: FieldRole)
    case unknownFormat(String)
    case invalidLayout(format: String, reason: String)
    case parityMismatch(format: String, position: Int, kind: ParityKind)
    case fixedBitsMismatch(format: String, position: Int)
    case checkByteMismatch(format: String, position: Int)
    case malformedZKFormat(String, reason: String)
    case reversalNeedsWholeBytes(bitCount: Int)
    case unknownReversalType(Int)
    case invalidUID(String)
    case unknownDisplayMode(String)
    case invalidKey(Character)
    case keyNotAllowedInBurst(Character)
    case emptyPIN
    case pinTooLargeForFormat(pin: String, format: String, dataBits: Int)
    case invalidKeypadFrame(bits: String)
    case invalidRecord(table: String, field: String, value: String)
    case externalFormatFailed(name: String, message: String)

    public var description: String {
        switch self {
        case .bitCountOutOfRange(let n):
            return "bit count \(n) is out of range: a card has 1 to \(CardBits.maximumBitCount) bits"
        case .valueTooWideForBitCount(let n):
            return "value does not fit in \(n) bits"
        case .positionOutOfRange(let p, let n):
            return "bit position \(p) is outside a \(n)-bit card (positions 0 to \(n - 1))"
        case .fieldTooWide(let length):
            return "a field of \(length) bits is wider than the 64 bits a number field can hold"
        case .invalidHex(let s):
            return "'\(s)' is not a hexadecimal value"
        case .invalidBinary(let s):
            return "'\(s)' is not a string of 0 and 1"
        case .invalidDecimal(let s):
            return "'\(s)' is not a decimal number"
        case .wrongBitCount(let f, let expected, let actual):
            return "format \(f) takes \(expected) bits, but the card has \(actual)"
        case .fieldValueOutOfRange(let f, let field, let value, let bits):
            return "\(field.label) \(value) does not fit the \(bits)-bit \(field.label) field of \(f) (max \(bits >= 64 ? UInt64.max : (1 << UInt64(bits)) - 1))"
        case .fieldNotInFormat(let f, let field):
            return "format \(f) has no \(field.label) field"
        case .unknownFormat(let name):
            return "unknown card format '\(name)' (known: \(NamedFormat.allCases.map(\.rawValue).joined(separator: ", ")), raw1…raw128, ZKTeco defaults zk26…zk50, or a ZKTeco code:parity string)"
        case .invalidLayout(let f, let reason):
            return "layout \(f) is invalid: \(reason)"
        case .parityMismatch(let f, let p, let kind):
            return "\(f): \(kind) parity bit at position \(p) does not match"
        case .fixedBitsMismatch(let f, let p):
            return "\(f): fixed bits starting at position \(p) do not have their required value"
        case .checkByteMismatch(let f, let p):
            return "\(f): XOR check byte at position \(p) does not match"
        case .malformedZKFormat(let s, let reason):
            return "malformed ZKTeco format string '\(s)': \(reason)"
        case .reversalNeedsWholeBytes(let n):
            return "byte or nibble reversal needs a whole number of bytes, but the card has \(n) bits"
        case .unknownReversalType(let v):
            return "unknown ReversalType \(v) (expected 0 to 4)"
        case .invalidUID(let s):
            return "'\(s)' is not a card UID: expected 1 to 16 bytes as hex digits"
        case .unknownDisplayMode(let s):
            return "unknown display mode '\(s)' (known: \(AkuvoxDisplayMode.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidKey(let c):
            return "'\(c)' is not a keypad key (0-9, * or #)"
        case .keyNotAllowedInBurst(let c):
            return "key '\(c)' cannot be sent all at once: only digits, with '#' as the final terminator"
        case .emptyPIN:
            return "the PIN has no digits"
        case .pinTooLargeForFormat(let pin, let f, let bits):
            return "PIN \(pin) does not fit the \(bits) data bits of \(f)"
        case .invalidKeypadFrame(let bits):
            return "'\(bits)' is not a keypad frame (4 bits 0-11, or 8 bits with the complemented high nibble)"
        case .invalidRecord(let table, let field, let value):
            return "\(table): \(field)=\(value) is not valid"
        case .externalFormatFailed(let name, let message):
            return "site format \(name) failed: \(message)"
        }
    }
}
