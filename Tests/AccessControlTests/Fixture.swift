import Foundation
import PushProtocol
import Testing

@testable import AccessControl

/// A site under test: the four-door panel (or a variant), a clock that moves only when told, a virtual relay
/// driver and in-memory stores.
struct Fixture {
    let clock: TestClock
    let driver: VirtualRelayDriver
    let journal: InMemoryJournal
    let directory: InMemoryUserDirectory
    let store: InMemoryStateStore
    let site: Site

    /// 2026-01-01 is a Thursday; the fixture starts at 10:00 UTC.
    static let start = Date(timeIntervalSince1970: 1_767_261_600)

    init(
        users: [User] = Fixture.people, start: Date = Fixture.start,
        configure: (inout SiteConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = SiteConfiguration.fourDoorPanel()
        configuration.timezones.append(Fixture.officeHours)
        configuration.settings.siteCodes = SiteCodes(length: 4, publicPINs: ["9999"])
        configure(&configuration)
        clock = TestClock(start)
        driver = VirtualRelayDriver()
        journal = InMemoryJournal()
        directory = InMemoryUserDirectory(users)
        store = InMemoryStateStore(configuration)
        site = try Site(
            configuration: configuration, users: users, clock: clock, relayDriver: driver, userDirectory: directory,
            stateStore: store, journalSink: journal)
    }

    /// Timezone 2: Monday–Friday 08:00–18:00, nothing on weekends and holidays.
    static let officeHours: Timezone = {
        let day = DailyPeriod(startMinute: 8 * 60, endMinute: 18 * 60)
        return Timezone(
            id: 2, name: "Office hours", weekdays: [[], [day], [day], [day], [day], [day], []], holidays: [[], [], []])
    }()

    static let allDoors = DoorMask([1, 2, 3, 4])

    static let people: [User] = [
        User(
            pin: "1001", name: "Alice", residence: Residence(building: "A", floor: "1", room: "01", apartment: "0101"),
            privatePIN: "1234", cards: [Card(number: CardNumber(123_456_789), bitLength: 32)],
            plates: [LicencePlate("AB-123-CD")],
            qrTokens: [
                QRToken("qr-alice", validity: DateWindow(start: start.addingTimeInterval(-3600), end: start.addingTimeInterval(3600))),
                QRToken("qr-old", validity: DateWindow(start: start.addingTimeInterval(-7200), end: start.addingTimeInterval(-3600))),
            ],
            identities: [ExternalIdentity(.face, id: "face-alice"), ExternalIdentity(.bluetoothKey, id: "ble-alice")],
            authorisations: [Authorisation(timezone: 1, doors: allDoors)]),
        User(
            pin: "1002", name: "Bob",
            cards: [Card(number: CardNumber(2000)), Card(number: CardNumber(2001), isLost: true)],
            authorisations: [Authorisation(timezone: 2, doors: DoorMask([1]))]),
        User(pin: "1003", name: "Carol", isDisabled: true, cards: [Card(number: CardNumber(3000))],
             authorisations: [Authorisation(timezone: 1, doors: allDoors)]),
        User(
            pin: "1004", name: "Dan", validity: DateWindow(end: start.addingTimeInterval(-86400)),
            cards: [Card(number: CardNumber(4000))], authorisations: [Authorisation(timezone: 1, doors: allDoors)]),
        User(
            pin: "1005", name: "Eve", verifyMode: .cardAndPassword, privatePIN: "5555", cards: [Card(number: CardNumber(5000))],
            authorisations: [Authorisation(timezone: 1, doors: allDoors)]),
        User(pin: "1006", name: "Super", isSuperUser: true, cards: [Card(number: CardNumber(6000))]),
        User(
            pin: "1007", name: "Frank", hasExtendedUnlock: true, privatePIN: "7777", cards: [Card(number: CardNumber(7000))],
            plates: [LicencePlate("TEMP1", validity: DateWindow(end: start.addingTimeInterval(-60)))],
            authorisations: [Authorisation(timezone: 1, doors: DoorMask([1]))]),
        User(pin: "2001", name: "Guard A", group: 1, cards: [Card(number: CardNumber(8001))],
             authorisations: [Authorisation(timezone: 1, doors: allDoors)]),
        User(pin: "2002", name: "Guard B", group: 1, cards: [Card(number: CardNumber(8002))],
             authorisations: [Authorisation(timezone: 1, doors: allDoors)]),
        User(pin: "2003", name: "Manager", group: 2, cards: [Card(number: CardNumber(8003))],
             authorisations: [Authorisation(timezone: 1, doors: allDoors)]),
        User(pin: "2004", name: "Cleaner", group: 3, cards: [Card(number: CardNumber(8004))],
             authorisations: [Authorisation(timezone: 1, doors: allDoors)]),
    ]

    func card(_ value: UInt64) -> Credential { .card(CardNumber(value)) }

    func advance(_ seconds: TimeInterval) async {
        clock.advance(by: seconds)
        await site.tick()
    }

    /// Journalled event codes, in order.
    func events() async throws -> [Int] {
        try await site.flush()
        return await journal.stored.map(\.event)
    }

    func entries() async throws -> [JournalEntry] {
        try await site.flush()
        return await journal.stored
    }

    func relay(_ id: Int) -> Bool { driver.isActive(RelayID(id)) }
}
