/// How a stored card number is written: an Akuvox display mode over the card's data bytes, or a
/// ZKTeco IDCardStyle over its card-number field.
public enum StoredNumberForm: Sendable, Hashable {
    case akuvox(AkuvoxDisplayMode)
    case zkteco(ZKCardStyle)
}

/// Where a reader's cards are re-sent to a third-party panel.
public enum WiegandOutputFormat: Sendable, Hashable {
    /// Repack the decoded fields (FC, CN, …) into another layout.
    case layout(CardLayout)
    /// Akuvox byte rules (orders, 3/4 bytes, facility code) over the card's data bytes.
    case akuvox(AkuvoxWiegandOutput)
}

/// One reader's card handling: accepted formats in order, input reversal and parity checking, the
/// stored-number form, and the Wiegand output format.
public struct ReaderConfiguration: Sendable {
    public var name: String
    public var acceptedFormats: [AcceptedFormat]
    public var checkingParity: Bool
    public var inputReversal: ZKReversalType
    public var storedNumberForm: StoredNumberForm
    public var output: WiegandOutputFormat?

    public init(
        name: String,
        acceptedFormats: [AcceptedFormat],
        checkingParity: Bool = true,
        inputReversal: ZKReversalType = .none,
        storedNumberForm: StoredNumberForm = .akuvox(.hex8Normal),
        output: WiegandOutputFormat? = nil
    ) {
        self.name = name
        self.acceptedFormats = acceptedFormats
        self.checkingParity = checkingParity
        self.inputReversal = inputReversal
        self.storedNumberForm = storedNumberForm
        self.output = output
    }

    public var matcher: CardMatcher { CardMatcher(formats: acceptedFormats, checkingParity: checkingParity) }

    /// The first accepted format's reading of a raw frame, after undoing the input reversal.
    public func read(_ frame: CardBits) throws(CardFormatError) -> CardMatch? {
        matcher.firstMatch(try inputReversal.apply(to: frame))
    }

    /// The card number to look a user up by: a site format's own string, or the stored-number form
    /// applied to a decoded card.
    public func storedNumber(for match: CardMatch) throws(CardFormatError) -> String {
        switch match.source {
        case .site(let number):
            return number
        case .decoded(let decoded):
            switch storedNumberForm {
            case .akuvox(let mode):
                return try mode.format(Self.dataBytes(of: decoded))
            case .zkteco(let style):
                if let number = decoded[.cardNumber] { return style.format(number) }
                let data = Self.dataBits(of: decoded)
                guard data.bitCount <= 64 else { throw .fieldTooWide(length: data.bitCount) }
                return style.format(data.lowWord)
            }
        }
    }

    /// The frame to send to the third-party panel for a decoded card.
    public func outputFrame(for match: CardMatch) throws(CardFormatError) -> CardBits? {
        guard let output else { return nil }
        guard let decoded = match.decoded else {
            throw .invalidLayout(format: match.format, reason: "a site format's number has no fields to re-send")
        }
        switch output {
        case .layout(let layout):
            var values: [FieldRole: UInt64] = [:]
            for field in decoded.fields {
                // A ZKTeco site code is HID's facility code when the target has only the latter.
                let role = (field.role == .siteCode && layout.field(.siteCode) == nil) ? FieldRole.facilityCode : field.role
                guard layout.field(role) != nil else {
                    if field.value == 0 { continue }
                    throw .fieldNotInFormat(format: layout.name, field: field.role)
                }
                values[role] = field.value
            }
            return try layout.pack(values)
        case .akuvox(let akuvox):
            return try akuvox.frame(for: Self.dataBytes(of: decoded))
        }
    }

    static func dataBits(of decoded: DecodedCard) -> CardBits {
        var word = Word128.zero
        var count = 0
        for field in decoded.fields {
            word = (word << field.bitLength) | Word128(high: 0, low: field.value)
            count += field.bitLength
        }
        return count == 0 ? decoded.card : CardBits(uncheckedBitCount: count, word: word)
    }

    static func dataBytes(of decoded: DecodedCard) -> [UInt8] { dataBits(of: decoded).bytes }
}
