import Foundation
import Synchronization

/// Slows down token guessing: a client address with too many failed authentications in a window is refused
/// (429) until the window passes, without the token even being checked.
public final class FailedAuthLimiter: Sendable {
    public let maxFailures: Int
    public let window: TimeInterval
    private let now: @Sendable () -> Date
    private let failures = Mutex<[String: [Date]]>([:])

    public init(maxFailures: Int = 10, window: TimeInterval = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.maxFailures = maxFailures
        self.window = window
        self.now = now
    }

    /// Seconds until `client` may try again, or nil when it may try now.
    public func retryAfter(_ client: String) -> Int? {
        let instant = now()
        return failures.withLock { table in
            let recent = (table[client] ?? []).filter { instant.timeIntervalSince($0) < window }
            table[client] = recent.isEmpty ? nil : recent
            guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
            return max(1, Int((window - instant.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    public func recordFailure(_ client: String) {
        let instant = now()
        failures.withLock { table in
            var recent = (table[client] ?? []).filter { instant.timeIntervalSince($0) < window }
            recent.append(instant)
            // Bound memory per client; only the newest failures matter for the window.
            if recent.count > maxFailures { recent.removeFirst(recent.count - maxFailures) }
            table[client] = recent
            if table.count > 10_000 {
                table = table.filter { $0.value.contains { instant.timeIntervalSince($0) < window } }
            }
        }
    }
}

extension FailedAuthLimiter {
    /// Refuses `client` (429, with Retry-After) while it has too many failed `attempts` in the window.
    func check(_ client: String, attempts: String) throws(APIError) {
        guard let seconds = retryAfter(client) else { return }
        var error = APIError(
            .tooManyRequests, code: "too_many_failures", message: "too many failed \(attempts); retry in \(seconds) s")
        error.headers[.retryAfter] = String(seconds)
        throw error
    }
}
