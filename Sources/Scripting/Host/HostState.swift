import Foundation

/// State owned by the host rather than a VM: it survives reloads (rate limit
/// windows, the actions scripts queued) and is shared by old and new VM.
final class HostState {
    var rateLimiter = RateLimiter()
    /// Actions queued by scripts, drained by the host after each slice.
    var queuedActions: [(action: ScriptAction, position: String)] = []
    /// Canned outbound replies and recorded actions when running under `gatehouse test`/`replay`.
    var simulation: Simulation?

    init(simulation: Simulation? = nil) { self.simulation = simulation }
}

/// Generic cell-rate algorithm: `count` events per `period`, bursts up to `count`.
/// Host-owned so a reload does not reset a lockout window.
struct RateLimiter {
    private var arrivals: [String: Date] = [:]
    private let maximumKeys = 10_000

    mutating func allow(_ key: String, count: Int64, period: Double, now: Date) -> Bool {
        guard count > 0, period > 0 else { return false }
        let interval = period / Double(count)
        let tolerance = period - interval
        let theoretical = max(arrivals[key] ?? now, now)
        if theoretical.timeIntervalSince(now) > tolerance + 1e-9 { return false }
        if arrivals.count >= maximumKeys && arrivals[key] == nil {
            arrivals = arrivals.filter { $0.value > now }
            if arrivals.count >= maximumKeys { return false }
        }
        arrivals[key] = theoretical.addingTimeInterval(interval)
        return true
    }
}

/// The fake world of `gatehouse test` and `gatehouse replay`: canned outbound
/// replies, a record of every action and outbound request, in order.
final class Simulation {
    struct CannedReply {
        var pattern: String
        var result: ScriptOutboundResult
    }
    var replies: [CannedReply] = []
    var record: [SimulationRecord] = []

    func reply(to request: ScriptOutboundRequest) -> ScriptOutboundResult {
        record.append(.outbound(request))
        let target: String
        switch request {
        case .http(_, let url, _, _, _, _), .ftpPut(let url, _, _, _, _), .tftpPut(let url, _, _, _): target = url
        case .mail(_, _, let to, _, _, _, _, _): target = "mailto:" + to.joined(separator: ",")
        case .snapshot(let camera): target = "snapshot:" + (camera ?? "")
        case .webRelay(let id): target = "webrelay:\(id)"
        case .mqttPublish(let topic, _, _, _): target = "mqtt:" + topic
        }
        for reply in replies.reversed() where target.contains(reply.pattern) { return reply.result }
        switch request {
        case .http: return .failure("no canned reply for \(target)")
        case .snapshot: return .success(["ref": .string("snapshot-\(record.count)")])
        default: return .success(["ok": .boolean(true)])
        }
    }
}

/// One observable effect of a script in simulation.
public enum SimulationRecord: Sendable, Equatable, Codable {
    case action(ScriptAction)
    case outbound(ScriptOutboundRequest)
    case log(level: String, message: String)
    /// A request the host's own outbound layer (the site's `actions.toml`: input actions, action URLs, the
    /// reception tab, web relays) was asked to make, as `sim.actions()` shows it.
    case outbox([String: String])
}
