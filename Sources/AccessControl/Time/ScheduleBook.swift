import Foundation

/// Answers "is timezone N active now?" for a site: its timezones, its holidays, and the built-in named schedules
/// 1001 (Always) and 1002 (Never).
public struct ScheduleBook: Sendable {
    public private(set) var timezones: [TimezoneID: Timezone] = [:]
    public private(set) var holidays: [Holiday] = []
    private var fixedHolidays: [CalendarDate: Int] = [:]
    private var yearlyHolidays: [Int: Int] = [:]  // month * 100 + day → type

    public init(timezones: [Timezone] = [], holidays: [Holiday] = []) {
        for timezone in timezones { self.timezones[timezone.id] = timezone }
        setHolidays(holidays)
    }

    public mutating func set(_ timezone: Timezone) { timezones[timezone.id] = timezone }
    public mutating func removeTimezone(_ id: TimezoneID) { timezones[id] = nil }

    public mutating func setHolidays(_ list: [Holiday]) {
        holidays = list.sorted { $0.date < $1.date }
        fixedHolidays = [:]
        yearlyHolidays = [:]
        for holiday in list {
            switch holiday.recurrence {
            case .once: fixedHolidays[holiday.date] = holiday.type
            case .yearly: yearlyHolidays[holiday.date.month * 100 + holiday.date.day] = holiday.type
            }
        }
    }

    public func contains(_ id: TimezoneID) -> Bool {
        id == .namedAlways || id == .namedNever || timezones[id] != nil
    }

    /// The holiday type (1–3) of a local date, or nil for an ordinary day. A dated holiday wins over a yearly one.
    public func holidayType(on date: CalendarDate) -> Int? {
        if !fixedHolidays.isEmpty, let type = fixedHolidays[date] { return type }
        if !yearlyHolidays.isEmpty { return yearlyHolidays[date.month * 100 + date.day] }
        return nil
    }

    /// Unknown timezones are never active: a reference to a deleted rule must fail closed.
    public func isActive(_ id: TimezoneID, at local: LocalTime, instant: Date) -> Bool {
        if id == .namedAlways { return true }
        if id == .namedNever { return false }
        guard let timezone = timezones[id] else { return false }
        return timezone.isActive(at: local, holidayType: holidayType(on: local.date), instant: instant)
    }
}
