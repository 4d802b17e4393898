import Foundation
import PushProtocol
import Testing

@testable import AccessControl
@testable import Scripting

@Suite("ScriptDecisionAdvisor adapts credential handlers to the door engine")
struct AdvisorTests {
    static func request(_ credential: Credential) -> DecisionRequest {
        DecisionRequest(
            credential: credential, reader: ReaderID(2), door: DoorID(1), direction: .entry, user: nil,
            time: Date(timeIntervalSince1970: 1_767_258_000), localTime: "2026-01-01 09:00:00")
    }

    static let builtIn = Decision(
        outcome: .denied(.noRightToDoor), event: DenyReason.noRightToDoor.event, verifyMode: .card, user: nil, door: DoorID(1),
        reader: ReaderID(2), journalIndex: 0)

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var credential: Credential
        var expected: Verdict?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "card on the block list is refused", credential: .card(CardNumber(99999), bitLength: 26, siteCode: 12), expected: .deny(.refusedByScript, because: "block list")),
        Case(name: "the caretaker's card is granted", credential: .card(CardNumber(4242)), expected: .grant),
        Case(name: "a PIN asks for a second factor", credential: .pin("1234"), expected: .deny(.wrongVerifyMode, because: "pin required as well")),
        Case(name: "anything else keeps the built-in decision", credential: .plate("B-GH 123"), expected: nil),
    ]

    @Test("verdicts map onto the engine's", arguments: cases)
    func verdicts(case check: Case) async throws {
        let fixture = try HostFixture([
            "main.lua": """
                on('credential', function(ev)
                  assert(ev.reader == 2 and ev.door == 1 and ev.direction == 'entry' and ev.local_time == '2026-01-01 09:00:00')
                  assert(ev.granted == false and ev.reason == 'noRightToDoor')
                  if ev.kind == 'card' and ev.card == '99999' then
                    assert(ev.bits == 26 and ev.site_code == 12)
                    return {deny = 'block list'}
                  end
                  if ev.card == '4242' then return {grant = true, seconds = 10} end
                  if ev.kind == 'pin' then return {require = 'pin'} end
                end)
                """
        ])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        let advisor = ScriptDecisionAdvisor(host: fixture.host)
        #expect(await advisor.advise(AdvisorTests.request(check.credential), builtIn: AdvisorTests.builtIn) == check.expected)
        #expect(fixture.errors().isEmpty, "\(fixture.errors())")
    }
}
