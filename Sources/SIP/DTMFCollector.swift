/// Gathers the digits of one call into sequences, the way an Akuvox door ends them: `#` ends a sequence (and is
/// not part of it), a relay's DTMF code ends it as soon as no longer code could still follow, and a pause longer
/// than the timeout ends whatever was typed. Pure: the caller supplies the instants (monotonic nanoseconds).
public struct DTMFCollector: Sendable {
    public enum End: String, Sendable, Equatable {
        /// `#` was pressed.
        case hash
        /// The digits are a relay's code and no longer code starts with them.
        case code
        /// No digit for the timeout.
        case timeout
        /// The sequence reached the longest the door keeps.
        case limit
    }

    public struct Sequence: Sendable, Equatable {
        public var digits: String
        public var end: End
    }

    public var codes: Set<String>
    public let timeoutNanoseconds: UInt64
    public let limit: Int
    public private(set) var digits = ""
    public private(set) var lastDigitAt: UInt64 = 0

    public init(codes: Set<String>, timeoutNanoseconds: UInt64, limit: Int = 32) {
        self.codes = codes
        self.timeoutNanoseconds = timeoutNanoseconds
        self.limit = limit
    }

    /// When the pending digits time out; nil when none are pending.
    public var deadline: UInt64? { digits.isEmpty ? nil : lastDigitAt &+ timeoutNanoseconds }

    /// Adds a digit heard at `instant`; returns the sequences it completes (a timed-out one first, then this one).
    public mutating func add(_ digit: Character, at instant: UInt64) -> [Sequence] {
        var ended = expire(at: instant).map { [$0] } ?? []
        lastDigitAt = instant
        digits.append(digit)
        // A code wins over `#` so that codes containing `#` work; a code that is the start of a longer one waits.
        if codes.contains(digits), !codes.contains(where: { $0.count > digits.count && $0.hasPrefix(digits) }) {
            ended.append(take(.code))
        } else if digit == "#" {
            digits.removeLast()
            if digits.isEmpty {
                // A lone `#` ends nothing: nothing was typed.
            } else {
                ended.append(take(.hash))
            }
        } else if digits.count >= limit {
            ended.append(take(.limit))
        }
        return ended
    }

    /// The pending digits as a timed-out sequence, when `instant` is past the deadline.
    public mutating func expire(at instant: UInt64) -> Sequence? {
        guard let deadline, instant >= deadline else { return nil }
        return take(.timeout)
    }

    private mutating func take(_ end: End) -> Sequence {
        defer { digits = "" }
        return Sequence(digits: digits, end: end)
    }
}
