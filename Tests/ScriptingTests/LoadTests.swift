import Foundation
import Logging
import Testing

@testable import Scripting

@Suite("Loading and checking a site")
struct LoadTests {
    struct BadSite: CustomTestStringConvertible, Sendable {
        var name: String
        var files: [String: String]
        var expected: String
        var testDescription: String { name }
    }

    static let badSites: [BadSite] = [
        BadSite(name: "syntax error", files: ["main.lua": "local a = 1\nlocal b = \nif then\n"], expected: "main.lua:3: unexpected symbol near 'if'"),
        BadSite(name: "runtime error at top level", files: ["main.lua": "local t = nil\n\nprint(t.x)\n"], expected: "main.lua:3: attempt to index a nil value (local 't')"),
        BadSite(name: "error() with a string", files: ["main.lua": "\nerror('bad config')\n"], expected: "main.lua:2: bad config"),
        BadSite(name: "error in an imported file", files: ["main.lua": "local u = import('util')\n", "util.lua": "local x = 1\nreturn x + {}\n"], expected: "util.lua:2: attempt to perform arithmetic on a table value"),
        BadSite(name: "syntax error in an imported file", files: ["main.lua": "import('lib/util')\n", "lib/util.lua": "return function(\n"], expected: "lib/util.lua:2: <name> or '...' expected near <eof>"),
        BadSite(name: "missing module", files: ["main.lua": "\nimport('nope')\n"], expected: "main.lua:2: import: no module 'nope' (nope.lua is not in the site directory)"),
        BadSite(name: "missing main.lua", files: ["other.lua": "return 1\n"], expected: "main.lua: no such file in the site directory"),
        BadSite(name: "unknown event", files: ["main.lua": "on('credential', function() end)\non('doorbell', function() end)\n"], expected: "main.lua:2: on: unknown event 'doorbell' (known: credential, decision, dtmf, button, input, door, relay, alarm, device_event, reload, mqtt, call)"),
        BadSite(name: "on without a function", files: ["main.lua": "on('dtmf', 42)\n"], expected: "main.lua:1: bad argument #2 to 'on' (function expected, got number)"),
        BadSite(name: "infinite loop at top level", files: ["main.lua": "local n = 0\nwhile true do n = n + 1 end\n"], expected: "main.lua:2: instruction budget exceeded"),
        BadSite(name: "pcall cannot swallow the kill", files: ["main.lua": "for i = 1, 10 do\n  pcall(function() while true do end end)\nend\n"], expected: "main.lua:2: instruction budget exceeded"),
        BadSite(name: "string.rep memory bomb", files: ["main.lua": "local s = string.rep('x', 1 << 30)\n"], expected: "main.lua:1: not enough memory (site memory limit of 32 MiB)"),
        BadSite(name: "binary chunk refused", files: ["main.lua": "local f = load('\\27Lua')\nassert(f)\n"], expected: "main.lua:2: assertion failed!"),
        BadSite(name: "standard library is read-only", files: ["main.lua": "string.upper = nil\n"], expected: "main.lua:1: attempt to modify read-only table 'string' (field 'upper')"),
        BadSite(name: "rawset on the frozen base", files: ["main.lua": "rawset(math, 'pi', 3)\n"], expected: "main.lua:1: attempt to modify a read-only table"),
        BadSite(name: "collectgarbage tuning", files: ["main.lua": "collectgarbage('stop')\n"], expected: "main.lua:1: collectgarbage: option 'stop' is not allowed in site scripts"),
        BadSite(name: "actions at load time", files: ["main.lua": "\nrelay.open(1)\n"], expected: "main.lua:2: relay.open cannot be called while the site loads; call it from a handler (e.g. on('reload', ...))"),
        BadSite(name: "I/O at load time", files: ["main.lua": "local r = http.request{url = 'http://x/'}\n"], expected: "main.lua:1: http.request cannot be called while the site loads; call it from a handler (e.g. on('reload', ...))"),
        BadSite(name: "coroutine.yield at top level", files: ["main.lua": "\ncoroutine.yield()\n"], expected: "main.lua:2: attempt to yield outside an event handler (coroutine.yield at load time or in a transform)"),
        BadSite(name: "bad cron expression", files: ["main.lua": "cron('61 * * * *', function() end)\n"], expected: "main.lua:1: cron: bad minute '61' (allowed 0-59)"),
        BadSite(name: "too fast every", files: ["main.lua": "every(0.1, function() end)\n"], expected: "main.lua:1: bad argument #1 to 'every' (interval between 1 second and 366 days expected, e.g. 30 or \"5m\")"),
        BadSite(name: "__gc finalizers (run with hooks off) are refused", files: ["main.lua": "local t = setmetatable({}, {__gc = function() while true do end end})\n"], expected: "main.lua:1: setmetatable: __gc metamethods are not allowed in site scripts"),
        BadSite(name: "circular import", files: ["main.lua": "import('a')\n", "a.lua": "import('b')\n", "b.lua": "import('a')\n"], expected: "b.lua:1: import: circular import of 'a'"),
    ]

    @Test("a broken site is reported as file:line: message", arguments: badSites)
    func badSiteIsReported(site: BadSite) throws {
        let directory = try TemporarySite(site.files)
        defer { directory.remove() }
        // Instruction budget small and wall clock generous, so a kill is deterministic on a busy machine.
        let limits = ScriptLimits(loadInstructions: 1_000_000, loadWallClock: .seconds(60))
        let diagnostics = ScriptHost.check(siteDirectory: directory.url, limits: limits)
        #expect(diagnostics.map(\.description) == [site.expected])
    }

    @Test("absent standard libraries stay absent", arguments: ["io", "os", "package", "debug", "dofile", "loadfile", "require", "string.dump"])
    func sandboxHasNo(name: String) throws {
        let directory = try TemporarySite(["main.lua": "local path = '\(name)'\nlocal v = _ENV\nfor part in path:gmatch('[^.]+') do v = v[part] end\nassert(v == nil, path .. ' is reachable')\n"])
        defer { directory.remove() }
        #expect(ScriptHost.check(siteDirectory: directory.url) == [])
    }

    @Test("each file has its own globals over the shared base")
    func separateEnvironments() throws {
        let directory = try TemporarySite([
            "main.lua": """
                counter = 1
                local util = import('util')
                assert(util.peek() == nil, 'util saw main.lua globals')
                assert(import('util') == util, 'modules are cached')
                assert(getmetatable('') == false, 'string metatable is hidden')
                assert(_G == _ENV)
                on('credential', function(ev) return nil end)
                """,
            "util.lua": "return { peek = function() return counter end }\n",
        ])
        defer { directory.remove() }
        #expect(ScriptHost.check(siteDirectory: directory.url) == [])
    }

    @Test("load reports version and keeps the last good VM on failure")
    func validateThenSwap() async throws {
        let directory = try TemporarySite(["main.lua": "on('dtmf', function() end)\n"])
        defer { directory.remove() }
        let log = CapturedLog()
        let host = ScriptHost(siteDirectory: directory.url, logger: log.logger)
        let first = await host.load()
        #expect(first.ok)
        #expect(first.version.count == 16)
        try directory.write("main.lua", "on('dtmf', function() end)\nlocal x = \n")
        let second = await host.load()
        #expect(second == ScriptStatus(version: first.version, ok: false, error: "main.lua:3: unexpected symbol near <eof>"))
        #expect(await host.status == second)
        #expect(log.lines.contains { $0.hasPrefix("error site scripts rejected") && $0.contains("main.lua:3") })
        try directory.write("main.lua", "on('dtmf', function() end) -- v3\n")
        let third = await host.load()
        #expect(third.ok && third.error == nil && third.version != first.version)
        await host.shutdown()
    }

    @Test("no site directory is ok with version none")
    func noSite() async {
        let host = ScriptHost(siteDirectory: nil, logger: CapturedLog().logger)
        #expect(await host.load() == ScriptStatus(version: "none", ok: true))
    }

    @Test("the same content gives the same version")
    func versionIsContentHash() throws {
        let a = try TemporarySite(["main.lua": "print('hi')\n", "x/y.lua": "return 1\n"])
        let b = try TemporarySite(["x/y.lua": "return 1\n", "main.lua": "print('hi')\n"])
        defer { a.remove(); b.remove() }
        #expect(try SiteBundle.snapshot(of: a.url).version == SiteBundle.snapshot(of: b.url).version)
    }
}
