import Foundation
import Synchronization
import Testing

@testable import HTTPAPI

@Suite("failed-auth rate limiting")
struct FailedAuthLimiterTests {
    final class Clock: Sendable {
        let instant = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
        var now: Date { instant.withLock { $0 } }
    }

    @Test("the 10th failure within a minute locks the address out until the oldest failure leaves the window")
    func locksOut() {
        let clock = Clock()
        let limiter = FailedAuthLimiter(maxFailures: 10, window: 60, now: { clock.now })
        for _ in 0..<9 {
            limiter.recordFailure("10.0.0.1")
            clock.advance(1)
        }
        #expect(limiter.retryAfter("10.0.0.1") == nil)
        limiter.recordFailure("10.0.0.1")
        #expect(limiter.retryAfter("10.0.0.1") == 51)
        #expect(limiter.retryAfter("10.0.0.2") == nil, "other addresses are unaffected")
        clock.advance(51)
        #expect(limiter.retryAfter("10.0.0.1") == nil)
    }
}
