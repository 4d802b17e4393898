import Testing
@testable import CardFormats

/// The reports behind the `wiegand` and `card` commands.
struct InspectionTests {
    @Test func encodePrintsBitsHexAndOSDPRaw() throws {
        let report = try CardInspection.encode(format: "h10301", facilityCode: 123, cardNumber: 4567)
        #expect(report.bitCount == 26)
        #expect(report.hex == "2F623AE")
        #expect(report.osdpRaw.replyPayloadHex == "00011A00BD88EB80")
        #expect(report.osdpRaw.pacsHex == "06BD88EB80")
        // --fc fills a ZKTeco site code when the layout has no facility field.
        #expect(try CardInspection.encode(format: "zk26a", facilityCode: 123, cardNumber: 4567).hex == "2F623AE")
        #expect(throws: CardFormatError.fieldNotInFormat(format: "H10302", field: .facilityCode)) {
            try CardInspection.encode(format: "H10302", facilityCode: 1, cardNumber: 1)
        }
    }

    @Test func autoDecodeListsEveryPassingFormat() throws {
        let report = try CardInspection.decode(bitCount: 26, hex: "2F623AE", format: nil)
        #expect(report.matches.map(\.format) == ["H10301", "zk26", "zk26a"])
        #expect(report.matches[0].fields == ["fc": 123, "cn": 4567])
        #expect(report.matches[0].parityStatus == "ok")
        #expect(try CardInspection.decode(bitCount: 26, hex: "2F623AF", format: "auto").matches.isEmpty)
        let named = try CardInspection.decode(bitCount: 26, hex: "2F623AF", format: "H10301")
        #expect(named.matches.first?.parityStatus == "failed (odd bit 25)")
        #expect(named.matches.first?.valid == false)
        let wie = try CardInspection.decode(bitCount: 32, hex: "0ABC1234", format: "auto")
        #expect(wie.matches.contains { $0.format == "WIE32" && $0.parityStatus == "none" })
    }

    @Test func showAllModes() throws {
        let forms = try CardInspection.show(uid: "11223344", mode: "all")
        #expect(forms.count == AkuvoxDisplayMode.allCases.count + ZKCardStyle.allCases.count)
        #expect(forms.first { $0.mode == "8H10D" }?.value == "0287454020")
        #expect(try CardInspection.show(uid: "11223344", mode: "IDCardStyle2") == [CardInspection.DisplayForm(mode: "IDCardStyle2", value: "13124")])
    }

    @Test func pinModes() throws {
        #expect(try CardInspection.pin(mode: "8bit", keys: "1").frames.map(\.bits) == ["11100001"])
        #expect(try CardInspection.pin(mode: "4bit", keys: "1").frames.map(\.bits) == ["0001"])
        #expect(try CardInspection.pin(mode: "burst26", keys: "123456").frames.map(\.hex) == ["003C481"])
        #expect(throws: CardFormatError.self) { try CardInspection.pin(mode: "2bit", keys: "1") }
        let json = try CardInspection.json(try CardInspection.pin(mode: "4bit", keys: "#"))
        #expect(json.contains("\"bits\" : \"1011\""))
    }
}
