/// Normal or reversed byte order, as Akuvox's Wiegand settings offer it.
public enum AkuvoxByteOrder: String, Sendable, Codable, Hashable {
    case normal
    case reversed
}

/// Akuvox Wiegand output to a third-party panel (knowledge.akuvox.com integration pages, seed 000):
/// "Output Basic Data Order" reverses the card's bytes, the 3-byte (Wiegand-26) or 4-byte
/// (Wiegand-34) conversion keeps the last bytes, "Output Data Order" reverses what is kept, and a
/// facility code (0–255) replaces the first byte. With `11 22 33 44 55`: W26 keeps `33 44 55`,
/// Output Data Order reversed gives `55 44 33`.
public struct AkuvoxWiegandOutput: Hashable, Sendable {
    public let basicDataOrder: AkuvoxByteOrder
    /// 3 (Wiegand-26) or 4 (Wiegand-34).
    public let outputByteCount: Int
    public let dataOrder: AkuvoxByteOrder
    /// Replaces the first output byte ("the first two digits"); pick 4 bytes to keep the card number intact.
    public let facilityCode: UInt8?

    public init(basicDataOrder: AkuvoxByteOrder = .normal, outputByteCount: Int = 3, dataOrder: AkuvoxByteOrder = .normal, facilityCode: Int? = nil) throws(CardFormatError) {
        guard outputByteCount == 3 || outputByteCount == 4 else {
            throw .invalidRecord(table: "Akuvox Wiegand output", field: "ID Card Output Raw Bytes", value: String(outputByteCount))
        }
        if let facilityCode, !(0...255).contains(facilityCode) {
            throw .invalidRecord(table: "Akuvox Wiegand output", field: "Facility Code", value: String(facilityCode))
        }
        self.basicDataOrder = basicDataOrder
        self.outputByteCount = outputByteCount
        self.dataOrder = dataOrder
        self.facilityCode = facilityCode.map { UInt8($0) }
    }

    /// The layout the bytes go out in: H10301 for 3 bytes, H10306 (16/16 parity) for 4.
    public var layout: CardLayout { outputByteCount == 3 ? NamedFormat.h10301.layout : NamedFormat.h10306.layout }

    /// The data bytes sent for a card's bytes (the UID, first received first).
    public func outputBytes(for bytes: [UInt8]) throws(CardFormatError) -> [UInt8] {
        guard !bytes.isEmpty, bytes.count <= 16 else { throw .invalidUID("\(bytes.count) bytes") }
        var data = basicDataOrder == .reversed ? Array(bytes.reversed()) : bytes
        data = AkuvoxDisplayMode.last(outputByteCount, of: data)
        if dataOrder == .reversed { data.reverse() }
        if let facilityCode { data[0] = facilityCode }
        return data
    }

    /// The Wiegand frame sent for a card's bytes.
    public func frame(for bytes: [UInt8]) throws(CardFormatError) -> CardBits {
        try layout.packingData(AkuvoxDisplayMode.number(try outputBytes(for: bytes)))
    }
}

/// Akuvox Wiegand input from a reader: the "Card Reader Mode" layout (Wiegand-26, -34 or a custom
/// 1–128-bit layout) and "Input Data Order" (reversed reverses the card number's bytes).
public struct AkuvoxWiegandInput: Hashable, Sendable {
    public let readerLayout: CardLayout
    public let dataOrder: AkuvoxByteOrder

    public init(readerLayout: CardLayout, dataOrder: AkuvoxByteOrder = .normal) {
        self.readerLayout = readerLayout
        self.dataOrder = dataOrder
    }

    /// The card-number bytes a received frame gives (data bits right-justified into bytes), which
    /// the display mode then prints. Parity is checked first.
    public func cardBytes(from card: CardBits, checkingParity: Bool = true) throws(CardFormatError) -> [UInt8] {
        if checkingParity { try readerLayout.validate(card) }
        let bytes = try readerLayout.dataBits(of: card).bytes
        return dataOrder == .reversed ? bytes.reversed() : bytes
    }
}
