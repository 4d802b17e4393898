/// ZKTeco `IDCardStyle`: how a card number is shown (research §3; the example arithmetic was
/// checked, not ZKTeco's code). These are ZKTeco's counterparts of the Akuvox display modes.
public enum ZKCardStyle: Int, CaseIterable, Sendable, Codable {
    /// 0: the whole number in decimal. For a 32-bit number this is 8H10D without the zero padding.
    case wholeNumber = 0
    /// 1: "3+5", the bits above the low 16 as at least 3 digits, then the low 16 bits as 5 digits:
    /// `0010930095` shows as `16651119`. For a 24-bit number this equals Akuvox 6H3D5D.
    case threePlusFive = 1
    /// 2: the low 16 bits only (`51119`): the last five digits of 6H3D5D, without padding.
    case low16Bits = 2

    public init(code: Int) throws(CardFormatError) {
        guard let style = Self(rawValue: code) else { throw .invalidRecord(table: "options", field: "IDCardStyle", value: String(code)) }
        self = style
    }

    public func format(_ cardNumber: UInt64) -> String {
        switch self {
        case .wholeNumber:
            return String(cardNumber)
        case .threePlusFive:
            return AkuvoxDisplayMode.decimal(cardNumber >> 16, width: 3) + AkuvoxDisplayMode.decimal(cardNumber & 0xFFFF, width: 5)
        case .low16Bits:
            return String(cardNumber & 0xFFFF)
        }
    }

    /// The Akuvox display mode that prints the same digits for a number whose bytes are given
    /// right-justified, where one exists (style 0 needs the 8H10D padding removed).
    public var akuvoxEquivalent: AkuvoxDisplayMode? {
        switch self {
        case .wholeNumber: return .hex8Decimal10
        case .threePlusFive: return .hex6Decimal3Decimal5
        case .low16Bits: return nil
        }
    }
}
