import Testing
@testable import PushProtocol

@Suite struct ValueTests {
    // MD5 and the session token's computation moved to the Digests module (DigestsTests).

    /// Appendix 5 / 6, and the user example `starttime=583512660`.
    @Test func appendixFiveAndSix() throws {
        let date = PushDateTime(year: 2018, month: 2, day: 22, hour: 16, minute: 19, second: 20)
        let seconds = try #require(date.encodedSeconds)
        let days: Int = 18 * 12 * 31 + 1 * 31 + 21
        let expected: Int = days * 86_400 + (16 * 60 + 19) * 60 + 20
        #expect(Int(seconds) == expected)
        #expect(PushDateTime(encodedSeconds: seconds) == date)
        #expect(PushDateTime(encodedSeconds: 0) == PushDateTime(year: 2000, month: 1, day: 1))
        #expect(PushDateTime(year: 1999, month: 12, day: 31).encodedSeconds == nil)
        for value in stride(from: UInt32(0), to: UInt32.max - 1_000_000, by: 7_777_777) {
            #expect(PushDateTime(encodedSeconds: value).encodedSeconds == value)
        }
    }

    @Test func dateForms() {
        #expect(PushDateTime(text: "2017-01-10 11:49:32")?.compactDate == "20170110")
        #expect(PushDateTime(text: "2017-13-10 11:49:32") == nil)
        #expect(PushDateTime(compact: "19911218") == PushDateTime(year: 1991, month: 12, day: 18))
        #expect(ValidityBound("0") == .unlimited)
        #expect(ValidityBound("20240131") == .date(PushDateTime(year: 2024, month: 1, day: 31)))
        #expect(ValidityBound("752688180").text == "752688180")
        #expect(ValidityBound("soon") == .unparsable("soon"))
    }

    /// §9.1.1 time rule: 8:30–12:00 is `830 << 16 + 1200` = 0x033E04B0; the timezone example's `MonTime2=65537100`.
    @Test func timePeriodEncoding() throws {
        let period = TimePeriod(startHour: 8, startMinute: 30, endHour: 12, endMinute: 0)
        #expect(period.encoded == 0x033E_04B0)
        #expect(TimePeriod(encoded: 0x033E_04B0) == period)
        let example = try #require(TimePeriod(encoded: 65_537_100))
        #expect(example.description == "10:00-11:00")
        #expect(TimePeriod(encoded: 2359) == TimePeriod(startHour: 0, startMinute: 0, endHour: 23, endMinute: 59))
        #expect(TimePeriod(encoded: 0x0063_0000) == nil)
    }

    /// §7.5: `[15CD5B07]` and `123456789` are the same card.
    @Test func cardNumberForms() throws {
        #expect(CardNumber(text: "[15CD5B07]") == CardNumber(123_456_789))
        #expect(CardNumber(text: "123456789") == CardNumber(123_456_789))
        #expect(CardNumber(123_456_789).bracketedText == "[15CD5B07]")
        #expect(CardNumber(text: "[15cd5b07]")?.value == 123_456_789)
        #expect(CardNumber(text: "[15CD5B0]") == nil)
        #expect(CardNumber(text: "") == nil)
        #expect(CardNumber(26).bracketedText == "[1A000000]")
    }

    /// §9.1.1 userauthorize: AuthorizeDoorId bits.
    @Test func doorBitmask() {
        #expect(DoorSet(bitmask: 15).doors == [1, 2, 3, 4])
        #expect(DoorSet(bitmask: 5).doors == [1, 3])
        #expect(DoorSet(doors: [1, 2]).bitmask == 3)
        #expect(DoorSet(bitmask: 12).contains(door: 4))
    }

    /// §9.4 elevator bitmaps: floors 1, 3, 5, 7, 9 → 55 01 00 … (32 bytes).
    @Test func floorBitmap() {
        let floors = FloorSet(floors: [1, 3, 5, 7, 9])
        #expect(floors.bitmap.count == 32)
        #expect(Array(floors.bitmap.prefix(2)) == [0x55, 0x01])
        #expect(FloorSet(bitmap: floors.bitmap) == floors)
        // The reference says floors 8 and 9 give "180"; bit N-1 gives 384 (0x180): the example prints the hex.
        #expect(FloorSet(floors: [8, 9]).bitmap.prefix(2) == [0x80, 0x01])
    }

    /// §4.4 DSTSetting example: StartTime=03020517 (March, 2nd week, Friday, 17h).
    @Test func dstMoment() throws {
        let start = try #require(DSTMoment(text: "03020517"))
        #expect(start == DSTMoment(month: 3, week: 2, weekday: 5, hour: 17))
        #expect(start.text == "03020517")
        #expect(DSTMoment(text: "08020508")?.month == 8)
        #expect(DSTMoment(text: "13020508") == nil)
    }

    /// Appendix 3: FB1E1F00 → position 15 (face) unsupported, position 5 unsupported.
    @Test func verifyStylesBits() throws {
        let styles = try #require(Capabilities.verifyStyles("FB1E1F00"))
        #expect(!styles.modes.contains(.face))
        #expect(!styles.modes.contains(.fingerprintOrPassword))
        #expect(styles.modes.contains(.automatic))
        #expect(styles.modes.contains(.cardAndPassword))
    }

    /// §9.5.2: EventTypes BF… → event 6 is the only one of the first eight not supported.
    @Test func eventTypeBits() throws {
        let codes = try #require(Capabilities.eventTypes("BF0FE03D300001000000000007000000000000000000000077002001000000"))
        #expect(Array(codes.prefix(7)) == [0, 1, 2, 3, 4, 5, 7])
        #expect(Capabilities.eventTypes("01", base: 4000) == [4000])
    }

    /// §4.4 NewVFStyles examples.
    @Test func newVerificationStyles() {
        #expect(Capabilities.verificationFactors("0000111000011010") == [.face, .palmVein, .fingerprint, .password, .userID, .card])
        #expect(Capabilities.verificationFactors("0000101000001010") == [.face, .palmVein, .password, .card])
        #expect(Capabilities.verificationFactors("0000101000000011") == [.logicAnd, .face, .password, .card])
        #expect(Capabilities.verificationFactors("12") == nil)
    }

    /// Appendix 18 colon lists, with the spaces the reference puts after colons.
    @Test func biometricLists() {
        #expect(Capabilities.biometricSupport("0: 1: 1: 0: 0: 0: 0: 0: 0: 0: 0") == [.fingerprint, .nearInfraredFace])
        #expect(Capabilities.biometricNumbers("0:10:0:7:0:0:0:0:0:0:0") == [.fingerprint: 10, .voiceprint: 7])
    }

    /// AccSupportFunList positions, left to right from 0.
    @Test func accSupportFunctions() {
        #expect(Capabilities.accSupportFunctions("10000001") == ["forbidReader", "multipleCardsPerUser"])
        #expect(Capabilities.accSupportFunctions(String(repeating: "0", count: 64) + "1") == ["position64"])
    }

    /// Appendix 13: the lower version wins; silence means 3.0.1.
    @Test func versionNegotiation() throws {
        #expect(PushProtocolVersion.negotiated(device: PushProtocolVersion("3.1.2"), server: PushProtocolVersion("3.1.1")) == .v3_1_1)
        #expect(PushProtocolVersion.negotiated(device: PushProtocolVersion("3.1.2"), server: nil) == .v3_0_1)
        #expect(PushProtocolVersion("Ver 3.1.2") == .v3_1_2)
        #expect(PushProtocolVersion.v3_1_1.supportsEncryption)
        #expect(!PushProtocolVersion.v3_0_1.supportsEncryption)
        #expect(PushProtocolVersion("x.y") == nil)
    }

    @Test func limitsAreEnforced() {
        let long = [UInt8](repeating: 0x41, count: PushLimits.maximumLineBytes + 1)
        #expect(throws: PushParseError.self) { try RecordBody.parse(long) }
        let huge = [UInt8](repeating: 0x41, count: PushLimits.maximumBodyBytes + 1)
        #expect(throws: PushParseError.self) { try RecordBody.parse(huge) }
        let wide = Array((0..<(PushLimits.maximumFieldsPerRecord + 1)).map { "k\($0)=v" }.joined(separator: "\t").utf8)
        #expect(throws: PushParseError.self) { try RecordBody.parse(wide) }
    }

    @Test func errorsNameLineAndField() {
        do {
            _ = try ServerCommand.parseAll(Array("C:1:DATA COUNT user\nC:2:DATA FROB user".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "line 2, field DATA: unknown DATA sub-command `FROB` (expected UPDATE, DELETE, COUNT or QUERY)")
        }
        do {
            _ = try ServerCommand.parse("C:1:CONTROL DEVICE 0Z")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "AA")
        }
        #expect(throws: PushParseError.self) { try CommandResult.parseAll(Array("hello\nID=1&Return=0".utf8)) }
        #expect(throws: PushParseError.self) { try PushRequest.parse(method: "POST", target: "/index.html", body: []) }
    }
}
