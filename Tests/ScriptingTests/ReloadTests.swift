import Foundation
import Testing

@testable import Scripting

@Suite("Hot reload")
struct ReloadTests {
    @Test("a rejected reload keeps the old version serving; a good one swaps and runs on('reload') once")
    func validateThenSwap() async throws {
        let fixture = try HostFixture([
            "main.lua": "on('button', function() kv.set('served_by', 'v1') end)\n"
        ])
        defer { fixture.site.remove() }
        let v1 = await fixture.host.load()
        try fixture.site.write("main.lua", "on('button', function() kv.set('served_by', 'v2') end)\nerror('half-written')\n")
        let rejected = await fixture.host.load()
        #expect(rejected == ScriptStatus(version: v1.version, ok: false, error: "main.lua:2: half-written"))
        await fixture.host.dispatch(.button, [:])
        #expect(try fixture.store.value(for: "served_by", now: fixture.clock.now) == .string("v1"))
        try fixture.site.write("main.lua", """
            on('button', function() kv.set('served_by', 'v3') end)
            on('reload', function(info) kv.incr('reloads') kv.set('previous', info.previous) end)
            """)
        let v3 = await fixture.host.load()
        #expect(v3.ok && v3.version != v1.version)
        await fixture.host.dispatch(.button, [:])
        #expect(try fixture.store.value(for: "served_by", now: fixture.clock.now) == .string("v3"))
        #expect(try fixture.store.value(for: "reloads", now: fixture.clock.now) == .integer(1))
        #expect(try fixture.store.value(for: "previous", now: fixture.clock.now) == .string(v1.version))
        await fixture.host.waitUntilIdle()
        let reloads = fixture.actions.actions.compactMap { action -> String? in
            if case .journal("script.reload", let fields) = action { return fields["ok"] } else { return nil }
        }
        #expect(reloads == ["true", "false", "true"])
    }

    @Test("a file deleted mid-reload is rejected with file:line and the old version keeps serving", arguments: ["main.lua", "util.lua"])
    func deletedMidReload(file: String) async throws {
        let fixture = try HostFixture([
            "main.lua": "local util = import('util')\non('button', function() kv.set('x', util.value) end)\n",
            "util.lua": "return {value = 42}\n",
        ])
        defer { fixture.site.remove() }
        let v1 = await fixture.host.load()
        try fixture.site.delete(file)
        let status = await fixture.host.load()
        let expected = file == "main.lua" ? "main.lua: no such file in the site directory" : "main.lua:1: import: no module 'util' (util.lua is not in the site directory)"
        #expect(status == ScriptStatus(version: v1.version, ok: false, error: expected))
        await fixture.host.dispatch(.button, [:])
        #expect(try fixture.store.value(for: "x", now: fixture.clock.now) == .integer(42))
    }

    @Test("in-flight handlers of the old version finish after the swap; new events go to the new version")
    func drain() async throws {
        let fixture = try HostFixture([
            "main.lua": "on('button', function() sleep(5) kv.set('old_finished', true) end)\n"
        ])
        defer { fixture.site.remove() }
        await fixture.host.load()
        await fixture.host.dispatch(.button, [:])
        #expect(await fixture.host.parkedRunCount == 1)
        try fixture.site.write("main.lua", "on('button', function() kv.set('new', true) end)\n")
        #expect(await fixture.host.load().ok)
        await fixture.host.dispatch(.button, [:])
        #expect(try fixture.store.value(for: "new", now: fixture.clock.now) == .boolean(true))
        fixture.clock.advance(by: 5)
        await fixture.host.runDueWork()
        #expect(try fixture.store.value(for: "old_finished", now: fixture.clock.now) == .boolean(true))
        #expect(await fixture.host.parkedRunCount == 0)
    }

    @Test("the old version's parked handlers are abandoned at the drain deadline")
    func drainDeadline() async throws {
        var limits = ScriptLimits.testing
        limits.drainDeadline = .seconds(10)
        let fixture = try HostFixture(["main.lua": "on('button', function() sleep(60) kv.set('old_finished', true) end)\n"], limits: limits)
        defer { fixture.site.remove() }
        await fixture.host.load()
        await fixture.host.dispatch(.button, [:])
        try fixture.site.write("main.lua", "-- v2\n")
        await fixture.host.load()
        fixture.clock.advance(by: 11)
        await fixture.host.runDueWork()
        #expect(await fixture.host.parkedRunCount == 0)
        fixture.clock.advance(by: 60)
        await fixture.host.runDueWork()
        #expect(try fixture.store.value(for: "old_finished", now: fixture.clock.now) == nil)
        #expect(fixture.log.lines.contains { $0.contains("the drain deadline after a reload passed") })
    }

    @Test("no event is lost or handled twice while reloading under a stream of events")
    func eventsAcrossReloads() async throws {
        let fixture = try HostFixture(["main.lua": "on('input', function(ev) kv.incr('seen') kv.incr('seen:' .. ev.n) end) -- 0\n"])
        defer { fixture.site.remove() }
        await fixture.host.load()
        let host = fixture.host
        let site = fixture.site
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<1000 { await host.dispatch(.input, ["n": .integer(Int64(n))]) }
            }
            group.addTask {
                for version in 1...10 {
                    try? site.write("main.lua", "on('input', function(ev) kv.incr('seen') kv.incr('seen:' .. ev.n) end) -- \(version)\n")
                    await host.load()
                }
            }
        }
        #expect(try fixture.store.value(for: "seen", now: fixture.clock.now) == .integer(1000))
        for n in [0, 1, 499, 999] {
            #expect(try fixture.store.value(for: "seen:\(n)", now: fixture.clock.now) == .integer(1))
        }
        #expect(await host.status.ok)
    }

    @Test("the last good bundle is kept and used at boot when the site is broken")
    func lastGoodAtBoot() async throws {
        let site = try TemporarySite(["main.lua": "on('button', function() kv.set('served', 'good') end)\n"])
        let keep = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-last-good-\(UUID().uuidString)")
        defer {
            site.remove()
            try? FileManager.default.removeItem(at: keep)
        }
        let log = CapturedLog()
        let store = InMemoryKeyValueStore()
        let services = ScriptServices(logger: log.logger, clock: ManualScriptClock(), keyValueStore: store)
        let first = ScriptHost(siteDirectory: site.url, limits: .testing, services: services, lastGoodDirectory: keep)
        await first.load()
        try site.write("main.lua", "on('button', function() kv.set('served', 'good') end) -- v2\n")
        let good = await first.load()
        await first.shutdown()
        try site.write("main.lua", "this is not lua\n")
        let booted = ScriptHost(siteDirectory: site.url, limits: .testing, services: services, lastGoodDirectory: keep)
        let status = await booted.load()
        #expect(status == ScriptStatus(version: good.version, ok: false, error: "main.lua:1: syntax error near 'is'"))
        await booted.dispatch(.button, [:])
        #expect(try store.value(for: "served", now: Date()) == .string("good"))
        #expect(log.lines.contains { $0.hasPrefix("warning serving the last good site scripts") })
    }

    @Test("the watcher reloads after an edit", arguments: [false, true])
    func watcher(forcePolling: Bool) async throws {
        let fixture = try HostFixture(["main.lua": "on('button', function() kv.set('v', 1) end)\n"])
        defer { fixture.site.remove() }
        let host = fixture.host
        let v1 = await host.load()
        let mode = await host.startWatching(debounce: .milliseconds(20), pollInterval: .milliseconds(20), forcePolling: forcePolling)
        #expect(mode == (forcePolling ? .polling : .inotify))
        // Editors save by writing a temporary file and renaming it over the original.
        let temporary = fixture.site.url.appendingPathComponent(".main.lua.swp")
        try Data("on('button', function() kv.set('v', 2) end)\n".utf8).write(to: temporary)
        #expect(rename(temporary.path, fixture.site.url.appendingPathComponent("main.lua").path) == 0)
        await host.waitForWatcherReloads(1)
        let status = await host.status
        #expect(status.ok && status.version != v1.version)
        await host.dispatch(.button, [:])
        #expect(try fixture.store.value(for: "v", now: fixture.clock.now) == .integer(2))
        await host.shutdown()
    }
}
