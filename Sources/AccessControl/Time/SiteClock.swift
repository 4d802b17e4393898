import Foundation

/// Where the site's "now" comes from. The live host passes a wall clock; tests pass ``TestClock`` and advance it.
public protocol SiteClock: Sendable {
    var now: Date { get }
    /// Suspends until `deadline` (used only for the advisor's deadline). Throws when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The wall clock, for the live host.
public struct SystemClock: SiteClock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }
    }
}

/// A clock that moves only when told to. Sleepers wake when `advance` passes their deadline.
///
/// `@unchecked Sendable`: every stored property is read and written only while holding `lock`.
public final class TestClock: SiteClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [(deadline: Date, continuation: CheckedContinuation<Void, Never>)] = []

    public init(_ start: Date = Date(timeIntervalSince1970: 1_767_261_600)) {  // 2026-01-01 10:00 UTC, a Thursday
        current = start
    }

    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func advance(by seconds: TimeInterval) {
        advance(to: now.addingTimeInterval(seconds))
    }

    public func advance(to date: Date) {
        lock.lock()
        if date > current { current = date }
        let due = sleepers.filter { $0.deadline <= current }
        sleepers.removeAll { $0.deadline <= current }
        lock.unlock()
        for sleeper in due { sleeper.continuation.resume() }
    }

    public func sleep(until deadline: Date) async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if deadline <= current {
                lock.unlock()
                continuation.resume()
            } else {
                sleepers.append((deadline, continuation))
                lock.unlock()
            }
        }
    }
}
