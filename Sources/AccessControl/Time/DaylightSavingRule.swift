import Foundation

/// A ZKTeco-style DST rule (`DSTSetting` StartTime/EndTime `MMIIWWHH`: month, week of the month, weekday, hour),
/// for sites whose controller clock follows a configured rule rather than an IANA zone's history. When a site has
/// one, its time zone supplies only the standard offset and this rule decides when summer time applies.
public struct DaylightSavingRule: Hashable, Sendable, Codable {
    public struct Moment: Hashable, Sendable, Codable {
        public var month: Int
        /// 1–4, or 5 for "the last such weekday of the month".
        public var week: Int
        /// 0 = Sunday … 6 = Saturday.
        public var weekday: Int
        public var hour: Int

        public init(month: Int, week: Int, weekday: Int, hour: Int) {
            self.month = month
            self.week = week
            self.weekday = weekday
            self.hour = hour
        }
    }

    /// When summer time starts, in standard local time.
    public var start: Moment
    /// When summer time ends, in summer (wall-clock) time, as devices display it.
    public var end: Moment
    public var offsetMinutes: Int

    public init(start: Moment, end: Moment, offsetMinutes: Int = 60) {
        self.start = start
        self.end = end
        self.offsetMinutes = offsetMinutes
    }

    /// The European Union rule for a zone whose standard time is UTC+1: from the last Sunday of March at 02:00
    /// to the last Sunday of October at 03:00 (both 01:00 UTC).
    public static let centralEurope = DaylightSavingRule(
        start: Moment(month: 3, week: 5, weekday: 0, hour: 2), end: Moment(month: 10, week: 5, weekday: 0, hour: 3))

    func validate() throws(ModelError) {
        for (name, moment) in [("start", start), ("end", end)] {
            guard (1...12).contains(moment.month), (1...5).contains(moment.week), (0...6).contains(moment.weekday),
                (0...23).contains(moment.hour)
            else {
                throw ModelError(field: "DST \(name)", rule: .format("month 1–12, week 1–5, weekday 0–6, hour 0–23"))
            }
        }
        guard (1...180).contains(offsetMinutes) else { throw ModelError(field: "DST offset", rule: .range(min: 1, max: 180)) }
    }

    /// Seconds since 1970 (in standard local time, treated as UTC) at which `moment` falls in `year`.
    static func standardLocalSeconds(of moment: Moment, in year: Int, calendar: Calendar) -> Double? {
        guard let first = calendar.date(from: DateComponents(year: year, month: moment.month, day: 1)) else { return nil }
        let firstWeekday = calendar.component(.weekday, from: first) - 1
        var day = 1 + (moment.weekday - firstWeekday + 7) % 7 + (min(moment.week, 5) - 1) * 7
        let days = calendar.range(of: .day, in: .month, for: first)?.count ?? 28
        while day > days { day -= 7 }
        return first.timeIntervalSince1970 + Double(day - 1) * 86400 + Double(moment.hour) * 3600
    }

    /// Whether summer time applies at `standardLocal` (standard local time as seconds since 1970).
    func applies(atStandardLocal standardLocal: Double, year: Int, calendar: Calendar) -> Bool {
        guard let begin = Self.standardLocalSeconds(of: start, in: year, calendar: calendar),
            let finish = Self.standardLocalSeconds(of: end, in: year, calendar: calendar)
        else { return false }
        // The end moment is given in summer time on devices; in standard time it is one offset earlier.
        let finishStandard = finish - Double(offsetMinutes * 60)
        if begin <= finishStandard { return standardLocal >= begin && standardLocal < finishStandard }
        return standardLocal >= begin || standardLocal < finishStandard  // southern hemisphere
    }
}
