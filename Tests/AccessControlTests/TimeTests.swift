import Foundation
import PushProtocol
import Testing

@testable import AccessControl

@Suite("Time: periods, timezones, holidays, named schedules, DST")
struct TimeTests {
    struct PeriodCase: Sendable, CustomTestStringConvertible {
        let raw: Int
        let start: Int
        let end: Int
        var testDescription: String { String(raw) }
    }

    // The reference's own examples: 00:01–00:03 = 65539, 10:00–11:00 = 65537100, 8:30–12:00 = 0x33e04b0.
    @Test(arguments: [
        PeriodCase(raw: 65539, start: 1, end: 3),
        PeriodCase(raw: 65_537_100, start: 600, end: 660),
        PeriodCase(raw: 0x33e04b0, start: 510, end: 720),
        PeriodCase(raw: 2359, start: 0, end: 1439),
    ])
    func pushPeriodDecodes(_ row: PeriodCase) throws {
        let period = try #require(try DailyPeriod(raw: row.raw))
        #expect(period.startMinute == row.start)
        #expect(period.endMinute == row.end)
        #expect(period.raw == row.raw)
    }

    @Test(arguments: [-1, 2400 << 16 | 2500, 1260, 1200 << 16 | 800, 0x1_0000_0000])
    func malformedPeriodIsRefused(_ raw: Int) {
        #expect(throws: ModelError.self) { try DailyPeriod(raw: raw) }
    }

    @Test func zeroMeansNoPeriod() throws {
        #expect(try DailyPeriod(raw: 0) == nil)
    }

    /// The reference example: timezone 2, Monday 00:01–00:03 and 10:00–11:00.
    @Test func referenceTimezoneExample() throws {
        var values = Array(repeating: 0, count: 30)
        values[3] = 65539
        values[4] = 65_537_100
        let timezone = try Timezone(id: 2, pushValues: values)
        #expect(timezone.pushValues == values)
        let book = ScheduleBook(timezones: [timezone])
        var calendar = SiteCalendar(timeZone: TimeZone(identifier: "UTC")!)
        let monday = Date(timeIntervalSince1970: 1_767_571_200)  // 2026-01-05 00:00 UTC, a Monday
        func active(_ minutes: Double) -> Bool {
            let instant = monday.addingTimeInterval(minutes * 60)
            return book.isActive(2, at: calendar.localTime(at: instant), instant: instant)
        }
        #expect(!active(0))
        #expect(active(1))
        #expect(active(3.9))
        #expect(!active(4))
        #expect(active(600))
        #expect(active(660))
        #expect(!active(661))
        #expect(!active(24 * 60 + 600))  // Tuesday
    }

    @Test func holidaysUseTheirOwnPeriods() throws {
        let office = Fixture.officeHours
        let book = ScheduleBook(
            timezones: [office],
            holidays: [
                Holiday(date: CalendarDate(year: 2020, month: 1, day: 1), type: 1, recurrence: .yearly),
                Holiday(date: CalendarDate(year: 2026, month: 1, day: 2), type: 2, recurrence: .once),
                Holiday(date: CalendarDate(year: 2025, month: 1, day: 5), type: 2, recurrence: .once),
            ])
        var calendar = SiteCalendar(timeZone: TimeZone(identifier: "UTC")!)
        func active(_ instant: Date) -> Bool { book.isActive(2, at: calendar.localTime(at: instant), instant: instant) }
        let newYear2026 = Fixture.start  // Thursday 10:00, a yearly holiday: no periods
        #expect(!active(newYear2026))
        #expect(!active(newYear2026.addingTimeInterval(86400)))  // Friday 2 January 2026: a dated holiday
        #expect(active(newYear2026.addingTimeInterval(4 * 86400)))  // Monday 5 January 2026 (the 2025 date is not yearly)
        #expect(book.holidayType(on: CalendarDate(year: 2031, month: 1, day: 1)) == 1)
    }

    @Test func namedSchedulesMapOntoTimezones() throws {
        let calendar = SiteCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)
        let nineToFive = try DailyPeriod(start: (9, 0), end: (17, 0))
        let weekly = try NamedSchedule(id: 1003, name: "Weekdays", kind: .weekly(days: [1, 2, 3, 4, 5], period: nineToFive)).timezone(in: calendar)
        let range = try NamedSchedule(
            id: 1004, name: "January",
            kind: .dateRange(from: CalendarDate(year: 2026, month: 1, day: 1), through: CalendarDate(year: 2026, month: 1, day: 31), period: .wholeDay)
        ).timezone(in: calendar)
        let daily = try NamedSchedule(id: 1005, name: "Daily", kind: .daily(nineToFive)).timezone(in: calendar)
        let book = ScheduleBook(timezones: [weekly, range, daily])
        var site = calendar
        func active(_ id: TimezoneID, _ instant: Date) -> Bool { book.isActive(id, at: site.localTime(at: instant), instant: instant) }
        let thursday10UTC = Fixture.start  // 11:00 in Paris
        let saturday10UTC = thursday10UTC.addingTimeInterval(2 * 86400)
        #expect(active(1001, thursday10UTC))
        #expect(!active(1002, thursday10UTC))
        #expect(active(1003, thursday10UTC))
        #expect(!active(1003, saturday10UTC))
        #expect(active(1005, saturday10UTC))
        #expect(active(1004, thursday10UTC))
        #expect(!active(1004, thursday10UTC.addingTimeInterval(-11 * 3600 - 1)))  // 31 Dec 23:59:59 Paris
        #expect(!active(1004, thursday10UTC.addingTimeInterval(31 * 86400)))  // 1 Feb
        #expect(throws: ModelError.self) {
            try NamedSchedule(id: 1001, name: "x", kind: .daily(.wholeDay)).timezone(in: calendar)
        }
    }

    @Test func daylightSavingTimeFollowsTheSiteZone() async throws {
        // 2026-03-29 01:00 UTC: Paris jumps from 02:00 CET to 03:00 CEST.
        let jump = Date(timeIntervalSince1970: 1_774_746_000)
        var calendar = SiteCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!)
        #expect(calendar.localTime(at: jump.addingTimeInterval(-60)).formatted == "2026-03-29 01:59:00")
        #expect(calendar.localTime(at: jump).formatted == "2026-03-29 03:00:00")
        #expect(calendar.localTime(at: jump).utcOffset == 7200)

        // A door normally open 08:00–18:00 local opens at 06:00 UTC after the change, 07:00 UTC before.
        let fixture = try Fixture(start: jump) {
            $0.settings.timeZoneIdentifier = "Europe/Paris"
            $0.timezones.append(Timezone(id: 3, weekdays: Array(repeating: [try! DailyPeriod(start: (8, 0), end: (18, 0))], count: 7)))
            $0.doors[0].normalOpenTimezone = 3
        }
        await fixture.advance(5 * 3600 - 60)  // 05:59 UTC = 07:59 CEST
        #expect(!fixture.relay(1))
        await fixture.advance(60)
        #expect(fixture.relay(1))
        let entry = try #require(try await fixture.entries().first)
        #expect(entry.localTime == "2026-03-29 08:00:00")
    }
}

@Suite("Configured DST rule (ZKTeco DSTSetting)")
struct DaylightSavingRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let utc: TimeInterval
        let local: String
        var testDescription: String { local }
    }

    // A fixed UTC+1 zone with the EU rule gives the same wall clock as Europe/Paris around both 2026 switches.
    @Test(arguments: [
        Case(utc: 1_774_745_940, local: "2026-03-29 01:59:00"),  // 00:59 UTC
        Case(utc: 1_774_746_000, local: "2026-03-29 03:00:00"),  // 01:00 UTC
        Case(utc: 1_792_889_940, local: "2026-10-25 02:59:00"),  // 00:59 UTC
        Case(utc: 1_792_890_000, local: "2026-10-25 02:00:00"),  // 01:00 UTC
        Case(utc: 1_767_261_600, local: "2026-01-01 11:00:00"),
        Case(utc: 1_782_900_000, local: "2026-07-01 12:00:00"),
    ])
    func ruleMatchesTheZone(_ row: Case) throws {
        var rule = try SiteCalendar(timeZoneIdentifier: "Etc/GMT-1", daylightSaving: .centralEurope)
        var paris = try SiteCalendar(timeZoneIdentifier: "Europe/Paris")
        let instant = Date(timeIntervalSince1970: row.utc)
        #expect(rule.localTime(at: instant).formatted == row.local)
        #expect(paris.localTime(at: instant).formatted == row.local)
    }

    @Test func badRuleIsRefused() {
        let rule = DaylightSavingRule(start: .init(month: 13, week: 1, weekday: 0, hour: 2), end: .init(month: 10, week: 5, weekday: 0, hour: 3))
        #expect(throws: ModelError(field: "DST start", rule: .format("month 1–12, week 1–5, weekday 0–6, hour 0–23"))) {
            try SiteCalendar(timeZoneIdentifier: "UTC", daylightSaving: rule)
        }
    }
}
