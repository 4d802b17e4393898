import Foundation
import PushProtocol
import Testing

@testable import AccessControl

@Suite("Bad input: typed errors naming field and rule, nothing written")
struct ValidationTests {
    struct UserCase: Sendable, CustomTestStringConvertible {
        let name: String
        let user: User
        let error: ModelError
        var testDescription: String { name }
    }

    static let sixCards = (1...6).map { Card(number: CardNumber(UInt64(90_000 + $0))) }

    @Test(arguments: [
        UserCase(name: "a 6th card", user: User(pin: "3001", cards: sixCards), error: ModelError(field: "user 3001: cards", rule: .tooMany(limit: 5))),
        UserCase(
            name: "a card held by someone else", user: User(pin: "3001", cards: [Card(number: CardNumber(123_456_789))]),
            error: ModelError(field: "user 3001: card 123456789", rule: .duplicate(usedBy: "user 1001"))),
        UserCase(
            name: "a duplicate private PIN", user: User(pin: "3001", privatePIN: "1234"),
            error: ModelError(field: "user 3001: private PIN", rule: .duplicate(usedBy: "user 1001"))),
        UserCase(
            name: "a private PIN equal to a public PIN", user: User(pin: "3001", privatePIN: "9999"),
            error: ModelError(field: "user 3001: private PIN", rule: .duplicate(usedBy: "a public PIN"))),
        UserCase(
            name: "a 1-digit PIN", user: User(pin: "3001", privatePIN: "1"),
            error: ModelError(field: "user 3001: private PIN", rule: .length(min: 2, max: 8))),
        UserCase(
            name: "a 9-digit PIN", user: User(pin: "3001", privatePIN: "123456789"),
            error: ModelError(field: "user 3001: private PIN", rule: .length(min: 2, max: 8))),
        UserCase(
            name: "a PIN with letters", user: User(pin: "3001", privatePIN: "12ab"),
            error: ModelError(field: "user 3001: private PIN", rule: .format("digits only"))),
        UserCase(
            name: "a 6th plate", user: User(pin: "3001", plates: (1...6).map { LicencePlate("P\($0)") }),
            error: ModelError(field: "user 3001: licence plates", rule: .tooMany(limit: 5))),
        UserCase(
            name: "a plate held by someone else", user: User(pin: "3001", plates: [LicencePlate("ab123cd")]),
            error: ModelError(field: "user 3001: licence plate AB123CD", rule: .duplicate(usedBy: "user 1001"))),
        UserCase(
            name: "an authorisation on an unknown timezone",
            user: User(pin: "3001", authorisations: [Authorisation(timezone: 77, doors: DoorMask([1]))]),
            error: ModelError(field: "user 3001: authorisation 1 timezone", rule: .unknownReference("timezone 77"))),
        UserCase(
            name: "a card wider than its bit length", user: User(pin: "3001", cards: [Card(number: CardNumber(1 << 26), bitLength: 26)]),
            error: ModelError(field: "user 3001: card 67108864", rule: .conflict("does not fit in 26 bits"))),
        UserCase(
            name: "an empty user id", user: User(pin: ""),
            error: ModelError(field: "user : pin", rule: .format("1–24 characters without spaces"))),
    ])
    func userRule(_ row: UserCase) async throws {
        let fixture = try Fixture()
        await #expect(throws: row.error) { try await fixture.site.upsert(row.user) }
        #expect(await fixture.site.user(row.user.pin) == nil)
        #expect(await fixture.directory.loadUsers().count == Fixture.people.count)
    }

    @Test func replacingAUserKeepsTheirOwnCredentialsValid() async throws {
        let fixture = try Fixture()
        var alice = try #require(await fixture.site.user("1001"))
        alice.name = "Alice Martin"
        try await fixture.site.upsert(alice)
        #expect(await fixture.site.user("1001")?.name == "Alice Martin")
        try await fixture.site.addCard(Card(number: CardNumber(55)), to: "1001")
        #expect(await fixture.site.present(.card(CardNumber(55)), at: 1).user == "1001")
        try await fixture.site.removeCard(CardNumber(55), from: "1001")
        #expect(await fixture.site.present(.card(CardNumber(55)), at: 1).event == .notRegistered)
        await #expect(throws: ModelError(field: "user 1001: cards", rule: .tooMany(limit: 5))) {
            for value in 1...5 { try await fixture.site.addCard(Card(number: CardNumber(UInt64(60 + value))), to: "1001") }
        }
        #expect(await fixture.site.user("1001")?.cards.count == 5)
    }

    @Test func deletingAUserRemovesEveryCredential() async throws {
        let fixture = try Fixture()
        try await fixture.site.deleteUser("1001")
        #expect(await fixture.site.present(.card(CardNumber(123_456_789)), at: 1).event == .notRegistered)
        #expect(await fixture.site.present(.pin("1234"), at: 1).event == .notRegistered)
        #expect(await fixture.site.present(.plate("AB123CD"), at: 1).event == .notRegistered)
        // The PIN is free again.
        try await fixture.site.upsert(User(pin: "3001", privatePIN: "1234"))
        await #expect(throws: ModelError(field: "user 1001", rule: .notFound)) { try await fixture.site.deleteUser("1001") }
    }

    struct ConfigurationCase: Sendable, CustomTestStringConvertible {
        let name: String
        let change: ConfigurationChange
        let error: ModelError
        var testDescription: String { name }
    }

    @Test(arguments: [
        ConfigurationCase(
            name: "a door on an unknown relay", change: .upsertDoor(Door(id: 5, relay: 42)),
            error: ModelError(field: "door 5 relay", rule: .unknownReference("relay 42"))),
        ConfigurationCase(
            name: "a reader on an unknown door", change: .upsertReader(Reader(id: 9, door: 9, direction: .entry)),
            error: ModelError(field: "reader 9 door", rule: .unknownReference("door 9"))),
        ConfigurationCase(
            name: "a bistable relay with a hold delay", change: .upsertRelay(Relay(id: 1, mode: .bistable, holdDelay: 5)),
            error: ModelError(
                field: "relay 1 hold delay",
                rule: .conflict("a bistable relay toggles; the hold delay applies to monostable relays only (set 0)"))),
        ConfigurationCase(
            name: "a monostable relay without a hold delay", change: .upsertRelay(Relay(id: 1, mode: .monostable, holdDelay: 0)),
            error: ModelError(field: "relay 1 hold delay", rule: .range(min: 1, max: 65535))),
        ConfigurationCase(
            name: "a bistable reset-by-event relay",
            change: .upsertRelay(Relay(id: 1, mode: .bistable, purpose: .resetByEvent, holdDelay: 0)),
            error: ModelError(field: "relay 1 mode", rule: .conflict("a reset-by-event relay must be monostable"))),
        ConfigurationCase(
            name: "a DTMF code of the wrong length", change: .upsertRelay(Relay(id: 1, dtmfCode: "12")),
            error: ModelError(field: "relay 1 DTMF code", rule: .length(min: 1, max: 1))),
        ConfigurationCase(
            name: "deleting a relay a door uses", change: .deleteRelay(1),
            error: ModelError(field: "door 1 relay", rule: .unknownReference("relay 1"))),
        ConfigurationCase(
            name: "a door on a timezone that does not exist", change: .upsertDoor(Door(id: 1, relay: 1, validTimezone: 9)),
            error: ModelError(field: "door 1 valid timezone", rule: .unknownReference("timezone 9"))),
        ConfigurationCase(
            name: "a 7-digit duress password", change: .upsertDoor(Door(id: 1, relay: 1, duressPassword: "1234567")),
            error: ModelError(field: "door 1 duress password", rule: .length(min: 1, max: 6))),
        ConfigurationCase(
            name: "two doors on one relay", change: .upsertDoor(Door(id: 2, relay: 1)),
            error: ModelError(field: "door 2 relay", rule: .duplicate(usedBy: "door 1"))),
        ConfigurationCase(
            name: "public PIN of the wrong length",
            change: .settings(SiteSettings(siteCodes: SiteCodes(length: 6, publicPINs: ["1234"]))),
            error: ModelError(field: "public PIN 1", rule: .length(min: 6, max: 6))),
        ConfigurationCase(
            name: "public PIN length 9", change: .settings(SiteSettings(siteCodes: SiteCodes(length: 9))),
            error: ModelError(field: "public PIN code length", rule: .range(min: 4, max: 8))),
        ConfigurationCase(
            name: "four public PINs",
            change: .settings(SiteSettings(siteCodes: SiteCodes(length: 4, publicPINs: ["1111", "2222", "3333", "4444"]))),
            error: ModelError(field: "public PINs", rule: .tooMany(limit: 3))),
        ConfigurationCase(
            name: "a public PIN that is a user's private PIN",
            change: .settings(SiteSettings(siteCodes: SiteCodes(length: 4, publicPINs: ["1234"]))),
            error: ModelError(field: "public PIN 1234", rule: .duplicate(usedBy: "user 1001"))),
        ConfigurationCase(
            name: "an unknown time zone name", change: .settings(SiteSettings(timeZoneIdentifier: "Mars/Olympus")),
            error: ModelError(field: "site time zone", rule: .format("an IANA time zone name (got Mars/Olympus)"))),
        ConfigurationCase(
            name: "an APB value not in Appendix 8", change: .settings(SiteSettings(antiPassback: 7)),
            error: ModelError(field: "anti-passback", rule: .format("an Appendix 8 value: 0–6 or a multiple of 16 up to 240"))),
        ConfigurationCase(
            name: "an interlock value not in Appendix 9", change: .settings(SiteSettings(interlock: 6)),
            error: ModelError(field: "interlock", rule: .range(min: 0, max: 5))),
        ConfigurationCase(
            name: "timezone 1001 redefined", change: .upsertTimezone(.always(id: 1001)),
            error: ModelError(field: "timezone 1001", rule: .conflict("1001 and 1002 are the built-in Always and Never"))),
        ConfigurationCase(
            name: "holiday type 4", change: .upsertHoliday(Holiday(date: CalendarDate(year: 2026, month: 5, day: 1), type: 4, recurrence: .yearly)),
            error: ModelError(field: "holiday 2026-05-01 type", rule: .range(min: 1, max: 3))),
        ConfigurationCase(
            name: "a first-card rule for an unknown user", change: .upsertFirstCardRule(FirstCardRule(door: 1, timezone: 1, user: "nobody")),
            error: ModelError(field: "first-card rule for door 1: user", rule: .unknownReference("user nobody"))),
        ConfigurationCase(
            name: "a multi-card combination of six groups",
            change: .upsertMultiCardCombination(MultiCardCombination(index: 1, door: 1, groups: [1, 2, 3, 4, 5, 6])),
            error: ModelError(field: "multi-card combination 1 groups", rule: .length(min: 1, max: 5))),
        ConfigurationCase(
            name: "a second sensor on door 1", change: .upsertInput(Input(id: 20, role: .doorSensor(1))),
            error: ModelError(field: "input 20 door sensor", rule: .duplicate(usedBy: "input 5"))),
    ])
    func configurationRule(_ row: ConfigurationCase) async throws {
        let fixture = try Fixture()
        let before = await fixture.site.currentConfiguration
        await #expect(throws: row.error) { try await fixture.site.change(row.change) }
        #expect(await fixture.site.currentConfiguration == before)
        #expect(await fixture.store.loadConfiguration() == before)
    }

    @Test func malformedTimezoneValuesAreRefusedWithTheirField() throws {
        var values = Array(repeating: 0, count: 30)
        values[4] = 1200 << 16 | 800  // MonTime2: start after end
        #expect(throws: ModelError(field: "timezone 3 MonTime2", rule: .format("start<<16|end with HHMM halves, start not after end (got \(1200 << 16 | 800))"))) {
            try Timezone(id: 3, pushValues: values)
        }
        values[4] = 2500 << 16 | 2600
        #expect(throws: ModelError.self) { try Timezone(id: 3, pushValues: values) }
        #expect(throws: ModelError(field: "timezone 3 periods", rule: .length(min: 30, max: 30))) {
            try Timezone(id: 3, pushValues: [0])
        }
    }

    @Test func aStoreFailureLeavesTheSiteUnchanged() async throws {
        struct BrokenDirectory: UserDirectory {
            struct Failure: Error {}
            func loadUsers() async throws -> [User] { [] }
            func apply(_ change: UserChange) async throws { throw Failure() }
        }
        let site = try Site(
            configuration: .fourDoorPanel(), clock: TestClock(), userDirectory: BrokenDirectory())
        await #expect(throws: BrokenDirectory.Failure.self) { try await site.upsert(User(pin: "1", privatePIN: "12")) }
        #expect(await site.userCount == 0)
        #expect(await site.present(.pin("12"), at: 1).event == .notRegistered)
    }
}

@Suite("User listing")
struct UserListingTests {
    @Test func pagesAreOrderedByPINAndFollowChanges() async throws {
        let fixture = try Fixture()
        let first = await fixture.site.users(offset: 0, limit: 3).map(\.pin)
        #expect(first == ["1001", "1002", "1003"])
        try await fixture.site.upsert(User(pin: "0999", name: "Early"))
        #expect(await fixture.site.users(offset: 0, limit: 2).map(\.pin) == ["0999", "1001"])
        try await fixture.site.deleteUser("1001")
        #expect(await fixture.site.users(offset: 0, limit: 2).map(\.pin) == ["0999", "1002"])
        #expect(await fixture.site.users(offset: 100, limit: 2).isEmpty)
        #expect(await fixture.site.userCount == Fixture.people.count)
    }
}

@Suite("Timezones decoded from JSON are checked too")
struct DecodedTimezoneTests {
    @Test func aPeriodOutsideTheDayIsRefused() async throws {
        let json = #"{"id":7,"name":"Bad","weekdays":[[{"startMinute":600,"endMinute":2000}],[],[],[],[],[],[]]}"#
        let timezone = try JSONDecoder().decode(Timezone.self, from: Data(json.utf8))
        let fixture = try Fixture()
        await #expect(throws: ModelError(field: "timezone 7 period", rule: .format("start not after end, both within 00:00–23:59"))) {
            try await fixture.site.upsert(timezone)
        }
    }
}
