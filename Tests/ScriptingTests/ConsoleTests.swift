import Foundation
import Testing

@testable import Scripting

@Suite("Console evaluation")
struct ConsoleTests {
    static let main = """
        greeting = 'hello'
        function double(n) return n * 2 end
        on('button', function() end)
        """

    struct Line: Sendable, CustomTestStringConvertible {
        var input: String
        var expected: ConsoleResult
        var testDescription: String { input }
    }

    static let lines: [Line] = [
        Line(input: "1 + 1", expected: ConsoleResult(values: ["2"])),
        Line(input: "=1, 'two', nil", expected: ConsoleResult(values: ["1", "two", "nil"])),
        Line(input: "print('a', 1) print('b')", expected: ConsoleResult(output: "a\t1\nb")),
        Line(input: "={b = 2, a = {1}}", expected: ConsoleResult(values: ["{a = {1 = 1}, b = 2}"])),
        Line(input: "=double(21), greeting", expected: ConsoleResult(values: ["42", "hello"])),
        Line(input: "error('boom')", expected: ConsoleResult(error: "stdin:1: boom")),
        Line(input: "print('before') local t = nil; return t.x", expected: ConsoleResult(output: "before", error: "stdin:1: attempt to index a nil value (local 't')")),
        Line(input: "local = 1", expected: ConsoleResult(error: "stdin:1: <name> expected near '='")),
        Line(input: "print('spin') while true do end", expected: ConsoleResult(output: "spin", error: "stdin:1: instruction budget exceeded")),
        Line(input: "string.upper = nil", expected: ConsoleResult(error: "stdin:1: attempt to modify read-only table 'string' (field 'upper')")),
        Line(input: "on('dtmf', function() end)", expected: ConsoleResult(error: "stdin:1: on can only be called while the site loads (at the top level of a file)")),
        Line(input: "=relay.open(3)", expected: ConsoleResult(values: ["true"])),
    ]

    @Test("a console line prints, returns values or reports stdin:line errors", arguments: lines)
    func evaluate(line: Line) async throws {
        let fixture = try HostFixture(["main.lua": Self.main])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        let result = await fixture.host.consoleEvaluate(line.input, session: ConsoleSession(id: "s"))
        #expect(result == line.expected)
    }

    @Test("a session keeps its scratch globals; other sessions and the site do not see them")
    func sessions() async throws {
        let fixture = try HostFixture(["main.lua": Self.main + "\non('credential', function() return {deny = greeting} end)\n"])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        let one = ConsoleSession(id: "one")
        let two = ConsoleSession(id: "two")
        #expect(await fixture.host.consoleEvaluate("x = 5; greeting = 'changed'", session: one) == ConsoleResult())
        #expect(await fixture.host.consoleEvaluate("=x * 2, greeting", session: one).values == ["10", "changed"])
        #expect(await fixture.host.consoleEvaluate("=x, greeting", session: two).values == ["nil", "hello"])
        #expect(await fixture.host.adviseCredential([:]) == .deny(reason: "hello"))
        await fixture.host.endConsole(one)
        #expect(await fixture.host.consoleEvaluate("=x", session: one).values == ["nil"])
    }

    @Test("an unfinished chunk waits for more lines, like the lua REPL")
    func continuation() async throws {
        let fixture = try HostFixture(["main.lua": Self.main])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        let session = ConsoleSession()
        #expect(await fixture.host.consoleEvaluate("function add(a, b)", session: session) == ConsoleResult(incomplete: true))
        #expect(await fixture.host.consoleEvaluate("  return a + b", session: session) == ConsoleResult(incomplete: true))
        #expect(await fixture.host.consoleEvaluate("end", session: session) == ConsoleResult())
        #expect(await fixture.host.consoleEvaluate("add(2, 3)", session: session).values == ["5"])
        #expect(await fixture.host.consoleEvaluate("t = {", session: session).incomplete)
        #expect(await fixture.host.consoleEvaluate("1 = 2 }", session: session).error == "stdin:2: '}' expected (to close '{' at line 1) near '='")
        #expect(await fixture.host.consoleEvaluate("=1", session: session).values == ["1"])
    }

    @Test("after a reload a session starts over on the new version")
    func reloadResetsSessions() async throws {
        let fixture = try HostFixture(["main.lua": Self.main])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        let session = ConsoleSession()
        _ = await fixture.host.consoleEvaluate("x = 1", session: session)
        try fixture.site.write("main.lua", "greeting = 'v2'\n")
        #expect(await fixture.host.load().ok)
        #expect(await fixture.host.consoleEvaluate("=x, greeting", session: session).values == ["nil", "v2"])
    }

    @Test("console I/O yields and the line waits for the reply")
    func yieldingIO() async throws {
        let outbound = CannedOutbound(["http://svc/ping": .success(["status": 200, "body": "pong"])])
        let fixture = try HostFixture(["main.lua": Self.main], outbound: outbound)
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        let result = await fixture.host.consoleEvaluate("local r = http.request{url = 'http://svc/ping'} print(r.status) return r.body", session: ConsoleSession())
        #expect(result == ConsoleResult(output: "200", values: ["pong"]))
    }

    @Test("console actions reach the door engine")
    func actions() async throws {
        let fixture = try HostFixture(["main.lua": Self.main])
        defer { fixture.site.remove() }
        #expect(await fixture.host.load().ok)
        _ = await fixture.host.consoleEvaluate("door.open(1, 4)", session: ConsoleSession())
        await fixture.host.waitUntilIdle()
        #expect(fixture.actions.scriptActions == [.openDoor(id: 1, seconds: 4)])
    }

    @Test("without scripts the console says so")
    func noScripts() async {
        let host = ScriptHost(siteDirectory: nil, limits: .testing, logger: CapturedLog().logger)
        #expect(await host.consoleEvaluate("1", session: ConsoleSession()).error == "stdin: no site scripts are loaded")
    }

    @Test("the transcript reads like the lua REPL")
    func transcript() {
        #expect(ConsoleResult(output: "a", values: ["1", "2"]).text == "a\n1\t2")
        #expect(ConsoleResult(error: "stdin:1: boom").text == "stdin:1: boom")
    }
}
