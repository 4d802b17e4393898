import Testing
@testable import CardFormats

/// A real site format, written the way a Lua `cardformat` would be: a 32-bit card whose bytes arrive
/// reversed, stored as the decimal number of the corrected bytes.
struct ReversedThirtyTwo: ExternalCardFormat {
    let name = "site-reversed32"
    func transform(_ card: CardBits) throws -> String {
        guard card.bitCount == 32 else { throw ExternalCardFormatDeclined() }
        return String(try card.bytesReversed().lowWord)
    }
}

struct BrokenSiteFormat: ExternalCardFormat {
    struct ScriptError: Error, CustomStringConvertible { var description: String { "attempt to index a nil value" } }
    let name = "broken"
    func transform(_ card: CardBits) throws -> String { throw ScriptError() }
}

struct ReaderTests {
    @Test func matcherTriesFormatsInOrder() throws {
        let matcher = CardMatcher(formats: [
            .layout(NamedFormat.h10301.layout), .zkteco(try ZKWiegandFormat(id: 1, cardBit: 26, formatName: "zk-26", cardFormat: ZKDefaultFormat.wiegand26.formatString)),
            .site(ReversedThirtyTwo()), .layout(NamedFormat.wie32.layout),
        ])
        let card26 = try NamedFormat.h10301.layout.pack([.facilityCode: 1, .cardNumber: 2])
        #expect(matcher.firstMatch(card26)?.format == "H10301")
        #expect(matcher.allMatches(card26).matches.map(\.format) == ["H10301", "zk-26"])
        #expect(matcher.matchCount(card26) == 2)

        let card32 = try CardBits(hex: "44332211", bitCount: 32)
        let matches = matcher.allMatches(card32).matches
        #expect(matches.map(\.format) == ["site-reversed32", "WIE32"])
        #expect(matches[0].source == .site(number: "287454020"))
        #expect(matcher.firstMatch(try card26.flipping(0)) == nil)
    }

    @Test func failingSiteFormatIsReportedNotMatched() throws {
        let matcher = CardMatcher(formats: [.site(BrokenSiteFormat()), .layout(NamedFormat.h10301.layout)])
        let card = try NamedFormat.h10301.layout.pack([.facilityCode: 1, .cardNumber: 2])
        let result = matcher.allMatches(card)
        #expect(result.matches.map(\.format) == ["H10301"])
        #expect(result.failures.count == 1)
        #expect(result.failures[0].message.contains("attempt to index a nil value"))
        #expect(matcher.firstMatch(card)?.format == "H10301")
    }

    @Test func parityVerifyDisabledAcceptsBrokenParity() throws {
        let broken = try NamedFormat.h10301.layout.pack([.facilityCode: 1, .cardNumber: 2]).flipping(25)
        #expect(CardMatcher(formats: [.layout(NamedFormat.h10301.layout)]).firstMatch(broken) == nil)
        #expect(CardMatcher(formats: [.layout(NamedFormat.h10301.layout)], checkingParity: false).firstMatch(broken)?.decoded?.parityHolds == false)
    }

    @Test func readerStoredNumberAndOutput() throws {
        let reader = ReaderConfiguration(
            name: "gate", acceptedFormats: [.layout(NamedFormat.h10306.layout), .layout(NamedFormat.h10301.layout)],
            storedNumberForm: .akuvox(.hex8Decimal10), output: .layout(NamedFormat.h10301.layout))
        let frame = try NamedFormat.h10301.layout.pack([.facilityCode: 0xD5, .cardNumber: 0x07D0])
        let match = try #require(try reader.read(frame))
        #expect(match.format == "H10301")
        #expect(try reader.storedNumber(for: match) == "0013961168")
        #expect(try reader.outputFrame(for: match) == frame)

        var zkStyle = reader
        zkStyle.storedNumberForm = .zkteco(.threePlusFive)
        #expect(try zkStyle.storedNumber(for: match) == "00002000")

        // A 34-bit card with a 16-bit FC cannot go out as H10301: the error names the field.
        let wide = try NamedFormat.h10306.layout.pack([.facilityCode: 300, .cardNumber: 1])
        let wideMatch = try #require(try reader.read(wide))
        #expect(throws: CardFormatError.fieldValueOutOfRange(format: "H10301", field: .facilityCode, value: 300, bits: 8)) {
            try reader.outputFrame(for: wideMatch)
        }

        var akuvoxOut = reader
        akuvoxOut.output = .akuvox(try AkuvoxWiegandOutput(outputByteCount: 3, dataOrder: .reversed))
        let sent = try #require(try akuvoxOut.outputFrame(for: match))
        #expect(try NamedFormat.h10301.layout.dataBits(of: sent).hexString == "D007D5")
    }

    @Test func readerUndoesInputReversal() throws {
        let card = try CardBits(hex: "11223344", bitCount: 32)
        let reader = ReaderConfiguration(name: "r", acceptedFormats: [.site(ReversedThirtyTwo())], inputReversal: .reverseByteOrder)
        let match = try #require(try reader.read(card))
        #expect(try reader.storedNumber(for: match) == "287454020")
    }

    @Test func catalogResolvesNamesAndStrings() throws {
        #expect(try CardFormatCatalog.layout(named: "h10301").name == "H10301")
        #expect(try CardFormatCatalog.layout(named: "raw100").bitCount == 100)
        #expect(try CardFormatCatalog.layout(named: "zk37a").bitCount == 37)
        #expect(try CardFormatCatalog.layout(named: ZKDefaultFormat.wiegand26a.formatString).bitCount == 26)
        #expect(try CardFormatCatalog.layout(named: "PFFFFFFFFIIIIiiiiiiiiiiiiP").bitCount == 26)
        #expect(throws: CardFormatError.unknownFormat("H99999")) { try CardFormatCatalog.layout(named: "H99999") }
        #expect(throws: CardFormatError.bitCountOutOfRange(0)) { try CardFormatCatalog.layout(named: "raw0") }
        #expect(throws: CardFormatError.self) { try CardFormatCatalog.layout(named: "pcccp:eeoo") }
        #expect(CardFormatCatalog.autoDecodeLayouts.count == 26)
    }
}
