import AccessControl
import Foundation
import HTTPAPI
import Outbound
import Prometheus
import PushServer
import Scripting

/// The host's Prometheus metrics: counters fed as things happen (decisions, requests), gauges refreshed at each
/// scrape from their owners (journal size, outbox depth, script state).
final class HostMetrics: MetricsSource {
    let registry = PrometheusCollectorRegistry()
    private let granted: Counter
    private let denied: Counter
    private let journalSize: Gauge
    private let outboxPending: Gauge
    private let outboxDead: Gauge
    private let scriptsOK: Gauge
    private let scriptsDisabledHandlers: Gauge
    private let scriptReloads: Counter
    private let scriptReloadFailures: Counter
    private let requestDuration: DurationHistogram
    private let pushDevicesOnline: Gauge
    private let pushDevicesPending: Gauge
    private let pushDevicesKnown: Gauge
    private let pushQueueDepth: Gauge
    private let pushCommands: [CommandState: Gauge]
    private let site: Site
    private let outbox: Outbox
    private let scripts: ScriptHost
    private let push: (store: PushServerStore, requestDelay: Int)?

    /// `gatehouse_<name>[_<unit>]`, given in parts as swift-prometheus wants (its name-and-help calls are deprecated).
    static func name(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "gatehouse", metricName: name, unitName: unit, helpText: help)
    }

    /// `push` is nil when the PUSH server is off; its gauges then stay at 0.
    init(site: Site, outbox: Outbox, scripts: ScriptHost, push: (store: PushServerStore, requestDelay: Int)?) {
        self.site = site
        self.outbox = outbox
        self.scripts = scripts
        self.push = push
        scriptReloads = registry.makeCounter(
            descriptor: Self.name("script_reloads", unit: "total", help: "Script loads and reloads by result"),
            labels: [("result", "ok")])
        scriptReloadFailures = registry.makeCounter(
            descriptor: Self.name("script_reloads", unit: "total", help: "Script loads and reloads by result"),
            labels: [("result", "failed")])
        pushDevicesOnline = registry.makeGauge(
            descriptor: Self.name("push_devices", help: "PUSH devices by state"), labels: [("state", "online")])
        pushDevicesPending = registry.makeGauge(
            descriptor: Self.name("push_devices", help: "PUSH devices by state"), labels: [("state", "pending_approval")])
        pushDevicesKnown = registry.makeGauge(
            descriptor: Self.name("push_devices", help: "PUSH devices by state"), labels: [("state", "known")])
        pushQueueDepth = registry.makeGauge(
            descriptor: Self.name("push_command_queue_depth", help: "PUSH commands queued or delivered but not acknowledged"))
        var commands: [CommandState: Gauge] = [:]
        for state in CommandState.allCases {
            commands[state] = registry.makeGauge(
                descriptor: Self.name("push_commands", help: "PUSH commands by state"), labels: [("state", state.rawValue)])
        }
        pushCommands = commands
        granted = registry.makeCounter(
            descriptor: Self.name("decisions", unit: "total", help: "Access decisions by outcome"),
            labels: [("outcome", "granted")])
        denied = registry.makeCounter(
            descriptor: Self.name("decisions", unit: "total", help: "Access decisions by outcome"),
            labels: [("outcome", "denied")])
        journalSize = registry.makeGauge(descriptor: Self.name("journal_entries", help: "Entries in the journal"))
        outboxPending = registry.makeGauge(
            descriptor: Self.name("outbox_actions", help: "Outbound actions by state"), labels: [("state", "pending")])
        outboxDead = registry.makeGauge(
            descriptor: Self.name("outbox_actions", help: "Outbound actions by state"), labels: [("state", "dead")])
        scriptsOK = registry.makeGauge(descriptor: Self.name("scripts_ok", help: "1 when the site scripts loaded, else 0"))
        scriptsDisabledHandlers = registry.makeGauge(
            descriptor: Self.name("scripts_disabled_handlers", help: "Handlers disabled by the circuit breaker"))
        requestDuration = registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", unit: "seconds", help: "Admin API request latency"),
            buckets: [
                .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500),
                .seconds(2),
            ])
    }

    func observeDecision(_ entry: JournalEntry) {
        if entry.event == Site.siteEventCode, let detail = entry.detail, detail.hasPrefix("script.reload:") {
            if detail.contains("ok=true") { scriptReloads.increment() } else { scriptReloadFailures.increment() }
            return
        }
        guard entry.isCredentialDecision else { return }
        if entry.isRefusal { denied.increment() } else { granted.increment() }
    }

    func observeRequest(method: String, status: Int, seconds: Double) {
        requestDuration.recordNanoseconds(Int64(seconds * 1e9))
    }

    func render() async -> String {
        journalSize.set(to: Double(await site.nextJournalIndex - 1))
        outboxPending.set(to: Double((try? await outbox.entries(state: .pending, limit: 100_000).count) ?? 0))
        outboxDead.set(to: Double((try? await outbox.entries(state: .dead, limit: 100_000).count) ?? 0))
        let status = await scripts.status
        scriptsOK.set(to: status.ok ? 1.0 : 0.0)
        scriptsDisabledHandlers.set(to: Double(status.disabledHandlers.count))
        if let push, let fleet = try? push.store.fleetSummary(now: Date(), requestDelay: push.requestDelay) {
            pushDevicesOnline.set(to: Double(fleet.online))
            pushDevicesPending.set(to: Double(fleet.pendingApproval))
            pushDevicesKnown.set(to: Double(fleet.devices))
            pushQueueDepth.set(to: Double(fleet.queueDepth))
            for (state, gauge) in pushCommands { gauge.set(to: Double(fleet.commands[state] ?? 0)) }
        }
        return registry.emitToString()
    }

    /// Counts decisions from the journal for the host's lifetime.
    func follow() async {
        for await batch in await site.journalBatches() {
            for entry in batch { observeDecision(entry) }
        }
    }
}
