import Foundation
import PushProtocol
import Testing

@testable import AccessControl

/// One presentation and the decision a ZKTeco controller / Akuvox door phone would make.
struct PresentationCase: CustomTestStringConvertible, Sendable {
    let name: String
    let credential: Credential
    var reader: ReaderID = 1
    /// Seconds after Thursday 2026-01-01 10:00 UTC.
    var after: TimeInterval = 0
    let event: PushEventCode
    let reason: DenyReason?
    var user: UserPIN?
    var relayOpens: Bool { reason == nil }
    var configure: @Sendable (inout SiteConfiguration) -> Void = { _ in }

    var testDescription: String { "\(name) → \(event.rawValue)" }
}

private let thursday20h: TimeInterval = 10 * 3600

let presentationCases: [PresentationCase] = [
    // Granted.
    PresentationCase(name: "registered card", credential: .card(CardNumber(123_456_789)), event: .openedAfterVerification, reason: nil, user: "1001"),
    PresentationCase(name: "private PIN", credential: .pin("1234"), event: .openedByPassword, reason: nil, user: "1001"),
    PresentationCase(name: "APT#+PIN", credential: .apartmentPIN(apartment: "0101", pin: "1234"), event: .openedByPassword, reason: nil, user: "1001"),
    PresentationCase(name: "public PIN", credential: .pin("9999"), event: .openedByPassword, reason: nil),
    PresentationCase(name: "licence plate, camera spelling", credential: .plate("ab 123 cd"), event: .openedAfterVerification, reason: nil, user: "1001"),
    PresentationCase(name: "QR code in its window", credential: .qrCode("qr-alice"), event: .openedAfterVerification, reason: nil, user: "1001"),
    PresentationCase(name: "face id from a recogniser", credential: .identity(ExternalIdentity(.face, id: "face-alice")), event: .openedAfterVerification, reason: nil, user: "1001"),
    PresentationCase(name: "BLE key", credential: .identity(ExternalIdentity(.bluetoothKey, id: "ble-alice")), event: .openedAfterVerification, reason: nil, user: "1001"),
    PresentationCase(name: "user id and password", credential: .userID("1001", password: "1234"), event: .openedByPassword, reason: nil, user: "1001"),
    PresentationCase(name: "exit reader", credential: .card(CardNumber(123_456_789)), reader: 5, event: .openedAfterVerification, reason: nil, user: "1001"),
    PresentationCase(name: "card+PIN user with card and PIN", credential: .cardAndPIN(CardNumber(5000), pin: "5555"), event: .openedAfterVerification, reason: nil, user: "1005"),
    PresentationCase(name: "office hours user in office hours", credential: .card(CardNumber(2000)), event: .openedAfterVerification, reason: nil, user: "1002"),
    PresentationCase(name: "super user without authorisation", credential: .card(CardNumber(6000)), event: .superUserOpened, reason: nil, user: "1006"),
    PresentationCase(
        name: "super user outside the door's valid timezone", credential: .card(CardNumber(6000)), after: thursday20h,
        event: .superUserOpened, reason: nil, user: "1006", configure: { $0.doors[0].validTimezone = 2 }),
    PresentationCase(
        name: "emergency password on a locked door", credential: .pin("87654321"), event: .openedWithEmergencyPassword, reason: nil,
        configure: { $0.doors[0].emergencyPassword = "87654321"; $0.doors[0].isLocked = true }),
    PresentationCase(
        name: "duress password grants and raises 101", credential: .pin("4321"), event: .duressPassword, reason: nil,
        configure: { $0.doors[0].duressPassword = "4321" }),

    // Denied, with the reason's event.
    PresentationCase(name: "unregistered card", credential: .card(CardNumber(999)), event: .notRegistered, reason: .unregistered),
    PresentationCase(name: "unknown PIN", credential: .pin("0000"), event: .notRegistered, reason: .unregistered),
    PresentationCase(name: "APT# that is not the PIN holder's", credential: .apartmentPIN(apartment: "0102", pin: "1234"), event: .notRegistered, reason: .unregistered),
    PresentationCase(name: "unknown plate", credential: .plate("ZZ999"), event: .notRegistered, reason: .unregistered),
    PresentationCase(name: "unknown face", credential: .identity(ExternalIdentity(.face, id: "stranger")), event: .notRegistered, reason: .unregistered),
    PresentationCase(name: "unknown QR code", credential: .qrCode("forged"), event: .invalidQRCode, reason: .invalidQRCode),
    PresentationCase(name: "QR code past its window", credential: .qrCode("qr-old"), event: .expiredQRCode, reason: .expiredQRCode, user: "1001"),
    PresentationCase(name: "plate past its window", credential: .plate("TEMP1"), event: .privilegeExpired, reason: .expired, user: "1007"),
    PresentationCase(name: "lost card", credential: .card(CardNumber(2001)), event: .cardReportedLost, reason: .cardLost, user: "1002"),
    PresentationCase(name: "blacklisted user", credential: .card(CardNumber(3000)), event: .blacklisted, reason: .blacklisted, user: "1003"),
    PresentationCase(name: "user validity ended", credential: .card(CardNumber(4000)), event: .privilegeExpired, reason: .expired, user: "1004"),
    PresentationCase(name: "card+PIN user with card only", credential: .card(CardNumber(5000)), event: .incorrectVerificationMode, reason: .wrongVerifyMode, user: "1005"),
    PresentationCase(name: "card+PIN with the wrong PIN", credential: .cardAndPIN(CardNumber(5000), pin: "1111"), event: .incorrectPassword, reason: .wrongPassword, user: "1005"),
    PresentationCase(
        name: "PIN at a card-only door", credential: .pin("1234"), event: .incorrectVerificationMode, reason: .wrongVerifyMode, user: "1001",
        configure: { $0.doors[0].verifyMode = .card }),
    PresentationCase(
        name: "plate at a card-and-password door", credential: .plate("AB123CD"), event: .incorrectVerificationMode, reason: .wrongVerifyMode,
        user: "1001", configure: { $0.doors[0].verifyMode = .cardAndPassword }),
    PresentationCase(name: "no right to this door", credential: .card(CardNumber(2000)), reader: 2, event: .unauthorizedAccess, reason: .noRightToDoor, user: "1002"),
    PresentationCase(name: "outside the user's timezone", credential: .card(CardNumber(2000)), after: thursday20h, event: .verifiedOutsideValidPeriod, reason: .outsideTimezone, user: "1002"),
    PresentationCase(
        name: "outside the door's valid timezone", credential: .card(CardNumber(123_456_789)), after: thursday20h,
        event: .invalidTimePeriod, reason: .doorOutsideValidTimezone, user: "1001", configure: { $0.doors[0].validTimezone = 2 }),
    PresentationCase(
        name: "public PIN outside the door's valid timezone", credential: .pin("9999"), after: thursday20h,
        event: .invalidTimePeriod, reason: .doorOutsideValidTimezone, configure: { $0.doors[0].validTimezone = 2 }),
    PresentationCase(
        name: "locked door (MaskFlag)", credential: .card(CardNumber(123_456_789)), event: .doorLocked, reason: .doorLocked, user: "1001",
        configure: { $0.doors[0].isLocked = true }),
    PresentationCase(
        name: "public PIN on a locked door", credential: .pin("9999"), event: .doorLocked, reason: .doorLocked,
        configure: { $0.doors[0].isLocked = true }),
    PresentationCase(
        name: "disabled door", credential: .card(CardNumber(123_456_789)), event: .doorLocked, reason: .doorDisabled,
        configure: { $0.doors[0].isDisabled = true }),
    PresentationCase(name: "unknown reader", credential: .card(CardNumber(123_456_789)), reader: 42, event: .unauthorizedAccess, reason: .unknownReader),
]

@Suite("Credential decisions (Appendix 2 codes)")
struct CredentialDecisionTests {
    @Test(arguments: presentationCases)
    func decision(_ row: PresentationCase) async throws {
        let fixture = try Fixture(configure: row.configure)
        if row.after > 0 { await fixture.advance(row.after) }
        let decision = await fixture.site.present(row.credential, at: row.reader)
        #expect(decision.event == row.event)
        #expect(decision.denyReason == row.reason)
        #expect(decision.user == row.user)
        let door = Int((await fixture.site.currentConfiguration.readers.first { $0.id == row.reader }?.door.rawValue) ?? 0)
        if door > 0 { #expect(fixture.relay(door) == row.relayOpens) }
        let entries = try await fixture.entries()
        #expect(entries.map(\.event) == [row.event.rawValue])
        #expect(entries.first?.index == decision.journalIndex)
        #expect(entries.first?.pin == row.user)
    }

    @Test func authorisationValidityWindowIsHonoured() async throws {
        var alice = Fixture.people[0]
        alice.authorisations = [
            Authorisation(timezone: 1, doors: Fixture.allDoors, validity: DateWindow(start: Fixture.start.addingTimeInterval(3600)))
        ]
        let fixture = try Fixture(users: [alice])
        let early = await fixture.site.present(.card(CardNumber(123_456_789)), at: 1)
        #expect(early.event == .verifiedOutsideValidPeriod)
        await fixture.advance(3600)
        let later = await fixture.site.present(.card(CardNumber(123_456_789)), at: 1)
        #expect(later.event == .openedAfterVerification)
    }

    @Test func journalEntryCarriesTheCardSiteCodeDirectionAndLocalTime() async throws {
        let fixture = try Fixture { $0.settings.timeZoneIdentifier = "Europe/Paris" }
        _ = await fixture.site.present(.card(CardNumber(123_456_789), bitLength: 34, siteCode: 12), at: 5)
        let entry = try #require(try await fixture.entries().first)
        #expect(entry.card == "123456789")
        #expect(entry.siteCode == 12)
        #expect(entry.door == 1)
        #expect(entry.reader == 5)
        #expect(entry.direction == .exit)
        #expect(entry.verifyMode == VerifyMode.card.rawValue)
        #expect(entry.localTime == "2026-01-01 11:00:00")
        #expect(entry.time == Fixture.start)
        #expect(entry.source == .local)
    }

    @Test func punchIntervalRefusesTheSecondPassWithinTheInterval() async throws {
        let fixture = try Fixture()
        let first = await fixture.site.present(fixture.card(123_456_789), at: 1)
        await fixture.advance(1)
        let second = await fixture.site.present(fixture.card(123_456_789), at: 1)
        await fixture.advance(2)
        let third = await fixture.site.present(fixture.card(123_456_789), at: 1)
        #expect([first.event, second.event, third.event] == [.openedAfterVerification, .intervalTooShort, .openedAfterVerification])
    }

    @Test func extendedUnlockUsersGetTheExtendedDriveTime() async throws {
        let fixture = try Fixture()
        _ = await fixture.site.present(fixture.card(7000), at: 1)
        await fixture.advance(10)
        #expect(fixture.relay(1))  // 15 s extended drive time, not 5
        await fixture.advance(5)
        #expect(!fixture.relay(1))
    }
}
