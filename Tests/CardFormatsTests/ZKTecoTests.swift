import TestSupport
import Testing

@testable import CardFormats

struct ZKTecoTests {
    @Test(arguments: ZKDefaultFormat.allCases)
    func defaultsParseWithTheirBitCount(_ format: ZKDefaultFormat) throws {
        #expect(format.layout.bitCount == format.bitCount)
        #expect(format.layout.parityRules.count == 2)
    }

    /// Research §3: ZK 26 with site code (26a) equals H10301, ZK 34 equals BQT34, ZK 34a equals H10306.
    @Test(arguments: [
        (ZKDefaultFormat.wiegand26a, NamedFormat.h10301),
        (.wiegand34, .bqt34),
        (.wiegand34a, .h10306),
    ])
    func defaultsAgreeWithNamedFormats(_ zk: ZKDefaultFormat, _ named: NamedFormat) throws {
        var generator = SplitMix64(seed: 26)
        for _ in 0..<300 {
            let card = try named.layout.pack(named.layout.randomValues(using: &generator))
            // Same data bits (ZK's site code or 32-bit card number where HID has FC and CN), same frame.
            #expect(try zk.layout.packingData(try named.layout.dataValue(of: card)) == card)
            #expect(zk.layout.accepts(card))
        }
    }

    /// Research §3: ZK 37's even group covers 1-indexed bits 2–18 where H10304 covers 2–19, so they
    /// disagree exactly when that bit (0-indexed 18) is 1.
    @Test func zk37DisagreesWithH10304WhenBit19IsSet() throws {
        var generator = SplitMix64(seed: 37)
        var disagreements = 0
        for _ in 0..<400 {
            let card = try NamedFormat.h10304.layout.pack(NamedFormat.h10304.layout.randomValues(using: &generator))
            let agrees = ZKDefaultFormat.wiegand37.layout.accepts(card)
            #expect(agrees == !card[18])
            if !agrees { disagreements += 1 }
        }
        #expect(disagreements > 0)
        let setBit = try NamedFormat.h10304.layout.pack([.facilityCode: 0, .cardNumber: 1 << 17])
        #expect(setBit[18])
        #expect(!ZKDefaultFormat.wiegand37.layout.accepts(setBit))
    }

    @Test(arguments: ZKDefaultFormat.allCases)
    func defaultsCatchEverySingleBitFlip(_ format: ZKDefaultFormat) throws {
        let layout = format.layout
        var generator = SplitMix64(seed: 5)
        let card = try layout.pack(layout.randomValues(using: &generator))
        #expect(layout.accepts(card))
        for position in 0..<layout.bitCount {
            #expect(!layout.accepts(try card.flipping(position)), "\(format.rawValue) flip at \(position)")
        }
    }

    /// The reference's printed examples have 25/27 and 24/27 characters: rejected, with a message saying so.
    @Test(arguments: [
        "pcccccccccccccccccccccccp:eeeeeeeeeeeeeoooooooooooooo",
        "pcccccccccccccccccccccccp:eeeeeeeeeeeeeeooooooooooooo",
        "cccccccccccccccccccccccp:eeeeeeeeeeeeeoooooooooooooo",
    ])
    func referenceExamplesAreRejected(_ text: String) throws {
        do {
            _ = try ZKFormatString(text, cardBit: 26)
            Issue.record("accepted a malformed string")
        } catch {
            #expect(error.description.contains("both must have CardBit = 26 characters"))
        }
    }

    @Test func partsOfDifferentLengthsAreRejectedWithoutCardBit() {
        #expect(throws: CardFormatError.self) { try ZKFormatString("pccp:eeo") }
    }

    @Test func badCharactersAreNamed() {
        #expect(
            throws: CardFormatError.malformedZKFormat(
                "pcxp:eeoo", reason: "'x' at position 2 is not a code character (p, s, c, f, m)")
        ) {
            try ZKFormatString("pcxp:eeoo")
        }
        #expect(
            throws: CardFormatError.malformedZKFormat(
                "pccp:bcoo", reason: "parity bit at position 0 has 'b'; a 'p' must close the 'e' or the 'o' group")
        ) {
            try ZKFormatString("pccp:bcoo")
        }
        #expect(throws: CardFormatError.self) { try ZKFormatString("cccp:eeoo") }
        #expect(throws: CardFormatError.self) { try ZKFormatString("pcc:p:eeo") }
    }

    @Test func missingParityPartMeansEvenThenOddHalves() throws {
        let layout = try ZKFormatString("pccccccccccccccccccccccccp", cardBit: 26).layout
        var generator = SplitMix64(seed: 11)
        for _ in 0..<50 {
            let values = layout.randomValues(using: &generator)
            #expect(try layout.pack(values) == ZKDefaultFormat.wiegand26.layout.pack(values))
        }
    }

    @Test func caseEncodedFormEqualsH10301() throws {
        let layout = try ZKFormatString("PFFFFFFFFIIIIiiiiiiiiiiiiP", cardBit: 26).layout
        let card = try layout.pack([.facilityCode: 123, .cardNumber: 4567])
        #expect(card.hexString == "2F623AE")
        let groupsOnly = try ZKFormatString("PEEEEEEEEEEEEOOOOOOOOOOOOP").layout
        #expect(groupsOnly.accepts(card))
        #expect(try groupsOnly.unpack(card)[.cardNumber] == 123 << 16 | 4567)
        #expect(throws: CardFormatError.self) { try ZKFormatString("PFFXP") }
    }

    @Test func bothGroupCharacterCountsTowardsBothParities() throws {
        let layout = ZKDefaultFormat.wiegand37a.layout
        #expect(layout.parityRules[0].kind == .odd)
        #expect(layout.parityRules[1].kind == .even)
        // 'b' positions (0-indexed 3, 6, …) are in both groups; 'o' (2, 5, …) and 'e' (1, 4, …) in one.
        #expect(layout.parityRules[0].coverage.contains(3))
        #expect(layout.parityRules[1].coverage.contains(3))
        #expect(layout.parityRules[0].coverage.contains(2) && !layout.parityRules[1].coverage.contains(2))
        #expect(layout.parityRules[1].coverage.contains(1) && !layout.parityRules[0].coverage.contains(1))
    }

    @Test func wgFormatRecordV1() throws {
        let row = try ZKWiegandFormat(fields: [
            "ID": "2", "CardBit": "26", "SiteCode": "0", "FormatName": "Wiegand 26",
            "CardFormat": ZKDefaultFormat.wiegand26.formatString,
        ])
        #expect(row.isDefault)
        #expect(row.acceptedSiteCodes.isEmpty)
        let card = try NamedFormat.h10301.layout.pack([.facilityCode: 1, .cardNumber: 2])
        #expect(row.decode(card)?[.cardNumber] == 1 << 16 | 2)
        #expect(throws: CardFormatError.invalidRecord(table: "WGFormat", field: "CardBit", value: "x")) {
            try ZKWiegandFormat(fields: ["ID": "1", "CardBit": "x", "CardFormat": "pcp"])
        }
    }

    @Test func wgFormatRecordV2SiteCodesAndExtraParity() throws {
        let fields = [
            "ID": "3", "CardBit": "26", "SiteCode": "12", "FormatName": "site26",
            "CardFormat": ZKDefaultFormat.wiegand26a.formatString,
            "ExtSiteCode": "20;30", "ExtParityFormat": "ooooooooooooooeeeeeeeeeeee", "IsDefault": "0",
        ]
        let row = try ZKWiegandFormat(fields: fields, ruleVersion: ZKWiegandRuleVersion(reported: "V2.0"))
        #expect(!row.isDefault)
        #expect(row.acceptedSiteCodes == [12, 20, 30])
        #expect(row.layouts.count == 2)
        let ok = try ZKDefaultFormat.wiegand26a.layout.pack([.siteCode: 20, .cardNumber: 7])
        let wrongSite = try ZKDefaultFormat.wiegand26a.layout.pack([.siteCode: 21, .cardNumber: 7])
        #expect(row.decode(ok)?[.siteCode] == 20)
        #expect(row.decode(wrongSite) == nil)
        // A card with the alternative parity split (odd first, 14/12) is accepted through ExtParityFormat.
        let alternative = try row.layouts[1].pack([.siteCode: 30, .cardNumber: 9])
        #expect(
            !row.layouts[0].accepts(alternative) || row.layouts[0].accepts(alternative) == row.layouts[1].accepts(alternative))
        #expect(row.decode(alternative)?[.cardNumber] == 9)
        // Under 1.0 the 2.0 fields are ignored.
        let v1 = try ZKWiegandFormat(fields: fields, ruleVersion: .v1)
        #expect(v1.isDefault && v1.layouts.count == 1 && v1.acceptedSiteCodes == [12])
    }

    @Test func readerRowAndReversal() throws {
        let reader = try ZKReaderWiegandFormat(fields: [
            "ReaderID": "1", "DevID": "14", "WGFormatID": "2", "ParityVerifyDisable": "1", "ReversalType": "3",
        ])
        #expect(reader.parityVerifyDisabled)
        #expect(reader.reversal == .reverseByteOrder)
        #expect(throws: CardFormatError.unknownReversalType(5)) {
            try ZKReaderWiegandFormat(fields: ["ReaderID": "1", "WGFormatID": "2", "ReversalType": "5"])
        }
        #expect(throws: CardFormatError.self) {
            try ZKReaderWiegandFormat(fields: ["ReaderID": "1", "WGFormatID": "2", "ParityVerifyDisable": "2"])
        }
        let card = try CardBits(hex: "11223344", bitCount: 32)
        #expect(try ZKReversalType.reverseByteOrder.apply(to: card).hexString == "44332211")
        #expect(try ZKReversalType.complementBits.apply(to: card).hexString == "EEDDCCBB")
        #expect(try ZKReversalType.reverseBitOrder.apply(to: ZKReversalType.reverseBitOrder.apply(to: card)) == card)
    }

    @Test func doorAutoMatch() throws {
        let f26 = try ZKWiegandFormat(id: 1, cardBit: 26, formatName: "26", cardFormat: ZKDefaultFormat.wiegand26.formatString)
        let f26a = try ZKWiegandFormat(
            id: 2, cardBit: 26, formatName: "26a", cardFormat: ZKDefaultFormat.wiegand26a.formatString, isDefault: false)
        let f34 = try ZKWiegandFormat(id: 3, cardBit: 34, formatName: "34", cardFormat: ZKDefaultFormat.wiegand34.formatString)
        let card = try NamedFormat.h10301.layout.pack([.facilityCode: 5, .cardNumber: 6])
        let reader = ZKReaderWiegandFormat(readerID: 1, deviceID: 1, wiegandFormatID: 3)

        let manual = ZKWiegandMatcher(formats: [f26, f26a, f34], autoMatch: false)
        #expect(try manual.match(card, reader: reader).isEmpty)

        let autoV1 = ZKWiegandMatcher(formats: [f26, f26a, f34], autoMatch: true, ruleVersion: .v1)
        #expect(try autoV1.match(card, reader: reader).map(\.format) == ["26", "26a"])

        let autoV2 = ZKWiegandMatcher(formats: [f26, f26a, f34], autoMatch: true, ruleVersion: .v2)
        #expect(try autoV2.match(card, reader: reader).map(\.format) == ["26"])

        // ParityVerifyDisable lets a card with a broken parity bit through.
        let broken = try card.flipping(25)
        let strict = ZKReaderWiegandFormat(readerID: 1, deviceID: 1, wiegandFormatID: 1)
        let lax = ZKReaderWiegandFormat(readerID: 1, deviceID: 1, wiegandFormatID: 1, parityVerifyDisabled: true)
        #expect(try manual.match(broken, reader: strict).isEmpty)
        #expect(try manual.match(broken, reader: lax).count == 1)
    }

    @Test func idCardStyle() throws {
        #expect(ZKCardStyle.wholeNumber.format(10_930_095) == "10930095")
        #expect(ZKCardStyle.threePlusFive.format(10_930_095) == "16651119")
        #expect(ZKCardStyle.low16Bits.format(10_930_095) == "51119")
        #expect(throws: CardFormatError.self) { try ZKCardStyle(code: 3) }
        // Style 1 on a 24-bit number prints what Akuvox 6H3D5D prints.
        #expect(
            ZKCardStyle.threePlusFive.format(0xD507D0) == (try AkuvoxDisplayMode.hex6Decimal3Decimal5.format([0xD5, 0x07, 0xD0])))
    }
}
