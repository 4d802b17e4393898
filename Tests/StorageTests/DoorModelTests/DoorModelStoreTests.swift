import AccessControl
import Foundation
import GRDB
import PushProtocol
import Testing

@testable import Storage

/// A fresh SQLite file in its own temporary directory.
struct TemporaryDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("door-model.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("door-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func open() throws -> DoorModelStore { try DoorModelStore.open(path: path) }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

@Suite("Door model in SQLite")
struct DoorModelStoreTests {
    static let start = Date(timeIntervalSince1970: 1_767_261_600)

    static let alice = User(
        pin: "1001", name: "Alice Émilie 李", privilege: .administrator, group: 3,
        validity: DateWindow(start: start.addingTimeInterval(-86400), end: start.addingTimeInterval(86400 * 365)),
        verifyMode: .cardOrPassword, isTemporary: true, hasExtendedUnlock: true,
        residence: Residence(building: "A", floor: "1", room: "01", apartment: "0101"), privatePIN: "1234",
        cards: [
            Card(number: CardNumber(123_456_789), bitLength: 32),
            Card(number: CardNumber(0xDF34_9C3B_EA52_77ED), bitLength: 64, siteCode: 10010, isLost: true, role: .sub),
        ],
        plates: [LicencePlate("AB-123-CD"), LicencePlate("TEMP1", validity: DateWindow(end: start))],
        qrTokens: [QRToken("qr-1", validity: DateWindow(start: start, end: start.addingTimeInterval(3600)))],
        identities: [ExternalIdentity(.face, id: "face-1"), ExternalIdentity(.bluetoothKey, id: "ble-1")],
        authorisations: [
            Authorisation(timezone: 1, doors: DoorMask([1, 2, 3, 4])),
            Authorisation(timezone: 2, doors: DoorMask(rawValue: 1 << 63), validity: DateWindow(start: start)),
        ])

    @Test func usersRoundTripWithEveryCredential() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try database.open()
        let bob = User(pin: "1002", name: "Bob")
        try await store.apply(.upsert(Self.alice))
        try await store.apply(.upsert(bob))
        #expect(try await store.loadUsers().sorted { $0.pin < $1.pin } == [Self.alice, bob])

        var changed = Self.alice
        changed.cards.removeFirst()
        changed.privatePIN = nil
        changed.residence = nil
        try await store.apply(.upsert(changed))
        try await store.apply(.delete("1002"))
        let reopened = try database.open()
        #expect(try await reopened.loadUsers() == [changed])
    }

    @Test func credentialsFindTheirUsersWhateverThePINsSortOrder() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try database.open()
        let pins = ["10", "9", "B", "a", "é", "e\u{301}x", "Z-1", "00", "α"]
        var users: [User] = []
        for (n, pin) in pins.enumerated() {
            users.append(
                User(
                    pin: UserPIN(pin), cards: n % 3 == 0 ? [] : [Card(number: CardNumber(UInt64(100 + n)))],
                    authorisations: [Authorisation(timezone: 1, doors: DoorMask([1]))]))
        }
        users.append(User(pin: "only-plate", plates: [LicencePlate("XY1")]))
        try await store.importUsers(users)
        let loaded = try await store.loadUsers()
        #expect(Dictionary(uniqueKeysWithValues: loaded.map { ($0.pin, $0) }) == Dictionary(uniqueKeysWithValues: users.map { ($0.pin, $0) }))
    }

    @Test func aConstraintFailureWritesNothing() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try database.open()
        try await store.apply(.upsert(Self.alice))
        // Bypassing the site's validation: the database still refuses, and the whole user is rolled back.
        let thief = User(pin: "666", name: "Thief", privatePIN: "6666", cards: [Card(number: CardNumber(123_456_789))])
        await #expect(throws: ModelError(field: "access_card.number", rule: .duplicate(usedBy: "a stored row"))) {
            try await store.apply(.upsert(thief))
        }
        #expect(try await store.loadUsers().map(\.pin) == ["1001"])
        let rows = try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_user WHERE pin = '666'") }
        #expect(rows == 0)
    }

    @Test func configurationRoundTrips() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try database.open()
        #expect(try await store.loadConfiguration() == nil)
        var configuration = SiteConfiguration.fourDoorPanel(timeZoneIdentifier: "Europe/Paris")
        configuration.settings.siteCodes = SiteCodes(length: 6, publicPINs: ["123456"])
        configuration.settings.antiPassback = 16
        configuration.settings.dtmf = DTMFSettings(codeLength: 2, whitelist: .phonebook, phonebook: ["101"])
        configuration.settings.reception = ReceptionSettings(relays: [1], actionURLs: ["http://x/y"])
        configuration.relays.append(Relay(id: 5, name: "Gate", kind: .web, mode: .bistable, purpose: .openDoor, triggerDelay: 2, holdDelay: 0, isInverted: true, liftControl: true, dtmfCode: "#5"))
        configuration.doors[1] = Door(
            id: 2, name: "Garage", relay: 2, lockDriveTime: 7, normalOpenTimezone: 2, validTimezone: 1, verifyMode: .cardAndPassword,
            sensorType: .normallyClosed, openTimeout: 30, closeAndLock: false, punchInterval: 0, exitButtonEnabled: false,
            exitButtonTimezone: 1001, firstCardMode: .activation, multiCardOpen: true, multiCardInterval: 20, antiPassback: .both,
            antiPassbackDuration: 600, isDisabled: true, isLocked: true, emergencyPassword: "87654321", duressPassword: "4321")
        configuration.inputs.append(Input(id: 9, name: "Aux", role: .auxiliary(relay: 5), triggerLevel: .high, debounceMilliseconds: 0))
        let period = try DailyPeriod(start: (8, 30), end: (12, 0))
        configuration.timezones.append(Timezone(id: 2, name: "Mornings", weekdays: Array(repeating: [period], count: 7), holidays: [[], [period], []]))
        configuration.timezones.append(Timezone(id: 3, name: "Akuvox", weekdays: Array(repeating: [.wholeDay], count: 7), validity: DateWindow(start: Self.start, end: Self.start.addingTimeInterval(86400))))
        configuration.holidays = [Holiday(date: CalendarDate(year: 2026, month: 12, day: 25), type: 1, recurrence: .yearly)]
        configuration.firstCardRules = [FirstCardRule(door: 2, timezone: 2, user: "1001")]
        configuration.multiCardCombinations = [MultiCardCombination(index: 1, door: 2, groups: [1, 3])]
        try await store.apply(.replace(configuration))
        #expect(try await database.open().loadConfiguration() == configuration)

        try await store.apply(.deleteInput(9))
        try await store.apply(.upsertHoliday(Holiday(date: CalendarDate(year: 2026, month: 5, day: 1), type: 2, recurrence: .once)))
        configuration.apply(.deleteInput(9))
        configuration.apply(.upsertHoliday(Holiday(date: CalendarDate(year: 2026, month: 5, day: 1), type: 2, recurrence: .once)))
        let stored = try #require(try await store.loadConfiguration())
        #expect(stored.inputs == configuration.inputs)
        #expect(Set(stored.holidays) == Set(configuration.holidays))
    }

    @Test func journalIsQueryableByIndexAndTime() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try database.open()
        let entries = (1...10).map {
            JournalEntry(
                index: UInt64($0), time: Self.start.addingTimeInterval(Double($0) * 60), localTime: "x", event: $0 % 2 == 0 ? 0 : 27,
                verifyMode: 4, door: 1, reader: 5, direction: .exit, pin: "1001", card: "123", siteCode: 7, linkID: 3,
                source: .push(deviceSN: "SN1"), detail: "d")
        }
        try await store.append(Array(entries[0..<4]))
        try await store.append(Array(entries[4...]))
        #expect(try await store.lastIndex() == 10)
        #expect(try await store.entries(indices: 3...5, limit: 100) == Array(entries[2...4]))
        #expect(try await store.entries(indices: 1...10, limit: 2).map(\.index) == [1, 2])
        #expect(try await store.entries(from: Self.start.addingTimeInterval(120), to: Self.start.addingTimeInterval(240), limit: 100).map(\.index) == [2, 3])
        // Indices are unique: a replayed batch is refused as a whole.
        await #expect(throws: ModelError.self) { try await store.append([entries[9]]) }
        #expect(try await store.lastIndex() == 10)
    }
}

@Suite("A site on SQLite survives a restart")
struct SiteRestartTests {
    @Test func journalUsersNormalOpenBreakInAndPositionsSurvive() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let clock = TestClock(DoorModelStoreTests.start)
        var lastIndex: UInt64 = 0
        do {
            let store = try database.open()
            let site = try await Site.load(
                clock: clock, relayDriver: VirtualRelayDriver(), userDirectory: store, stateStore: store, journalSink: store)
            var door1 = try await site.status(of: 1)
            #expect(!door1.isNormalOpen)
            try await site.upsert(Door(id: 1, relay: 1, antiPassback: .entry))
            try await site.upsert(Timezone.always(id: 2, name: "Second"))
            try await site.upsert(DoorModelStoreTests.alice)
            #expect(await site.present(.card(CardNumber(123_456_789)), at: 1).event == .openedAfterVerification)
            try await site.setNormalOpen(door: 2, by: .api("test"))
            try await site.input(7, level: .low)  // door 3 forced open: 200, 102
            try await site.flush()
            lastIndex = await site.nextJournalIndex - 1
            door1 = try await site.status(of: 1)
            #expect(door1.isRelayActive)
        }
        let store = try database.open()
        let driver = VirtualRelayDriver()
        clock.advance(by: 60)
        let site = try await Site.load(clock: clock, relayDriver: driver, userDirectory: store, stateStore: store, journalSink: store)
        #expect(lastIndex == 4)
        #expect(try await site.journal(indices: 1...100).map(\.event) == [0, 205, 200, 102])
        #expect(try await site.status(of: 2).isNormalOpen)
        #expect(driver.isActive(2))
        #expect(try await site.status(of: 3).isBreakInLatched)
        #expect(await site.user("1001") == DoorModelStoreTests.alice)
        #expect(await site.currentConfiguration.doors.first?.antiPassback == .entry)
        let again = await site.present(.card(CardNumber(123_456_789)), at: 1)
        #expect(again.event == .antiPassback)
        #expect(again.journalIndex == 5)
        try await site.clearAlarm(door: 3, by: .api("guard"))
        try await site.flush()
        let reloaded = try await Site.load(
            clock: clock, relayDriver: VirtualRelayDriver(), userDirectory: store, stateStore: store, journalSink: store)
        #expect(try await !reloaded.status(of: 3).isBreakInLatched)
    }

    @Test func aRefusedChangeLeavesTheDatabaseUntouched() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try database.open()
        let site = try await Site.load(
            clock: TestClock(), relayDriver: VirtualRelayDriver(), userDirectory: store, stateStore: store, journalSink: store)
        let sixCards = (1...6).map { Card(number: CardNumber(UInt64($0))) }
        await #expect(throws: ModelError(field: "user 9: cards", rule: .tooMany(limit: 5))) {
            try await site.upsert(User(pin: "9", cards: sixCards))
        }
        await #expect(throws: ModelError(field: "door 1 relay", rule: .unknownReference("relay 99"))) {
            try await site.upsert(Door(id: 1, relay: 99))
        }
        #expect(try await store.loadUsers().isEmpty)
        #expect(try await store.loadConfiguration() == SiteConfiguration.fourDoorPanel())
    }
}
