import AccessControl
import Foundation
import HTTPAPI
import Outbound
import Prometheus
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
    private let requestDuration: DurationHistogram
    private let site: Site
    private let outbox: Outbox
    private let scripts: ScriptHost

    init(site: Site, outbox: Outbox, scripts: ScriptHost) {
        self.site = site
        self.outbox = outbox
        self.scripts = scripts
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
        return registry.emitToString()
    }

    /// Counts decisions from the journal for the host's lifetime.
    func follow() async {
        for await entry in await site.journalEntries() { observeDecision(entry) }
    }
}
