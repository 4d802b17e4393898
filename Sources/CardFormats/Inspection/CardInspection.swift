import Foundation

/// The operations behind `gatehouse wiegand …` and `gatehouse card show`, returning reports that
/// print as text or JSON. Kept here so the command file only parses flags.
public enum CardInspection {
    // MARK: encode

    public struct EncodeReport: Codable, Sendable, Equatable {
        public let format: String
        public let bitCount: Int
        public let bits: String
        public let hex: String
        public let osdpRaw: OSDPRawReport
        public let fields: [String: UInt64]

        public var text: String {
            var lines = [
                "format:    \(format)",
                "bits:      \(bitCount)",
                "binary:    \(bits)",
                "hex:       \(hex)",
                "osdp raw:  bit count \(osdpRaw.bitCount), data \(osdpRaw.dataHex) (osdp_RAW payload \(osdpRaw.replyPayloadHex))",
            ]
            lines.append("fields:    " + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            return lines.joined(separator: "\n")
        }
    }

    public struct OSDPRawReport: Codable, Sendable, Equatable {
        public let bitCount: Int
        public let dataHex: String
        /// Reader 0, format 1 (Wiegand), bit count LE, data: the osdp_RAW reply payload.
        public let replyPayloadHex: String
        /// Proxmark "PACS": pad-bit count then the data.
        public let pacsHex: String

        init(_ card: CardBits) {
            let raw = card.osdpRaw
            bitCount = card.bitCount
            dataHex = raw.dataHex
            replyPayloadHex = AkuvoxDisplayMode.hex(raw.replyPayload(readerNumber: 0, format: .wiegand))
            pacsHex = raw.pacsHex
        }
    }

    /// Packs `fc` and `cn` into the named format (or ZKTeco string). `fc` goes to the facility-code
    /// field, or to the site-code field of a ZKTeco layout that has no facility code.
    public static func encode(format: String, facilityCode: UInt64?, cardNumber: UInt64?) throws(CardFormatError) -> EncodeReport {
        let layout = try CardFormatCatalog.layout(named: format)
        var values: [FieldRole: UInt64] = [:]
        if let facilityCode {
            let role: FieldRole = layout.field(.facilityCode) != nil ? .facilityCode : (layout.field(.siteCode) != nil ? .siteCode : .facilityCode)
            values[role] = facilityCode
        }
        if let cardNumber { values[.cardNumber] = cardNumber }
        let card = try layout.pack(values)
        let decoded = try layout.unpack(card)
        return EncodeReport(
            format: layout.name, bitCount: card.bitCount, bits: card.binaryString, hex: card.hexString,
            osdpRaw: OSDPRawReport(card), fields: Self.fieldMap(decoded))
    }

    // MARK: decode

    public struct DecodeReport: Codable, Sendable, Equatable {
        public let bitCount: Int
        public let bits: String
        public let hex: String
        public let matches: [MatchReport]

        public var text: String {
            var lines = ["card:      \(bitCount) bits, hex \(hex)", "binary:    \(bits)"]
            if matches.isEmpty { lines.append("no format matches") }
            for match in matches {
                let fields = match.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                lines.append("\(match.format): \(fields.isEmpty ? "(no fields)" : fields)  parity: \(match.parityStatus)")
            }
            return lines.joined(separator: "\n")
        }
    }

    public struct MatchReport: Codable, Sendable, Equatable {
        public let format: String
        public let fields: [String: UInt64]
        /// `ok`, `failed` (with the failing positions), or `none` for layouts without a check.
        public let parityStatus: String
        public let parity: [ParityResult]
        public let valid: Bool
    }

    /// Decodes `hex` as a card of `bitCount` bits with one format, or with every built-in layout
    /// (`format` nil or `auto`). Auto lists only the layouts whose checks hold; a named format is
    /// always reported, with its parity status.
    public static func decode(bitCount: Int, hex: String, format: String?) throws(CardFormatError) -> DecodeReport {
        let card = try CardBits(hex: hex, bitCount: bitCount)
        var matches: [MatchReport] = []
        if let format, format.lowercased() != "auto" {
            let layout = try CardFormatCatalog.layout(named: format)
            matches.append(report(try layout.unpack(card), layout: layout))
        } else {
            for layout in CardFormatCatalog.autoDecodeLayouts where layout.accepts(card) {
                matches.append(report(try layout.unpack(card), layout: layout))
            }
        }
        return DecodeReport(bitCount: card.bitCount, bits: card.binaryString, hex: card.hexString, matches: matches)
    }

    static func report(_ decoded: DecodedCard, layout: CardLayout) -> MatchReport {
        let status: String
        if !layout.hasErrorCheck {
            status = "none"
        } else if decoded.parityHolds {
            status = "ok"
        } else {
            let failing = decoded.parity.filter { !$0.holds }.map { "\($0.kind) bit \($0.position)" }
            status = "failed (" + (failing + (decoded.checkBytesHold ? [] : ["check byte"])).joined(separator: ", ") + ")"
        }
        return MatchReport(format: decoded.format, fields: fieldMap(decoded), parityStatus: status, parity: decoded.parity, valid: decoded.isValid)
    }

    static func fieldMap(_ decoded: DecodedCard) -> [String: UInt64] {
        Dictionary(uniqueKeysWithValues: decoded.fields.map { ($0.role.rawValue, $0.value) })
    }

    // MARK: card show

    public struct DisplayForm: Codable, Sendable, Equatable {
        public let mode: String
        public let value: String
    }

    /// The display forms of a UID: one Akuvox mode, one ZKTeco IDCardStyle (`IDCardStyle1`, over the
    /// number of the last 4 bytes), or all of them (`mode` nil or `all`).
    public static func show(uid: String, mode: String?) throws(CardFormatError) -> [DisplayForm] {
        let bytes = try AkuvoxDisplayMode.parseUID(uid)
        let number = AkuvoxDisplayMode.number(AkuvoxDisplayMode.last(4, of: bytes))
        func zk(_ style: ZKCardStyle) -> DisplayForm { DisplayForm(mode: "IDCardStyle\(style.rawValue)", value: style.format(number)) }
        if let mode, mode.lowercased() != "all" {
            let lower = mode.lowercased()
            if lower.hasPrefix("idcardstyle"), let code = Int(lower.dropFirst("idcardstyle".count)) {
                return [zk(try ZKCardStyle(code: code))]
            }
            let display = try AkuvoxDisplayMode(name: mode)
            return [DisplayForm(mode: display.rawValue, value: try display.format(bytes))]
        }
        var forms: [DisplayForm] = []
        for display in AkuvoxDisplayMode.allCases {
            forms.append(DisplayForm(mode: display.rawValue, value: try display.format(bytes)))
        }
        return forms + ZKCardStyle.allCases.map(zk)
    }

    // MARK: pin

    public struct PinReport: Codable, Sendable, Equatable {
        public let mode: String
        public let frames: [Frame]

        public struct Frame: Codable, Sendable, Equatable {
            public let key: String?
            public let bitCount: Int
            public let bits: String
            public let hex: String
        }

        public var text: String {
            frames.map { frame in
                (frame.key.map { "\($0): " } ?? "") + "\(frame.bits)  (\(frame.bitCount) bits, hex \(frame.hex))"
            }.joined(separator: "\n")
        }
    }

    /// Encodes typed keys: `4bit`, `8bit`, `burst26` (all at once into H10301), `burst34` (H10306),
    /// or `burst:<format>` for any catalogue format.
    public static func pin(mode: String, keys: String) throws(CardFormatError) -> PinReport {
        let parsed = try KeypadKey.parse(keys)
        let lower = mode.lowercased()
        let encoding: KeypadEncoding
        var perKey = false
        switch lower {
        case "4bit": encoding = .fourBitPerKey; perKey = true
        case "8bit": encoding = .eightBitPerKey; perKey = true
        case "burst26": encoding = .allAtOnce(NamedFormat.h10301.layout)
        case "burst34": encoding = .allAtOnce(NamedFormat.h10306.layout)
        default:
            guard lower.hasPrefix("burst:") else {
                throw .invalidRecord(table: "wiegand pin", field: "mode", value: mode + " (expected 4bit, 8bit, burst26, burst34 or burst:<format>)")
            }
            encoding = .allAtOnce(try CardFormatCatalog.layout(named: String(mode.dropFirst("burst:".count))))
        }
        let frames = try encoding.encode(parsed)
        return PinReport(mode: mode, frames: frames.enumerated().map { index, frame in
            PinReport.Frame(key: perKey ? String(parsed[index].character) : nil, bitCount: frame.bitCount, bits: frame.binaryString, hex: frame.hexString)
        })
    }

    // MARK: JSON

    /// Pretty, key-sorted JSON for any report.
    public static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
