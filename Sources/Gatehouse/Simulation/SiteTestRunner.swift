import Foundation
import Scripting

/// `gatehouse test <site>`: runs the `test(name, fn)` blocks of every `*_test.lua` file, each in a fresh world: the
/// site's real door engine and scripts (``SiteSimulation``), a fake clock starting Thursday 2026-01-01 00:00 UTC,
/// canned outbound replies (`sim.reply`) and an empty kv store.
public enum SiteTestRunner {
    public static func run(siteDirectory: URL, limits: ScriptLimits = .init()) async -> ScriptTestRunner.Report {
        let bundle: SiteBundle
        do {
            bundle = try SiteBundle.snapshot(of: siteDirectory)
        } catch {
            return ScriptTestRunner.Report(
                loadFailures: [ScriptDiagnostic(file: siteDirectory.path, line: 0, message: error.description)])
        }
        do {
            return await run(
                bundle: bundle, actions: try SiteActionSettings.load(siteDirectory: siteDirectory), limits: limits,
                mqttPrefix: SiteSimulation.mqttPrefix(siteDirectory: siteDirectory))
        } catch {
            return ScriptTestRunner.Report(loadFailures: [error.diagnostic])
        }
    }

    /// `actions`: the site's `actions.toml`, followed by the host's actions layer in each test's world.
    static func run(
        bundle: SiteBundle, actions: SiteActionSettings = SiteActionSettings(), limits: ScriptLimits = .init(),
        mqttPrefix: String = SiteSimulation.mqttPrefix(siteDirectory: nil)
    ) async -> ScriptTestRunner.Report {
        var report = ScriptTestRunner.Report()
        for file in bundle.files.keys.filter({ $0.hasSuffix("_test.lua") }).sorted() {
            let (discovery, scripts, failure) = await SiteSimulation.make(
                bundle: bundle, actions: actions, files: ["main.lua", file], limits: limits, start: ScriptTestRunner.start,
                mqttPrefix: mqttPrefix)
            let names = await scripts.testNames(in: file)
            await discovery.stop()
            if var failure {
                if failure.line == 0 && failure.file == "main.lua" && bundle.files["main.lua"] != nil
                    && failure.message.hasPrefix("cannot open \(file)")
                {
                    failure.file = file
                }
                report.loadFailures.append(failure)
                continue
            }
            for (index, name) in names.enumerated() {
                let (world, scripts, failure) = await SiteSimulation.make(
                    bundle: bundle, actions: actions, files: ["main.lua", file], limits: limits,
                    start: ScriptTestRunner.start, mqttPrefix: mqttPrefix)
                let outcome: ScriptDiagnostic?
                if let failure {
                    outcome = failure
                } else {
                    outcome = await scripts.runTest(file: file, index: index)
                }
                await world.stop()
                report.results.append(.init(file: file, name: name, failure: outcome))
            }
        }
        return report
    }
}

/// `gatehouse replay <site> <events.jsonl>`: feeds recorded events into the site's real door engine, as
/// `sim.event` does, and prints what happened, one JSON object per line with sorted keys: each action and outbound
/// request the scripts made, the engine's answer (`"kind": "decision"`, the REST API's), and errors.
public enum SiteReplay {
    public static func run(siteDirectory: URL, events: String, limits: ScriptLimits = .init()) async throws(ScriptReplay.Failure)
        -> [String]
    {
        let bundle: SiteBundle
        do {
            bundle = try SiteBundle.snapshot(of: siteDirectory)
        } catch {
            throw .site(ScriptDiagnostic(file: siteDirectory.path, line: 0, message: error.description))
        }
        let actions: SiteActionSettings
        do {
            actions = try SiteActionSettings.load(siteDirectory: siteDirectory)
        } catch {
            throw .site(error.diagnostic)
        }
        return try await run(
            bundle: bundle, actions: actions, events: events, limits: limits,
            mqttPrefix: SiteSimulation.mqttPrefix(siteDirectory: siteDirectory))
    }

    static func run(
        bundle: SiteBundle, actions: SiteActionSettings = SiteActionSettings(), events: String,
        limits: ScriptLimits = .init(), mqttPrefix: String = SiteSimulation.mqttPrefix(siteDirectory: nil)
    ) async throws(ScriptReplay.Failure) -> [String] {
        let lines = try ScriptReplay.parse(events)
        let (world, scripts, failure) = await SiteSimulation.make(
            bundle: bundle, actions: actions, files: ["main.lua"], limits: limits, start: ScriptTestRunner.start,
            mqttPrefix: mqttPrefix)
        if let failure {
            await world.stop()
            throw .site(failure)
        }
        var output: [String] = []
        _ = await scripts.takeRecordedActions()
        for line in lines {
            let number: LuaValue = .integer(Int64(line.number))
            if let at = line.at {
                _ = await world.perform("advance", [.number(max(0, at.timeIntervalSince(world.clock.now)))])
            }
            for (pattern, reply) in line.replies { await scripts.addCannedReply(pattern: pattern, reply: reply) }
            var errors: [String] = []
            if let users = line.users {
                let answer = await world.perform("users", [users])
                if answer.first?.isNil ?? true, let message = answer.dropFirst().first?.stringValue { errors.append(message) }
            }
            let answer = await world.perform("event", [.string(line.event), .table(line.fields)])
            for record in await scripts.takeRecordedActions() {
                output.append(ScriptReplay.jsonLine(record.merging(["line": number]) { given, _ in given }))
            }
            if case .table(let table)? = answer.first {
                var fields: [String: LuaValue] = ["line": number, "kind": "decision"]
                for entry in table.entries {
                    if case .string(let key) = entry.key, fields[key] == nil { fields[key] = entry.value }
                }
                output.append(ScriptReplay.jsonLine(fields))
            } else if let message = answer.dropFirst().first?.stringValue {
                errors.append(message)
            }
            for error in errors {
                output.append(ScriptReplay.jsonLine(["line": number, "kind": "error", "error": .string(error)]))
            }
        }
        await world.stop()
        return output
    }
}
