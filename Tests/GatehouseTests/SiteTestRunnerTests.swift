import Foundation
import Testing

@testable import Gatehouse
@testable import Scripting

/// `gatehouse test` and `gatehouse replay` run the site's real door engine: events enter through the REST API's
/// entry points, handlers get the engine's typed events, actions are performed by the engine.
@Suite("gatehouse test and gatehouse replay run the real engine")
struct SiteTestRunnerTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test("every example site's *_test.lua files pass", arguments: ["apartment", "home", "office"])
    func examplesPass(site: String) async {
        let report = await SiteTestRunner.run(siteDirectory: Self.examples.appendingPathComponent(site), limits: .deterministic)
        #expect(report.failed == 0, "\(report.lines.joined(separator: "\n"))")
        #expect(report.passed >= 6)
        #expect(report.lines.last == "\(report.passed) passed, 0 failed")
    }

    @Test("failures name the file and line of the failed expectation; load errors name the file")
    func failures() async throws {
        let site = try ScratchSite([
            "main.lua": "on('credential', function(ev) return {deny = 'no'} end)\n",
            "a_test.lua": """
            test('passes', function() expect.truthy(true) end)
            test('wrong reason', function()
              expect.eq(sim.event('credential', {reader = 1, pin = '1'}).detail, 'yes')
            end)
            test('runaway', function() while true do end end)
            test('sleeps on the fake clock', function()
              local before = time.now()
              sleep(30)
              expect.eq(time.now() - before, 30)
            end)
            test('a field the REST API does not take', function()
              sim.event('credential', {reader = 1, pin = '1', granted = true})
            end)
            test('an engine event cannot be made up', function()
              sim.event('decision', {granted = true})
            end)
            """,
            "b_test.lua": "test('x', function() end)\nlocal = 1\n",
        ])
        defer { site.remove() }
        let report = await SiteTestRunner.run(siteDirectory: site.url, limits: .deterministic)
        #expect(
            report.lines == [
                "TAP version 14", "1..7",
                "not ok 1 - load b_test.lua",
                "  # b_test.lua:2: <name> expected near '='",
                "ok 2 - a_test.lua: passes",
                "not ok 3 - a_test.lua: wrong reason",
                "  # a_test.lua:3: expected \"yes\", got \"no\"",
                "not ok 4 - a_test.lua: runaway",
                "  # a_test.lua:5: instruction budget exceeded",
                "ok 5 - a_test.lua: sleeps on the fake clock",
                "not ok 6 - a_test.lua: a field the REST API does not take",
                "  # a_test.lua:12: sim.event: field 'granted' is not part of a live credential event (it takes apartment, card, door, identity, identity_kind, pin, plate, qr, reader)",
                "not ok 7 - a_test.lua: an engine event cannot be made up",
                "  # a_test.lua:15: sim.event: 'decision' events come from the door engine; cause them with sim.event('credential' | 'dtmf' | 'button' | 'input', …) and sim.advance",
                "2 passed, 5 failed",
            ])
        #expect(!report.succeeded)
    }

    @Test("a test sees what the REST API would answer, refusals included")
    func restForms() async throws {
        let site = try ScratchSite([
            "main.lua": "\n",
            "rest_test.lua": """
            test('door and reader disagree', function()
              expect.error(function() sim.event('credential', {reader = 1, door = 3, pin = '1'}) end,
                           "sim.event: field 'reader': reader 1 belongs to door 1, not door 3 (the REST API answers 422)")
            end)
            test('bad digits', function()
              expect.error(function() sim.event('dtmf', {caller = 'x', digits = 'A'}) end, "field 'digits'")
            end)
            test('a user body the REST API refuses', function()
              expect.error(function() sim.users{{name = 'no pin'}} end, "user 1: field 'pin'")
            end)
            test('an unknown input', function()
              expect.error(function() sim.event('input', {input = 99, active = true}) end, 'input 99')
            end)
            test('configure as PUT does, then use it', function()
              sim.configure('relays', 2, {id = 2, mode = 'monostable', hold_delay = 3, dtmf_code = '7'})
              local opened = sim.event('dtmf', {caller = 'anyone', digits = '7'})
              expect.eq(opened.granted, true, 'a new host lets every caller use the relay codes')
              expect.eq(sim.state('relays', 2).active, true)
              sim.advance(3)
              expect.eq(sim.state('relays', 2).active, false, 'closed after its 3 s hold delay')
            end)
            """,
        ])
        defer { site.remove() }
        let report = await SiteTestRunner.run(siteDirectory: site.url, limits: .deterministic)
        #expect(report.failed == 0, "\(report.lines.joined(separator: "\n"))")
        #expect(report.passed == 5)
    }

    @Test("sim.users creates real users: the engine decides on them and users.find reads them")
    func users() async throws {
        let site = try ScratchSite([
            "main.lua": """
            on('credential', function(ev)
              if ev.user then return end
              local u = users.find{card = ev.card}
              return {deny = u and ('lost card of ' .. u.name) or 'stranger'}
            end)
            """,
            "users_test.lua": """
            test('a seeded user opens; a lost card is named; a stranger is not', function()
              sim.users{{pin = '1', name = 'Ana', cards = {{number = '42'}, {number = '43', lost = true}},
                         authorizations = {{timezone = 1, doors = {1}}}}}
              expect.eq(sim.event('credential', {door = 1, card = '42'}).granted, true)
              expect.eq(sim.event('credential', {door = 1, card = '44'}).detail, 'stranger')
            end)
            test('each test starts with no users', function()
              expect.eq(sim.event('credential', {door = 1, card = '42'}).detail, 'stranger')
            end)
            """,
        ])
        defer { site.remove() }
        let report = await SiteTestRunner.run(siteDirectory: site.url, limits: .deterministic)
        #expect(report.failed == 0, "\(report.lines.joined(separator: "\n"))")
        #expect(report.passed == 2)
    }

    @Test("schedule.define outside load time raises at the caller's line")
    func defineOnlyAtLoad() async throws {
        let site = try ScratchSite([
            "main.lua": "schedule.define{name = 'a'}\n",
            "late_test.lua": """
            test('define in a handler', function()
              expect.error(function() schedule.define{name = 'b'} end, 'schedule.define can only be called while the site loads')
              expect.eq(schedule.active('a'), true)
              expect.error(function() schedule.active('b') end, "unknown schedule 'b' (defined: a)")
            end)
            """,
        ])
        defer { site.remove() }
        #expect(await SiteTestRunner.run(siteDirectory: site.url, limits: .deterministic).lines.last == "1 passed, 0 failed")
    }

    @Test("replay feeds recorded events into the engine and prints actions and decisions")
    func replay() async throws {
        let home = Self.examples.appendingPathComponent("home")
        let events = """
            # the doorbell while the notification server is down, then two calls and a PIN
            {"event": "button", "fields": {"button": "reception"}, "replies": {"ntfy.example": "connection refused"}}
            {"event": "dtmf", "fields": {"digits": "1", "caller": "+4930222"}, "at": 1767225660}

            {"event": "dtmf", "fields": {"digits": "1", "caller": "+4930999"}}
            {"event": "credential", "fields": {"pin": "4711", "reader": 1}, "users": [{"pin": "9", "pin_code": "4711"}]}
            """
        let lines = try await SiteReplay.run(siteDirectory: home, events: events, limits: .deterministic)
        // Journal index 3 is the reception tab's own record (the actions layer journals every press, as live).
        #expect(
            lines == [
                #"{"body":"Someone is at the door","kind":"http","line":2,"method":"POST","url":"https://ntfy.example/door"}"#,
                #"{"kind":"mqtt.publish","line":2,"payload":"Someone is at the door","qos":1,"retain":false,"topic":"home/announce"}"#,
                #"{"event":8,"event_name":"Open the door remotely","granted":true,"journal_index":2,"kind":"decision","line":2,"reason":"granted"}"#,
                #"{"id":2,"kind":"relay.open","line":3,"seconds":5}"#,
                #"{"detail":"no relay has this DTMF code","event":27,"event_name":"The user is not registered","granted":false,"journal_index":4,"kind":"decision","line":3,"reason":"unregistered"}"#,
                #"{"detail":"no relay has this DTMF code","event":27,"event_name":"The user is not registered","granted":false,"journal_index":6,"kind":"decision","line":5,"reason":"unregistered"}"#,
                #"{"door":1,"event":23,"event_name":"Unauthorized access","granted":false,"journal_index":7,"kind":"decision","line":6,"reason":"noRightToDoor","user":"9"}"#,
            ])
    }

    @Test("the site's actions.toml runs in the test's world: its requests are in sim.actions() with via = outbox")
    func actionsFile() async throws {
        let site = try ScratchSite([
            "main.lua": "on('button', function(ev) if ev.button == 'reception' then relay.open(3, 2) end end)\n",
            "actions.toml": """
            [[input]]
            id = 1
            actions = ["http"]
            http_url = "127.0.0.1:9/exit"

            [action_urls]
            valid_code = "http://127.0.0.1:9/ok?user=$user&door=$door"
            invalid_code = "http://127.0.0.1:9/no?door=$door"

            [reception]
            relays = [4]
            http_url = "http://127.0.0.1:9/bell"
            """,
            "a_test.lua": """
            local function via_outbox()
              local found = {}
              for _, a in ipairs(sim.actions()) do
                if a.via == 'outbox' then found[#found + 1] = a.method .. ' ' .. a.url
                else found[#found + 1] = a.kind .. ' ' .. a.id end
              end
              return found
            end
            test('an exit button fires its input action', function()
              sim.event('input', {input = 1, active = true})
              expect.eq(via_outbox(), {'GET http://127.0.0.1:9/exit'})
            end)
            test('a PIN fires the valid and invalid code URLs with the user and door', function()
              sim.users({{pin = '7', pin_code = '2468', authorizations = {{timezone = 1, doors = {2}}}}})
              expect.truthy(sim.event('credential', {reader = 2, pin = '2468'}).granted)
              expect.falsy(sim.event('credential', {reader = 2, pin = '1111'}).granted)
              expect.eq(via_outbox(), {'GET http://127.0.0.1:9/ok?user=7&door=2', 'GET http://127.0.0.1:9/no?door=2'})
            end)
            test('the reception tab: the script and the actions file both act', function()
              sim.event('button', {button = 'reception'})
              expect.eq(via_outbox(), {'relay.open 3', 'GET http://127.0.0.1:9/bell'})
              expect.truthy(sim.state('relays', 4).active)
            end)
            """,
        ])
        defer { site.remove() }
        let report = await SiteTestRunner.run(siteDirectory: site.url, limits: .deterministic)
        #expect(report.lines.last == "3 passed, 0 failed", "\(report.lines.joined(separator: "\n"))")

        let lines = try await SiteReplay.run(
            siteDirectory: site.url, events: #"{"event": "input", "fields": {"input": 1, "active": true}}"#,
            limits: .deterministic)
        #expect(lines.first == #"{"kind":"http","line":1,"method":"GET","url":"http://127.0.0.1:9/exit","via":"outbox"}"#)
    }

    @Test("an actions.toml that does not fit the site fails the load with its file and line")
    func actionsFileMismatch() async throws {
        let site = try ScratchSite([
            "main.lua": "",
            "actions.toml": "[[input]]\nid = 42\nactions = [\"http\"]\nhttp_url = \"127.0.0.1:9/x\"\n",
            "a_test.lua": "test('x', function() end)\n",
        ])
        defer { site.remove() }
        let report = await SiteTestRunner.run(siteDirectory: site.url, limits: .deterministic)
        #expect(report.failed == 1)
        #expect(
            report.lines.contains { $0.contains("actions.toml:1: input: input 42 is not an input of the site") },
            "\(report.lines.joined(separator: "\n"))")
    }

    @Test("replay reports handler errors and bad lines")
    func replayErrors() async throws {
        let site = try ScratchSite(["main.lua": "on('input', function(ev) error('bad input ' .. ev.input) end)\n"])
        defer { site.remove() }
        let lines = try await SiteReplay.run(
            siteDirectory: site.url, events: #"{"event": "input", "fields": {"input": 3, "active": true}}"#,
            limits: .deterministic)
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#""kind":"error""#) == true)
        #expect(lines.first?.contains("main.lua:1: bad input 3") == true)
        await #expect(
            throws: ScriptReplay.Failure.input(
                line: 1, message: "unknown field 'when' (known: event, fields, at, replies, users)")
        ) {
            try await SiteReplay.run(siteDirectory: site.url, events: #"{"event": "input", "when": 1}"#, limits: .deterministic)
        }
    }
}

/// A site directory of the test's own, removed afterwards.
struct ScratchSite {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

extension ScriptLimits {
    /// Deterministic on a busy machine: instruction budgets bite, wall clocks never do.
    static var deterministic: ScriptLimits {
        ScriptLimits(
            handlerInstructions: 1_000_000, handlerWallClock: .seconds(60), loadInstructions: 1_000_000,
            loadWallClock: .seconds(60), transformInstructions: 200_000, transformWallClock: .seconds(60))
    }
}
