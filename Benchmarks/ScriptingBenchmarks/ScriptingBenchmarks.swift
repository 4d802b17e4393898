// Benchmarks for site scripts (package-benchmark). Targets from issue 5:
// a Lua `credential` hook adds ≤ 20 µs median to a decision (compare
// "Lua hook" with the "no handler" baseline: both include the round trip
// into the script actor's thread); reloading a 2,000-line site takes ≤ 100 ms.
//
//   cd Benchmarks && swift package benchmark --target ScriptingBenchmarks
import Benchmark
import Foundation
import Logging
import Scripting

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput], timeUnits: .microseconds, warmupIterations: 100, maxDuration: .seconds(5),
        maxIterations: 50_000)

    // Baseline: the same round trip into the script actor with no credential handler registered.
    Benchmark("credential advice, no handler (baseline)") { benchmark in
        let host = await HostCache.shared.host(main: "on('button', function() end)\n")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(await host.adviseCredential(ScriptBenchmarkSite.credential)) }
        benchmark.stopMeasurement()
    }

    // A typical policy: a lookup, a kv read and a rate check, then no verdict or a deny.
    Benchmark("credential advice, Lua hook") { benchmark in
        let host = await HostCache.shared.host(main: """
            local blocked = { ['99999'] = true }
            on('credential', function(ev)
              if blocked[ev.card] then return {deny = 'blocked'} end
              if (kv.get('lockout:' .. ev.reader) or 0) >= 5 then return {deny = 'locked out'} end
              if not rate.allow('reader:' .. ev.reader, 1000000, 1) then return {deny = 'too fast'} end
            end)
            """)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(await host.adviseCredential(ScriptBenchmarkSite.credential)) }
        benchmark.stopMeasurement()
    }

    Benchmark(
        "reload a 2,000-line site",
        configuration: .init(metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 200)
    ) { benchmark in
        let fixture = ScriptBenchmarkSite(main: ScriptBenchmarkSite.largeSite(lines: 2000, variant: 0))
        let host = await fixture.start()
        // Alternate two versions so every load builds, validates and swaps a new VM.
        let bundles = (0..<2).map { SiteBundle(files: ["main.lua": Array(ScriptBenchmarkSite.largeSite(lines: 2000, variant: $0 + 1).utf8)]) }
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            let status = await host.load(bundle: bundles[iteration % 2])
            precondition(status.ok, "benchmark site failed to load: \(status.error ?? "")")
        }
        benchmark.stopMeasurement()
        await host.shutdown()
        fixture.remove()
    }
}

/// One warm host per site source, shared by all samples of a benchmark (a
/// fresh host per sample would measure thread start-up and cold caches).
actor HostCache {
    static let shared = HostCache()
    private var hosts: [String: ScriptHost] = [:]

    func host(main: String) async -> ScriptHost {
        if let host = hosts[main] { return host }
        let site = ScriptBenchmarkSite(main: main)
        let host = await site.start()
        site.remove()  // the host keeps its bundle in memory
        hosts[main] = host
        return host
    }
}

/// A throwaway site directory for one benchmark.
struct ScriptBenchmarkSite {
    let directory: URL

    static let credential: [String: LuaValue] = ["card": "12345", "reader": 1, "door": 1, "local_time": "2026-01-01 08:00:00"]

    init(main: String) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("main.lua").path, contents: Data(main.utf8))
    }

    func start() async -> ScriptHost {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let host = ScriptHost(siteDirectory: directory, logger: logger)
        let status = await host.load()
        precondition(status.ok, "benchmark site failed to load: \(status.error ?? "")")
        return host
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// A site of `lines` lines: helper functions, a data table, handlers and timers.
    static func largeSite(lines: Int, variant: Int) -> String {
        var out = ["-- generated benchmark site, variant \(variant)", "local M = {}", "local codes = {"]
        var index = 0
        while out.count < lines / 4 {
            out.append("  ['\(10_000 + index)'] = { name = 'resident \(index)', door = \(index % 8 + 1), pin = '\(1000 + index)' },")
            index += 1
        }
        out.append("}")
        var function = 0
        while out.count < lines - 12 {
            out += [
                "function M.rule\(function)(ev)",
                "  local total = 0",
                "  for i = 1, 3 do total = total + i * \(function % 7 + 1) end",
                "  local entry = codes[ev.card or '']",
                "  if entry and entry.door == \(function % 8 + 1) then",
                "    return { grant = true, door = entry.door, seconds = total }",
                "  end",
                "  return nil",
                "end",
            ]
            function += 1
        }
        out += [
            "on('credential', function(ev)",
            "  local entry = codes[ev.card or '']",
            "  if entry == nil then return nil end",
            "  return M['rule' .. (entry.door - 1)](ev)",
            "end)",
            "on('dtmf', function(ev) log.info('dtmf ' .. ev.digits) end)",
            "on('door', function(ev) if ev.state == 'held_open' then alarm.raise('held') end end)",
            "every('5m', function() kv.incr('ticks') end)",
            "cron('0 7 * * 1-5', function() log.info('morning') end)",
            "return M",
        ]
        return out.joined(separator: "\n") + "\n"
    }
}
