import Foundation
import PushProtocol
import Testing

@testable import AccessControl

@Suite("Relays, door sensor, exit button, normal open (clock-driven)")
struct DoorAndRelayTests {
    let alice = Credential.card(CardNumber(123_456_789))

    @Test func monostableRelayResetsAfterItsHoldDelay() async throws {
        let fixture = try Fixture()
        _ = await fixture.site.present(alice, at: 1)
        #expect(fixture.relay(1))
        await fixture.advance(4.9)
        #expect(fixture.relay(1))
        await fixture.advance(0.1)
        #expect(!fixture.relay(1))
        #expect(fixture.driver.changes.map(\.isActive) == [true, false])
    }

    @Test func triggerDelayPostponesTheRelay() async throws {
        let fixture = try Fixture { $0.relays[0].triggerDelay = 2 }
        _ = await fixture.site.present(alice, at: 1)
        #expect(!fixture.relay(1))
        await fixture.advance(2)
        #expect(fixture.relay(1))
        await fixture.advance(5)
        #expect(!fixture.relay(1))
    }

    @Test func bistableRelayTogglesOnEachTrigger() async throws {
        let fixture = try Fixture {
            $0.relays[0].mode = .bistable
            $0.relays[0].holdDelay = 0
        }
        try await fixture.site.open(door: 1, by: .api())
        await fixture.advance(60)
        #expect(fixture.relay(1))
        try await fixture.site.open(door: 1, by: .api())
        #expect(!fixture.relay(1))
    }

    @Test func invertedRelayReportsTheOppositeLevel() async throws {
        let fixture = try Fixture { $0.relays[0].isInverted = true }
        _ = await fixture.site.present(alice, at: 1)
        let output = try #require(fixture.driver.output(1))
        #expect(output.isActive)
        #expect(output.level == .low)
    }

    @Test func grantedOpeningIsNotABreakIn() async throws {
        let fixture = try Fixture()
        _ = await fixture.site.present(alice, at: 1)
        try await fixture.site.input(5, level: .low)  // door sensor 1 opens
        await fixture.advance(3)
        try await fixture.site.input(5, level: .high)  // closes
        #expect(!fixture.relay(1))  // close-and-lock released the relay before its 5 s
        #expect(try await fixture.events() == [0, 200, 201])
    }

    @Test func openingWithoutAGrantLatchesBreakInUntilExplicitlyCleared() async throws {
        let fixture = try Fixture()
        try await fixture.site.input(5, level: .low)
        await fixture.advance(2)
        try await fixture.site.input(5, level: .high)
        #expect(try await fixture.site.status(of: 1).isBreakInLatched)
        // A grant and time passing do not clear it.
        await fixture.advance(3600)
        _ = await fixture.site.present(alice, at: 1)
        #expect(try await fixture.site.status(of: 1).isBreakInLatched)
        try await fixture.site.clearAlarm(door: 1, by: .api("admin"))
        #expect(try await !fixture.site.status(of: 1).isBreakInLatched)
        #expect(try await fixture.events() == [200, 102, 201, 0, 7])
    }

    @Test func doorHeldOpenPastItsTimeoutRaises28Once() async throws {
        let fixture = try Fixture { $0.doors[0].openTimeout = 10 }
        _ = await fixture.site.present(alice, at: 1)
        try await fixture.site.input(5, level: .low)
        await fixture.advance(9)
        #expect(try await fixture.events() == [0, 200])
        await fixture.advance(1)
        await fixture.advance(30)
        try await fixture.site.input(5, level: .high)
        #expect(try await fixture.events() == [0, 200, 28, 201])
    }

    @Test func sensorTypeNoneIgnoresTheSensor() async throws {
        let fixture = try Fixture { $0.doors[0].sensorType = .none }
        try await fixture.site.input(5, level: .low)
        #expect(try await fixture.events() == [])
    }

    @Test func exitButtonInputOpensTheDoor() async throws {
        let fixture = try Fixture()
        try await fixture.site.input(1, level: .low)
        #expect(fixture.relay(1))
        try await fixture.site.input(1, level: .high)
        #expect(try await fixture.events() == [202])
    }

    @Test func contactBounceWithinTheDebounceTimeIsIgnored() async throws {
        let fixture = try Fixture()
        try await fixture.site.input(1, level: .low)
        fixture.clock.advance(by: 0.01)
        try await fixture.site.input(1, level: .high)  // bounce: ignored
        fixture.clock.advance(by: 0.01)
        try await fixture.site.input(1, level: .low)  // still active: no new press
        #expect(try await fixture.events() == [202])
        #expect(try await fixture.site.isInputActive(1))
    }

    @Test func aDoorThatClosesWithinTheDebounceTimeEndsClosed() async throws {
        // Input 5 is door 1's sensor (active low, 50 ms debounce).
        let fixture = try Fixture()
        try await fixture.site.input(5, level: .low)  // opens
        fixture.clock.advance(by: 0.03)
        try await fixture.site.input(5, level: .high)  // closes inside the window: not yet acted on
        #expect(try await fixture.site.isInputActive(5))
        #expect(await fixture.site.nextDeadline() == fixture.clock.now.addingTimeInterval(0.02))
        await fixture.advance(0.02)
        // The contact settled closed: the door model follows, once, at the end of the window. (Opened without a
        // grant, so the opening is also a break-in.)
        #expect(try await !fixture.site.isInputActive(5))
        let codes: [PushEventCode] = [.doorOpened, .openedAccidentally, .doorClosed]
        #expect(try await fixture.events() == codes.map(\.rawValue))
        #expect(await fixture.site.nextDeadline() == nil)
    }

    @Test func aBounceBackToTheAcceptedLevelLeavesNothingToSettle() async throws {
        let fixture = try Fixture {
            $0.inputs.append(Input(id: 9, role: .auxiliary(relay: nil), triggerLevel: .high, debounceMilliseconds: 50))
        }
        try await fixture.site.input(9, level: .high)
        fixture.clock.advance(by: 0.01)
        try await fixture.site.input(9, level: .low)
        fixture.clock.advance(by: 0.01)
        try await fixture.site.input(9, level: .high)  // back where it was accepted
        await fixture.advance(1)
        #expect(try await fixture.site.isInputActive(9))
        #expect(try await fixture.events() == [226])
    }

    @Test func aChangeAfterTheWindowFirstSettlesThePendingLevel() async throws {
        let fixture = try Fixture {
            $0.inputs.append(Input(id: 9, role: .auxiliary(relay: nil), triggerLevel: .high, debounceMilliseconds: 50))
        }
        try await fixture.site.input(9, level: .high)
        fixture.clock.advance(by: 0.01)
        try await fixture.site.input(9, level: .low)  // settles at 50 ms; no tick ran since
        fixture.clock.advance(by: 0.1)
        try await fixture.site.input(9, level: .high)
        #expect(try await fixture.events() == [226, 225, 226])
    }

    struct ExitCase: Sendable, CustomTestStringConvertible {
        let name: String
        let configure: @Sendable (inout SiteConfiguration) -> Void
        let event: PushEventCode
        let opens: Bool
        var testDescription: String { name }
    }

    @Test(arguments: [
        ExitCase(name: "exit button", configure: { _ in }, event: .exitButtonOpened, opens: true),
        ExitCase(
            name: "locked door (MaskFlag)", configure: { $0.doors[0].isLocked = true }, event: .exitButtonLocked, opens: false),
        ExitCase(
            name: "DoorREXInput = 0 (lock)", configure: { $0.doors[0].exitButtonEnabled = false }, event: .exitButtonLocked,
            opens: false),
        ExitCase(
            name: "outside the button's timezone", configure: { $0.doors[0].exitButtonTimezone = 1002 },
            event: .exitButtonOutsideValidPeriod, opens: false),
        ExitCase(
            name: "inside the button's timezone", configure: { $0.doors[0].exitButtonTimezone = 2 }, event: .exitButtonOpened,
            opens: true),
    ])
    func exitButton(_ row: ExitCase) async throws {
        let fixture = try Fixture(configure: row.configure)
        let decision = try await fixture.site.press(button: .exit(1))
        #expect(decision.event == row.event)
        #expect(fixture.relay(1) == row.opens)
        #expect(try await fixture.events() == [row.event.rawValue])
    }

    @Test func remoteOpenCloseAndNormalOpen() async throws {
        let fixture = try Fixture()
        try await fixture.site.open(door: 2, seconds: 20, by: .push(deviceSN: "CKJ1234"))
        await fixture.advance(19)
        #expect(fixture.relay(2))
        try await fixture.site.close(door: 2, by: .api())
        #expect(!fixture.relay(2))
        try await fixture.site.setNormalOpen(door: 2, by: .api())
        await fixture.advance(3600)
        #expect(fixture.relay(2))
        let during = await fixture.site.present(alice, at: 2)
        #expect(during.event == .verifiedDuringNormalOpen)
        try await fixture.site.close(door: 2, by: .api())
        #expect(!fixture.relay(2))
        let entries = try await fixture.entries()
        #expect(entries.map(\.event) == [8, 9, 205, 1, 9])
        #expect(entries[0].source == .push(deviceSN: "CKJ1234"))
    }

    @Test func timedNormalOpenStartsAndEndsWithItsTimezone() async throws {
        // 07:59 on Thursday; timezone 2 is 08:00–18:00 (inclusive minutes).
        let fixture = try Fixture(start: Fixture.start.addingTimeInterval(-2 * 3600 - 60)) { $0.doors[0].normalOpenTimezone = 2 }
        await fixture.site.tick()
        #expect(!fixture.relay(1))
        await fixture.advance(60)
        #expect(fixture.relay(1))
        let during = await fixture.site.present(.pin("1234"), at: 1)
        #expect(during.event == .passwordDuringNormalOpen)
        try await fixture.site.input(5, level: .low)  // open during normal open: no break-in, no timeout
        await fixture.advance(600)
        try await fixture.site.input(5, level: .high)
        await fixture.advance(10 * 3600)  // 18:10
        #expect(!fixture.relay(1))
        #expect(try await fixture.events() == [5, 216, 200, 201, 204])
    }

    @Test func auxiliaryOutputOnAndOff() async throws {
        let fixture = try Fixture { $0.relays.append(Relay(id: 9, purpose: .auxiliary)) }
        try await fixture.site.setAuxiliaryOutput(9, on: true, by: .api())
        await fixture.advance(60)
        #expect(fixture.relay(9))
        try await fixture.site.setAuxiliaryOutput(9, on: false, by: .api())
        #expect(!fixture.relay(9))
        #expect(try await fixture.events() == [12, 13])
    }

    @Test func auxiliaryInputTriggersAndReturnsToNormal() async throws {
        let fixture = try Fixture {
            $0.relays.append(Relay(id: 9, purpose: .chimeBell, holdDelay: 2))
            $0.inputs.append(Input(id: 9, role: .auxiliary(relay: 9), triggerLevel: .high))
        }
        try await fixture.site.input(9, level: .high)
        #expect(fixture.relay(9))
        await fixture.advance(1)
        try await fixture.site.input(9, level: .low)
        #expect(try await fixture.events() == [226, 225])
    }

    @Test func resetByEventRelayStaysUntilReset() async throws {
        let fixture = try Fixture {
            $0.relays.append(Relay(id: 9, purpose: .resetByEvent))
            $0.inputs.append(Input(id: 9, role: .auxiliary(relay: 9)))
        }
        try await fixture.site.input(9, level: .low)
        await fixture.advance(3600)
        #expect(fixture.relay(9))
        try await fixture.site.resetRelay(9)
        #expect(!fixture.relay(9))
    }

    @Test func unknownInputIsATypedError() async throws {
        let fixture = try Fixture()
        await #expect(throws: ModelError(field: "input 77", rule: .notFound)) {
            try await fixture.site.input(77, level: .low)
        }
        await #expect(throws: ModelError(field: "door 9", rule: .notFound)) {
            try await fixture.site.open(door: 9, by: .api())
        }
    }

    @Test func defaultSiteIsAFourDoorPanel() async throws {
        let clock = TestClock()
        let driver = VirtualRelayDriver()
        let site = Site.defaultSite(clock: clock, relayDriver: driver)
        let configuration = await site.currentConfiguration
        #expect(configuration.doors.map(\.id) == [1, 2, 3, 4])
        #expect(configuration.relays.allSatisfy { $0.mode == .monostable && $0.holdDelay == 5 })
        #expect(
            configuration.readers.map { "\($0.id):\($0.door):\($0.direction)" } == [
                "1:1:entry", "2:2:entry", "3:3:entry", "4:4:entry", "5:1:exit", "6:2:exit", "7:3:exit", "8:4:exit",
            ])
        #expect(configuration.timezones.map(\.id) == [1])
        for door in 1...4 {
            try await site.press(button: .exit(DoorID(door)))
            #expect(driver.isActive(RelayID(door)))
        }
        clock.advance(by: 5)
        await site.tick()
        #expect((1...4).allSatisfy { !driver.isActive(RelayID($0)) })
    }
}
