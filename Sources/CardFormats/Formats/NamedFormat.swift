/// The built-in Wiegand layouts. Layouts are facts taken from the Proxmark3 catalogue as
/// summarised in shared/research/card-formats.md §2 (positions 0-indexed, MSB first); the code
/// here is written from those facts, not from Proxmark's (GPL) source.
public enum NamedFormat: String, CaseIterable, Sendable, Codable {
    case h10301 = "H10301"
    case h10306 = "H10306"
    case n10002 = "N10002"
    case bqt34 = "BQT34"
    case d10202 = "D10202"
    case c1k35s = "C1k35s"
    case h10302 = "H10302"
    case h10304 = "H10304"
    case p10001 = "P10001"
    case casi40 = "Casi40"
    case wie32 = "WIE32"
    case kantech = "Kantech"
    case hcp32 = "HCP32"
    case h800002 = "H800002"
    case c1k48s = "C1k48s"
    case avig56 = "Avig56"
    case ir56 = "IR56"

    /// Case-insensitive lookup by name.
    public init?(name: String) {
        let wanted = name.lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == wanted }) else {
            return nil
        }
        self = match
    }

    /// The layout; built once.
    public var layout: CardLayout { Self.layouts[self]! }

    /// The layouts, checked at first use. The definitions are constants of this file, so a failure
    /// here is a programming error that the test suite catches on every layout.
    private static let layouts: [NamedFormat: CardLayout] = {
        var table: [NamedFormat: CardLayout] = [:]
        for format in NamedFormat.allCases {
            do {
                table[format] = try format.makeLayout()
            } catch {
                fatalError("built-in layout \(format.rawValue) is inconsistent: \(error)")
            }
        }
        return table
    }()

    private func makeLayout() throws(CardFormatError) -> CardLayout {
        let name = rawValue
        func set(_ range: ClosedRange<Int>) throws(CardFormatError) -> PositionSet { try PositionSet(range) }
        switch self {
        case .h10301:
            return try CardLayout(
                name: name, bitCount: 26,
                fields: [FieldSpec(.facilityCode, start: 1, length: 8), FieldSpec(.cardNumber, start: 9, length: 16)],
                parity: [ParityRule(.even, at: 0, over: try set(1...12)), ParityRule(.odd, at: 25, over: try set(13...24))])
        case .h10306, .n10002:
            // The two give identical bits (research §2, checked by running Proxmark's code).
            return try CardLayout(
                name: name, bitCount: 34,
                fields: [FieldSpec(.facilityCode, start: 1, length: 16), FieldSpec(.cardNumber, start: 17, length: 16)],
                parity: [ParityRule(.even, at: 0, over: try set(1...16)), ParityRule(.odd, at: 33, over: try set(17...32))])
        case .bqt34:
            return try CardLayout(
                name: name, bitCount: 34,
                fields: [FieldSpec(.facilityCode, start: 1, length: 8), FieldSpec(.cardNumber, start: 9, length: 24)],
                parity: [ParityRule(.even, at: 0, over: try set(1...16)), ParityRule(.odd, at: 33, over: try set(17...32))])
        case .d10202:
            // Even over 1–16 and odd over 16–31: bit 16 is in both groups.
            return try CardLayout(
                name: name, bitCount: 33,
                fields: [FieldSpec(.facilityCode, start: 1, length: 7), FieldSpec(.cardNumber, start: 8, length: 24)],
                parity: [ParityRule(.even, at: 0, over: try set(1...16)), ParityRule(.odd, at: 32, over: try set(16...31))])
        case .c1k35s:
            return try CardLayout(
                name: name, bitCount: 35,
                fields: [FieldSpec(.facilityCode, start: 2, length: 12), FieldSpec(.cardNumber, start: 14, length: 20)],
                parity: try Self.corporate1000Parity(bitCount: 35))
        case .c1k48s:
            return try CardLayout(
                name: name, bitCount: 48,
                fields: [FieldSpec(.facilityCode, start: 2, length: 22), FieldSpec(.cardNumber, start: 24, length: 23)],
                parity: try Self.corporate1000Parity(bitCount: 48))
        case .h10302:
            // Even over 1–18, odd over 18–35: bit 18 is in both.
            return try CardLayout(
                name: name, bitCount: 37,
                fields: [FieldSpec(.cardNumber, start: 1, length: 35)],
                parity: [ParityRule(.even, at: 0, over: try set(1...18)), ParityRule(.odd, at: 36, over: try set(18...35))])
        case .h10304:
            return try CardLayout(
                name: name, bitCount: 37,
                fields: [FieldSpec(.facilityCode, start: 1, length: 16), FieldSpec(.cardNumber, start: 17, length: 19)],
                parity: [ParityRule(.even, at: 0, over: try set(1...18)), ParityRule(.odd, at: 36, over: try set(18...35))])
        case .p10001:
            return try CardLayout(
                name: name, bitCount: 40,
                fields: [FieldSpec(.facilityCode, start: 4, length: 12), FieldSpec(.cardNumber, start: 16, length: 16)],
                fixed: [FixedBits(start: 0, length: 4, value: 0xF)],
                checkBytes: [CheckByteRule(at: 32, xorOfBytesAt: [0, 8, 16, 24])])
        case .casi40:
            return try CardLayout(name: name, bitCount: 40, fields: [FieldSpec(.cardNumber, start: 1, length: 38)])
        case .wie32:
            return try CardLayout(
                name: name, bitCount: 32,
                fields: [FieldSpec(.facilityCode, start: 4, length: 12), FieldSpec(.cardNumber, start: 16, length: 16)])
        case .kantech:
            return try CardLayout(
                name: name, bitCount: 32,
                fields: [FieldSpec(.facilityCode, start: 7, length: 8), FieldSpec(.cardNumber, start: 15, length: 16)])
        case .hcp32:
            return try CardLayout(name: name, bitCount: 32, fields: [FieldSpec(.cardNumber, start: 1, length: 24)])
        case .h800002:
            // "b45 is the inverse of b0": with b0 even over 1–44, that is b45 odd over 1–44.
            return try CardLayout(
                name: name, bitCount: 46,
                fields: [FieldSpec(.facilityCode, start: 1, length: 14), FieldSpec(.cardNumber, start: 15, length: 30)],
                parity: [ParityRule(.even, at: 0, over: try set(1...44)), ParityRule(.odd, at: 45, over: try set(1...44))])
        case .avig56:
            return try CardLayout(
                name: name, bitCount: 56,
                fields: [FieldSpec(.facilityCode, start: 1, length: 20), FieldSpec(.cardNumber, start: 21, length: 34)],
                parity: [ParityRule(.even, at: 0, over: try set(1...27)), ParityRule(.odd, at: 55, over: try set(28...54))])
        case .ir56:
            return try CardLayout(
                name: name, bitCount: 56,
                fields: [FieldSpec(.facilityCode, start: 0, length: 24), FieldSpec(.cardNumber, start: 24, length: 32)])
        }
    }

    /// HID Corporate 1000's three parity bits, counted from the end of the frame (value bit v = n-1-position):
    /// bit 1 is even over v in 1...n-3 with v % 3 != 0; the last bit is odd over v in 1...n-2 with v % 3 != 1
    /// (this includes bit 1); bit 0 is odd over everything after it. Order matters: bit 0 covers the others.
    static func corporate1000Parity(bitCount n: Int) throws(CardFormatError) -> [ParityRule] {
        let evenGroup = try PositionSet((1...(n - 3)).filter { $0 % 3 != 0 }.map { n - 1 - $0 })
        let oddGroup = try PositionSet((1...(n - 2)).filter { $0 % 3 != 1 }.map { n - 1 - $0 })
        return [
            ParityRule(.even, at: 1, over: evenGroup),
            ParityRule(.odd, at: n - 1, over: oddGroup),
            ParityRule(.odd, at: 0, over: try PositionSet(1...(n - 1))),
        ]
    }
}
