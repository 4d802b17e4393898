import Foundation
import Testing
@testable import CardFormats

struct BitsTests {
    @Test func binaryAndHexAgree() throws {
        let card = try CardBits(binary: "10111101100010001110101110")
        #expect(card.bitCount == 26)
        #expect(card.hexString == "2F623AE")
        #expect(try CardBits(hex: "0x2f623ae", bitCount: 26) == card)
        #expect(card.description == "26:2F623AE")
    }

    @Test func sameHexDifferentLengthsAreDifferentCards() throws {
        #expect(try CardBits(hex: "1", bitCount: 33) != CardBits(hex: "1", bitCount: 34))
    }

    @Test func hundredTwentyEightBits() throws {
        let card = try CardBits(hex: "8000000000000000000000000000000F", bitCount: 128)
        #expect(card[0])
        #expect(card[127])
        #expect(!card[1])
        #expect(card.hexString == "8000000000000000000000000000000F")
        #expect(card.bitsReversed.hexString == "F0000000000000000000000000000001")
        #expect(card.leftJustifiedBytes.count == 16)
        #expect(try CardBits(leftJustifiedBytes: card.leftJustifiedBytes, bitCount: 128) == card)
    }

    @Test func rejectsBadInputWithNamedErrors() {
        #expect(throws: CardFormatError.invalidHex("12G4")) { try CardBits(hex: "12G4", bitCount: 16) }
        #expect(throws: CardFormatError.valueTooWideForBitCount(bitCount: 8)) { try CardBits(hex: "1FF", bitCount: 8) }
        #expect(throws: CardFormatError.bitCountOutOfRange(0)) { try CardBits(hex: "0", bitCount: 0) }
        #expect(throws: CardFormatError.bitCountOutOfRange(129)) { try CardBits(bitCount: 129) }
        #expect(throws: CardFormatError.invalidBinary("10a1")) { try CardBits(binary: "10a1") }
        #expect(throws: CardFormatError.bitCountOutOfRange(129)) { try CardBits(binary: String(repeating: "1", count: 129)) }
        #expect(throws: CardFormatError.invalidHex("")) { try CardBits(hex: "", bitCount: 8) }
    }

    @Test func fieldExtractAndInsert() throws {
        let card = try CardBits(bitCount: 26)
        let withField = try card.inserting(123, start: 1, length: 8)
        #expect(try withField.field(start: 1, length: 8) == 123)
        #expect(withField.binaryString == "00111101100000000000000000")
        #expect(throws: CardFormatError.valueTooWideForBitCount(bitCount: 8)) { try card.inserting(256, start: 1, length: 8) }
        #expect(throws: CardFormatError.positionOutOfRange(position: 26, bitCount: 26)) { try card.field(start: 20, length: 7) }
        #expect(throws: CardFormatError.fieldTooWide(length: 65)) { try card.field(start: 0, length: 65) }
    }

    @Test func sliceAndAppend() throws {
        let card = try CardBits(binary: "1100101")
        #expect(try card.slice(start: 2, length: 3).binaryString == "001")
        #expect(try card.appending(try CardBits(binary: "01")).binaryString == "110010101")
    }

    @Test func parityOverPositionSets() throws {
        let card = try CardBits(binary: "1011")
        #expect(card.onesCount(in: try PositionSet([0, 2, 3])) == 3)
        #expect(!card.hasEvenParity(over: try PositionSet([0, 2, 3])))
        #expect(card.hasEvenParity(over: try PositionSet([0, 2])))
        #expect(throws: CardFormatError.positionOutOfRange(position: 128, bitCount: 128)) { try PositionSet([128]) }
        #expect(try PositionSet([1, 2, 3, 5, 7, 8]).description == "{1-3,5,7-8}")
    }

    @Test func xorCheckByte() throws {
        let card = try CardBits(hex: "F1234567", bitCount: 32)
        #expect(try card.xorCheckByte(bytesStartingAt: [0, 8, 16, 24]) == 0xF1 ^ 0x23 ^ 0x45 ^ 0x67)
    }

    @Test func reversals() throws {
        let card = try CardBits(hex: "11223344", bitCount: 32)
        #expect(try card.bytesReversed().hexString == "44332211")
        #expect(try card.nibblesSwapped().hexString == "11223344")
        #expect(try CardBits(hex: "12AB", bitCount: 16).nibblesSwapped().hexString == "21BA")
        #expect(card.complemented.hexString == "EEDDCCBB")
        #expect(try CardBits(binary: "1101").bitsReversed.binaryString == "1011")
        #expect(throws: CardFormatError.reversalNeedsWholeBytes(bitCount: 26)) { try CardBits(bitCount: 26).bytesReversed() }
    }

    @Test func codableKeepsTheLength() throws {
        let card = try CardBits(hex: "2F623AE", bitCount: 26)
        let data = try JSONEncoder().encode(card)
        #expect(try JSONDecoder().decode(CardBits.self, from: data) == card)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CardBits.self, from: Data(#"{"bitCount":8,"hex":"1FF"}"#.utf8))
        }
    }

    @Test func leftJustifiedRoundTrip() throws {
        let card = try CardBits(binary: "10111101100010001110101110")
        #expect(card.leftJustifiedBytes == [0xBD, 0x88, 0xEB, 0x80])
        #expect(try CardBits(leftJustifiedBytes: [0xBD, 0x88, 0xEB, 0xBF], bitCount: 26) == card)
        #expect(throws: CardFormatError.self) { try CardBits(leftJustifiedBytes: [0xBD], bitCount: 26) }
    }
}
