import Foundation

/// A calendar date and time as the protocol writes it, with no time zone (devices keep local time).
public struct PushDateTime: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    var isPlausible: Bool {
        (1...9999).contains(year) && (1...12).contains(month) && (1...31).contains(day)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second)
    }

    /// `YYYY-MM-DD HH:MM:SS` (rtlog `time=`, ACCOUNT StartTime/EndTime).
    public var text: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }

    /// `YYYYMMDD` (user validity when DateFmtFunOn=0).
    public var compactDate: String { "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))" }

    public var description: String { text }

    /// Parses `YYYY-MM-DD HH:MM:SS`; nil for anything else (such as the `1971--10--29 -23:-27:-54` of a device
    /// that never synced its clock).
    public init?(text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x20, bytes[13] == 0x3A, bytes[16] == 0x3A,
              let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
              let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2), let second = digits(bytes, 17, 2)
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard isPlausible else { return nil }
    }

    /// Parses `YYYYMMDD`, or `YYYYMMDDHHMMSS`.
    public init?(compact text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 8 || bytes.count == 14, let year = digits(bytes, 0, 4), let month = digits(bytes, 4, 2),
              let day = digits(bytes, 6, 2) else { return nil }
        if bytes.count == 14 {
            guard let hour = digits(bytes, 8, 2), let minute = digits(bytes, 10, 2), let second = digits(bytes, 12, 2) else { return nil }
            self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        } else {
            self.init(year: year, month: month, day: day)
        }
        guard isPlausible else { return nil }
    }

    public static func < (lhs: PushDateTime, rhs: PushDateTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    // MARK: Appendix 5 / 6

    /// Appendix 5 (`OldEncodeTime`): seconds since 2000 with every month 31 days long. Nil before 2000 or past
    /// what 32 bits hold (year 2136).
    public var encodedSeconds: UInt32? {
        guard year >= 2000, isPlausible else { return nil }
        let days = (year - 2000) * 12 * 31 + (month - 1) * 31 + day - 1
        let seconds = days * 86_400 + (hour * 60 + minute) * 60 + second
        guard seconds <= Int(UInt32.max) else { return nil }
        return UInt32(seconds)
    }

    /// Appendix 6 (`OldDecodeTime`).
    public init(encodedSeconds value: UInt32) {
        var rest = Int(value)
        second = rest % 60
        rest /= 60
        minute = rest % 60
        rest /= 60
        hour = rest % 24
        rest /= 24
        day = rest % 31 + 1
        rest /= 31
        month = rest % 12 + 1
        rest /= 12
        year = rest + 2000
    }
}

/// A timestamp field as received: parsed when it can be, raw text kept either way (a device with a broken clock
/// still reports real events).
public enum PushTimestamp: Sendable, Hashable, Codable {
    case valid(PushDateTime)
    case unparsable(String)

    public init(_ text: String) {
        if let value = PushDateTime(text: text) {
            self = .valid(value)
        } else {
            self = .unparsable(text)
        }
    }

    public var dateTime: PushDateTime? {
        if case .valid(let value) = self { return value }
        return nil
    }

    public var text: String {
        switch self {
        case .valid(let value): value.text
        case .unparsable(let raw): raw
        }
    }
}

/// A user validity bound (`StartTime`/`EndTime` of user and userauthorize): `0` means no limit; otherwise Appendix 5
/// seconds (DateFmtFunOn=1) or `YYYYMMDD` (DateFmtFunOn=0).
public enum ValidityBound: Sendable, Hashable, Codable {
    case unlimited
    case encoded(PushDateTime)
    case date(PushDateTime)
    case unparsable(String)

    public init(_ text: String) {
        if text.isEmpty || text == "0" {
            self = .unlimited
        } else if text.utf8.count == 8, let date = PushDateTime(compact: text) {
            self = .date(date)
        } else if let seconds = UInt32(text) {
            self = .encoded(PushDateTime(encodedSeconds: seconds))
        } else {
            self = .unparsable(text)
        }
    }

    public var text: String {
        switch self {
        case .unlimited: "0"
        case .encoded(let value): value.encodedSeconds.map(String.init) ?? "0"
        case .date(let value): value.compactDate
        case .unparsable(let raw): raw
        }
    }
}

/// A daily time period as the timezone tables carry it: `start << 16 | end`, each an `HHMM` number
/// (8:30–12:00 → `830 << 16 + 1200` = 0x033E04B0).
public struct TimePeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public var startHour: Int
    public var startMinute: Int
    public var endHour: Int
    public var endMinute: Int

    public init(startHour: Int, startMinute: Int, endHour: Int, endMinute: Int) {
        self.startHour = startHour
        self.startMinute = startMinute
        self.endHour = endHour
        self.endMinute = endMinute
    }

    /// Decodes the packed value; nil when either half is not a valid `HHMM` (24:00 allowed as an end).
    public init?(encoded value: Int) {
        guard value >= 0, value <= 0xFFFF_FFFF else { return nil }
        let start = value >> 16
        let end = value & 0xFFFF
        let startHour = start / 100, startMinute = start % 100, endHour = end / 100, endMinute = end % 100
        guard startHour <= 24, startMinute < 60, endHour <= 24, endMinute < 60 else { return nil }
        self.init(startHour: startHour, startMinute: startMinute, endHour: endHour, endMinute: endMinute)
    }

    public var encoded: Int { ((startHour * 100 + startMinute) << 16) | (endHour * 100 + endMinute) }

    public var description: String {
        "\(pad(startHour, 2)):\(pad(startMinute, 2))-\(pad(endHour, 2)):\(pad(endMinute, 2))"
    }
}

/// A DST switch moment `MMIIWWHH`: month, week of the month, weekday, hour (DSTSetting StartTime/EndTime).
public struct DSTMoment: Sendable, Hashable, Codable {
    public var month: Int
    public var week: Int
    public var weekday: Int
    public var hour: Int

    public init(month: Int, week: Int, weekday: Int, hour: Int) {
        self.month = month
        self.week = week
        self.weekday = weekday
        self.hour = hour
    }

    public init?(text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 8, let month = digits(bytes, 0, 2), let week = digits(bytes, 2, 2),
              let weekday = digits(bytes, 4, 2), let hour = digits(bytes, 6, 2),
              (1...12).contains(month), (1...5).contains(week), (0...7).contains(weekday), (0...23).contains(hour)
        else { return nil }
        self.init(month: month, week: week, weekday: weekday, hour: hour)
    }

    public var text: String { pad(month, 2) + pad(week, 2) + pad(weekday, 2) + pad(hour, 2) }
}

/// Protocol version negotiation (Appendix 13): both sides use the lower of the two versions; a side that says
/// nothing is taken as 3.0.1.
public struct PushProtocolVersion: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var components: [Int]

    public static let v3_0_1 = PushProtocolVersion(components: [3, 0, 1])
    public static let v3_1_1 = PushProtocolVersion(components: [3, 1, 1])
    public static let v3_1_2 = PushProtocolVersion(components: [3, 1, 2])

    public init(components: [Int]) { self.components = components }

    /// Parses `3.1.2` (also `Ver 3.1.2`); nil when there are no numeric components.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces.lowercased().replacingOccurrences(of: "ver", with: "").trimmingSpaces
        let numbers = trimmed.split(separator: ".").map { Int($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { return nil }
        self.components = numbers.compactMap { $0 }
    }

    public var description: String { components.map(String.init).joined(separator: ".") }

    /// Whether communication encryption (public keys, factors) may be used (3.1.1 and above).
    public var supportsEncryption: Bool { self >= .v3_1_1 }

    public static func < (lhs: PushProtocolVersion, rhs: PushProtocolVersion) -> Bool {
        let count = max(lhs.components.count, rhs.components.count)
        for index in 0..<count {
            let left = index < lhs.components.count ? lhs.components[index] : 0
            let right = index < rhs.components.count ? rhs.components[index] : 0
            if left != right { return left < right }
        }
        return false
    }

    /// The version both sides use.
    public static func negotiated(device: PushProtocolVersion?, server: PushProtocolVersion?) -> PushProtocolVersion {
        min(device ?? .v3_0_1, server ?? .v3_0_1)
    }
}

@inline(__always)
func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    if value < 0 || text.count >= width { return text }
    return String(repeating: "0", count: width - text.count) + text
}

/// Reads `count` ASCII digits at `offset`; nil if any byte is not a digit.
@inline(__always)
func digits(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int? {
    guard offset >= 0, offset + count <= bytes.count else { return nil }
    var value = 0
    for index in offset..<(offset + count) {
        let byte = bytes[index]
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
    }
    return value
}
