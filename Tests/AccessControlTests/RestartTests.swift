import Foundation
import PushProtocol
import Testing

@testable import AccessControl

@Suite("State that survives a restart (in-memory stores shared across two Site instances)")
struct RestartTests {
    @Test func normalOpenBreakInPositionsUsersAndJournalSurvive() async throws {
        let fixture = try Fixture { $0.doors[0].antiPassback = .entry }
        _ = await fixture.site.present(.card(CardNumber(123_456_789)), at: 1)
        try await fixture.site.setNormalOpen(door: 2, by: .api())
        try await fixture.site.input(7, level: .low)  // door 3 forced
        try await fixture.site.upsert(User(pin: "3001", name: "Zoë", privatePIN: "3001", authorisations: [Authorisation(timezone: 1, doors: .all)]))
        try await fixture.site.flush()
        let lastIndex = await fixture.site.nextJournalIndex - 1

        let driver = VirtualRelayDriver()
        let restarted = try await Site.load(
            clock: fixture.clock, relayDriver: driver, userDirectory: fixture.directory, stateStore: fixture.store,
            journalSink: fixture.journal)
        #expect(driver.isActive(2))  // normal open again, without a new command
        #expect(try await restarted.status(of: 2).isNormalOpen)
        #expect(try await restarted.status(of: 3).isBreakInLatched)
        #expect(await restarted.user("3001")?.name == "Zoë")
        fixture.clock.advance(by: 10)
        let again = await restarted.present(.card(CardNumber(123_456_789)), at: 1)
        #expect(again.event == .antiPassback)
        #expect(again.journalIndex == lastIndex + 1)
        #expect(await restarted.present(.pin("3001"), at: 4).event == .openedByPassword)
    }

    @Test func aNeverConfiguredSiteStoresTheDefaultPanel() async throws {
        let store = InMemoryStateStore()
        let site = try await Site.load(
            clock: TestClock(), relayDriver: VirtualRelayDriver(), userDirectory: InMemoryUserDirectory(), stateStore: store,
            journalSink: InMemoryJournal())
        #expect(await store.loadConfiguration() == SiteConfiguration.fourDoorPanel())
        try await site.upsert(Door(id: 1, relay: 1, lockDriveTime: 8))
        #expect(await store.loadConfiguration()?.doors.count == 4)
    }

    @Test func journalSubscribersSeeEntriesAsTheyHappen() async throws {
        let fixture = try Fixture()
        let stream = await fixture.site.journalEntries()
        try await fixture.site.open(door: 1, by: .api())
        _ = await fixture.site.present(.card(CardNumber(999)), at: 1)
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        let second = await iterator.next()
        #expect(first?.event == 8)
        #expect(second?.event == 27)
        #expect(try await fixture.site.journal(indices: 1...2).map(\.event) == [8, 27])
        #expect(try await fixture.site.journal(from: Fixture.start, to: Fixture.start.addingTimeInterval(1)).count == 2)
    }
}
