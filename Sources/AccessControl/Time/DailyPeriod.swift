import Foundation

/// One period of a day as the PUSH `timezone` table encodes it: `start << 16 | end`, each as HHMM (830 = 08:30).
/// Both ends are inclusive at minute resolution, so 0000–2359 is the whole day. The raw value 0 is "no period".
public struct DailyPeriod: Hashable, Sendable, Codable {
    /// Minutes since midnight.
    public let startMinute: Int
    public let endMinute: Int

    public init(start: (hour: Int, minute: Int), end: (hour: Int, minute: Int)) throws(ModelError) {
        for (name, value) in [("start", start), ("end", end)] {
            guard (0...23).contains(value.hour), (0...59).contains(value.minute) else {
                throw ModelError(field: "time period \(name)", rule: .format("a time of day HH:MM between 00:00 and 23:59"))
            }
        }
        startMinute = start.hour * 60 + start.minute
        endMinute = end.hour * 60 + end.minute
        guard startMinute <= endMinute else {
            throw ModelError(field: "time period", rule: .conflict("start must not be after end"))
        }
    }

    /// Decodes a PUSH value; nil for 0 (unused period).
    public init?(raw: Int, field: String = "time period") throws(ModelError) {
        guard raw != 0 else { return nil }
        guard raw > 0, raw <= Int(UInt32.max) else {
            throw ModelError(field: field, rule: .format("start<<16|end with HHMM halves"))
        }
        let start = raw >> 16
        let end = raw & 0xFFFF
        do {
            try self.init(start: (start / 100, start % 100), end: (end / 100, end % 100))
        } catch {
            throw ModelError(field: field, rule: .format("start<<16|end with HHMM halves, start not after end (got \(raw))"))
        }
    }

    public static let wholeDay = DailyPeriod(startMinute: 0, endMinute: 23 * 60 + 59)

    init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// The PUSH encoding.
    public var raw: Int {
        let start = (startMinute / 60) * 100 + startMinute % 60
        let end = (endMinute / 60) * 100 + endMinute % 60
        return start << 16 | end
    }

    public func contains(minuteOfDay: Int) -> Bool { minuteOfDay >= startMinute && minuteOfDay <= endMinute }
}
