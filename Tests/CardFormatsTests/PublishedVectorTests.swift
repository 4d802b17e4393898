import Testing
@testable import CardFormats

/// The published vectors of shared/research/card-formats.md §2 and §5 (Proxmark3 pm3_tests.sh and
/// the libosdp capture), as golden tests.
struct PublishedVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let format: NamedFormat
        let fc: UInt64
        let cn: UInt64
        let rawHex: String
        var testDescription: String { "\(format.rawValue) FC\(fc) CN\(cn)" }
    }

    static let vectors: [Vector] = [
        Vector(format: .h10301, fc: 123, cn: 4567, rawHex: "2F623AE"),
        Vector(format: .h10301, fc: 224, cn: 1337, rawHex: "3C00A73"),
        Vector(format: .h10301, fc: 123, cn: 11223, rawHex: "2F657AE"),
        Vector(format: .c1k48s, fc: 42069, cn: 42069, rawHex: "A4550148AB"),
        Vector(format: .ir56, fc: 123, cn: 123, rawHex: "7B0000007B"),
    ]

    @Test(arguments: vectors)
    func packMatchesPublishedFrame(_ vector: Vector) throws {
        let layout = vector.format.layout
        let card = try layout.pack([.facilityCode: vector.fc, .cardNumber: vector.cn])
        let expected = try CardBits(hex: vector.rawHex, bitCount: layout.bitCount)
        #expect(card == expected)
    }

    @Test(arguments: vectors)
    func unpackReadsPublishedFrame(_ vector: Vector) throws {
        let layout = vector.format.layout
        let decoded = try layout.unpack(try CardBits(hex: vector.rawHex, bitCount: layout.bitCount))
        #expect(decoded[.facilityCode] == vector.fc)
        #expect(decoded[.cardNumber] == vector.cn)
        #expect(decoded.isValid)
    }

    @Test func h10301BitsAndPACSForm() throws {
        let card = try NamedFormat.h10301.layout.pack([.facilityCode: 123, .cardNumber: 4567])
        #expect(card.binaryString == "10111101100010001110101110")
        #expect(card.osdpRaw.pacsHex == "06BD88EB80")
        #expect(card.osdpRaw.dataHex == "BD88EB80")
    }

    /// The osdp_RAW frame captured from libosdp: `00 01 1a 00 bd 88 eb 80`.
    @Test func osdpRawReplyPayloadMatchesCapture() throws {
        let card = try NamedFormat.h10301.layout.pack([.facilityCode: 123, .cardNumber: 4567])
        #expect(card.osdpRaw.replyPayload(readerNumber: 0, format: .wiegand) == [0x00, 0x01, 0x1A, 0x00, 0xBD, 0x88, 0xEB, 0x80])
        let parsed = try OSDPRawCard.parseReplyPayload([0x00, 0x01, 0x1A, 0x00, 0xBD, 0x88, 0xEB, 0x80])
        #expect(parsed.card == card)
        #expect(parsed.format == .wiegand)
    }

    @Test func inconsistentHandBuiltRawFormDoesNotTrap() {
        #expect(OSDPRawCard(bitCount: 100, data: [0x01]).pacsHex == "0001")
        #expect(throws: CardFormatError.self) { try OSDPRawCard(bitCount: 100, data: [0x01]).card() }
        #expect(throws: CardFormatError.self) { try OSDPRawCard.parseReplyPayload([0, 1, 0, 0]) }
        #expect(throws: CardFormatError.self) { try OSDPRawCard.parseReplyPayload([0, 7, 8, 0, 0xFF]) }
    }

    /// The 56-bit raw UID captured from libosdp: `00 00 38 00 04 a2 3b 7c 1d 2e 80`.
    @Test func osdpRaw56BitUID() throws {
        let payload: [UInt8] = [0x00, 0x00, 0x38, 0x00, 0x04, 0xA2, 0x3B, 0x7C, 0x1D, 0x2E, 0x80]
        let parsed = try OSDPRawCard.parseReplyPayload(payload)
        #expect(parsed.format == .unspecified)
        #expect(parsed.card.bitCount == 56)
        #expect(parsed.card.hexString == "04A23B7C1D2E80")
        #expect(parsed.card.osdpRaw.replyPayload(readerNumber: 0, format: .unspecified) == payload)
    }
}
