import AccessControl
import Foundation
import Logging

/// The durable queue events wait in while the broker is away: the host's outbox, delivering in order.
public protocol MQTTEventQueue: Sendable {
    func enqueue(_ messages: [MQTTMessage]) async throws
    /// Events still waiting (pending in the queue).
    func pendingCount() async throws -> Int
    /// Attempts what waits now (after a reconnect), instead of at its retry time.
    func deliverNow() async
}

/// The site scripts' side: `mqtt.subscribe(pattern)` patterns and `on("mqtt", fn)` handlers.
public protocol MQTTScriptSubscribers: Sendable {
    func patterns() async -> [String]
    func deliver(_ message: MQTTIncoming) async
}

/// The bridge between the door engine and an MQTT broker.
///
/// It follows the engine's typed event stream (the one every follower reads) and publishes state (retained) and
/// events (not retained; queued in the durable outbox while the broker is away and delivered in order after it);
/// it feeds commands from `…/door/<id>/set` and `…/relay/<id>/set` into the door engine, journalled with the source
/// `mqtt`; it keeps Home Assistant's discovery in step with the configured doors; and it carries the scripts'
/// subscriptions. It never blocks the door: the engine has moved on before an event reaches it.
public actor MQTTBridge {
    public let client: MQTTClient
    public let topics: SiteMessages
    let site: Site
    let discovery: HomeAssistantDiscovery?
    let queue: any MQTTEventQueue
    private(set) var scripts: (any MQTTScriptSubscribers)?
    let queueLimit: Int
    let logger: Logger

    /// Events wait in the queue (so new ones go behind them, keeping the order).
    private var backlog = false
    private var droppedThisOutage = 0
    private var discoveredDoors: Set<DoorID> = []
    private var scriptPatterns: [String] = []
    private var recentPackets: [(key: String, at: ContinuousClock.Instant)] = []
    private var recentCommandIDs: [String: ContinuousClock.Instant] = [:]
    /// Counted for /metrics and tests.
    public private(set) var commandsExecuted = 0
    public private(set) var commandsRefused = 0
    public private(set) var eventsPublished = 0
    public private(set) var eventsQueued = 0
    public private(set) var eventsDropped = 0

    public init(
        client: MQTTClient, site: Site, prefix: String, discovery: HomeAssistantDiscovery?, queue: any MQTTEventQueue,
        scripts: (any MQTTScriptSubscribers)?, queueLimit: Int, logger: Logger
    ) {
        self.client = client
        self.site = site
        self.topics = SiteMessages(prefix: prefix)
        self.discovery = discovery
        self.queue = queue
        self.scripts = scripts
        self.queueLimit = max(1, queueLimit)
        self.logger = logger
    }

    /// The scripts, once they exist (they are built after the bridge, which their `mqtt.publish` uses).
    public func attach(scripts: any MQTTScriptSubscribers) { self.scripts = scripts }

    /// The last will the client must be created with: `offline`, retained.
    public static func will(prefix: String) -> MQTTMessage { SiteMessages(prefix: prefix).online(false) }

    /// Connects and bridges until cancelled.
    public func run() async {
        let events = await site.events()
        client.start()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await batch in events { await self.handle(batch) }
            }
            group.addTask {
                for await event in self.client.events { await self.handle(event) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// A clean goodbye: `offline` published (a clean disconnect does not fire the will), then disconnected.
    public func shutdown() async {
        if client.isConnected {
            try? await client.publishAndWait(topics.online(false), timeout: .seconds(2))
        }
        client.stop()
    }

    // MARK: Connection

    private func handle(_ event: MQTTClientEvent) async {
        switch event {
        case .connected:
            await connected()
        case .disconnected(let reason, let unacknowledged):
            logger.warning("mqtt broker unavailable", metadata: ["reason": "\(reason)"])
            let events = unacknowledged.filter { !$0.retain }
            if !events.isEmpty { await enqueue(events) }
        case .message(let message):
            await received(message)
        }
    }

    private func connected() async {
        logger.notice(
            "mqtt connected",
            metadata: ["broker": "\(client.endpoint.host):\(client.endpoint.port)", "prefix": "\(topics.prefix)"])
        droppedThisOutage = 0
        var patterns = MQTTCommand.subscriptions(prefix: topics.prefix)
        scriptPatterns = await scripts?.patterns() ?? []
        patterns += scriptPatterns
        for pattern in patterns {
            do {
                try client.subscribe(pattern)
            } catch {
                logger.error("mqtt subscribe failed", metadata: ["pattern": "\(pattern)", "error": "\(error)"])
            }
        }
        publish(topics.online(true))
        if let discovery {
            let doors = await site.currentConfiguration.doors
            for message in discovery.messages(doors: doors) { publish(message) }
            discoveredDoors = Set(doors.map(\.id))
        }
        for message in await topics.snapshot(of: site) { publish(message) }
        await queue.deliverNow()
    }

    /// Publishes a retained state or discovery message now, or not at all: the next connect republishes state.
    private func publish(_ message: MQTTMessage) {
        do {
            try client.publish(message)
        } catch MQTTError.notConnected {
        } catch {
            logger.error("mqtt publish failed", metadata: ["topic": "\(message.topic)", "error": "\(error)"])
        }
    }

    // MARK: The door engine's events

    private func handle(_ batch: [SiteEvent]) async {
        var events: [MQTTMessage] = []
        for event in batch {
            let (state, eventMessages) = topics.messages(for: event)
            if client.isConnected { for message in state { publish(message) } }
            events += eventMessages
            switch event.kind {
            case .configured: await refreshDiscovery()
            case .note(let note) where note.name == "script.reload": await refreshScriptSubscriptions()
            default: break
            }
        }
        if !events.isEmpty { await publishEvents(events) }
    }

    private func publishEvents(_ messages: [MQTTMessage]) async {
        if backlog {
            backlog = ((try? await queue.pendingCount()) ?? 1) > 0
        }
        guard !backlog, client.isConnected else {
            await enqueue(messages)
            return
        }
        for (offset, message) in messages.enumerated() {
            do {
                try client.publish(message)
                eventsPublished += 1
            } catch {
                // Lost the connection mid-batch: this one and the rest wait, in order.
                await enqueue(Array(messages[offset...]))
                return
            }
        }
    }

    private func enqueue(_ messages: [MQTTMessage]) async {
        let pending = (try? await queue.pendingCount()) ?? 0
        let room = max(0, queueLimit - pending)
        let kept = Array(messages.prefix(room))
        if !kept.isEmpty {
            do {
                try await queue.enqueue(kept)
                backlog = true
                eventsQueued += kept.count
            } catch {
                logger.error("mqtt events could not be queued", metadata: ["count": "\(kept.count)", "error": "\(error)"])
                eventsDropped += kept.count
            }
        }
        let dropped = messages.count - kept.count
        guard dropped > 0 else { return }
        eventsDropped += dropped
        if droppedThisOutage == 0 {
            logger.error(
                "mqtt queue full: events dropped until the broker is back",
                metadata: ["limit": "\(queueLimit)", "first_dropped": "\(messages[kept.count].topic)"])
            // Into the journal too, once per outage, so the gap is on record where the events are.
            await site.recordSiteEvent(
                "mqtt.queue_full", detail: "outbox holds \(queueLimit) MQTT events; newer ones are not published", source: .mqtt)
        }
        droppedThisOutage += dropped
    }

    private func refreshDiscovery() async {
        guard let discovery, client.isConnected else { return }
        let doors = await site.currentConfiguration.doors
        let current = Set(doors.map(\.id))
        for removed in discoveredDoors.subtracting(current).sorted() {
            for message in discovery.removals(door: removed) { publish(message) }
        }
        // Added doors, and renamed ones: configs are retained, so republishing an unchanged one is harmless.
        for door in doors { for message in discovery.messages(door: door) { publish(message) } }
        discoveredDoors = current
        for message in await topics.snapshot(of: site) { publish(message) }
    }

    private func refreshScriptSubscriptions() async {
        guard let scripts, client.isConnected else { return }
        let patterns = await scripts.patterns()
        for pattern in patterns where !scriptPatterns.contains(pattern) {
            try? client.subscribe(pattern)
        }
        scriptPatterns = patterns
    }

    // MARK: Incoming

    private func received(_ message: MQTTIncoming) async {
        if MQTTCommand.isCommandTopic(message.topic, prefix: topics.prefix) {
            await command(message)
        }
        if let scripts, scriptPatterns.contains(where: { MQTTClient.topic(message.topic, matches: $0) }) {
            await scripts.deliver(message)
        }
    }

    private func command(_ message: MQTTIncoming) async {
        // A retained command is someone's stale order replayed by the broker at subscribe time: never obeyed.
        if message.retain {
            commandsRefused += 1
            logger.warning(
                "mqtt command ignored: retained (publish commands without the retain flag)",
                metadata: ["topic": "\(message.topic)"])
            return
        }
        let now = ContinuousClock.now
        if message.qos > 0 {
            // QoS 1 may deliver twice (the broker resends when our acknowledgement was lost): collapse repeats.
            recentPackets.removeAll { now - $0.at > .seconds(60) }
            let key = "\(message.packetID)|\(message.topic)|\(message.payload.base64EncodedString())"
            if recentPackets.contains(where: { $0.key == key }) {
                logger.info("mqtt command repeated by the broker: collapsed", metadata: ["topic": "\(message.topic)"])
                return
            }
            recentPackets.append((key, now))
            if recentPackets.count > 1024 { recentPackets.removeFirst(recentPackets.count - 1024) }
        }
        let command: MQTTCommand
        do {
            command = try MQTTCommand.parse(topic: message.topic, payload: message.payload, prefix: topics.prefix)
        } catch {
            commandsRefused += 1
            logger.warning("mqtt command refused", metadata: ["topic": "\(message.topic)", "reason": "\(error.reason)"])
            return
        }
        if let id = command.id {
            recentCommandIDs = recentCommandIDs.filter { now - $0.value < .seconds(600) }
            if recentCommandIDs[id] != nil {
                logger.info("mqtt command with a repeated id: collapsed", metadata: ["topic": "\(message.topic)", "id": "\(id)"])
                return
            }
            recentCommandIDs[id] = now
        }
        do {
            try await command.execute(on: site)
            commandsExecuted += 1
            logger.info("mqtt command", metadata: ["topic": "\(message.topic)", "command": "\(command.verb.rawValue)"])
        } catch {
            commandsRefused += 1
            logger.warning("mqtt command failed", metadata: ["topic": "\(message.topic)", "error": "\(error)"])
        }
    }

    // MARK: Scripts

    /// `mqtt.publish` from a script: sent now when connected; a QoS ≥ 1 message waits in the queue when not.
    /// Returns whether it was queued rather than sent.
    public func publishFromScript(_ message: MQTTMessage) async throws(MQTTError) -> Bool {
        guard MQTTClient.isValidTopic(message.topic) else { throw .invalidTopic(message.topic) }
        if client.isConnected {
            do {
                try client.publish(message)
                return false
            } catch MQTTError.notConnected {
            }
        }
        guard message.qos > 0 else { throw .notConnected }
        await enqueue([message])
        return true
    }
}
