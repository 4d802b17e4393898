import Foundation
import PushProtocol
import Testing

@testable import AccessControl

@Suite("Anti-passback, interlock, multi-card, first-card, DTMF, reception, advisor")
struct ScenarioTests {
    let alice = Credential.card(CardNumber(123_456_789))

    struct Pass: Sendable {
        let reader: ReaderID
        let after: TimeInterval
        let event: PushEventCode
    }

    struct AntiPassbackCase: Sendable, CustomTestStringConvertible {
        let name: String
        let configure: @Sendable (inout SiteConfiguration) -> Void
        let passes: [Pass]
        var testDescription: String { name }
    }

    // Readers 1–4 enter doors 1–4, readers 5–8 leave them.
    @Test(arguments: [
        AntiPassbackCase(
            name: "in APB on door 1: no second entry without leaving",
            configure: { $0.doors[0].antiPassback = .entry },
            passes: [Pass(reader: 1, after: 0, event: .openedAfterVerification), Pass(reader: 1, after: 5, event: .antiPassback),
                     Pass(reader: 5, after: 5, event: .openedAfterVerification), Pass(reader: 1, after: 5, event: .openedAfterVerification)]),
        AntiPassbackCase(
            name: "out APB on door 1: no second exit, entries unlimited",
            configure: { $0.doors[0].antiPassback = .exit },
            passes: [Pass(reader: 5, after: 0, event: .openedAfterVerification), Pass(reader: 5, after: 5, event: .antiPassback),
                     Pass(reader: 1, after: 5, event: .openedAfterVerification), Pass(reader: 1, after: 5, event: .openedAfterVerification)]),
        AntiPassbackCase(
            name: "in and out APB with DoorInTimeAPB = 60 s",
            configure: { $0.doors[0].antiPassback = .both; $0.doors[0].antiPassbackDuration = 60 },
            passes: [Pass(reader: 1, after: 0, event: .openedAfterVerification), Pass(reader: 1, after: 5, event: .antiPassback),
                     Pass(reader: 1, after: 60, event: .openedAfterVerification)]),
        AntiPassbackCase(
            name: "device APB 1: between door 1 and door 2",
            configure: { $0.settings.antiPassback = 1 },
            passes: [Pass(reader: 1, after: 0, event: .openedAfterVerification), Pass(reader: 1, after: 5, event: .antiPassback),
                     Pass(reader: 2, after: 5, event: .openedAfterVerification), Pass(reader: 6, after: 5, event: .antiPassback),
                     Pass(reader: 3, after: 5, event: .openedAfterVerification)]),
        AntiPassbackCase(
            name: "device APB 4: between doors 1 or 2 and doors 3 or 4",
            configure: { $0.settings.antiPassback = 4 },
            passes: [Pass(reader: 1, after: 0, event: .openedAfterVerification), Pass(reader: 2, after: 5, event: .antiPassback),
                     Pass(reader: 4, after: 5, event: .openedAfterVerification), Pass(reader: 3, after: 5, event: .antiPassback)]),
        AntiPassbackCase(
            name: "reader APB 16: between the readers of door 1",
            configure: { $0.settings.antiPassback = 16 },
            passes: [Pass(reader: 1, after: 0, event: .openedAfterVerification), Pass(reader: 1, after: 5, event: .antiPassback),
                     Pass(reader: 5, after: 5, event: .openedAfterVerification), Pass(reader: 2, after: 5, event: .openedAfterVerification),
                     Pass(reader: 2, after: 5, event: .openedAfterVerification)]),
    ])
    func antiPassback(_ row: AntiPassbackCase) async throws {
        let fixture = try Fixture(configure: row.configure)
        for pass in row.passes {
            await fixture.advance(pass.after)
            let decision = await fixture.site.present(alice, at: pass.reader)
            #expect(decision.event == pass.event, "reader \(pass.reader)")
        }
    }

    @Test func superUserIgnoresAntiPassbackAndAGuardCanReset() async throws {
        let fixture = try Fixture { $0.doors[0].antiPassback = .entry }
        _ = await fixture.site.present(alice, at: 1)
        await fixture.advance(5)
        #expect(await fixture.site.present(alice, at: 1).event == .antiPassback)
        await fixture.site.resetAntiPassback(of: "1001")
        #expect(await fixture.site.present(alice, at: 1).event == .openedAfterVerification)
        _ = await fixture.site.present(.card(CardNumber(6000)), at: 1)
        await fixture.advance(5)
        #expect(await fixture.site.present(.card(CardNumber(6000)), at: 1).event == .superUserOpened)
    }

    @Test func interlockRefusesWhileTheOtherDoorIsOpen() async throws {
        let fixture = try Fixture { $0.settings.interlock = 1 }
        _ = await fixture.site.present(alice, at: 2)  // door 2 relay released
        #expect(await fixture.site.present(.card(CardNumber(8001)), at: 1).event == .interlock)
        await fixture.advance(5)  // relay 2 drops
        try await fixture.site.input(6, level: .low)  // … but door 2 is physically open (break-in aside)
        #expect(await fixture.site.present(.card(CardNumber(8001)), at: 1).event == .interlock)
        await fixture.advance(1)
        try await fixture.site.input(6, level: .high)
        let after = await fixture.site.present(.card(CardNumber(8001)), at: 1)
        #expect(after.event == .openedAfterVerification, "\(after)")
        // Doors 3 and 4 are not in interlock 1.
        #expect(await fixture.site.present(.card(CardNumber(8002)), at: 3).event == .openedAfterVerification)
    }

    @Test func multiCardOpenWaitsForTheCombination() async throws {
        let fixture = try Fixture {
            $0.doors[0].multiCardOpen = true
            $0.multiCardCombinations = [MultiCardCombination(index: 1, door: 1, groups: [1, 2])]
        }
        let guardA = await fixture.site.present(.card(CardNumber(8001)), at: 1)
        #expect(guardA.event == .multipleUsersWaiting)
        #expect(!fixture.relay(1))
        await fixture.advance(3)
        let manager = await fixture.site.present(.card(CardNumber(8003)), at: 1)
        #expect(manager.event == .multipleUsersOpened)
        #expect(fixture.relay(1))
        // A group that is in no combination fails and clears the queue.
        await fixture.advance(5)
        #expect(await fixture.site.present(.card(CardNumber(8004)), at: 1).event == .multiUserVerificationFailed)
        // Two of group 1 do not make group 1 + group 2.
        #expect(await fixture.site.present(.card(CardNumber(8001)), at: 1).event == .multipleUsersWaiting)
        #expect(await fixture.site.present(.card(CardNumber(8002)), at: 1).event == .multiUserVerificationFailed)
        // The queue is forgotten after DoorMultiCardInterTime (10 s).
        #expect(await fixture.site.present(.card(CardNumber(8001)), at: 1).event == .multipleUsersWaiting)
        await fixture.advance(11)
        #expect(await fixture.site.present(.card(CardNumber(8003)), at: 1).event == .multipleUsersWaiting)
    }

    @Test func firstCardNormalOpenLastsUntilTheRuleTimezoneEnds() async throws {
        let fixture = try Fixture {
            $0.doors[0].firstCardMode = .normalOpen
            $0.firstCardRules = [FirstCardRule(door: 1, timezone: 2, user: "2003")]
        }
        let early = await fixture.site.present(alice, at: 1)
        #expect(early.event == .openedAfterVerification)
        await fixture.advance(10)
        let first = await fixture.site.present(.card(CardNumber(8003)), at: 1)
        #expect(first.event == .firstUserOpened)
        await fixture.advance(3600)
        #expect(fixture.relay(1))
        #expect(await fixture.site.present(alice, at: 1).event == .verifiedDuringNormalOpen)
        await fixture.advance(8 * 3600 + 60)  // 19:01 Thursday: office hours over
        #expect(!fixture.relay(1))
        #expect(try await fixture.events() == [0, 2, 1, 204])
    }

    @Test func firstCardActivationRefusesOthersUntilTheFirstCard() async throws {
        let fixture = try Fixture {
            $0.doors[0].firstCardMode = .activation
            $0.firstCardRules = [FirstCardRule(door: 1, timezone: 2, user: "2003")]
        }
        let before = await fixture.site.present(alice, at: 1)
        #expect(before.denyReason == .awaitingFirstCard)
        #expect(before.event == .unauthorizedAccess)
        #expect(await fixture.site.present(.card(CardNumber(8003)), at: 1).event == .firstUserOpened)
        await fixture.advance(5)
        #expect(await fixture.site.present(alice, at: 1).event == .openedAfterVerification)
        await fixture.advance(9 * 3600)  // after office hours the activation lapses
        #expect(await fixture.site.present(alice, at: 1).denyReason == .awaitingFirstCard)
    }

    struct DTMFCase: Sendable, CustomTestStringConvertible {
        let name: String
        let whitelist: DTMFWhitelist
        let caller: String
        let digits: String
        let event: PushEventCode
        let relay: Int?
        var testDescription: String { name }
    }

    @Test(arguments: [
        DTMFCase(name: "all numbers, code of relay 2", whitelist: .all, caller: "sip:900@pbx", digits: "#2", event: .openedRemotely, relay: 2),
        DTMFCase(name: "phonebook number", whitelist: .phonebook, caller: "sip:101@pbx", digits: "#1", event: .openedRemotely, relay: 1),
        DTMFCase(name: "number not in the phonebook", whitelist: .phonebook, caller: "sip:900@pbx", digits: "#1", event: .unauthorizedAccess, relay: nil),
        DTMFCase(name: "whitelist none", whitelist: .none, caller: "sip:101@pbx", digits: "#1", event: .unauthorizedAccess, relay: nil),
        DTMFCase(name: "unknown code", whitelist: .all, caller: "sip:101@pbx", digits: "#9", event: .notRegistered, relay: nil),
    ])
    func dtmf(_ row: DTMFCase) async throws {
        let fixture = try Fixture {
            $0.settings.dtmf = DTMFSettings(codeLength: 2, whitelist: row.whitelist, phonebook: ["sip:101@pbx"])
            $0.relays[0].dtmfCode = "#1"
            $0.relays[1].dtmfCode = "#2"
        }
        let decision = await fixture.site.dtmf(call: "call-1", caller: row.caller, digits: row.digits)
        #expect(decision.event == row.event)
        for relay in 1...4 { #expect(fixture.relay(relay) == (relay == row.relay)) }
        let entry = try #require(try await fixture.entries().first)
        #expect(entry.source == JournalSource(.dtmf, name: row.caller))
    }

    @Test(
        "SIP calls are journalled by phase: answered and dialled 239, refused and failed 72, ended 240 with its duration; ringing and connected are events only"
    )
    func callPhases() async throws {
        let fixture = try Fixture()
        let events = await fixture.site.events()
        let phases: [(CallReport.Phase, Int?)] = [
            (.ringing, nil), (.answered, 239), (.connected, nil), (.ended, 240), (.refused, 72), (.dialing, 239), (.failed, 72),
        ]
        for (phase, _) in phases {
            await fixture.site.report(
                CallReport(call: "sip-1", direction: .incoming, party: "1001", phase: phase, duration: phase == .ended ? 42 : nil))
        }
        let entries = try await fixture.entries()
        #expect(entries.map(\.event) == phases.compactMap(\.1))
        #expect(entries.allSatisfy { $0.source == JournalSource(.sip, name: "1001") })
        #expect(entries.map(\.detail).contains("call sip-1 from 1001: ended, after 42 s"))
        var seen: [CallReport.Phase] = []
        for await batch in events {
            seen += batch.compactMap { if case .call(let report) = $0.kind { report.phase } else { nil } }
            if seen.count == phases.count { break }
        }
        #expect(seen == phases.map(\.0))
    }

    @Test("the DTMF allowlist the SIP endpoint answers by: none, phonebook, all; and the relays' codes")
    func dtmfAllowlist() async throws {
        for (whitelist, expected) in [(DTMFWhitelist.none, [false, false]), (.phonebook, [true, false]), (.all, [true, true])] {
            let fixture = try Fixture {
                $0.settings.dtmf = DTMFSettings(whitelist: whitelist, phonebook: ["1001"])
                $0.relays[0].dtmfCode = "1"
                $0.relays[2].dtmfCode = "3"
            }
            #expect(await [fixture.site.dtmfCallerAllowed("1001"), fixture.site.dtmfCallerAllowed("9999")] == expected)
            #expect(await fixture.site.dtmfCodes == ["1", "3"])
        }
    }

    actor RecordingHook: SiteActionHook {
        var actions: [SiteAction] = []
        func perform(_ action: SiteAction) { actions.append(action) }
    }

    @Test func receptionTabTriggersItsRelaysAndItsAction() async throws {
        let fixture = try Fixture {
            $0.settings.reception = ReceptionSettings(relays: [3], actionURLs: ["http://10.0.0.5/notify?who=reception"])
        }
        let hook = RecordingHook()
        await fixture.site.setActionHook(hook)
        let decision = try await fixture.site.press(button: .reception)
        #expect(decision.event == .openedRemotely)
        #expect(decision.door == 3)
        #expect(fixture.relay(3))
        for _ in 0..<100 where await hook.actions.isEmpty { await Task.yield() }
        #expect(await hook.actions == [.reception(urls: ["http://10.0.0.5/notify?who=reception"])])
    }

    struct FixedAdvisor: DecisionAdvisor {
        let verdict: Verdict?
        func advise(_ request: DecisionRequest, builtIn: Decision) async -> Verdict? { verdict }
    }

    /// Never answers: the site must not wait for it past the deadline.
    struct SilentAdvisor: DecisionAdvisor {
        func advise(_ request: DecisionRequest, builtIn: Decision) async -> Verdict? {
            await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
            return .grant
        }
    }

    /// Would deny everything, but says up front that it has nothing to say.
    struct UninterestedAdvisor: DecisionAdvisor {
        func mayAdvise(_ request: DecisionRequest) -> Bool { false }
        func advise(_ request: DecisionRequest, builtIn: Decision) async -> Verdict? { .deny(.refusedByScript) }
    }

    @Test func anAdvisorThatMayNotAdviseIsNotAskedAndTheBuiltInDecisionStands() async throws {
        let fixture = try Fixture()
        await fixture.site.setAdvisor(UninterestedAdvisor())
        let decision = await fixture.site.present(alice, at: 1)
        #expect(decision.isGranted)
        #expect(fixture.relay(1))
    }

    @Test func advisorMayGrantOrDenyAndTheDeniedPathRecordsItsReason() async throws {
        let granting = try Fixture()
        await granting.site.setAdvisor(FixedAdvisor(verdict: .grant))
        let granted = await granting.site.present(.card(CardNumber(2000)), at: 2)  // built-in: no right (23)
        #expect(granted.isGranted)
        #expect(granting.relay(2))

        let denying = try Fixture()
        await denying.site.setAdvisor(FixedAdvisor(verdict: .deny(.refusedByScript)))
        let denied = await denying.site.present(alice, at: 1)
        #expect(denied.denyReason == .refusedByScript)
        #expect(!denying.relay(1))

        let silent = try Fixture()
        await silent.site.setAdvisor(FixedAdvisor(verdict: nil))
        #expect(await silent.site.present(alice, at: 1).event == .openedAfterVerification)
    }

    @Test func lateAdvisorLeavesTheBuiltInDecision() async throws {
        let fixture = try Fixture()
        await fixture.site.setAdvisor(SilentAdvisor())
        let clock = fixture.clock
        async let decision = fixture.site.present(.card(CardNumber(2000)), at: 2)
        // Let the site reach its deadline wait, then move time past the 200 ms deadline.
        for _ in 0..<50 { await Task.yield() }
        clock.advance(by: 0.2)
        let result = await decision
        #expect(result.event == .unauthorizedAccess)
        #expect(!fixture.relay(2))
    }
}

@Suite("Deleting a first-card holder")
struct FirstCardDeletionTests {
    @Test func rulesOfADeletedUserGoWithThem() async throws {
        let fixture = try Fixture {
            $0.doors[0].firstCardMode = .normalOpen
            $0.firstCardRules = [FirstCardRule(door: 1, timezone: 2, user: "2003")]
        }
        try await fixture.site.deleteUser("2003")
        #expect(await fixture.site.currentConfiguration.firstCardRules.isEmpty)
        try await fixture.site.upsert(User(pin: "2003", cards: [Card(number: CardNumber(8003))], authorisations: [Authorisation(timezone: 1, doors: .all)]))
        #expect(await fixture.site.present(.card(CardNumber(8003)), at: 1).event == .openedAfterVerification)
    }
}
