import TestSupport
import Testing

@testable import CardFormats

struct NamedFormatTests {
    static let parityFormats = NamedFormat.allCases.filter { $0.layout.hasErrorCheck }

    @Test func seventeenFormats() {
        #expect(NamedFormat.allCases.count == 17)
        #expect(
            Set(Self.parityFormats) == [
                .h10301, .h10306, .n10002, .bqt34, .d10202, .c1k35s, .h10302, .h10304, .p10001, .h800002, .c1k48s, .avig56,
            ])
    }

    @Test(arguments: NamedFormat.allCases)
    func packThenUnpackIsIdentity(_ format: NamedFormat) throws {
        let layout = format.layout
        var generator = SplitMix64(seed: UInt64(layout.bitCount) &* 7919)
        for _ in 0..<200 {
            let values = layout.randomValues(using: &generator)
            let card = try layout.pack(values)
            let decoded = try layout.unpack(card)
            #expect(decoded.isValid)
            for (role, value) in values { #expect(decoded[role] == value) }
            #expect(try layout.pack(values) == card)
        }
        let maximum = try layout.unpack(try layout.pack(layout.maximumValues))
        for (role, value) in layout.maximumValues { #expect(maximum[role] == value) }
    }

    @Test(arguments: parityFormats)
    func everySingleBitFlipIsCaught(_ format: NamedFormat) throws {
        let layout = format.layout
        var generator = SplitMix64(seed: 42 &+ UInt64(layout.bitCount))
        for _ in 0..<20 {
            let card = try layout.pack(layout.randomValues(using: &generator))
            for position in 0..<layout.bitCount {
                let flipped = try card.flipping(position)
                #expect(!layout.accepts(flipped), "flip at \(position) went unnoticed")
                #expect(throws: CardFormatError.self) { try layout.validate(flipped) }
                #expect(layout.accepts(flipped, checkingParity: false) == (format != .p10001 || position >= 4))
            }
        }
    }

    @Test func fieldOutOfRangeIsNamed() {
        #expect(throws: CardFormatError.fieldValueOutOfRange(format: "H10301", field: .facilityCode, value: 256, bits: 8)) {
            try NamedFormat.h10301.layout.pack([.facilityCode: 256, .cardNumber: 1])
        }
        #expect(throws: CardFormatError.fieldNotInFormat(format: "H10302", field: .facilityCode)) {
            try NamedFormat.h10302.layout.pack([.facilityCode: 1])
        }
        #expect(throws: CardFormatError.wrongBitCount(format: "H10301", expected: 26, actual: 34)) {
            try NamedFormat.h10301.layout.unpack(try CardBits(bitCount: 34))
        }
    }

    @Test func h10306AndN10002GiveIdenticalBits() throws {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<100 {
            let values = NamedFormat.h10306.layout.randomValues(using: &generator)
            #expect(try NamedFormat.h10306.layout.pack(values) == NamedFormat.n10002.layout.pack(values))
        }
    }

    /// BQT34 and D10202 can share a hex value for the same FC/CN while differing in length; the card type keeps them apart.
    @Test func bqt34AndD10202DifferInLength() throws {
        let bqt = try NamedFormat.bqt34.layout.pack([.facilityCode: 1, .cardNumber: 1])
        let d = try NamedFormat.d10202.layout.pack([.facilityCode: 1, .cardNumber: 1])
        #expect(bqt.bitCount == 34)
        #expect(d.bitCount == 33)
        #expect(!NamedFormat.d10202.layout.accepts(bqt))
        #expect(!NamedFormat.bqt34.layout.accepts(d))
    }

    @Test func h800002LastBitIsInverseOfFirst() throws {
        var generator = SplitMix64(seed: 9)
        for _ in 0..<50 {
            let card = try NamedFormat.h800002.layout.pack(NamedFormat.h800002.layout.randomValues(using: &generator))
            #expect(card[0] != card[45])
        }
    }

    @Test func p10001HasLeadingFAndXorByte() throws {
        let card = try NamedFormat.p10001.layout.pack([.facilityCode: 0xABC, .cardNumber: 0x1234])
        #expect(card.hexString == "FABC1234" + hex(0xFA ^ 0xBC ^ 0x12 ^ 0x34))
        #expect(throws: CardFormatError.fixedBitsMismatch(format: "P10001", position: 0)) {
            try NamedFormat.p10001.layout.validate(try card.flipping(0))
        }
    }

    @Test func h10301ParityBitsNamedOnFailure() throws {
        let card = try NamedFormat.h10301.layout.pack([.facilityCode: 123, .cardNumber: 4567])
        #expect(throws: CardFormatError.parityMismatch(format: "H10301", position: 25, kind: .odd)) {
            try NamedFormat.h10301.layout.validate(try card.flipping(20))
        }
        let decoded = try NamedFormat.h10301.layout.unpack(try card.flipping(3))
        #expect(decoded.parity.map(\.holds) == [false, true])
        #expect(decoded[.facilityCode] != 123)
    }

    @Test func rawPassThroughAnyLength() throws {
        for count in [1, 26, 64, 65, 100, 128] {
            let layout = try CardLayout.raw(bitCount: count)
            var generator = SplitMix64(seed: UInt64(count))
            let card = try CardBits(
                bitCount: count, high: count > 64 ? generator.next() >> UInt64(128 - count) : 0,
                low: count >= 64 ? generator.next() : generator.next() >> UInt64(64 - count))
            #expect(layout.accepts(card))
            #expect(try layout.unpack(card).card == card)
            #expect(try layout.dataBits(of: card) == card)
        }
        #expect(throws: CardFormatError.bitCountOutOfRange(129)) { try CardLayout.raw(bitCount: 129) }
    }

    @Test func layoutRejectsOverlaps() {
        #expect(throws: CardFormatError.self) {
            try CardLayout(
                name: "bad", bitCount: 10,
                fields: [FieldSpec(.cardNumber, start: 0, length: 6), FieldSpec(.facilityCode, start: 5, length: 2)])
        }
        #expect(throws: CardFormatError.self) {
            try CardLayout(name: "bad", bitCount: 10, fields: [FieldSpec(.cardNumber, start: 5, length: 6)])
        }
    }

    /// Research §2, in 1-indexed positions: b1 even over {3,4,6,7,…,33,34}; b34 odd over {2,3,5,6,…,32,33}; b0 odd over all.
    @Test func corporate1000ParityGroupsMatchTheResearch() throws {
        let rules = NamedFormat.c1k35s.layout.parityRules
        let even = stride(from: 3, through: 34, by: 3).flatMap { [$0, $0 + 1] }.filter { $0 <= 34 }.map { $0 - 1 }
        let odd = stride(from: 2, through: 33, by: 3).flatMap { [$0, $0 + 1] }.filter { $0 <= 33 }.map { $0 - 1 }
        let evenSet = try PositionSet(even)
        let oddSet = try PositionSet(odd)
        let allSet = try PositionSet(1...34)
        #expect(rules[0].position == 1 && rules[0].kind == .even && rules[0].coverage == evenSet)
        #expect(rules[1].position == 34 && rules[1].kind == .odd && rules[1].coverage == oddSet)
        #expect(rules[2].position == 0 && rules[2].kind == .odd && rules[2].coverage == allSet)
    }

    private func hex(_ byte: Int) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }
}
