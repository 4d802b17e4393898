import Foundation

/// One relay's life: trigger delay, then monostable hold or bistable toggle; held on while a door is normally open.
/// Pure: time is passed in, deadlines are reported, nothing sleeps.
public struct RelayStateMachine: Hashable, Sendable {
    public private(set) var relay: Relay
    public private(set) var isActive = false
    /// A trigger waiting out the trigger delay, with the hold it asked for.
    public private(set) var pendingActivation: Date?
    private var pendingHold = 0
    /// When a monostable relay drops back.
    public private(set) var releaseAt: Date?
    /// Held energised by normal open or an "on" command, regardless of the hold timer.
    public private(set) var isHeld = false

    public init(relay: Relay) { self.relay = relay }

    public mutating func reconfigure(_ relay: Relay) { self.relay = relay }

    public var output: RelayOutput {
        RelayOutput(
            relay: relay.id, kind: relay.kind, isActive: isActive,
            level: (isActive != relay.isInverted) ? .high : .low)
    }

    /// The next instant at which `advance(to:)` has something to do.
    public var nextDeadline: Date? {
        [pendingActivation, isHeld ? nil : releaseAt].compactMap { $0 }.min()
    }

    /// A trigger (grant, exit button, remote open, DTMF). `hold` overrides the relay's hold delay in seconds.
    /// Returns true when the output changed now.
    public mutating func trigger(now: Date, hold: Int? = nil) -> Bool {
        let seconds = max(0, hold ?? relay.holdDelay)
        if relay.triggerDelay > 0 {
            if pendingActivation == nil { pendingActivation = now.addingTimeInterval(TimeInterval(relay.triggerDelay)) }
            pendingHold = seconds
            return false
        }
        return activate(now: now, hold: seconds)
    }

    private mutating func activate(now: Date, hold: Int) -> Bool {
        let was = isActive
        switch (relay.mode, relay.purpose) {
        case (.bistable, _):
            isActive.toggle()
            releaseAt = nil
        case (.monostable, .resetByEvent):
            isActive = true
            releaseAt = nil
        case (.monostable, _):
            isActive = true
            let until = now.addingTimeInterval(TimeInterval(hold))
            releaseAt = max(releaseAt ?? until, until)
        }
        return was != isActive
    }

    /// Holds the relay energised (normal open, auxiliary output on) or lets it go.
    public mutating func setHeld(_ held: Bool, now: Date) -> Bool {
        let was = isActive
        isHeld = held
        if held {
            isActive = true
        } else if let releaseAt, releaseAt > now, relay.mode == .monostable {
            isActive = true
        } else {
            isActive = false
            releaseAt = nil
        }
        return was != isActive
    }

    /// Drops the relay now (close-and-lock, remote close, reset by event).
    public mutating func release() -> Bool {
        let was = isActive
        isActive = false
        isHeld = false
        releaseAt = nil
        pendingActivation = nil
        return was != isActive
    }

    /// Processes due deadlines. Returns true when the output changed.
    public mutating func advance(to now: Date) -> Bool {
        var changed = false
        if let pending = pendingActivation, pending <= now {
            pendingActivation = nil
            changed = activate(now: pending, hold: pendingHold) || changed
        }
        if !isHeld, let releaseAt, releaseAt <= now {
            self.releaseAt = nil
            if isActive {
                isActive = false
                changed = true
            }
        }
        return changed
    }
}
