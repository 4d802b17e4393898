import Foundation

/// What a relay is doing, as handed to a driver.
public struct RelayOutput: Hashable, Sendable {
    public var relay: RelayID
    public var kind: Relay.Kind
    /// Energised (door released, bell ringing, output on).
    public var isActive: Bool
    /// The electrical level, after the relay's "Invert State".
    public var level: Level

    public init(relay: RelayID, kind: Relay.Kind, isActive: Bool, level: Level) {
        self.relay = relay
        self.kind = kind
        self.isActive = isActive
        self.level = level
    }
}

/// Makes relays click. Called from the site actor on every change, so it must not block: a driver with slow I/O
/// (a web relay over HTTP) queues the change and returns.
public protocol RelayDriver: Sendable {
    func apply(_ output: RelayOutput)
}

/// A driver with no hardware behind it: keeps each relay's state and publishes every change.
///
/// `@unchecked Sendable`: `states`, `history` and `continuations` are touched only while holding `lock`.
public final class VirtualRelayDriver: RelayDriver, @unchecked Sendable {
    private let lock = NSLock()
    private var states: [RelayID: RelayOutput] = [:]
    private var history: [RelayOutput] = []
    private var continuations: [UUID: AsyncStream<RelayOutput>.Continuation] = [:]

    public init() {}

    public func apply(_ output: RelayOutput) {
        lock.lock()
        states[output.relay] = output
        // Bounded: a long-running demo must not grow without limit.
        if history.count >= 4096 { history.removeFirst(history.count - 4095) }
        history.append(output)
        let targets = Array(continuations.values)
        lock.unlock()
        for continuation in targets { continuation.yield(output) }
    }

    /// Whether the relay is energised now.
    public func isActive(_ relay: RelayID) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return states[relay]?.isActive ?? false
    }

    public func output(_ relay: RelayID) -> RelayOutput? {
        lock.lock()
        defer { lock.unlock() }
        return states[relay]
    }

    /// The changes applied so far (the last 4096), in order.
    public var changes: [RelayOutput] {
        lock.lock()
        defer { lock.unlock() }
        return history
    }

    /// Changes from now on.
    public func observe() -> AsyncStream<RelayOutput> {
        let (stream, continuation) = AsyncStream<RelayOutput>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id = UUID()
        lock.lock()
        continuations[id] = continuation
        lock.unlock()
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            self.lock.lock()
            self.continuations[id] = nil
            self.lock.unlock()
        }
        return stream
    }
}
