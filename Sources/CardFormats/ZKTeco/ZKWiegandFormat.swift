/// Which Wiegand rule set a ZKTeco device speaks (its `WGRuleVer` option; 1.0 when absent).
public enum ZKWiegandRuleVersion: String, Sendable, Codable, Hashable {
    case v1 = "1.0"
    case v2 = "2.0"

    /// Reads the reported value: `2.0` or `V2.0` (any case) is 2.0; anything else, including no value, 1.0.
    public init(reported: String?) {
        let value = (reported ?? "").trimmingSpaces.lowercased()
        self = (value == "2.0" || value == "v2.0" || value == "2") ? .v2 : .v1
    }
}

/// One row of the WGFormat (or DefaultWGFormat) table as the PUSH reference delivers it.
public struct ZKWiegandFormat: Hashable, Sendable {
    public let id: Int
    public let cardBit: Int
    /// `SiteCode=`; 0 means "not checked" unless ExtSiteCode lists values.
    public let siteCode: UInt64
    public let formatName: String
    public let cardFormat: String
    /// WGRuleVer 2.0 `ExtSiteCode`: further accepted site codes.
    public let extSiteCodes: [UInt64]
    /// WGRuleVer 2.0 `ExtParityFormat`: further parity parts accepted for the same code part.
    public let extParityFormats: [String]
    /// WGRuleVer 2.0 `IsDefault`: whether the format takes part in automatic matching. Always true under 1.0.
    public let isDefault: Bool
    /// The main layout followed by one per ExtParityFormat.
    public let layouts: [CardLayout]

    public init(
        id: Int, cardBit: Int, siteCode: UInt64 = 0, formatName: String, cardFormat: String,
        extSiteCodes: [UInt64] = [], extParityFormats: [String] = [], isDefault: Bool = true
    ) throws(CardFormatError) {
        let name = formatName.isEmpty ? "WGFormat \(id)" : formatName
        let main = try ZKFormatString(cardFormat, cardBit: cardBit, name: name).layout
        var layouts = [main]
        let code = cardFormat.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) ?? cardFormat
        for (index, parity) in extParityFormats.enumerated() {
            layouts.append(try ZKFormatString(code + ":" + parity, cardBit: cardBit, name: "\(name) (parity \(index + 2))").layout)
        }
        self.id = id
        self.cardBit = cardBit
        self.siteCode = siteCode
        self.formatName = name
        self.cardFormat = cardFormat
        self.extSiteCodes = extSiteCodes
        self.extParityFormats = extParityFormats
        self.isDefault = isDefault
        self.layouts = layouts
    }

    /// Builds the row from the `key=value` fields of a `DATA UPDATE WGFormat` / `DefaultWGFormat`
    /// command (the PUSH codec splits the line; this reads the values). The 2.0 fields are read only
    /// when `ruleVersion` is 2.0.
    public init(fields: [String: String], ruleVersion: ZKWiegandRuleVersion = .v1, table: String = "WGFormat") throws(CardFormatError) {
        func integer(_ key: String, default value: Int? = nil) throws(CardFormatError) -> Int {
            guard let text = fields[key] else {
                if let value { return value }
                throw .invalidRecord(table: table, field: key, value: "(missing)")
            }
            guard let number = Int(text.trimmingSpaces) else { throw .invalidRecord(table: table, field: key, value: text) }
            return number
        }
        let id = try integer("ID")
        let cardBit = try integer("CardBit")
        let siteText = fields["SiteCode"]?.trimmingSpaces ?? ""
        guard siteText.isEmpty || UInt64(siteText) != nil else { throw .invalidRecord(table: table, field: "SiteCode", value: siteText) }
        var extSites: [UInt64] = []
        var extParity: [String] = []
        var isDefault = true
        if ruleVersion == .v2 {
            for item in (fields["ExtSiteCode"] ?? "").split(separator: ";") where !item.trimmingSpaces.isEmpty {
                guard let value = UInt64(item.trimmingSpaces) else { throw .invalidRecord(table: table, field: "ExtSiteCode", value: String(item)) }
                extSites.append(value)
            }
            extParity = (fields["ExtParityFormat"] ?? "").split(separator: ";").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            if let flag = fields["IsDefault"]?.trimmingSpaces {
                guard flag == "0" || flag == "1" else { throw .invalidRecord(table: table, field: "IsDefault", value: flag) }
                isDefault = flag == "1"
            }
        }
        guard let cardFormat = fields["CardFormat"] else { throw .invalidRecord(table: table, field: "CardFormat", value: "(missing)") }
        try self.init(id: id, cardBit: cardBit, siteCode: UInt64(siteText) ?? 0, formatName: fields["FormatName"] ?? "",
                      cardFormat: cardFormat, extSiteCodes: extSites, extParityFormats: extParity, isDefault: isDefault)
    }

    /// The site codes this row accepts; empty means the site code is not checked.
    public var acceptedSiteCodes: [UInt64] {
        (siteCode == 0 ? [] : [siteCode]) + extSiteCodes
    }

    /// Decodes `card` with the first layout (main, then ExtParityFormat ones) whose checks hold and
    /// whose site code is accepted; nil when none does.
    public func decode(_ card: CardBits, checkingParity: Bool = true) -> DecodedCard? {
        guard card.bitCount == cardBit else { return nil }
        let sites = acceptedSiteCodes
        for layout in layouts where layout.accepts(card, checkingParity: checkingParity) {
            guard let decoded = try? layout.unpack(card) else { continue }
            if !sites.isEmpty, let site = decoded[.siteCode], !sites.contains(site) { continue }
            return decoded
        }
        return nil
    }
}

/// ZKTeco `ReversalType` of ReaderWGFormat. The reference's translation is ambiguous; this is
/// the research's reading (bit reverse / complement / byte swap / nibble swap), to be confirmed on a device.
public enum ZKReversalType: Int, CaseIterable, Sendable, Codable {
    case none = 0
    /// 1, "invert all bits": the bit order reversed.
    case reverseBitOrder = 1
    /// 2, "invert 0 and 1": every bit complemented.
    case complementBits = 2
    /// 3, "exchange low bits with high bits": the byte order reversed.
    case reverseByteOrder = 3
    /// 4, "exchange a low bit with a high bit": the nibbles of each byte swapped.
    case swapNibbles = 4

    public init(code: Int) throws(CardFormatError) {
        guard let value = Self(rawValue: code) else { throw .unknownReversalType(code) }
        self = value
    }

    /// Undoes the reader's transformation (each one is its own inverse).
    public func apply(to card: CardBits) throws(CardFormatError) -> CardBits {
        switch self {
        case .none: return card
        case .reverseBitOrder: return card.bitsReversed
        case .complementBits: return card.complemented
        case .reverseByteOrder: return try card.bytesReversed()
        case .swapNibbles: return try card.nibblesSwapped()
        }
    }
}

/// One row of ReaderWGFormat: which WGFormat a reader uses, with parity checking and reversal.
public struct ZKReaderWiegandFormat: Hashable, Sendable {
    public let readerID: Int
    public let deviceID: Int
    public let wiegandFormatID: Int
    /// `ParityVerifyDisable=1`: accept cards whose parity fails.
    public let parityVerifyDisabled: Bool
    public let reversal: ZKReversalType

    public init(readerID: Int, deviceID: Int, wiegandFormatID: Int, parityVerifyDisabled: Bool = false, reversal: ZKReversalType = .none) {
        self.readerID = readerID
        self.deviceID = deviceID
        self.wiegandFormatID = wiegandFormatID
        self.parityVerifyDisabled = parityVerifyDisabled
        self.reversal = reversal
    }

    /// Reads the `key=value` fields of `DATA UPDATE ReaderWGFormat`.
    public init(fields: [String: String]) throws(CardFormatError) {
        func integer(_ key: String, default value: Int? = nil) throws(CardFormatError) -> Int {
            guard let text = fields[key] else {
                if let value { return value }
                throw .invalidRecord(table: "ReaderWGFormat", field: key, value: "(missing)")
            }
            guard let number = Int(text.trimmingSpaces) else { throw .invalidRecord(table: "ReaderWGFormat", field: key, value: text) }
            return number
        }
        let parity = try integer("ParityVerifyDisable", default: 0)
        guard parity == 0 || parity == 1 else {
            throw .invalidRecord(table: "ReaderWGFormat", field: "ParityVerifyDisable", value: String(parity))
        }
        self.init(readerID: try integer("ReaderID"), deviceID: try integer("DevID", default: 0),
                  wiegandFormatID: try integer("WGFormatID"), parityVerifyDisabled: parity == 1,
                  reversal: try ZKReversalType(code: try integer("ReversalType", default: 0)))
    }
}

/// ZKTeco's format selection for a door: the configured WGFormat rows, the door's `DoorAutoMatch`
/// and the device's WGRuleVer.
public struct ZKWiegandMatcher: Sendable {
    public var formats: [ZKWiegandFormat]
    /// `DoorAutoMatch=1`: try every eligible format; 0: only the reader's configured one.
    public var autoMatch: Bool
    public var ruleVersion: ZKWiegandRuleVersion

    public init(formats: [ZKWiegandFormat], autoMatch: Bool, ruleVersion: ZKWiegandRuleVersion = .v1) {
        self.formats = formats
        self.autoMatch = autoMatch
        self.ruleVersion = ruleVersion
    }

    /// Every format that decodes `card`, after undoing the reader's reversal. The reader's own
    /// format comes first; with auto-matching the others follow in table order (under 2.0 only those
    /// with IsDefault=1). Without auto-matching and without a reader row nothing is eligible.
    public func match(_ card: CardBits, reader: ZKReaderWiegandFormat?) throws(CardFormatError) -> [DecodedCard] {
        let input = try (reader?.reversal ?? .none).apply(to: card)
        let checkingParity = !(reader?.parityVerifyDisabled ?? false)
        var candidates: [ZKWiegandFormat] = []
        if let reader, let own = formats.first(where: { $0.id == reader.wiegandFormatID }) { candidates.append(own) }
        if autoMatch {
            for format in formats where !candidates.contains(where: { $0.id == format.id }) {
                if ruleVersion == .v2 && !format.isDefault { continue }
                candidates.append(format)
            }
        }
        return candidates.compactMap { $0.decode(input, checkingParity: checkingParity) }
    }
}
