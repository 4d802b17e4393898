import AccessControl
import Foundation
import HTTPAPI
import Hardware
import Hummingbird
import Logging
import MQTT
import NIOCore
import Outbound
import PushServer
import Scripting
import ServiceLifecycle
import Storage
import UnixSignals

/// Gatehouse: the composition root. It reads the configuration, opens the
/// store, loads the site scripts, wires the modules' seams together and runs
/// them as one swift-service-lifecycle service group. No business rules live
/// here.
public struct GatehouseHost: Sendable {
    public static let version = "0.1.0"

    public let configuration: GatehouseConfiguration
    let logger: Logger

    public init(configuration: GatehouseConfiguration, logger: Logger = Logger(label: "gatehouse")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The site directory in force: the configured one, else `./site` when present.
    public static func resolveSiteDirectory(_ configured: String?) throws(HostError) -> URL? {
        guard let configured else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "site", isDirectory: &isDirectory), isDirectory.boolValue {
                return URL(fileURLWithPath: "site").standardizedFileURL
            }
            return nil
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: configured, isDirectory: &isDirectory) else {
            throw .siteDirectory(path: configured, reason: "no such directory")
        }
        guard isDirectory.boolValue else { throw .siteDirectory(path: configured, reason: "not a directory") }
        return URL(fileURLWithPath: configured).standardizedFileURL
    }

    /// Runs until SIGINT/SIGTERM. Throws `HostError` for start-up problems.
    public func run() async throws {
        let started = ContinuousClock.now
        let siteDirectory = try Self.resolveSiteDirectory(configuration.siteDirectory)
        try Self.checkBindable(
            [configuration.httpListen] + [configuration.pushListen, configuration.pushTLSListen].compactMap { $0 })

        let database: GatehouseDatabase
        do {
            database = try GatehouseStore.open(directory: configuration.dataDirectory, sync: configuration.dataSync)
        } catch {
            switch error {
            case .directoryNotWritable(let path, let reason): throw HostError.dataDirectory(path: path, reason: reason)
            default: throw HostError.database(error.description)
            }
        }
        logger.info(
            "database open", metadata: ["path": "\(database.path)", "schema_version": "\((try? database.schemaVersion()) ?? -1)"])

        let store = DoorModelStore(writer: database.pool, deferredSync: database.walSyncer)
        let site: Site
        let relayDriver = VirtualRelayDriver()
        let osdpLogger = Logger(label: "gatehouse.osdp")
        let osdpBus = try Self.osdpBus(configuration.osdp, logger: osdpLogger)
        let gpio = try Self.gpioLines(configuration.gpio, logger: Logger(label: "gatehouse.gpio"))
        var drivers: any RelayDriver =
            osdpBus.map { ForwardingRelayDriver.osdpOutputs(base: relayDriver, panel: $0.panel, outputs: $0.outputs) }
            ?? relayDriver
        if let gpio { drivers = ForwardingRelayDriver.gpio(base: drivers, lines: gpio.lines, relays: gpio.relays) }
        do {
            site = try await Site.load(
                clock: SystemClock(), relayDriver: drivers, userDirectory: store, stateStore: store,
                journalSink: store)
        } catch {
            throw HostError.database("cannot load the site from \(database.path): \(error)")
        }
        try await Self.applyDTMFAllowlist(configuration, to: site)
        let userCount = await site.userCount
        let doorCount = await site.currentConfiguration.doors.count
        logger.info("site loaded", metadata: ["users": "\(userCount)", "doors": "\(doorCount)"])

        let transport: Transport
        do {
            transport = try Transport()
        } catch {
            throw HostError.database("cannot start the outbound transport (libcurl): \(error)")
        }
        // The site's outbound actions (<site>/actions.toml): a bad file refuses the start.
        let actionSettings = ActionSettingsBox(try await SiteActions.loadSettings(siteDirectory: siteDirectory, site: site))
        // The MQTT client first: the outbox delivers the events that wait out a broker outage through it.
        let siteName = MQTTSettings.siteName(siteDirectory: siteDirectory)
        let mqttClient = try Self.mqttClient(configuration.mqtt, site: siteName)
        let outbox = Outbox(
            database: database.pool,
            performer: HostActionPerformer(transport: TransportPerformer(transport: transport), mqtt: mqttClient),
            snapshots: ConfiguredCameras(settings: actionSettings, transport: transport),
            inputs: SiteInputStates(site: site), logger: Logger(label: "gatehouse.outbound"))
        // Action URLs an Akuvox client stored through config/set, in force from the start.
        let akuvoxDirectory = AkuvoxDirectoryStore(writer: database.pool)
        let akuvoxURLs: AkuvoxActionURLs
        do {
            akuvoxURLs = AkuvoxActionURLs(
                try await akuvoxDirectory.configuration(prefix: AkuvoxNaming.actionURLPrefix))
        } catch {
            throw HostError.database("cannot read the Akuvox API's stored configuration: \(error)")
        }
        let mqttBridge = mqttClient.map { client in
            MQTTBridge(
                client: client, site: site, prefix: configuration.mqtt.prefix(site: siteName),
                discovery: configuration.mqtt.discovery
                    ? HomeAssistantDiscovery(
                        discoveryPrefix: configuration.mqtt.discoveryPrefix, site: siteName, version: Self.version,
                        topics: SiteMessages(prefix: configuration.mqtt.prefix(site: siteName)))
                    : nil,
                queue: OutboxMQTTQueue(outbox: outbox), scripts: nil, queueLimit: configuration.mqtt.queueLimit,
                logger: Logger(label: "gatehouse.mqtt"))
        }
        let actions = SiteActions(
            site: site, outbox: outbox, settings: actionSettings, relayDriver: relayDriver,
            siteDirectory: siteDirectory, logger: Logger(label: "gatehouse.actions"), akuvoxURLs: akuvoxURLs)
        await site.setActionHook(actions)

        let tokens = APITokenStore(database: database)
        if let tokenPath = try AdminTokenBootstrap.ensureAdminToken(store: tokens, dataDirectory: configuration.dataDirectory) {
            logger.notice("first start: admin API token written", metadata: ["path": "\(tokenPath)"])
        }

        var limits = ScriptLimits()
        limits.memoryBytes = configuration.scriptMemoryMiB << 20
        limits.decisionDeadline = .milliseconds(configuration.scriptHandlerTimeoutMilliseconds)
        let scriptIO = ScriptIO(
            transport: transport, outbox: outbox, snapshots: ConfiguredCameras(settings: actionSettings, transport: transport),
            webRelays: actions.webRelays)
        let siteTimeZone = TimeZone(identifier: await site.currentConfiguration.settings.timeZoneIdentifier) ?? .current
        let scriptLog = RecentLog()
        let services = ScriptServices(
            logger: Logger.teeing(label: "gatehouse.scripts", into: scriptLog),
            keyValueStore: SQLiteScriptKeyValueStore(store: KeyValueStore(database: database, namespace: "site")),
            outbound: SiteScriptOutbound(
                io: scriptIO, mailServer: configuration.mailServer, mailFrom: configuration.mailFrom, mqtt: mqttBridge),
            actions: SiteScriptActions(site: site), timeZone: siteTimeZone, userDirectory: SiteScriptUsers(site: site))
        let scripts = ScriptHost(
            siteDirectory: siteDirectory, limits: limits, services: services,
            lastGoodDirectory: URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("scripts-last-good"))
        await mqttBridge?.attach(scripts: ScriptMQTTSubscribers(scripts: scripts))
        let scriptStatus = await scripts.load()
        if scriptStatus.ok {
            logger.info(
                "site scripts loaded",
                metadata: ["site": "\(siteDirectory?.path ?? "none")", "version": "\(scriptStatus.version)"])
        } else {
            // The door keeps working on its built-in rules; the error is on /healthz.
            logger.error("site scripts failed to load", metadata: ["error": "\(scriptStatus.error ?? "unknown")"])
        }
        // Scripts advise credential decisions within their deadline; the built-in rule stands when they are late.
        await site.setAdvisor(actions.advisor(next: ScriptDecisionAdvisor(host: scripts), transport: transport))
        if let mode = await scripts.startWatching() {
            logger.info("watching the site directory for changes", metadata: ["mode": "\(mode)"])
        }

        // The PUSH server (ADMS role): its own listener for devices; its REST endpoints on the admin API.
        let registration: RegistrationPolicy
        do {
            let networks = configuration.pushAllowlist.filter {
                $0.contains("/") || $0.contains(":") || $0.split(separator: ".").count == 4
            }
            let serials = configuration.pushAllowlist.filter { !networks.contains($0) }
            registration = try RegistrationPolicy(name: configuration.pushRegistration, serials: serials, networks: networks)
        } catch {
            throw HostError.configuration(
                ConfigurationError(source: "configuration", line: nil, key: "push.allowlist", reason: "\(error)"))
        }
        let pushConfiguration = PushServerConfiguration(
            registration: registration, serverVersion: Self.version, timeZone: siteTimeZone,
            clockTolerance: configuration.pushClockToleranceSeconds > 0
                ? TimeInterval(configuration.pushClockToleranceSeconds) : nil,
            maximumPendingDevices: configuration.pushMaxPendingDevices)
        let pushStore = PushServerStore(writer: database.pool, deferredSync: database.walSyncer)
        let deviceEvents = SiteDeviceEventSink(
            site: site, store: pushStore, journal: store, logger: Logger(label: "gatehouse.push"))
        do {
            // Before any device connects: events a crash left stored but not journaled.
            let recovered = try await deviceEvents.recover()
            if recovered > 0 { logger.notice("device events journaled after a crash", metadata: ["count": "\(recovered)"]) }
        } catch {
            throw HostError.database("cannot recover device events: \(error)")
        }
        let pushServer = PushServer(
            store: pushStore, configuration: pushConfiguration,
            identifier: SiteRemoteIdentifier(site: site, deadline: .seconds(3)), sink: deviceEvents,
            logger: Logger(label: "gatehouse.push"), now: { Date() })

        let osdp = Self.osdpReaders(osdpBus, site: site, scripts: scripts, logger: osdpLogger)
        let hardware = HardwareStatus(osdp: osdp)
        let sipCalls = try await Self.sipCalls(
            configuration.sip, site: site, scripts: scripts, logger: Logger(label: "gatehouse.sip"))
        let sipStatus = sipCalls.map(SIPStatusAdapter.init)
        let state = HostState(
            database: database, scripts: scripts, actions: actions, started: started, scriptLog: scriptLog, hardware: hardware,
            sip: sipStatus)
        let metrics = HostMetrics(
            site: site, outbox: outbox, scripts: scripts,
            push: configuration.pushListen == nil ? nil : (pushServer.store, pushConfiguration.requestDelay))
        let router = AdminRoutes.router(
            health: state, scripts: state, tokens: CachedTokenVerifier(store: tokens), site: site,
            actions: OutboxActionQueue(outbox: outbox),
            akuvox: configuration.akuvoxAPI, akuvoxDirectory: akuvoxDirectory, akuvoxConfiguration: akuvoxURLs,
            thirdParty: configuration.thirdPartyServer,
            maxBodyBytes: configuration.httpMaxBodyBytes, metrics: metrics, push: (pushServer.store, pushConfiguration),
            sessions: ConsoleSessions(store: ConsoleSessionStore(writer: database.pool)), hardware: hardware, sip: sipStatus)
        let address = configuration.httpListen
        let httpLogger = logger
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "Gatehouse/\(Self.version)"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                httpLogger.info("http listening", metadata: ["address": "\(address.host):\(port)", "port": "\(port)"])
            },
            logger: Logger(label: "gatehouse.http")
        )

        let reloader = ScriptReloadOnHangup(scripts: scripts, logger: logger)
        var pushServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let push = configuration.pushListen {
            let pushLogger = logger
            let listener = PushListener.application(
                server: pushServer, host: push.host, port: push.port, logger: Logger(label: "gatehouse.push.listener"),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? push.port
                    pushLogger.info("push listening", metadata: ["address": "\(push.host):\(port)", "port": "\(port)"])
                })
            pushServices.append(.stopsTheHost(Listener(listener, at: push)))
        } else {
            logger.info("PUSH server listener off (push.listen = off)")
        }
        if let tls = configuration.pushTLSListen {
            pushServices.append(try Self.pushTLSListener(pushServer, at: tls, configuration: configuration, logger: logger))
        }
        if let osdp { pushServices.append(.background(OSDPService(readers: osdp))) }
        if let sipCalls { pushServices.append(.background(SIPService(calls: sipCalls))) }
        if let gpio {
            let inputs = GPIOInputs(lines: gpio.lines, inputs: gpio.inputs, site: site, logger: Logger(label: "gatehouse.gpio"))
            pushServices.append(.background(GPIOService(inputs: inputs, lines: gpio.lines)))
        }
        if let mqttBridge {
            pushServices.append(.background(MQTTService(bridge: mqttBridge)))
        }
        if configuration.upstream.enabled {
            let upstream = UpstreamService(
                settings: configuration.upstream, site: site, database: database, scripts: scripts,
                logger: Logger(label: "gatehouse.upstream"))
            pushServices.append(.background(upstream))
        }
        let deadline = ShutdownDeadline(seconds: configuration.shutdownTimeoutSeconds, logger: logger)
        await deadline.arm(on: [SIGTERM, SIGINT])
        defer { deadline.finish() }
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .stopsTheHost(Listener(application, at: address)),
                .background(reloader),
                .background(
                    ScriptConsoleService(
                        path: ConsoleWire.socketPath(dataDirectory: configuration.dataDirectory),
                        evaluator: ScriptHostConsole(scripts: scripts), logger: logger)),
                .init(
                    service: SiteTimer(site: site, logger: logger), successTerminationBehavior: .ignore,
                    failureTerminationBehavior: .gracefullyShutdownGroup),
                .background(OutboxService(outbox: outbox)),
                .background(SiteActionsService(actions: actions)),
                .background(ScriptObservers(site: site, scripts: scripts)),
                .background(MetricsFollower(metrics: metrics)),
                .background(CheckpointService(checkpointer: WALCheckpointer(database: database), logger: logger)),
            ] + pushServices + [.background(ShutdownWatch(deadline: deadline, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        // A shutdown the group starts itself (a listener that cannot bind, a failed service) is bounded like one a
        // signal starts: past the shutdown timeout the services still running are cancelled, so a failed start
        // always ends in its one clear line and exit 2. `ShutdownWatch` is the last resort behind it.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.shutdownTimeoutSeconds)
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            await scripts.shutdown()
            try? await site.flush()
            throw Self.translate(error, address: address)
        }
        await scripts.shutdown()
        do {
            try await site.flush()
        } catch {
            logger.error("journal flush at shutdown failed", metadata: ["error": "\(error)"])
        }
        logger.info("stopped")
    }

    /// The MQTT client `[mqtt]` asks for, with its last will; nil when MQTT is off.
    static func mqttClient(_ settings: MQTTSettings, site: String) throws -> MQTTClient? {
        guard settings.enabled else { return nil }
        switch settings.endpoint(site: site, will: MQTTBridge.will(prefix: settings.prefix(site: site))) {
        case .failure(let problem):
            throw HostError.configuration(
                ConfigurationError(source: "configuration", line: nil, key: "mqtt.\(problem.key)", reason: problem.reason))
        case .success(let endpoint):
            do {
                return try MQTTClient(endpoint: endpoint)
            } catch {
                throw HostError.configuration(
                    ConfigurationError(source: "configuration", line: nil, key: "mqtt.broker", reason: "\(error)"))
            }
        }
    }

    /// The HTTPS listener for devices (`push.tls_listen`); its PEM files must be named and readable.
    static func pushTLSListener(
        _ server: PushServer, at address: ListenAddress, configuration: GatehouseConfiguration, logger: Logger
    ) throws -> ServiceGroupConfiguration.ServiceConfiguration {
        guard let certificate = configuration.pushTLSCertificate, let key = configuration.pushTLSKey else {
            throw HostError.configuration(
                ConfigurationError(
                    source: "configuration", line: nil,
                    key: configuration.pushTLSCertificate == nil ? "push.tls_certificate" : "push.tls_key",
                    reason: "push.tls_listen is set, so push.tls_certificate and push.tls_key (PEM files) are required"))
        }
        let listener: Application<PushServerResponder>
        do {
            listener = try PushListener.tlsApplication(
                server: server, host: address.host, port: address.port, certificatePath: certificate, privateKeyPath: key,
                logger: Logger(label: "gatehouse.push.tls-listener"),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? address.port
                    logger.info("push tls listening", metadata: ["address": "\(address.host):\(port)", "port": "\(port)"])
                })
        } catch {
            let field = if case .privateKey = error { "push.tls_key" } else { "push.tls_certificate" }
            throw HostError.configuration(ConfigurationError(source: "configuration", line: nil, key: field, reason: "\(error)"))
        }
        return .stopsTheHost(Listener(listener, at: address))
    }

    /// Binds each listen address once, and lets it go, before any service starts, so a busy port is one clear line
    /// and exit 2. Left to the listeners, a bind failure cancels Hummingbird's inner service group, and under load
    /// that cancellation was seen to deadlock both event loops in swift-async-algorithms' merge (the lock its
    /// `next()` holds across a continuation; apple/swift-async-algorithms#430, fix pending in #444): the host then
    /// neither started nor stopped. Port 0 is skipped: the kernel's choice is always free.
    static func checkBindable(_ addresses: [ListenAddress]) throws {
        for address in addresses where address.port != 0 {
            let socketAddress: SocketAddress
            do {
                socketAddress = try SocketAddress.makeAddressResolvingHost(address.host, port: address.port)
            } catch {
                throw HostError.listen(address: address.description, reason: "cannot resolve \(address.host)")
            }
            let descriptor = socket(
                socketAddress.protocol.rawValue, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else {
                throw HostError.listen(address: address.description, reason: String(cString: strerror(errno)))
            }
            defer { close(descriptor) }
            // As the listener will: SO_REUSEADDR, so a port in TIME_WAIT after a restart is not reported busy.
            var one: Int32 = 1
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            let bound = socketAddress.withSockAddr { pointer, length in bind(descriptor, pointer, socklen_t(length)) }
            guard bound == 0 else {
                throw HostError.listen(address: address.description, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// Bind failures surface as NIO's IOError; say it in the operator's words, naming the listener that failed.
    static func translate(_ error: any Error, address: ListenAddress) -> any Error {
        if error is HostError { return error }  // already named by its `Listener`
        if let ioError = error as? IOError {
            return HostError.listen(address: address.description, reason: String(cString: strerror(ioError.errnoCode)))
        }
        if let group = error as? ServiceGroupError,
            let underlying = Mirror(reflecting: group).descendant("underlying") as? any Error
        {
            return translate(underlying, address: address)
        }
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("EADDRINUSE") {
            return HostError.listen(address: address.description, reason: "address already in use")
        }
        return error
    }
}

extension ServiceGroupConfiguration.ServiceConfiguration {
    /// A listener: when it ends, cleanly or not, the host shuts down with it (a host that cannot be reached is no
    /// use running).
    static func stopsTheHost(_ service: any Service) -> Self {
        .init(
            service: service, successTerminationBehavior: .gracefullyShutdownGroup,
            failureTerminationBehavior: .gracefullyShutdownGroup)
    }

    /// A helper service whose end leaves the host running: it logs its own trouble, and the doors keep working.
    static func background(_ service: any Service) -> Self {
        .init(service: service, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)
    }
}

/// A listener (the admin HTTP, PUSH or PUSH-over-TLS application) whose failure names its own address, so a
/// busy PUSH port is not reported as the HTTP one.
struct Listener: Service {
    let service: any Service
    let address: ListenAddress

    init(_ service: any Service, at address: ListenAddress) {
        self.service = service
        self.address = address
    }

    func run() async throws {
        do {
            try await service.run()
        } catch {
            throw GatehouseHost.translate(error, address: address)
        }
    }
}

/// Marks the start of a graceful shutdown in the log ("stopping") and arms the ``ShutdownDeadline``: the group itself
/// cancels what is still running after `host.shutdown_timeout_s`; a service that ignores even that is cut short one
/// second later by exiting the process, so a shutdown always ends. Listed last in the group, so the group (which
/// stops services in reverse order) tells it first.
struct ShutdownWatch: Service {
    let deadline: ShutdownDeadline
    let logger: Logger

    func run() async throws {
        // Returns when the group starts its graceful shutdown; throws if the group is cancelled instead.
        guard (try? await gracefulShutdown()) != nil else { return }
        logger.info("stopping", metadata: ["deadline_s": "\(deadline.seconds)"])
        deadline.arm(reason: "graceful shutdown")
    }
}

/// Drives the door engine's time: relay holds, door-open timeouts, normal-open periods. Wakes for the next
/// deadline, and at least every 50 ms so a hold started meanwhile ends on time.
struct SiteTimer: Service {
    let site: Site
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await site.tick()
            let next = await site.nextDeadline()?.timeIntervalSinceNow ?? 0.05
            let wait = min(max(next, 0.001), 0.05)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(wait * 1000) + 1)) }
        }
    }
}

/// Feeds the door engine's typed events to the scripts' observer handlers.
struct ScriptObservers: Service {
    let site: Site
    let scripts: ScriptHost

    func run() async throws {
        await cancelWhenGracefulShutdown { await ScriptEventFeed.run(site: site, scripts: scripts) }
    }
}

/// Counts decisions for /metrics.
struct MetricsFollower: Service {
    let metrics: HostMetrics

    func run() async throws {
        await cancelWhenGracefulShutdown { await metrics.follow() }
    }
}

/// Checkpoints the SQLite log in the background until shutdown (see ``WALCheckpointer``).
struct CheckpointService: Service {
    let checkpointer: WALCheckpointer
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await checkpointer.run() }
        } catch is CancellationError {
        } catch {
            // The writer's own checkpoints still bound the log; say why the background ones stopped.
            logger.warning("background checkpoints stopped", metadata: ["error": "\(error)"])
        }
    }
}

/// Delivers the durable outbox (retries with backoff) until shutdown.
struct OutboxService: Service {
    let outbox: Outbox

    func run() async throws {
        await cancelWhenGracefulShutdown { await outbox.run() }
    }
}

/// SIGHUP reloads the site scripts, as daemons conventionally do.
struct ScriptReloadOnHangup: Service {
    let scripts: ScriptHost
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            let status = await scripts.load()
            if status.ok {
                logger.notice("site scripts reloaded (SIGHUP)", metadata: ["version": "\(status.version)"])
            } else {
                logger.error(
                    "site script reload failed; previous scripts stay", metadata: ["error": "\(status.error ?? "unknown")"])
            }
        }
    }
}

/// The host's live state as the HTTP layer reads it.
struct HostState: HealthSource, ScriptControl {
    let database: GatehouseDatabase
    let scripts: ScriptHost
    /// `POST /api/v1/scripts/reload` re-reads the site's actions file too, as SIGHUP does.
    let actions: SiteActions
    let started: ContinuousClock.Instant
    let scriptLog: RecentLog
    let hardware: HardwareStatus
    let sip: SIPStatusAdapter?

    func recentLog(limit: Int) async -> [ScriptLogLine] { scriptLog.newest(limit) }

    func healthReport() async -> HealthReport {
        let schema = (try? database.schemaVersion()) ?? -1
        let script = await status()
        let elapsed = ContinuousClock.now - started
        let uptime = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let readers = await hardware.health()
        let sipInfo = await sip?.health()
        // A configured reader that does not answer is a door that cannot be opened by card, a registration that
        // failed a door the PBX cannot call: degraded.
        let degraded =
            !script.ok || !(readers?.offline.isEmpty ?? true) || (sipInfo?.registration.map { $0 != "registered" } ?? false)
        return HealthReport(
            status: schema < 0 ? "error" : (degraded ? "degraded" : "ok"),
            version: GatehouseHost.version,
            uptimeSeconds: (uptime * 1000).rounded() / 1000,
            database: .init(path: database.path, schemaVersion: schema),
            script: script, readers: readers, sip: sipInfo)
    }

    func status() async -> HealthReport.ScriptInfo { Self.info(await scripts.status) }

    func reload() async -> HealthReport.ScriptInfo {
        await actions.reload()
        return Self.info(await scripts.load())
    }

    static func info(_ status: ScriptStatus) -> HealthReport.ScriptInfo {
        .init(version: status.version, ok: status.ok, error: status.error, disabledHandlers: status.disabledHandlers)
    }
}
