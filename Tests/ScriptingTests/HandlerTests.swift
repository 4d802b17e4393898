import Foundation
import Testing

@testable import Scripting

@Suite("Handlers, verdicts and limits")
struct HandlerTests {
    struct VerdictCase: CustomTestStringConvertible, Sendable {
        var body: String
        var expected: ScriptVerdict?
        var testDescription: String { body }
    }

    static let verdicts: [VerdictCase] = [
        VerdictCase(body: "return {deny = 'after hours'}", expected: .deny(reason: "after hours")),
        VerdictCase(body: "return {grant = true, door = 2, seconds = 8}", expected: .grant(door: 2, seconds: 8)),
        VerdictCase(body: "return {grant = true}", expected: .grant(door: nil, seconds: nil)),
        VerdictCase(body: "return {require = 'pin'}", expected: .requireFactor("pin")),
        VerdictCase(body: "return nil", expected: nil),
        VerdictCase(body: "if ev.card == '12345' then return {deny = 'lost card'} end", expected: .deny(reason: "lost card")),
        VerdictCase(body: "return 'yes'", expected: nil),  // invalid: logged, built-in decision stands
    ]

    @Test("credential handlers return verdicts", arguments: verdicts)
    func credentialVerdict(case verdict: VerdictCase) async throws {
        let fixture = try HostFixture(["main.lua": "on('credential', function(ev)\n\(verdict.body)\nend)\n"])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        #expect(await fixture.host.adviseCredential(["card": "12345", "reader": 1]) == verdict.expected)
    }

    @Test("an invalid verdict is logged with the handler position")
    func invalidVerdict() async throws {
        let fixture = try HostFixture(["main.lua": "\non('credential', function() return {open = 1} end)\n"])
        defer { fixture.site.remove() }
        await fixture.host.load()
        #expect(await fixture.host.adviseCredential([:]) == nil)
        #expect(fixture.errors().contains { $0.contains("main.lua:2: verdict table needs 'deny', 'grant = true' or 'require'") })
    }

    @Test("the first handler with a verdict wins")
    func firstVerdictWins() async throws {
        let fixture = try HostFixture([
            "main.lua": """
                on('credential', function() kv.incr('first') end)
                on('credential', function() return {deny = 'second'} end)
                on('credential', function() kv.incr('third') return {deny = 'third'} end)
                """
        ])
        defer { fixture.site.remove() }
        await fixture.host.load()
        #expect(await fixture.host.adviseCredential([:]) == .deny(reason: "second"))
        #expect(try fixture.store.value(for: "first", now: fixture.clock.now) == .integer(1))
        #expect(try fixture.store.value(for: "third", now: fixture.clock.now) == nil)
    }

    struct Failing: CustomTestStringConvertible, Sendable {
        var name: String
        var body: String
        var expected: String
        var testDescription: String { name }
    }

    static let failing: [Failing] = [
        Failing(name: "runtime error", body: "local t = nil\n  return t.x", expected: "main.lua:3: attempt to index a nil value (local 't')"),
        Failing(name: "infinite loop", body: "while true do end", expected: "main.lua:2: instruction budget exceeded"),
        Failing(name: "pcall cannot swallow the kill", body: "for i = 1, 100 do pcall(function() while true do end end) end", expected: "main.lua:2: instruction budget exceeded"),
        Failing(name: "string.rep memory bomb", body: "local s = string.rep('x', 1 << 30)", expected: "main.lua:2: not enough memory (site memory limit of 32 MiB)"),
        Failing(name: "table growth memory bomb", body: "local t, s = {}, string.rep('x', 1 << 20) for i = 1, 1e9 do t[i] = s .. i end", expected: "main.lua:2: not enough memory (site memory limit of 32 MiB)"),
        Failing(name: "I/O inside a gsub callback", body: "local s = ('x'):gsub('x', function() return http.request{url = 'http://a/'} end)", expected: "main.lua:2: attempt to yield across a C-call boundary: http.request can only be called directly in an event handler or timer (not inside string.gsub callbacks, metamethods, iterators, coroutines or at load time)"),
        Failing(name: "sleep inside a user coroutine", body: "coroutine.wrap(function() sleep(1) end)()", expected: "main.lua:2: attempt to yield across a C-call boundary: sleep can only be called directly in an event handler or timer (not inside string.gsub callbacks, metamethods, iterators, coroutines or at load time)"),
        Failing(name: "coroutine.yield from a handler", body: "coroutine.yield(1)", expected: "main.lua:2: coroutine.yield called outside a coroutine"),
        Failing(name: "on() outside load time", body: "on('dtmf', function() end)", expected: "main.lua:2: on can only be called while the site loads (at the top level of a file)"),
        Failing(name: "error with a table", body: "error({code = 1})", expected: "main.lua:2: (error object is a table value)"),
        Failing(name: "error whose __tostring fails", body: "error(setmetatable({}, {__tostring = function() error('inner') end}))", expected: "main.lua:2: (error object is a table value)"),
        Failing(name: "xpcall handler that loops after a kill", body: "xpcall(function() while true do end end, function() while true do end end)", expected: "main.lua:2: instruction budget exceeded"),
        Failing(name: "memory filled by live tables", body: "local t = {} for i = 1, 1e7 do t[#t + 1] = {string.rep('x', 1e5) .. i} end", expected: "main.lua:2: not enough memory (site memory limit of 32 MiB)"),
    ]

    @Test("a failing handler is reported with file:line and the host keeps serving", arguments: failing)
    func failingHandler(case failing: Failing) async throws {
        let fixture = try HostFixture([
            "main.lua": "on('credential', function(ev)\n  \(failing.body)\nend)\non('dtmf', function(ev) return kv.incr('dtmf') end)\n"
        ], outbound: CannedOutbound([:]))
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        #expect(await fixture.host.adviseCredential(["card": "1"]) == nil)
        let errors = fixture.errors()
        #expect(errors.contains { $0.contains("error=\(failing.expected)") && $0.contains("handler=credential@main.lua:1") }, "\(errors)")
        #expect(errors.contains { $0.contains("traceback=") })
        // The VM still works.
        await fixture.host.dispatch(.dtmf, ["digits": "1"])
        #expect(try fixture.store.value(for: "dtmf", now: fixture.clock.now) == .integer(1))
        await fixture.host.waitUntilIdle()
        #expect(fixture.actions.actions.contains { if case .journal("script.error", let fields) = $0 { fields["error"] == failing.expected } else { false } })
    }

    @Test("the circuit breaker disables a handler after 5 failures in a row until the next reload")
    func circuitBreaker() async throws {
        let fixture = try HostFixture(["main.lua": "on('button', function(ev) kv.incr('calls') error('boom') end)\n"])
        defer { fixture.site.remove() }
        await fixture.host.load()
        for _ in 0..<7 { await fixture.host.dispatch(.button, [:]) }
        #expect(try fixture.store.value(for: "calls", now: fixture.clock.now) == .integer(5))
        #expect(await fixture.host.status.disabledHandlers == ["button@main.lua:1"])
        #expect(fixture.errors().contains { $0.hasPrefix("error script handler disabled until the next reload") })
        try fixture.site.write("main.lua", "on('button', function(ev) kv.incr('calls') end)\n")
        #expect(await fixture.host.load().ok)
        #expect(await fixture.host.status.disabledHandlers == [])
        await fixture.host.dispatch(.button, [:])
        #expect(try fixture.store.value(for: "calls", now: fixture.clock.now) == .integer(6))
    }

    @Test("a success resets the failure count")
    func breakerResets() async throws {
        let fixture = try HostFixture(["main.lua": "on('input', function(ev) if ev.fail then error('x') end end)\n"])
        defer { fixture.site.remove() }
        await fixture.host.load()
        for round in 0..<12 { await fixture.host.dispatch(.input, round % 4 == 3 ? [:] : ["fail": true]) }
        #expect(await fixture.host.status.disabledHandlers == [])
    }

    @Test("HTTP yields, other events keep flowing, the result resumes the handler")
    func yieldingHTTP() async throws {
        let outbound = CannedOutbound(["http://bell.local/ring": .success(["status": 200, "body": "ok"])])
        let fixture = try HostFixture([
            "main.lua": """
                on('button', function(ev)
                  local r, err = http.request{url = 'http://bell.local/ring', method = 'post', body = 'ding'}
                  kv.set('status', r and r.status or err)
                  relay.open(1, 3)
                end)
                on('input', function(ev)
                  local r, err = http.request{url = 'http://down.local/'}
                  kv.set('down', err)
                end)
                """
        ], outbound: outbound)
        defer { fixture.site.remove() }
        await fixture.host.load()
        await fixture.host.dispatch(.button, [:])
        await fixture.host.dispatch(.input, [:])
        await fixture.host.waitUntilIdle()
        #expect(try fixture.store.value(for: "status", now: fixture.clock.now) == .integer(200))
        #expect(try fixture.store.value(for: "down", now: fixture.clock.now) == .string("connection refused"))
        #expect(fixture.actions.scriptActions == [.openRelay(id: 1, seconds: 3)])
        #expect(await outbound.requests.first == .http(method: "POST", url: "http://bell.local/ring", headers: [:], body: "ding", timeout: 10, auth: nil))
    }

    @Test("without the outbound module, I/O returns nil, 'not configured'")
    func notConfigured() async throws {
        let fixture = try HostFixture([
            "main.lua": "on('credential', function() local r, err = http.request{url='http://x/'} local m, e2 = mail.send{to='a@b', subject='s', body='b'} return {deny = tostring(r) .. ',' .. err .. ',' .. e2} end)\n"
        ])
        defer { fixture.site.remove() }
        await fixture.host.load()
        #expect(await fixture.host.adviseCredential([:]) == .deny(reason: "nil,not configured,not configured"))
    }

    @Test("a slow credential handler misses the deadline and the built-in decision stands")
    func decisionDeadline() async throws {
        let fixture = try HostFixture(["main.lua": "on('credential', function() sleep(1) kv.set('late', true) return {deny = 'late'} end)\n"])
        defer { fixture.site.remove() }
        await fixture.host.load()
        let host = fixture.host
        async let verdict = host.adviseCredential([:])
        // Let the handler park, then move past the 300 ms deadline (but not the 1 s sleep).
        while await host.parkedRunCount == 0 { await Task.yield() }
        fixture.clock.advance(by: 0.5)
        await host.runDueWork()
        #expect(await verdict == nil)
        fixture.clock.advance(by: 1)
        await host.runDueWork()
        #expect(try fixture.store.value(for: "late", now: fixture.clock.now) == .boolean(true))
    }

    @Test("a credential handler that answers after a short sleep is heard")
    func sleepWithinDeadline() async throws {
        let fixture = try HostFixture(["main.lua": "on('credential', function() sleep(0.1) return {grant = true} end)\n"])
        defer { fixture.site.remove() }
        await fixture.host.load()
        let host = fixture.host
        async let verdict = host.adviseCredential([:])
        while await host.parkedRunCount == 0 { await Task.yield() }
        fixture.clock.advance(by: 0.1)
        await host.runDueWork()
        #expect(await verdict == .grant(door: nil, seconds: nil))
    }

    @Test("every and cron fire on the injected clock; a reload cancels the old timers")
    func timers() async throws {
        let fixture = try HostFixture([
            "main.lua": """
                every('5m', function() kv.incr('every') end)
                cron('0 7 * * 1-5', function() kv.incr('cron') end)
                """
        ])
        defer { fixture.site.remove() }
        // 2026-01-01 is a Thursday; start at 06:59 UTC.
        fixture.clock.set(Date(timeIntervalSince1970: 1_767_250_740))
        await fixture.host.load()
        for _ in 0..<12 {
            fixture.clock.advance(by: 60)
            await fixture.host.runDueWork()
        }
        #expect(try fixture.store.value(for: "every", now: fixture.clock.now) == .integer(2))
        #expect(try fixture.store.value(for: "cron", now: fixture.clock.now) == .integer(1))
        try fixture.site.write("main.lua", "every(60, function() kv.incr('new') end)\n")
        await fixture.host.load()
        for _ in 0..<10 {
            fixture.clock.advance(by: 60)
            await fixture.host.runDueWork()
        }
        #expect(try fixture.store.value(for: "every", now: fixture.clock.now) == .integer(2))
        #expect(try fixture.store.value(for: "new", now: fixture.clock.now) == .integer(10))
    }

    @Test("kv TTLs and rate.allow follow the host clock")
    func kvAndRate() async throws {
        let fixture = try HostFixture([
            "main.lua": """
                on('dtmf', function(ev)
                  kv.set('code', ev.digits, 60)
                  kv.incr('tries', 1, {ttl = 600})
                  kv.set('allowed', rate.allow('pin:' .. ev.digits, 2, 10))
                end)
                """
        ])
        defer { fixture.site.remove() }
        await fixture.host.load()
        var allowed: [ScriptStoredValue?] = []
        for _ in 0..<3 {
            await fixture.host.dispatch(.dtmf, ["digits": "1234"])
            allowed.append(try fixture.store.value(for: "allowed", now: fixture.clock.now))
        }
        #expect(allowed == [.boolean(true), .boolean(true), .boolean(false)])
        fixture.clock.advance(by: 61)
        #expect(try fixture.store.value(for: "code", now: fixture.clock.now) == nil)
        #expect(try fixture.store.value(for: "tries", now: fixture.clock.now) == .integer(3))
        await fixture.host.dispatch(.dtmf, ["digits": "1234"])
        #expect(try fixture.store.value(for: "allowed", now: fixture.clock.now) == .boolean(true))
    }

    @Test("actions reach the door engine in order")
    func actionsInOrder() async throws {
        let fixture = try HostFixture([
            "main.lua": """
                on('door', function(ev)
                  relay.open(1, 5) relay.set(2, 'on') door.open(3) door.lock(4)
                  alarm.raise('held', 'door ' .. ev.door) alarm.clear('held')
                  journal.emit{event = 'held_open', door = ev.door}
                end)
                """
        ])
        defer { fixture.site.remove() }
        await fixture.host.load()
        await fixture.host.dispatch(.door, ["door": 3])
        await fixture.host.waitUntilIdle()
        #expect(fixture.actions.scriptActions == [
            .openRelay(id: 1, seconds: 5), .setRelay(id: 2, active: true), .openDoor(id: 3, seconds: nil), .lockDoor(id: 4),
            .raiseAlarm(name: "held", detail: "door 3"), .clearAlarm(name: "held"), .journal(event: "held_open", fields: ["door": "3"]),
        ])
    }

    @Test("journal.emit with a field of the wrong type is an error at its line, and nothing of that call happens")
    func journalEmitWrongType() async throws {
        let fixture = try HostFixture([
            "main.lua": """
                on('door', function(ev)
                  relay.open(1, 5)
                  journal.emit{event = 'held_open', door = {ev.door}}
                  relay.open(2, 5)
                end)
                """
        ])
        defer { fixture.site.remove() }
        await fixture.host.load()
        await fixture.host.dispatch(.door, ["door": 3])
        await fixture.host.waitUntilIdle()
        // The action before the bad call stands (it already happened); the bad call and everything after it do not.
        #expect(fixture.actions.scriptActions == [.openRelay(id: 1, seconds: 5)])
        #expect(
            fixture.errors().contains { $0.contains("main.lua:3:") && $0.contains("field 'door' must be a string, number or boolean") },
            "\(fixture.errors())")
    }

    struct TransformCase: CustomTestStringConvertible, Sendable {
        var name: String
        var body: String
        var bits: String
        var expected: CardTransformOutcome
        var testDescription: String { name }
    }

    static let transforms: [TransformCase] = [
        TransformCase(name: "37-bit card number", body: "return tostring(tonumber(bits:sub(2, 36), 2))", bits: "0" + String(repeating: "0", count: 18) + "11110001001000000" + "0", expected: .number("123456")),
        TransformCase(name: "rejects", body: "if length ~= 37 then return nil end return '1'", bits: "0101", expected: .rejected),
        TransformCase(name: "infinite loop", body: "while true do end", bits: "01", expected: .failed(ScriptDiagnostic(file: "main.lua", line: 2, message: "instruction budget exceeded"))),
        TransformCase(name: "I/O from a transform", body: "http.request{url = 'http://x/'}", bits: "01", expected: .failed(ScriptDiagnostic(file: "main.lua", line: 2, message: "http.request is not allowed in a card-format transform (transforms must be pure)"))),
        TransformCase(name: "kv from a transform", body: "return kv.get('x')", bits: "01", expected: .failed(ScriptDiagnostic(file: "main.lua", line: 2, message: "kv.get is not allowed in a card-format transform (transforms must be pure)"))),
        TransformCase(name: "non-digits", body: "return 'abc'", bits: "01", expected: .failed(ScriptDiagnostic(file: "main.lua", line: 1, message: "cardformat 'w37' returned 'abc'; expected 1 to 32 digits or nil"))),
    ]

    @Test("card-format transforms are pure, budgeted and validated", arguments: transforms)
    func transform(case transform: TransformCase) async throws {
        let fixture = try HostFixture(["main.lua": "cardformat('w37', function(bits, length)\n  \(transform.body)\nend)\n"])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        #expect(await fixture.host.transformCard(format: "w37", bits: transform.bits) == transform.expected)
        #expect(await fixture.host.transformCard(format: "nope", bits: "1") == .unknownFormat)
    }
}
