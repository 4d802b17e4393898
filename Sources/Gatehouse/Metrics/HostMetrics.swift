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

    /// `push` is nil when the PUSH server is off; its gauges then stay at 0.
    init(site: Site, outbox: Outbox, scripts: ScriptHost, push: (store: PushServerStore, requestDelay: Int)?) {
        self.site = site
        self.outbox = outbox
        self.scripts = scripts
        self.push = push
        scriptReloads = registry.makeCounter(
            name: "gatehouse_script_reloads_total", labels: [("result", "ok")], help: "Script loads and reloads by result")
        scriptReloadFailures = registry.makeCounter(
            name: "gatehouse_script_reloads_total", labels: [("result", "failed")], help: "Script loads and reloads by result")
        pushDevicesOnline = registry.makeGauge(
            name: "gatehouse_push_devices", labels: [("state", "online")], help: "PUSH devices by state")
        pushDevicesPending = registry.makeGauge(
            name: "gatehouse_push_devices", labels: [("state", "pending_approval")], help: "PUSH devices by state")
        pushDevicesKnown = registry.makeGauge(
            name: "gatehouse_push_devices", labels: [("state", "known")], help: "PUSH devices by state")
        pushQueueDepth = registry.makeGauge(
            name: "gatehouse_push_command_queue_depth", help: "PUSH commands queued or delivered but not acknowledged")
        var commands: [CommandState: Gauge] = [:]
        for state in CommandState.allCases {
            commands[state] = registry.makeGauge(
                name: "gatehouse_push_commands", labels: [("state", state.rawValue)], help: "PUSH commands by state")
        }
        pushCommands = commands
        granted = registry.makeCounter(
            name: "gatehouse_decisions_total", labels: [("outcome", "granted")], help: "Access decisions by outcome")
        denied = registry.makeCounter(
            name: "gatehouse_decisions_total", labels: [("outcome", "denied")], help: "Access decisions by outcome")
        journalSize = registry.makeGauge(name: "gatehouse_journal_entries", help: "Entries in the journal")
        outboxPending = registry.makeGauge(
            name: "gatehouse_outbox_actions", labels: [("state", "pending")], help: "Outbound actions by state")
        outboxDead = registry.makeGauge(
            name: "gatehouse_outbox_actions", labels: [("state", "dead")], help: "Outbound actions by state")
        scriptsOK = registry.makeGauge(name: "gatehouse_scripts_ok", help: "1 when the site scripts loaded, else 0")
        scriptsDisabledHandlers = registry.makeGauge(
            name: "gatehouse_scripts_disabled_handlers", help: "Handlers disabled by the circuit breaker")
        requestDuration = registry.makeDurationHistogram(
            name: "gatehouse_http_request_duration_seconds",
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500), .seconds(2)],
            help: "Admin API request latency")
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
