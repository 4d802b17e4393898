import Testing
@testable import CardFormats

struct AkuvoxTests {
    /// The table of research §1 for UIDs `11 22 33 44` and `52 9D 06 E3`.
    @Test(arguments: [
        ("8HN", "11223344", "529D06E3"),
        ("8HR", "44332211", "E3069D52"),
        ("8H10D", "0287454020", "1386022627"),
        ("8HR10D", "1144201745", "3808861522"),
        ("6H8D", "02241348", "10290915"),
        ("6H3D5D", "03413124", "15701763"),
        ("6H3D5D-R", "05108721", "00640274"),
        ("RAW", "11223344", "529D06E3"),
    ])
    func displayModeTable(_ mode: String, _ first: String, _ second: String) throws {
        let display = try AkuvoxDisplayMode(name: mode)
        #expect(try display.format(uidHex: "11 22 33 44") == first)
        #expect(try display.format(uidHex: "529D06E3") == second)
    }

    /// Third-party examples cross-checked in the research: Nitgen eNCard-i, seabreezerfid, zgznk.
    @Test func publishedThirdPartyExamples() throws {
        #expect(try AkuvoxDisplayMode.hex8Decimal10.format(uidHex: "529D06E3") == "1386022627")
        #expect(try AkuvoxDisplayMode.hex8ReversedDecimal10.format(uidHex: "529D06E3") == "3808861522")
        #expect(try AkuvoxDisplayMode.hex6Decimal3Decimal5.format([0, 0xD5, 0x07, 0xD0]) == "21302000")
        #expect(try AkuvoxDisplayMode.hex8Decimal10.format([0, 0xD5, 0x07, 0xD0]) == "0013961168")
        #expect(try AkuvoxDisplayMode.hex8Decimal10.format(uidHex: "026F6C3A") == "0040856634")
        #expect(try AkuvoxDisplayMode.hex6Decimal8.format(uidHex: "6F6C3A") == "07302202")
    }

    @Test func rawShowsLongUIDsAndShortUIDsArePadded() throws {
        #expect(try AkuvoxDisplayMode.raw.format(uidHex: "04A23B7C1D2E80") == "04A23B7C1D2E80")
        #expect(try AkuvoxDisplayMode.hex8Normal.format(uidHex: "334455") == "00334455")
        #expect(try AkuvoxDisplayMode.hex8Normal.format(uidHex: "04A23B7C1D2E80") == "7C1D2E80")
    }

    @Test func badInputIsNamed() {
        #expect(throws: CardFormatError.unknownDisplayMode("9HX")) { try AkuvoxDisplayMode(name: "9HX") }
        #expect(throws: CardFormatError.invalidUID("123")) { try AkuvoxDisplayMode.raw.format(uidHex: "123") }
        #expect(throws: CardFormatError.invalidUID("zz")) { try AkuvoxDisplayMode.raw.format(uidHex: "zz") }
        #expect(throws: CardFormatError.self) { try AkuvoxWiegandOutput(outputByteCount: 5) }
        #expect(throws: CardFormatError.self) { try AkuvoxWiegandOutput(facilityCode: 256) }
    }

    /// Akuvox's byte-order examples (…/integration-with-third-party-device-6).
    @Test func outputByteOrders() throws {
        let uid: [UInt8] = [0x11, 0x22, 0x33, 0x44, 0x55]
        #expect(try AkuvoxWiegandOutput(outputByteCount: 3).outputBytes(for: uid) == [0x33, 0x44, 0x55])
        #expect(try AkuvoxWiegandOutput(outputByteCount: 3, dataOrder: .reversed).outputBytes(for: uid) == [0x55, 0x44, 0x33])
        #expect(try AkuvoxWiegandOutput(basicDataOrder: .reversed, outputByteCount: 4).outputBytes(for: [0x11, 0x22, 0x33, 0x44]) == [0x44, 0x33, 0x22, 0x11])
    }

    /// The facility code replaces the first byte; with 4 bytes out the replaced byte is the spare top byte.
    @Test func facilityCodeReplacement() throws {
        let uid: [UInt8] = [0x00, 0x22, 0x33, 0x44]
        let w26 = try AkuvoxWiegandOutput(outputByteCount: 3, facilityCode: 5)
        #expect(try w26.outputBytes(for: uid) == [0x05, 0x33, 0x44])
        let w34 = try AkuvoxWiegandOutput(outputByteCount: 4, facilityCode: 5)
        #expect(try w34.outputBytes(for: uid) == [0x05, 0x22, 0x33, 0x44])
        let frame = try w26.frame(for: uid)
        #expect(frame.bitCount == 26)
        #expect(try NamedFormat.h10301.layout.unpack(frame)[.facilityCode] == 5)
        #expect(try NamedFormat.h10301.layout.unpack(frame)[.cardNumber] == 0x3344)
        #expect(try w34.frame(for: uid).bitCount == 34)
    }

    @Test func inputDataOrder() throws {
        let frame = try NamedFormat.h10301.layout.pack([.facilityCode: 0x22, .cardNumber: 0x3344])
        let normal = AkuvoxWiegandInput(readerLayout: NamedFormat.h10301.layout)
        #expect(try normal.cardBytes(from: frame) == [0x22, 0x33, 0x44])
        let reversed = AkuvoxWiegandInput(readerLayout: NamedFormat.h10301.layout, dataOrder: .reversed)
        #expect(try reversed.cardBytes(from: frame) == [0x44, 0x33, 0x22])
        #expect(try AkuvoxDisplayMode.hex6Decimal8.format(try normal.cardBytes(from: frame)) == "02241348")
        #expect(throws: CardFormatError.parityMismatch(format: "H10301", position: 0, kind: .even)) {
            try normal.cardBytes(from: try frame.flipping(0))
        }
        let custom = AkuvoxWiegandInput(readerLayout: try CardLayout.raw(bitCount: 56))
        #expect(try custom.cardBytes(from: try CardBits(hex: "04A23B7C1D2E80", bitCount: 56)) == [0x04, 0xA2, 0x3B, 0x7C, 0x1D, 0x2E, 0x80])
    }
}
