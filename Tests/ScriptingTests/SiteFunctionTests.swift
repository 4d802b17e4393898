import Foundation
import Testing

@testable import Scripting

/// Epoch seconds of site-local moments used below (2026-01-05 is a Monday).
private enum At {
    static let monday = 1_767_571_200  // 2026-01-05 00:00 UTC
    static let friday = 1_767_312_000  // 2026-01-02 00:00 UTC
    static let saturday = 1_767_398_400  // 2026-01-03 00:00 UTC
    static func plus(_ base: Int, _ hours: Int, _ minutes: Int = 0, _ seconds: Int = 0) -> Int {
        base + hours * 3600 + minutes * 60 + seconds
    }
}

@Suite("schedule.define and schedule.active")
struct ScheduleTests {
    static let definitions = """
        schedule.define{name = 'office', days = 'mon-fri', from = '08:00', to = '18:00'}
        schedule.define{name = 'night', days = {'fri'}, from = '22:00', to = '06:00'}
        schedule.define{name = 'winter', dates = {from = '2026-01-02', to = '2026-01-03'}}
        schedule.define{name = 'split', days = 'weekdays', periods = {{'08:00', '12:00'}, {from = '13:00', to = '17:00'}}}
        schedule.define{name = 'weekend', days = 'sat,sun'}
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var schedule: String
        var time: Int
        var active: Bool
        var testDescription: String { "\(schedule) at \(time) → \(active)" }
    }

    static let cases: [Case] = [
        Case(schedule: "office", time: At.plus(At.monday, 7, 59), active: false),
        Case(schedule: "office", time: At.plus(At.monday, 8), active: true),
        Case(schedule: "office", time: At.plus(At.monday, 17, 59, 59), active: true),
        Case(schedule: "office", time: At.plus(At.monday, 18), active: false),
        Case(schedule: "office", time: At.plus(At.saturday, 12), active: false),
        Case(schedule: "night", time: At.plus(At.friday, 21, 59), active: false),
        Case(schedule: "night", time: At.plus(At.friday, 23), active: true),
        Case(schedule: "night", time: At.plus(At.saturday, 5, 59), active: true),
        Case(schedule: "night", time: At.plus(At.saturday, 6), active: false),
        Case(schedule: "night", time: At.plus(At.saturday, 23), active: false),
        Case(schedule: "winter", time: At.plus(At.friday, -12), active: false),
        Case(schedule: "winter", time: At.plus(At.friday, 0), active: true),
        Case(schedule: "winter", time: At.plus(At.saturday, 23, 59), active: true),
        Case(schedule: "winter", time: At.plus(At.saturday, 24), active: false),
        Case(schedule: "split", time: At.plus(At.monday, 12, 30), active: false),
        Case(schedule: "split", time: At.plus(At.monday, 13, 30), active: true),
        Case(schedule: "weekend", time: At.plus(At.saturday, 3), active: true),
        Case(schedule: "weekend", time: At.plus(At.monday, 3), active: false),
    ]

    @Test("a schedule is active exactly in its periods (site time, `to` exclusive, overnight, date ranges)", arguments: cases)
    func activeAt(_ example: Case) async throws {
        let fixture = try HostFixture([
            "main.lua": Self.definitions + """

                on('credential', function(ev)
                  return {deny = tostring(schedule.active(ev.schedule, ev.at))}
                end)
                """
        ])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        let verdict = await fixture.host.adviseCredential(["schedule": .string(example.schedule), "at": .integer(Int64(example.time))])
        #expect(verdict == .deny(reason: String(example.active)))
    }

    @Test("active() follows the site's time zone and defaults to the host clock")
    func siteTimeZone() async throws {
        let fixture = try HostFixture(
            ["main.lua": Self.definitions + "\non('credential', function() return {deny = tostring(schedule.active('office'))} end)\n"],
            timeZone: "Europe/Berlin")
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        // 07:00 UTC on Monday is 08:00 in Berlin (UTC+1 in January).
        fixture.clock.set(Date(timeIntervalSince1970: Double(At.plus(At.monday, 6, 59))))
        #expect(await fixture.host.adviseCredential([:]) == .deny(reason: "false"))
        fixture.clock.set(Date(timeIntervalSince1970: Double(At.plus(At.monday, 7))))
        #expect(await fixture.host.adviseCredential([:]) == .deny(reason: "true"))
    }

    static let badSchedules: [(String, String)] = [
        ("schedule.define{name = 'x', days = 'mon-fry'}", "main.lua:1: schedule.define 'x': unknown day 'mon-fry' (use sun mon tue wed thu fri sat, ranges like mon-fri, daily, weekdays or weekends)"),
        ("\nschedule.define{name = 'x', from = '25:00', to = '26:00'}", "main.lua:2: schedule.define 'x': period needs 'from' and 'to' as \"HH:MM\" (00:00–23:59; 'to' may be 24:00)"),
        ("schedule.define{name = 'x', form = '08:00'}", "main.lua:1: schedule.define: unknown field 'form' (known: dates, days, from, name, periods, to)"),
        ("schedule.define{name = 'x'}\nschedule.define{name = 'x'}", "main.lua:2: schedule.define: 'x' is already defined at main.lua:1"),
        ("schedule.define{name = 'x', from = '08:00', to = '08:00'}", "main.lua:1: schedule.define 'x': period is empty (from equals to)"),
        ("schedule.define{name = 'x', dates = {from = '2026-02-30'}}", "main.lua:1: schedule.define 'x': dates.from must be a real date \"YYYY-MM-DD\""),
        ("schedule.define{name = 'x', dates = {from = '2026-03-01', to = '2026-02-01'}}", "main.lua:1: schedule.define 'x': dates.from is after dates.to"),
        ("schedule.define{days = 'mon'}", "main.lua:1: schedule.define: field 'name' (a non-empty string) expected"),
        ("schedule.define{name = 'x', days = 5}", "main.lua:1: schedule.define 'x': 'days' must be a string like \"mon-fri\" or a list like {\"sat\", \"sun\"}"),
        ("selftest('typo', function() schedule.active('ofice', 0) end)", "main.lua:1: selftest 'typo' failed: schedule.active: unknown schedule 'ofice' (none defined)"),
    ]

    @Test("a malformed schedule refuses the load with file:line", arguments: 0..<10)
    func badSchedule(index: Int) throws {
        let (source, expected) = Self.badSchedules[index]
        let site = try TemporarySite(["main.lua": source])
        defer { site.remove() }
        #expect(ScriptHost.check(siteDirectory: site.url, limits: .testing).map(\.description) == (expected.isEmpty ? [] : [expected]))
    }

    @Test("a reload with a bad schedule is refused and the previous version keeps serving")
    func badReloadKeepsOld() async throws {
        let fixture = try HostFixture(["main.lua": "schedule.define{name = 'a', days = 'mon'}\non('credential', function() return {deny = 'v1'} end)\n"])
        defer { fixture.site.remove() }
        let first = await fixture.host.load()
        #expect(first.ok)
        try fixture.site.write("main.lua", "schedule.define{name = 'a', days = 'moon'}\non('credential', function() return {deny = 'v2'} end)\n")
        let second = await fixture.host.load()
        #expect(!second.ok)
        #expect(second.version == first.version)
        #expect(second.error?.hasPrefix("main.lua:1: schedule.define 'a': unknown day 'moon'") == true)
        #expect(await fixture.host.adviseCredential([:]) == .deny(reason: "v1"))
    }
}

@Suite("users.find")
struct UserLookupTests {
    static let users = StaticScriptUserDirectory([
        ScriptUser(pin: "7", name: "Ana", cards: ["123456"], authorizations: [ScriptAuthorization(timezone: 1, doors: [1, 2])], apartment: "12"),
        ScriptUser(pin: "8", name: "Bo", disabled: true, validUntil: Date(timeIntervalSince1970: 1_800_000_000), cards: ["999"]),
    ])

    static let main = """
        on('credential', function(ev)
          local u, err = users.find(ev.card and {card = ev.card} or {pin = ev.user_pin})
          if err then return {deny = 'error: ' .. err} end
          if not u then return {deny = 'nobody'} end
          return {deny = table.concat({u.pin, u.name, tostring(u.disabled), tostring(u.valid_until), u.apartment or '-',
                                       table.concat(u.cards, ','), #u.authorizations,
                                       u.authorizations[1] and table.concat(u.authorizations[1].doors, '+') or '-'}, '|')}
        end)
        """

    @Test("finds by card and by user PIN; nil for strangers", arguments: [
        (["card": "123456"], "7|Ana|false|nil|12|123456|1|1+2"),
        (["user_pin": "8"], "8|Bo|true|1800000000.0|-|999|0|-"),
        (["card": "5"], "nobody"),
    ] as [([String: String], String)])
    func find(fields: [String: String], expected: String) async throws {
        let fixture = try HostFixture(["main.lua": Self.main], users: Self.users)
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        #expect(await fixture.host.adviseCredential(fields.mapValues { .string($0) }) == .deny(reason: expected))
    }

    @Test("without a user directory it returns nil, 'not configured'")
    func notConfigured() async throws {
        let fixture = try HostFixture(["main.lua": Self.main])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        #expect(await fixture.host.adviseCredential(["card": "1"]) == .deny(reason: "error: not configured"))
    }

    @Test("a query needs exactly one of pin or card")
    func badQuery() async throws {
        let fixture = try HostFixture(["main.lua": "on('credential', function() return {deny = select(2, pcall(users.find, {}))} end)\n"], users: Self.users)
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        let verdict = await fixture.host.adviseCredential([:])
        // Called through pcall (a C function), so the message carries no position.
        #expect(verdict == .deny(reason: "bad argument #1 to 'users.find' (exactly one of 'pin' or 'card' (string) expected)"))
    }

}

@Suite("Reload validation: self-tests and card-format samples")
struct ValidationTests {
    static let refused: [(String, String)] = [
        ("schedule.define{name = 'hours', days = 'mon-fri', from = '08:00', to = '18:00'}\nselftest('hours', function()\n  expect.eq(schedule.active('hours', 1767600000), false)\nend)\n",
         "main.lua:3: selftest 'hours' failed: expected false, got true"),
        ("selftest('pure', function()\n  relay.open(1)\nend)\n",
         "main.lua:2: selftest 'pure' failed: relay.open is not allowed in a selftest (self-tests run while a reload is validated and must be pure; test I/O with gatehouse test)"),
        ("selftest('loop', function()\n  while true do end\nend)\n", "main.lua:2: selftest 'loop' failed: instruction budget exceeded"),
        ("cardformat('w4', function(bits) return tostring(tonumber(bits, 2)) end, {samples = {\n  {bits = '0001', expect = '1'}, {bits = '1011', expect = '12'}}})\n",
         "main.lua:1: cardformat 'w4' sample 2 (4 bits 1011): expected '12', got '11'"),
        ("cardformat('odd', function(bits) if #bits ~= 3 then return nil end return '7' end, {samples = {{bits = '01', expect = '7'}}})\n",
         "main.lua:1: cardformat 'odd' sample 1 (2 bits 01): expected '7', got a rejection (nil)"),
        ("cardformat('even', function(bits) return '7' end, {samples = {{bits = '01', expect = false}}})\n",
         "main.lua:1: cardformat 'even' sample 1 (2 bits 01): expected a rejection (nil), got '7'"),
        ("cardformat('x', function(bits) return '1' end, {samples = {{bits = '012'}}})\n",
         "main.lua:1: bad argument #3 to 'cardformat' (sample 1 needs 'bits', a string of 0 and 1 (at most 1024))"),
    ]

    @Test("a failing self-test or card-format sample refuses the load with file:line", arguments: 0..<7)
    func refusedLoad(index: Int) throws {
        let (source, expected) = Self.refused[index]
        let site = try TemporarySite(["main.lua": source])
        defer { site.remove() }
        #expect(ScriptHost.check(siteDirectory: site.url, limits: .testing).map(\.description) == [expected])
    }

    @Test("passing self-tests and samples load; the transform is served")
    func passingValidation() async throws {
        let fixture = try HostFixture([
            "main.lua": """
                cardformat('w4', function(bits) return tostring(tonumber(bits, 2)) end, {samples = {{bits = '1011', expect = '11'}, {bits = '0000', expect = 0}}})
                selftest('arithmetic', function() expect.eq(1 + 1, 2) end)
                """
        ])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        #expect(await fixture.host.transformCard(format: "w4", bits: "0110") == .number("6"))
    }

    @Test("a reload whose self-test fails keeps the previous version serving")
    func reloadRefused() async throws {
        let fixture = try HostFixture(["main.lua": "on('credential', function() return {deny = 'v1'} end)\n"])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        try fixture.site.write("main.lua", "on('credential', function() return {deny = 'v2'} end)\nselftest('broken', function() error('nope') end)\n")
        let status = await fixture.host.load()
        #expect(status.error == "main.lua:2: selftest 'broken' failed: nope")
        #expect(await fixture.host.adviseCredential([:]) == .deny(reason: "v1"))
    }
}
