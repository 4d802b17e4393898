import AccessControl
import Foundation
import HTTPAPI
import Logging
import MQTT
import Scripting

/// The world of `gatehouse test` and `gatehouse replay`: the site's real door engine and its scripts, wired as the
/// live host wires them (the scripts' `credential` hook advises the engine, the engine's typed events feed the
/// observer handlers, script actions are performed by the engine), on one fake clock, with canned outbound
/// replies. `sim.*` calls enter the engine through ``SiteEntryPoints``, the REST API's own entry points, so a test
/// that passes here exercises the path a live request takes.
///
/// The site starts as a new host's: the four-door panel in UTC, no users (`sim.users`), configured further with
/// `sim.configure` (the REST API's `PUT`), with the site's `actions.toml` followed by the host's real actions layer
/// (input actions, action URLs, the reception tab, web relays on grants) over an in-memory outbox whose deliveries
/// `sim.actions()` lists with `via = "outbox"`. A `[third_party]` server is not asked offline.
actor SiteSimulation: ScriptSimulator {
    let site: Site
    let clock: ManualScriptClock
    private let outbound: SimulatedOutbound
    private let actions: SiteActions
    private var scripts: ScriptHost?
    private var feed: Task<Void, Never>?
    /// Script failures the engine journalled since the last `sim.*` call: a test must not pass over them.
    private var failures: [String] = []
    /// The topic prefix `sim.mqtt` commands are addressed under, as `[mqtt]`'s default for the site names it.
    let mqttPrefix: String

    private init(site: Site, clock: ManualScriptClock, outbound: SimulatedOutbound, actions: SiteActions, mqttPrefix: String) {
        self.site = site
        self.clock = clock
        self.outbound = outbound
        self.actions = actions
        self.mqttPrefix = mqttPrefix
    }

    /// `gatehouse/<site directory name>`, the live default.
    static func mqttPrefix(siteDirectory: URL?) -> String {
        MQTTSettings().prefix(site: MQTTSettings.siteName(siteDirectory: siteDirectory))
    }

    /// Builds the world with the site's outbound actions (its `actions.toml`, already parsed) and loads `files`
    /// (main.lua first). Returns the load failure, if the files do not load or the actions do not fit the site.
    static func make(
        bundle: SiteBundle, actions settings: SiteActionSettings = SiteActionSettings(), files: [String],
        limits: ScriptLimits, start: Date, mqttPrefix: String = SiteSimulation.mqttPrefix(siteDirectory: nil)
    ) async -> (SiteSimulation, ScriptHost, ScriptDiagnostic?) {
        let clock = ManualScriptClock(now: start)
        let relayDriver = VirtualRelayDriver()
        let site = Site.defaultSite(clock: SharedClock(clock: clock), relayDriver: relayDriver)
        var logger = Logger(label: "gatehouse.test")
        logger.logLevel = .critical
        // An in-memory SQLite database cannot fail to open short of running out of memory.
        let outbound = try! SimulatedOutbound.make(clock: clock, inputs: SiteInputStates(site: site))
        let actions = SiteActions(
            site: site, outbox: outbound.outbox, settings: ActionSettingsBox(settings), relayDriver: relayDriver,
            siteDirectory: nil, logger: logger)
        await site.setActionHook(actions)
        let simulation = SiteSimulation(site: site, clock: clock, outbound: outbound, actions: actions, mqttPrefix: mqttPrefix)
        let services = ScriptServices(
            logger: logger, clock: clock, keyValueStore: InMemoryKeyValueStore(), actions: SiteScriptActions(site: site),
            timeZone: TimeZone(identifier: "UTC")!, userDirectory: SiteScriptUsers(site: site), simulator: simulation)
        let scripts = ScriptHost(siteDirectory: nil, limits: limits, services: services)
        outbound.recorder.bind(scripts)
        // As live: the actions file's third-party server first (not asked offline), then the scripts.
        await site.setAdvisor(actions.advisor(next: ScriptDecisionAdvisor(host: scripts), transport: nil))
        await simulation.attach(scripts)
        do {
            try await SiteActions.check(settings, against: site)
        } catch {
            return (simulation, scripts, error.diagnostic)
        }
        let failure = await scripts.loadForTesting(bundle: bundle, files: files)
        await simulation.settle()
        return (simulation, scripts, failure)
    }

    /// Follows the engine's events for the actions layer and the scripts, as the live host does (subscribed before
    /// anything happens, so nothing is missed; the actions layer sees each batch before the scripts are told it was
    /// delivered, so `settle` covers both).
    private func attach(_ scripts: ScriptHost) async {
        self.scripts = scripts
        let events = await site.events()
        let actions = self.actions
        feed = Task { [weak self] in
            for await batch in events {
                await self?.note(batch)
                for event in batch { await actions.handle(event) }
                await ScriptEventFeed.deliver(batch, to: scripts)
            }
        }
    }

    private func note(_ batch: [SiteEvent]) {
        for event in batch {
            if case .note(let note) = event.kind, note.name == "script.error" { failures.append(note.detail ?? "") }
        }
    }

    func stop() async {
        feed?.cancel()
        await scripts?.shutdown()
    }

    // MARK: - sim.*

    nonisolated func perform(_ call: String, _ arguments: [LuaValue]) async -> [LuaValue] {
        await answer(call, arguments)
    }

    private func answer(_ call: String, _ arguments: [LuaValue]) async -> [LuaValue] {
        failures.removeAll()
        let result: [LuaValue]
        do {
            switch call {
            case "event":
                result = [try await event(arguments.first?.stringValue ?? "", arguments.dropFirst().first ?? .nil)]
            case "advance":
                await advance(by: arguments.first?.doubleValue ?? 0)
                result = [.boolean(true)]
            case "users":
                try await users(arguments.first ?? .nil)
                result = [.boolean(true)]
            case "configure":
                let collection = arguments.first?.stringValue ?? ""
                let id = arguments.dropFirst().first?.stringValue ?? ""
                try await SiteEntryPoints.put(collection, id: id, try Self.json(arguments.dropFirst(2).first ?? .nil), site: site)
                result = [.boolean(true)]
            case "state":
                let collection = arguments.first?.stringValue ?? ""
                let id = arguments.dropFirst().first?.integerValue.map(String.init) ?? ""
                result = [try Self.lua(try await SiteEntryPoints.resource(collection, id: id, site: site))]
            case "mqtt":
                result = [
                    try await mqtt(
                        topic: arguments.first?.stringValue ?? "", payload: arguments.dropFirst().first?.stringValue ?? "",
                        retain: arguments.dropFirst(2).first == .boolean(true))
                ]
            default:
                return [.nil, .string("sim.\(call) is not known")]
            }
        } catch let error as SimulationError {
            return [.nil, .string("sim.\(call): \(error.message)")]
        } catch let error as APIError {
            let field = error.field.map { "field '\($0)': " } ?? ""
            return [.nil, .string("sim.\(call): \(field)\(error.message) (the REST API answers \(error.status.code))")]
        } catch {
            return [.nil, .string("sim.\(call): \(error)")]
        }
        await settle()
        if let failure = failures.first {
            return [.nil, .string("sim.\(call): a handler failed: \(failure)")]
        }
        return result
    }

    /// A message as if it arrived from the broker: a command topic goes to the live bridge's command path (parsed,
    /// refused or carried out through the door engine, journalled as `mqtt`); a topic the scripts subscribed to
    /// reaches their `on("mqtt")` handlers. Answers `{command = "OPEN"}`, `{refused = reason}` and
    /// `{handlers = true}` as they apply.
    private func mqtt(topic: String, payload: String, retain: Bool) async throws -> LuaValue {
        guard MQTTTopicSyntax.isValidTopic(topic) else { throw SimulationError("'\(topic)' is not a topic to publish to") }
        var answer: [String: LuaValue] = [:]
        if MQTTCommand.isCommandTopic(topic, prefix: mqttPrefix) {
            if retain {
                answer["refused"] = "retained command ignored"
            } else {
                do {
                    let command = try MQTTCommand.parse(topic: topic, payload: Data(payload.utf8), prefix: mqttPrefix)
                    try await command.execute(on: site)
                    answer["command"] = .string(command.verb.rawValue)
                } catch let refusal as MQTTCommand.Refusal {
                    answer["refused"] = .string(refusal.reason)
                } catch {
                    answer["refused"] = .string("\(error)")
                }
            }
        }
        if let scripts, await scripts.mqttSubscriptions.contains(where: { MQTTTopicSyntax.topic(topic, matches: $0) }) {
            await scripts.dispatch(
                .mqtt, ScriptMQTTSubscribers.fields(topic: topic, payload: Data(payload.utf8), retain: retain, qos: 1))
            answer["handlers"] = true
        }
        return .table(LuaTable(answer))
    }

    /// The events a test may feed, with the fields each live form takes.
    static let liveForms: [String: Set<String>] = [
        "credential": ["door", "reader", "card", "pin", "apartment", "plate", "qr", "identity", "identity_kind"],
        "dtmf": ["caller", "digits", "call"],
        "button": ["button"],
        "input": ["input", "active"],
    ]

    private func event(_ name: String, _ fields: LuaValue) async throws -> LuaValue {
        guard let form = Self.liveForms[name] else {
            if ScriptEvent(rawValue: name) != nil {
                throw SimulationError(
                    "'\(name)' events come from the door engine; cause them with sim.event('credential' | 'dtmf' | 'button' | 'input', …) and sim.advance"
                )
            }
            throw SimulationError("unknown event '\(name)' (known: \(Self.liveForms.keys.sorted().joined(separator: ", ")))")
        }
        guard case .table(let table) = fields else { throw SimulationError("the fields must be a table") }
        for entry in table.entries {
            guard case .string(let key) = entry.key, form.contains(key) else {
                throw SimulationError(
                    "field '\(entry.key.stringValue ?? "\(entry.key)")' is not part of a live \(name) event (it takes \(form.sorted().joined(separator: ", ")))"
                )
            }
        }
        switch name {
        case "credential":
            return try Self.lua(SiteEntryPoints.json(try await SiteEntryPoints.access(try Self.json(fields), site: site)))
        case "dtmf":
            return try Self.lua(SiteEntryPoints.json(try await SiteEntryPoints.dtmf(try Self.json(fields), site: site)))
        case "button":
            let button: String
            switch table["button"] {
            case .integer(let door): button = String(door)
            case .string(let text): button = text
            default: throw SimulationError("field 'button' must be a door number or \"reception\"")
            }
            return try Self.lua(SiteEntryPoints.json(try await SiteEntryPoints.press(button: button, site: site)))
        default:
            guard let input = table["input"].integerValue else { throw SimulationError("field 'input' must be an input id") }
            let active = try await SiteEntryPoints.input(
                Int(input), try Self.json(.table(LuaTable(["active": table["active"]]))), site: site)
            return .table(LuaTable(["input": .integer(input), "active": .boolean(active)]))
        }
    }

    private func users(_ list: LuaValue) async throws {
        guard case .table(let table) = list, table.array.count == table.entries.count else {
            throw SimulationError("a list of user bodies expected")
        }
        for (index, user) in table.array.enumerated() {
            do {
                try await SiteEntryPoints.putUser(try Self.json(user), site: site)
            } catch let error as APIError {
                throw SimulationError("user \(index + 1): \(error.field.map { "field '\($0)': " } ?? "")\(error.message)")
            }
        }
    }

    /// Moves the clock to `seconds` from now in steps: to each relay, door or script deadline on the way, and at
    /// least once a minute (schedules change on minute boundaries), running the engine's and the scripts' due work
    /// at each and letting the handlers settle.
    func advance(by seconds: Double) async {
        let target = clock.now.addingTimeInterval(max(0, seconds))
        while true {
            let now = clock.now
            var next = min(target, now.addingTimeInterval(60))
            if let due = await site.nextDeadline(), due > now { next = min(next, due) }
            if let due = await scripts?.nextDueDate, due > now { next = min(next, due) }
            if let due = try? await outbound.outbox.nextDueDate(), due > now { next = min(next, due) }
            clock.set(next)
            await site.tick()
            await scripts?.runDueWork()
            await settle()
            if next >= target { break }
        }
    }

    /// Returns once every event the engine emitted has reached the handlers, their I/O has been answered and their
    /// actions performed by the engine, and nothing new followed.
    func settle() async {
        guard let scripts else { return }
        for _ in 0..<1000 {
            let sequence = await site.lastEventSequence
            await scripts.waitUntilDelivered(through: sequence)
            await scripts.waitUntilIdle()
            // What the actions layer queued is delivered (recorded) now, as the live outbox's loop would.
            _ = try? await outbound.outbox.runDue()
            await scripts.waitUntilIdle()
            if await site.lastEventSequence == sequence { return }
        }
    }

    // MARK: - Lua ⇄ JSON

    static func json(_ value: LuaValue) throws -> Data {
        guard let object = value.jsonObject else { throw SimulationError("a table expected") }
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func lua(_ data: Data) throws -> LuaValue {
        LuaValue(json: try JSONDecoder().decode(JSONValue.self, from: data))
    }
}

extension ConfigurationError {
    /// The error as `gatehouse test` reports a load failure: file:line: key: reason.
    var diagnostic: ScriptDiagnostic {
        ScriptDiagnostic(file: source, line: line ?? 0, message: key.isEmpty ? reason : "\(key): \(reason)")
    }
}

struct SimulationError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The engine and the scripts read one fake clock.
struct SharedClock: SiteClock {
    let clock: ManualScriptClock
    var now: Date { clock.now }
    func sleep(until deadline: Date) async throws { try await clock.sleep(until: deadline) }
}
