import AccessControl
import Foundation
import Logging
import Outbound
import PushProtocol
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The site's action settings in force, read by the journal follower, the outbox's snapshot source, the scripts'
/// web relays and the third-party advisor; replaced as a whole on a successful reload.
final class ActionSettingsBox: Sendable {
    private let state: Mutex<SiteActionSettings>

    init(_ settings: SiteActionSettings) { state = Mutex(settings) }

    var current: SiteActionSettings { state.withLock { $0 } }

    func replace(_ settings: SiteActionSettings) { state.withLock { $0 = settings } }
}

/// Snapshots from the cameras of the actions file in force (the outbox takes input actions' pictures here, and
/// Lua's `snapshot{camera=}`).
struct ConfiguredCameras: SnapshotSource {
    let settings: ActionSettingsBox
    let transport: Transport

    func snapshot(camera: String) async throws(TransportError) -> Data {
        try await CameraSnapshots(cameras: settings.current.cameras, transport: transport).snapshot(camera: camera)
    }

    func defaultCameraName() async -> String? { settings.current.cameras.first?.name }
}

/// Lua's `webrelay.fire(id)` against the web relays of the actions file in force.
struct ConfiguredWebRelays: WebRelayFiring {
    let settings: ActionSettingsBox
    let outbox: Outbox

    func fire(id: Int, source: String) async throws -> OutboxAttempt {
        try await WebRelays(settings: settings.current.webRelay, outbox: outbox).fire(id: id, source: source)
    }
}

/// Typed codes (PINs) seen by the advisor, so a `$code` action URL can carry one when the site opts in. Keyed by
/// reader and decision time, which the journal entry of the same decision repeats. Bounded: a few recent ones.
final class RecentCodes: Sendable {
    private let codes = Mutex<[(key: String, code: String)]>([])

    static func key(reader: ReaderID, time: Date) -> String { "\(reader.rawValue)@\(time.timeIntervalSince1970)" }

    func remember(_ code: String, reader: ReaderID, time: Date) {
        codes.withLock { list in
            list.append((Self.key(reader: reader, time: time), code))
            if list.count > 32 { list.removeFirst(list.count - 32) }
        }
    }

    /// The code without forgetting it (the Akuvox URLs read it before the actions file's URLs take it).
    func peek(reader: ReaderID, time: Date) -> String? {
        let key = Self.key(reader: reader, time: time)
        return codes.withLock { list in list.last(where: { $0.key == key })?.code }
    }

    func take(reader: ReaderID, time: Date) -> String? {
        let key = Self.key(reader: reader, time: time)
        return codes.withLock { list in
            guard let index = list.lastIndex(where: { $0.key == key }) else { return nil }
            return list.remove(at: index).code
        }
    }
}

/// Fires a local relay for input actions and the reception button, through the door engine: a door's relay opens
/// that door (a remote open, journalled); any other relay is switched on as an auxiliary output.
struct SiteRelayFirer: RelayFirer {
    let site: Site

    func fire(relay: String) async {
        guard let number = Int(relay) else { return }
        let id = RelayID(number)
        let source = SiteActions.source
        if let door = await site.currentConfiguration.doors.first(where: { $0.relay == id }) {
            _ = try? await site.open(door: door.id, by: source)
        } else {
            _ = try? await site.setAuxiliaryOutput(id, on: true, by: source)
        }
    }
}

/// The composition root's actions service (issue 8): follows the site journal and the relay outputs and turns them
/// into outbox entries — input actions, action URLs, web relays on grants, the reception button — and lends the
/// door engine the third-party verification client as a decision advisor. Everything goes through the durable
/// outbox, so actions survive a restart; nothing here waits on the network, the outbox's loop does.
struct SiteActions: Sendable {
    static let source = JournalSource(.local, name: "actions")

    let site: Site
    let outbox: Outbox
    let settings: ActionSettingsBox
    let relayDriver: VirtualRelayDriver
    let siteDirectory: URL?
    let logger: Logger
    let codes = RecentCodes()
    /// Action URLs set through the Akuvox API's `config/set`.
    var akuvoxURLs = AkuvoxActionURLs()

    var webRelays: ConfiguredWebRelays { ConfiguredWebRelays(settings: settings, outbox: outbox) }

    /// The advisor to install on the site: third-party verification for the credentials it covers, then `next`
    /// (the scripts) for the rest.
    func advisor(next: (any DecisionAdvisor)?, transport: Transport?) -> ThirdPartyAdvisor {
        ThirdPartyAdvisor(site: site, settings: settings, transport: transport, codes: codes, next: next, logger: logger)
    }

    // MARK: - Reload

    /// Re-reads the actions file. A bad file keeps the previous settings; both outcomes are journalled.
    @discardableResult
    func reload() async -> Bool {
        do {
            let fresh = try SiteActionSettings.load(siteDirectory: siteDirectory)
            try await Self.check(fresh, against: site)
            try await Self.fitAdvisorDeadline(fresh, site: site)
            settings.replace(fresh)
            logger.notice(
                "actions reloaded",
                metadata: ["inputs": "\(fresh.inputs.count)", "webrelay_actions": "\(fresh.webRelay.actions.count)"])
            await site.recordSiteEvent("actions.reload", detail: "ok=true", source: Self.source)
            return true
        } catch {
            logger.error("actions reload failed; previous actions stay", metadata: ["error": "\(error)"])
            await site.recordSiteEvent("actions.reload", detail: "ok=false \(error)", source: Self.source)
            return false
        }
    }

    /// Rules that need the site: inputs and relays named in the file must exist.
    static func check(_ settings: SiteActionSettings, against site: Site) async throws(ConfigurationError) {
        let configuration = await site.currentConfiguration
        let source = settings.source
        for input in settings.inputs {
            guard let number = Int(input.input), configuration.inputs.contains(where: { $0.id == InputID(number) }) else {
                throw ConfigurationError(
                    source: source, line: settings.lines["input \(input.input)"], key: "input",
                    reason:
                        "input \(input.input) is not an input of the site (inputs: \(configuration.inputs.map(\.id.description).joined(separator: ", ")))"
                )
            }
            if let relay = input.executeRelay, let number = Int(relay),
                !configuration.relays.contains(where: { $0.id == RelayID(number) })
            {
                throw ConfigurationError(
                    source: source, line: settings.lines["input \(input.input) relay"], key: "input.relay",
                    reason: "relay \(relay) is not a relay of the site")
            }
        }
        for relay in settings.reception.relays {
            guard let number = Int(relay), configuration.relays.contains(where: { $0.id == RelayID(number) }) else {
                throw ConfigurationError(
                    source: source, line: settings.lines["reception.relays"], key: "reception.relays",
                    reason: "relay \(relay) is not a relay of the site")
            }
        }
    }

    /// Reloads when the actions file changes (checked every second) and on SIGHUP, until shutdown.
    func watch() async {
        let file = siteDirectory?.appendingPathComponent(SiteActionSettings.fileName)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                let signals = await UnixSignalsSequence(trapping: .sighup)
                for await _ in signals { await reload() }
            }
            group.addTask {
                var last = Self.stamp(file)
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let now = Self.stamp(file)
                    if now != last {
                        last = now
                        await reload()
                    }
                }
            }
        }
    }

    /// The file's modification time and size ("none" when absent): a change means "reload".
    static func stamp(_ file: URL?) -> String {
        guard let file, let attributes = try? FileManager.default.attributesOfItem(atPath: file.path) else { return "none" }
        return
            "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)/\((attributes[.size] as? NSNumber)?.intValue ?? 0)"
    }

    // MARK: - Following the site

    /// Follows the door engine's typed events: inputs, decisions, doors, buttons and relay levels.
    func followEvents() async {
        for await batch in await site.events() {
            for event in batch { await handle(event) }
        }
    }

    func handle(_ event: SiteEvent) async {
        let current = settings.current
        if !akuvoxURLs.isEmpty { await akuvoxActionURLs(event, settings: current) }
        switch event.kind {
        case .input(let change):
            let input = String(change.input.rawValue)
            var context = await self.context(current, time: event.time)
            if let door = change.door { context.door = String(door.rawValue) }
            await actionURL(change.isActive ? .inputTriggered : .inputClosed, context: context, settings: current)
            if change.isActive { await fireInput(input, at: event.time, settings: current) }
        case .decision(let decision):
            guard let entry = event.journalEntry else { return }
            await self.decision(entry, settings: current)
            if decision.event.eventClass == .alarm { await actionURL(.alarm, entry: entry, settings: current) }
        case .door(let change):
            guard let entry = event.journalEntry else { return }
            switch change.change {
            case .heldOpen: await actionURL(.doorHeldOpen, entry: entry, settings: current)
            case .forced: await actionURL(.breakIn, entry: entry, settings: current)
            default: break
            }
        case .button(let press) where press.button == .reception:
            guard let entry = event.journalEntry else { return }
            await reception(entry, settings: current)
        case .relay(let change):
            let urlEvent: ActionURLEvent = change.isActive ? .relayTriggered : .relayClosed
            guard current.wants(urlEvent) else { return }
            var context = await self.context(current, time: event.time)
            context.relayStatus[change.relay.rawValue] = change.isActive ? 1 : 0
            await actionURL(urlEvent, context: context, settings: current)
        case .device(let report):
            guard let entry = event.journalEntry else { return }
            switch PushEventCode(rawValue: report.event) {
            case .tamperAlarm?: await actionURL(.tamper, entry: entry, settings: current)
            case .deviceCall?: await actionURL(.callStarted, entry: entry, settings: current)
            case .callEnded?: await actionURL(.callEnded, entry: entry, settings: current)
            default: if report.isAlarm { await actionURL(.alarm, entry: entry, settings: current) }
            }
        case .reader(let report):
            guard let entry = event.journalEntry else { return }
            switch report.change {
            case .tamper: await actionURL(.tamper, entry: entry, settings: current)
            case .offline: await actionURL(.alarm, entry: entry, settings: current)
            default: break
            }
        case .call(let report):
            guard let entry = event.journalEntry else { return }
            switch report.phase {
            case .answered, .dialing: await actionURL(.callStarted, entry: entry, settings: current)
            case .ended: await actionURL(.callEnded, entry: entry, settings: current)
            default: break
            }
        case .dtmf, .button, .output, .note, .configured:
            // No action of their own. Site notes include this service's own records: never act on them.
            break
        }
    }

    /// The Akuvox API's action URLs for the event, through the outbox like every action URL.
    func akuvoxActionURLs(_ event: SiteEvent, settings current: SiteActionSettings) async {
        let wanted = AkuvoxActionURLs.events(for: event).compactMap { name in akuvoxURLs.template(name).map { (name, $0) } }
        guard !wanted.isEmpty else { return }
        var context = await self.context(current, time: event.time, entry: event.journalEntry)
        if case .relay(let change) = event.kind { context.relayStatus[change.relay.rawValue] = change.isActive ? 1 : 0 }
        if let entry = event.journalEntry, let reader = entry.reader {
            context.code = codes.peek(reader: reader, time: entry.time) ?? ""
        }
        for (name, configured) in wanted {
            var url = current.actionURLs
            url.method = configured.method
            guard let request = url.request(template: configured.template, event: name, context: context) else { continue }
            do {
                try await outbox.enqueue(.http(request), source: "akuvox-action-url \(name)")
            } catch {
                logger.error("action URL not queued", metadata: ["event": "\(name)", "error": "\(error)"])
            }
        }
    }

    /// Runs an input's actions and journals the firing with the outbox ids it produced.
    func fireInput(_ input: String, at time: Date, settings current: SiteActionSettings) async {
        guard current.inputs.contains(where: { $0.input == input }) else { return }
        var targets = current.targets
        targets.camera = current.inputCameras[input] ?? targets.camera
        var device = current.device
        device.time = time
        let actions = InputActions(
            settings: current.inputs, targets: targets, device: device, outbox: outbox, relays: SiteRelayFirer(site: site))
        guard let firing = await actions.triggered(input: input, at: time) else { return }
        var detail = "input=\(input) actions=\(firing.actionIDs.map(String.init).joined(separator: ","))"
        if let relay = firing.relayFired { detail += " relay=\(relay)" }
        if !firing.problems.isEmpty { detail += " problems=\(firing.problems.joined(separator: "; "))" }
        await site.recordSiteEvent("input.actions", detail: detail, source: Self.source)
    }

    /// Action URLs for valid/invalid codes, cards and faces; the user's web relay on a grant.
    func decision(_ entry: JournalEntry, settings current: SiteActionSettings) async {
        let granted = !entry.isRefusal
        let event: ActionURLEvent?
        switch VerifyMode(rawValue: entry.verifyMode) {
        case .password?: event = granted ? .validCode : .invalidCode
        case .card?, .cardAndPassword?: event = granted ? .validCard : .invalidCard
        case .face?, .faceAndCard?, .faceAndPassword?: event = granted ? .validFace : .invalidFace
        default: event = nil
        }
        let code = entry.reader.flatMap { codes.take(reader: $0, time: entry.time) }
        if let event, current.wants(event) {
            var context = await self.context(current, time: entry.time, entry: entry)
            context.code = code ?? ""
            await actionURL(event, context: context, settings: current)
        }

        guard granted, let user = entry.pin, current.webRelay.type != .disabled,
            let id = current.userWebRelays[user.rawValue], id != 0
        else { return }
        let trigger: WebRelayTrigger =
            switch VerifyMode(rawValue: entry.verifyMode) {
            case .card?, .cardAndPassword?: .card
            case .password?: .pin
            case .face?: .face
            default: .other("verify mode \(entry.verifyMode)")
            }
        let plan = current.webRelay.plan(userWebRelayID: id, trigger: trigger)
        let detail: String
        if let action = plan.webAction {
            do {
                let request = try current.webRelay.request(forAction: action)
                let outboxID = try await outbox.enqueue(.http(request), source: "grant webrelay \(action)")
                detail = "user=\(user.rawValue) webrelay=\(action) action=\(outboxID)"
            } catch {
                detail = "user=\(user.rawValue) webrelay=\(action) failed: \(error)"
            }
        } else {
            detail = "user=\(user.rawValue) webrelay=\(id) not permitted for this credential (web relay key)"
        }
        await site.recordSiteEvent("webrelay.grant", detail: detail, source: Self.source)
    }

    /// The reception tab: the actions file's relays and URL, recorded with the dial account for the SIP work.
    func reception(_ entry: JournalEntry, settings current: SiteActionSettings) async {
        let button = ReceptionButton(settings: current.reception, outbox: outbox, relays: SiteRelayFirer(site: site))
        let press = await button.press()
        var detail = "dial_account=\(press.dialAccount) relays=\(press.relaysFired.joined(separator: ","))"
        if let id = press.actionID { detail += " action=\(id)" }
        if let problem = press.problem { detail += " problem=\(problem)" }
        await site.recordSiteEvent("reception", detail: detail, source: Self.source)
    }

    /// The action URL for an entry's event, its `$variables` gathered only when a template wants them (the follower
    /// sees every decision; asking the door engine for relay and input states each time would load it for nothing).
    func actionURL(_ event: ActionURLEvent, entry: JournalEntry, settings current: SiteActionSettings) async {
        guard current.wants(event) else { return }
        await actionURL(event, context: await self.context(current, time: entry.time, entry: entry), settings: current)
    }

    func actionURL(_ event: ActionURLEvent, context: ActionURLContext, settings current: SiteActionSettings) async {
        guard let request = current.actionURLs.request(for: event, context: context) else { return }
        do {
            try await outbox.enqueue(.http(request), source: "action-url \(event.rawValue)")
        } catch {
            logger.error("action URL not queued", metadata: ["event": "\(event.rawValue)", "error": "\(error)"])
        }
    }

    /// `$variables` for an entry: device identity, relay and input states now, and the entry's card, user and door.
    func context(_ current: SiteActionSettings, time: Date, entry: JournalEntry? = nil) async -> ActionURLContext {
        var context = current.device
        context.time = time
        let configuration = await site.currentConfiguration
        for relay in configuration.relays {
            context.relayStatus[relay.id.rawValue] = relayDriver.isActive(relay.id) ? 1 : 0
        }
        for input in configuration.inputs {
            context.inputStatus[input.id.rawValue] = ((try? await site.isInputActive(input.id)) ?? false) ? 1 : 0
        }
        if let entry {
            context.cardSN = entry.card ?? ""
            context.user = entry.pin?.rawValue ?? ""
            context.door = entry.door.map { String($0.rawValue) } ?? ""
        }
        return context
    }
}

extension SiteActions: SiteActionHook {
    /// URLs the site configuration's reception settings name (the actions file's are handled on the journal entry).
    func perform(_ action: SiteAction) async {
        switch action {
        case .reception(let urls):
            for url in urls where !url.trimmingCharacters(in: .whitespaces).isEmpty {
                let absolute =
                    url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") ? url : "http://" + url
                _ = try? await outbox.enqueue(.http(HTTPRequest(url: absolute)), source: "reception")
            }
        }
    }
}

/// Runs the actions service until shutdown.
struct SiteActionsService: Service {
    let actions: SiteActions

    func run() async throws {
        let current = actions.settings.current
        actions.logger.info(
            "site actions",
            metadata: [
                "inputs": "\(current.inputs.count)", "cameras": "\(current.cameras.count)",
                "webrelay_actions": "\(current.webRelay.actions.count)",
                "action_urls": "\(current.actionURLs.enabled ? current.actionURLs.templates.count : 0)",
                "third_party": "\(current.thirdParty.mode.rawValue)",
            ])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await actions.followEvents() }
                group.addTask { await actions.watch() }
            }
        }
    }
}

extension SiteActions {
    /// The actions file at start: parsed and checked against the site, or a start-up error (exit 2).
    static func loadSettings(siteDirectory: URL?, site: Site) async throws(HostError) -> SiteActionSettings {
        do {
            let settings = try SiteActionSettings.load(siteDirectory: siteDirectory)
            try await check(settings, against: site)
            try await fitAdvisorDeadline(settings, site: site)
            return settings
        } catch {
            throw .configuration(error)
        }
    }

    /// The door engine waits for its advisor at most the site's advisor deadline. A third-party server is asked
    /// within that wait, so the deadline is raised (never lowered) to cover the client's timeout: otherwise every
    /// answer slower than the default 200 ms would be ignored and the built-in decision would stand.
    static func fitAdvisorDeadline(_ settings: SiteActionSettings, site: Site) async throws(ConfigurationError) {
        guard settings.thirdParty.mode != .none else { return }
        var siteSettings = await site.currentConfiguration.settings
        let needed = min(60_000, settings.thirdParty.options.totalTimeoutMilliseconds + ThirdPartyAdvisor.margin)
        guard siteSettings.advisorDeadlineMilliseconds < needed else { return }
        siteSettings.advisorDeadlineMilliseconds = needed
        do {
            try await site.update(siteSettings)
        } catch {
            throw ConfigurationError(
                source: settings.source, line: nil, key: "third_party.timeout_ms",
                reason: "cannot raise the site's advisor deadline to \(needed) ms: \(error)")
        }
    }
}

extension SiteActionSettings {
    /// Whether an action URL is configured for the event.
    func wants(_ event: ActionURLEvent) -> Bool {
        actionURLs.enabled && !(actionURLs.templates[event]?.trimmingCharacters(in: .whitespaces).isEmpty ?? true)
    }
}
