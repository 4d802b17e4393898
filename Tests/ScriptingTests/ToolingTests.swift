import Foundation
import Testing

@testable import Scripting

/// A realistic home site: doorbell → HTTP notification; DTMF 1 opens the gate
/// for phonebook callers only; PIN lockout after 5 wrong tries in 10 minutes.
enum HomeSite {
    static let main = """
        local phonebook = import('phonebook')

        on('button', function(ev)
          local r, err = http.request{method = 'POST', url = 'https://ntfy.example/door', body = 'Someone is at the door'}
          if not r then log.warn('doorbell notification failed: ' .. err) end
        end)

        on('dtmf', function(ev)
          if ev.digits == '1' and phonebook[ev.caller] then
            relay.open(2, 5)
          end
        end)

        on('credential', function(ev)
          if ev.pin == nil then return end
          local key = 'pinfail:' .. (ev.reader or 0)
          if (kv.get(key) or 0) >= 5 then return {deny = 'locked out'} end
        end)

        on('decision', function(ev)
          if ev.pin ~= nil and not ev.granted then kv.incr('pinfail:' .. (ev.reader or 0), 1, {ttl = 600}) end
        end)
        """
    static let phonebook = """
        return { ['+4930111'] = 'Anna', ['+4930222'] = 'Ben' }
        """
    static let tests = """
        test('doorbell sends a notification', function()
          sim.reply('ntfy.example', {status = 200})
          sim.event('button', {button = 1})
          expect.eq(sim.actions(), {{kind = 'http', method = 'POST', url = 'https://ntfy.example/door', body = 'Someone is at the door'}})
        end)

        test('DTMF 1 opens the gate for a phonebook caller', function()
          sim.event('dtmf', {digits = '1', caller = '+4930111'})
          expect.eq(sim.actions(), {{kind = 'relay.open', id = 2, seconds = 5}})
        end)

        test('DTMF 1 from a stranger does nothing', function()
          sim.event('dtmf', {digits = '1', caller = '+4930999'})
          expect.eq(sim.actions(), {})
        end)

        test('five wrong PINs lock the keypad for ten minutes', function()
          for i = 1, 5 do
            expect.eq(sim.event('credential', {pin = '0000', reader = 1}), nil, 'try ' .. i)
            sim.event('decision', {pin = '0000', reader = 1, granted = false})
          end
          expect.eq(sim.event('credential', {pin = '1234', reader = 1}), {deny = 'locked out'})
          sim.advance(601)
          expect.eq(sim.event('credential', {pin = '1234', reader = 1}), nil)
        end)
        """
}

@Suite("gatehouse test and gatehouse replay")
struct ToolingTests {
    @Test("the home site's tests pass under the runner")
    func homeSitePasses() throws {
        let site = try TemporarySite(["main.lua": HomeSite.main, "phonebook.lua": HomeSite.phonebook, "home_test.lua": HomeSite.tests])
        defer { site.remove() }
        let report = ScriptTestRunner.run(siteDirectory: site.url, limits: .testing)
        #expect(report.lines == [
            "TAP version 14", "1..4",
            "ok 1 - home_test.lua: doorbell sends a notification",
            "ok 2 - home_test.lua: DTMF 1 opens the gate for a phonebook caller",
            "ok 3 - home_test.lua: DTMF 1 from a stranger does nothing",
            "ok 4 - home_test.lua: five wrong PINs lock the keypad for ten minutes",
            "4 passed, 0 failed",
        ])
        #expect(ScriptHost.check(siteDirectory: site.url, limits: .testing) == [])
    }

    @Test("failures name the file and line of the failed expectation")
    func failingTests() throws {
        let site = try TemporarySite([
            "main.lua": "on('credential', function(ev) return {deny = 'no'} end)\n",
            "a_test.lua": """
                test('passes', function() expect.truthy(true) end)
                test('wrong verdict', function()
                  expect.eq(sim.event('credential', {}), {grant = true})
                end)
                test('runaway', function() while true do end end)
                test('sleeps on the fake clock', function()
                  local before = time.now()
                  sleep(30)
                  expect.eq(time.now() - before, 30)
                end)
                """,
            "b_test.lua": "test('x', function() end)\nlocal = 1\n",
        ])
        defer { site.remove() }
        let report = ScriptTestRunner.run(siteDirectory: site.url, limits: .testing)
        #expect(report.lines == [
            "TAP version 14", "1..5",
            "not ok 1 - load b_test.lua",
            "  # b_test.lua:2: <name> expected near '='",
            "ok 2 - a_test.lua: passes",
            "not ok 3 - a_test.lua: wrong verdict",
            "  # a_test.lua:3: expected {grant = true}, got {deny = \"no\"}",
            "not ok 4 - a_test.lua: runaway",
            "  # a_test.lua:5: instruction budget exceeded",
            "ok 5 - a_test.lua: sleeps on the fake clock",
            "2 passed, 3 failed",
        ])
        #expect(!report.succeeded)
    }

    @Test("replay prints the actions recorded events cause, one JSON line each")
    func replay() throws {
        let site = try TemporarySite(["main.lua": HomeSite.main, "phonebook.lua": HomeSite.phonebook])
        defer { site.remove() }
        let events = """
            # a doorbell whose notification server is down, then two calls
            {"event": "button", "fields": {"button": 1}, "replies": {"ntfy.example": "connection refused"}}
            {"event": "dtmf", "fields": {"digits": "1", "caller": "+4930222"}, "at": 1767225660}

            {"event": "dtmf", "fields": {"digits": "1", "caller": "+4930999"}}
            {"event": "credential", "fields": {"pin": "1", "reader": 1}}
            """
        let lines = try ScriptReplay.run(siteDirectory: site.url, events: events, limits: .testing)
        #expect(lines == [
            #"{"body":"Someone is at the door","kind":"http","line":2,"method":"POST","url":"https://ntfy.example/door"}"#,
            #"{"id":2,"kind":"relay.open","line":3,"seconds":5}"#,
        ])
    }

    @Test("replay reports bad input lines and handler errors")
    func replayErrors() throws {
        let site = try TemporarySite(["main.lua": "on('input', function(ev) error('bad input ' .. ev.input) end)\n"])
        defer { site.remove() }
        #expect(try ScriptReplay.run(siteDirectory: site.url, events: #"{"event": "input", "fields": {"input": 3}}"#, limits: .testing) == [
            #"{"error":"main.lua:1: bad input 3","handler":"input@main.lua:1","kind":"error","line":1}"#
        ])
        #expect(throws: ScriptReplay.Failure.input(line: 1, message: "field 'event' must be one of \(ScriptEvent.namesForMessages)")) {
            try ScriptReplay.run(siteDirectory: site.url, events: #"{"event": "doorbell"}"#, limits: .testing)
        }
    }
}
