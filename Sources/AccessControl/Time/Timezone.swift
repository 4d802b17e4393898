import Foundation

/// A PUSH `timezone` row (time rule): up to three periods for each weekday and for each of three holiday types,
/// with an optional validity window. Akuvox named schedules are mapped onto this same shape.
public struct Timezone: Hashable, Sendable, Codable {
    public var id: TimezoneID
    public var name: String
    /// Index 0 is Sunday, as in the PUSH field order (SunTime1 … SatTime3).
    public var weekdays: [[DailyPeriod]]
    /// Periods for holiday types 1–3; nil means holidays follow the weekday (Akuvox schedules ignore holidays).
    public var holidays: [[DailyPeriod]]?
    public var validity: DateWindow?

    public init(
        id: TimezoneID, name: String = "", weekdays: [[DailyPeriod]], holidays: [[DailyPeriod]]? = nil,
        validity: DateWindow? = nil
    ) {
        self.id = id
        self.name = name
        self.weekdays = weekdays
        self.holidays = holidays
        self.validity = validity
    }

    /// Active every minute of every day and holiday.
    public static func always(id: TimezoneID, name: String = "Always") -> Timezone {
        Timezone(
            id: id, name: name, weekdays: Array(repeating: [.wholeDay], count: 7),
            holidays: Array(repeating: [.wholeDay], count: 3))
    }

    public static func never(id: TimezoneID, name: String = "Never") -> Timezone {
        Timezone(id: id, name: name, weekdays: Array(repeating: [], count: 7), holidays: Array(repeating: [], count: 3))
    }

    /// Builds a timezone from the 30 PUSH values in field order: Sun1-3 … Sat1-3, Hol1Time1-3 … Hol3Time3.
    public init(id: TimezoneID, pushValues: [Int], validity: DateWindow? = nil) throws(ModelError) {
        guard pushValues.count == 30 else {
            throw ModelError(field: "timezone \(id) periods", rule: .length(min: 30, max: 30))
        }
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Hol1", "Hol2", "Hol3"]
        var days: [[DailyPeriod]] = []
        for day in 0..<10 {
            var periods: [DailyPeriod] = []
            for slot in 0..<3 {
                let field = "timezone \(id) \(names[day])Time\(slot + 1)"
                if let period = try DailyPeriod(raw: pushValues[day * 3 + slot], field: field) { periods.append(period) }
            }
            days.append(periods)
        }
        self.init(id: id, weekdays: Array(days[0..<7]), holidays: Array(days[7..<10]), validity: validity)
    }

    /// The 30 PUSH values in field order.
    public var pushValues: [Int] {
        var values: [Int] = []
        for day in weekdays + (holidays ?? [[], [], []]) {
            for slot in 0..<3 { values.append(slot < day.count ? day[slot].raw : 0) }
        }
        return values
    }

    func validate() throws(ModelError) {
        guard id.rawValue > 0 else { throw ModelError(field: "timezone id", rule: .range(min: 1, max: Int(Int32.max))) }
        guard weekdays.count == 7 else { throw ModelError(field: "timezone \(id) weekdays", rule: .length(min: 7, max: 7)) }
        if let holidays, holidays.count != 3 {
            throw ModelError(field: "timezone \(id) holiday types", rule: .length(min: 3, max: 3))
        }
        for day in weekdays + (holidays ?? []) {
            guard day.count <= 3 else { throw ModelError(field: "timezone \(id) periods per day", rule: .tooMany(limit: 3)) }
            // Periods decoded from JSON bypass DailyPeriod's own checks.
            for period in day where !(0 <= period.startMinute && period.startMinute <= period.endMinute && period.endMinute < 1440) {
                throw ModelError(field: "timezone \(id) period", rule: .format("start not after end, both within 00:00–23:59"))
            }
        }
    }

    func isActive(at local: LocalTime, holidayType: Int?, instant: Date) -> Bool {
        if let validity, !validity.contains(instant) { return false }
        let periods: [DailyPeriod]
        if let holidayType, let holidays, (1...3).contains(holidayType) {
            periods = holidays[holidayType - 1]
        } else {
            periods = weekdays[local.weekday]
        }
        for period in periods where period.contains(minuteOfDay: local.minuteOfDay) { return true }
        return false
    }
}

/// A calendar day in the site's time zone.
public struct CalendarDate: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses PUSH `YYYYMMDD`.
    public init(pushValue text: String) throws(ModelError) {
        guard text.count == 8, let value = Int(text) else {
            throw ModelError(field: "date \(text)", rule: .format("YYYYMMDD"))
        }
        self.init(year: value / 10000, month: value / 100 % 100, day: value % 100)
        guard (1...12).contains(month), (1...31).contains(day) else {
            throw ModelError(field: "date \(text)", rule: .format("YYYYMMDD with a real month and day"))
        }
    }

    public var pushValue: String { String(format: "%04d%02d%02d", year, month, day) }
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A PUSH `holiday` row.
public struct Holiday: Hashable, Sendable, Codable {
    /// `Loop`: 1 repeats every year on the same month and day, 2 is that date only.
    public enum Recurrence: Int, Hashable, Sendable, Codable {
        case yearly = 1
        case once = 2
    }

    public var date: CalendarDate
    public var type: Int
    public var recurrence: Recurrence

    public init(date: CalendarDate, type: Int, recurrence: Recurrence) {
        self.date = date
        self.type = type
        self.recurrence = recurrence
    }

    func validate() throws(ModelError) {
        guard (1...3).contains(type) else { throw ModelError(field: "holiday \(date) type", rule: .range(min: 1, max: 3)) }
        guard (1...12).contains(date.month), (1...31).contains(date.day) else {
            throw ModelError(field: "holiday \(date) date", rule: .format("a real month and day"))
        }
    }
}
