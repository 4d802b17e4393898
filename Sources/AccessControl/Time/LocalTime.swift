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

    /// `YYYY-MM-DD HH:MM:SS`, the form PUSH rtlog `time=` uses.
    public var formatted: String {
        String(
            format: "%@ %02d:%02d:%02d", date.description, minuteOfDay / 60, minuteOfDay % 60, second)
    }
}

/// Converts instants to the site's local time through its IANA time zone, so DST transitions follow the zone's rules.
///
/// Decisions happen many times per minute; the conversion of the current minute is cached.
public struct SiteCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar
    private var cachedMinute: Int64 = .min
    private var cached = LocalTime(date: CalendarDate(year: 1970, month: 1, day: 1), weekday: 4, minuteOfDay: 0, second: 0, utcOffset: 0)

    public init(timeZoneIdentifier: String) throws(ModelError) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else {
            throw ModelError(field: "site time zone", rule: .format("an IANA time zone name such as Europe/Paris (got \(timeZoneIdentifier))"))
        }
        self.init(timeZone: zone)
    }

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    public mutating func localTime(at instant: Date) -> LocalTime {
        let seconds = instant.timeIntervalSince1970
        let minute = Int64((seconds / 60).rounded(.down))
        if minute == cachedMinute {
            var local = cached
            local.second = Int(seconds - Double(minute) * 60)
            return local
        }
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: instant)
        let local = LocalTime(
            date: CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1),
            weekday: (parts.weekday ?? 1) - 1,
            minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0),
            second: parts.second ?? 0,
            utcOffset: timeZone.secondsFromGMT(for: instant))
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
