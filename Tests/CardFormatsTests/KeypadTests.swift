import Testing
@testable import CardFormats

struct KeypadTests {
    /// Research §4 tables (Akuvox seed, Rosslare "Nibbles Complemented", HID, Baltech).
    @Test(arguments: [
        ("0", "0000", "11110000"),
        ("1", "0001", "11100001"),
        ("7", "0111", "10000111"),
        ("9", "1001", "01101001"),
        ("*", "1010", "01011010"),
        ("#", "1011", "01001011"),
    ])
    func perKeyFrames(_ key: String, _ four: String, _ eight: String) throws {
        let keys = try KeypadKey.parse(key)
        #expect(try KeypadEncoding.fourBitPerKey.encode(keys).map(\.binaryString) == [four])
        #expect(try KeypadEncoding.eightBitPerKey.encode(keys).map(\.binaryString) == [eight])
        #expect(try KeypadEncoding.key(from: try CardBits(binary: four)) == keys[0])
        #expect(try KeypadEncoding.key(from: try CardBits(binary: eight)) == keys[0])
    }

    /// Akuvox: "123456" is converted to "01e240" in Wiegand 26; the frame is `00000000111100010010000001`.
    @Test func allAtOnceWiegand26() throws {
        let frames = try KeypadEncoding.allAtOnce(NamedFormat.h10301.layout).encode(try KeypadKey.parse("123456#"))
        #expect(frames.count == 1)
        #expect(try NamedFormat.h10301.layout.dataBits(of: frames[0]).hexString == "01E240")
        #expect(frames[0].binaryString == "00000000111100010010000001")
        #expect(frames[0] == (try NamedFormat.h10301.layout.pack([.facilityCode: 1, .cardNumber: 57920])))
        #expect(try KeypadEncoding.pin(fromBurst: frames[0], layout: NamedFormat.h10301.layout) == "123456")
    }

    @Test func badKeysAndPINsAreNamed() {
        #expect(throws: CardFormatError.invalidKey("A")) { try KeypadKey.parse("12A") }
        #expect(throws: CardFormatError.emptyPIN) { try KeypadKey.parse("") }
        #expect(throws: CardFormatError.keyNotAllowedInBurst("*")) {
            try KeypadEncoding.allAtOnce(NamedFormat.h10301.layout).encode(try KeypadKey.parse("12*3"))
        }
        #expect(throws: CardFormatError.pinTooLargeForFormat(pin: "16777216", format: "H10301", dataBits: 24)) {
            try KeypadEncoding.allAtOnce(NamedFormat.h10301.layout).encode(try KeypadKey.parse("16777216"))
        }
        #expect(throws: CardFormatError.invalidKeypadFrame(bits: "11110001")) { try KeypadEncoding.key(from: try CardBits(binary: "11110001")) }
        #expect(throws: CardFormatError.self) { try KeypadEncoding.key(from: try CardBits(binary: "1100")) }
        #expect(throws: CardFormatError.self) { try KeypadEncoding.key(from: try CardBits(binary: "11001")) }
    }

    /// osdp_KEYPAD "1234#" as captured from libosdp: `31 32 33 34 0d`.
    @Test func osdpKeypadBytes() throws {
        let keys = try KeypadKey.parse("1234#")
        #expect(keys.map(\.osdpByte) == [0x31, 0x32, 0x33, 0x34, 0x0D])
        #expect(try [0x31, 0x32, 0x33, 0x34, 0x0D].map { try KeypadKey(osdpByte: $0) } == keys)
        #expect(KeypadKey.star.osdpByte == 0x7F)
    }
}
