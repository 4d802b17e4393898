import Foundation

/// An instant as the site's wall clock shows it: what schedules are evaluated against.
public struct LocalTime: Hashable, Sendable {
    public var date: CalendarDate
    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int
    public var minuteOfDay: Int
    /// Seconds within the minute.
    public var second: Int
    /// Offset from UTC in seconds at this instant (DST included).
    public var utcOffset: Int

    /// `YYYY-MM-DD HH:MM:SS`, the form PUSH rtlog `time=` uses. Built by hand: `String(format:)` costs
    /// microseconds on Linux and every journal entry needs this.
    public var formatted: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(19)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = max(0, value)
            while divisor > 0 {
                bytes.append(UInt8(48 + (rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        append(date.year, digits: 4)
        bytes.append(45)
        append(date.month, digits: 2)
        bytes.append(45)
        append(date.day, digits: 2)
        bytes.append(32)
        append(minuteOfDay / 60, digits: 2)
        bytes.append(58)
        append(minuteOfDay % 60, digits: 2)
        bytes.append(58)
        append(second, digits: 2)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Converts instants to the site's local time through its IANA time zone, so DST transitions follow the zone's rules.
///
/// Decisions happen many times per minute; the conversion of the current minute is cached.
public struct SiteCalendar: Sendable {
    public let timeZone: TimeZone
    /// When set, the zone gives only its standard offset and this rule decides summer time.
    public let daylightSaving: DaylightSavingRule?
    private let calendar: Calendar
    private let utcCalendar: Calendar
    private var cachedMinute: Int64 = .min
    private var cached = LocalTime(date: CalendarDate(year: 1970, month: 1, day: 1), weekday: 4, minuteOfDay: 0, second: 0, utcOffset: 0)

    public init(timeZoneIdentifier: String, daylightSaving: DaylightSavingRule? = nil) throws(ModelError) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else {
            throw ModelError(field: "site time zone", rule: .format("an IANA time zone name such as Europe/Paris (got \(timeZoneIdentifier))"))
        }
        try daylightSaving?.validate()
        self.init(timeZone: zone, daylightSaving: daylightSaving)
    }

    public init(timeZone: TimeZone, daylightSaving: DaylightSavingRule? = nil) {
        self.timeZone = timeZone
        self.daylightSaving = daylightSaving
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? timeZone
        self.utcCalendar = utc
    }

    /// Standard offset plus the rule's summer time, for sites with a configured rule.
    private func ruleOffset(at instant: Date, rule: DaylightSavingRule) -> Int {
        let standard = timeZone.secondsFromGMT(for: instant) - Int(timeZone.daylightSavingTimeOffset(for: instant))
        let standardLocal = instant.timeIntervalSince1970 + Double(standard)
        let year = utcCalendar.component(.year, from: Date(timeIntervalSince1970: standardLocal))
        let summer = rule.applies(atStandardLocal: standardLocal, year: year, calendar: utcCalendar)
        return standard + (summer ? rule.offsetMinutes * 60 : 0)
    }

    public mutating func localTime(at instant: Date) -> LocalTime {
        let seconds = instant.timeIntervalSince1970
        let minute = Int64((seconds / 60).rounded(.down))
        if minute == cachedMinute {
            var local = cached
            local.second = Int(seconds - Double(minute) * 60)
            return local
        }
        let parts: DateComponents
        let offset: Int
        if let rule = daylightSaving {
            offset = ruleOffset(at: instant, rule: rule)
            parts = utcCalendar.dateComponents(
                [.year, .month, .day, .weekday, .hour, .minute, .second], from: instant.addingTimeInterval(Double(offset)))
        } else {
            offset = timeZone.secondsFromGMT(for: instant)
            parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: instant)
        }
        let local = LocalTime(
            date: CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1),
            weekday: (parts.weekday ?? 1) - 1,
            minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0),
            second: parts.second ?? 0,
            utcOffset: offset)
        cachedMinute = minute
        cached = local
        return local
    }

    public func localTimeUncached(at instant: Date) -> LocalTime {
        var copy = self
        copy.cachedMinute = .min
        return copy.localTime(at: instant)
    }

    /// The instant a local wall-clock minute begins (the first, when DST repeats it).
    public func instant(of date: CalendarDate, minuteOfDay: Int) -> Date? {
        calendar.date(
            from: DateComponents(
                year: date.year, month: date.month, day: date.day, hour: minuteOfDay / 60, minute: minuteOfDay % 60))
    }
}
