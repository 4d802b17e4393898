import Foundation

/// Fires web relay actions through the outbox, so a relay that is briefly unreachable still gets
/// the command (within the retry policy) and every firing has an id for the journal.
/// Fires web relay action ids; `WebRelays` is the real one. The host passes one that follows its
/// reloadable settings to `ScriptIO`.
public protocol WebRelayFiring: Sendable {
    func fire(id: Int, source: String) async throws -> OutboxAttempt
}

public struct WebRelays: WebRelayFiring {
    public var settings: WebRelaySettings
    private let outbox: Outbox

    public init(settings: WebRelaySettings, outbox: Outbox) {
        self.settings = settings
        self.outbox = outbox
    }

    /// Fires action `id` now (one immediate attempt, retries as the outbox decides).
    public func fire(id: Int, source: String = "webrelay") async throws -> OutboxAttempt {
        let request = try settings.request(forAction: id)
        return try await outbox.deliver(.http(request), source: "\(source) \(id)")
    }

    /// For a grant: fires the user's web relay when the relay type and permissions allow it.
    /// Returns whether the local relay should fire too, and the web relay attempt if any.
    public func grant(userWebRelayID: Int, trigger: WebRelayTrigger) async throws -> (fireLocal: Bool, web: OutboxAttempt?) {
        let plan = settings.plan(userWebRelayID: userWebRelayID, trigger: trigger)
        guard let id = plan.webAction else { return (plan.fireLocal, nil) }
        return (plan.fireLocal, try await fire(id: id, source: "grant webrelay"))
    }
}
