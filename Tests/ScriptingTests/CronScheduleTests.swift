import Foundation
import Testing

@testable import Scripting

/// `cron(expression, fn)`'s next-fire rule, table-driven: steps, lists and ranges, month ends, leap days, the
/// day-of-month / day-of-week "either" rule, and daylight-saving changes in the site's zone.
@Suite("cron next fire")
struct CronScheduleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var zone: String
        var after: String  // RFC 3339 with offset
        var next: String?  // RFC 3339 with offset; nil: never
        var why: String
        var testDescription: String { "\(expression) after \(after) (\(zone)): \(why)" }
    }

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    @Test(
        arguments: [
            Case(
                expression: "0 7 * * 1-5", zone: "UTC", after: "2026-01-02T07:00:00Z", next: "2026-01-05T07:00:00Z",
                why: "weekdays: Friday → Monday"),
            Case(
                expression: "*/15 * * * *", zone: "UTC", after: "2026-01-01T10:07:00Z", next: "2026-01-01T10:15:00Z",
                why: "a step"),
            Case(
                expression: "*/15 * * * *", zone: "UTC", after: "2026-01-01T10:45:00Z", next: "2026-01-01T11:00:00Z",
                why: "a step over the hour"),
            Case(
                expression: "5,35 * * * *", zone: "UTC", after: "2026-01-01T10:35:00Z", next: "2026-01-01T11:05:00Z",
                why: "a list"),
            Case(
                expression: "0 9-17/4 * * *", zone: "UTC", after: "2026-01-01T09:00:00Z", next: "2026-01-01T13:00:00Z",
                why: "a stepped range"),
            Case(
                expression: "0 9-17/4 * * *", zone: "UTC", after: "2026-01-01T17:00:00Z", next: "2026-01-02T09:00:00Z",
                why: "a stepped range, next day"),
            Case(
                expression: "0 9 * 1,6 *", zone: "UTC", after: "2026-02-01T00:00:00Z", next: "2026-06-01T09:00:00Z",
                why: "a month list"),
            Case(
                expression: "0 0 31 * *", zone: "UTC", after: "2026-01-31T00:00:00Z", next: "2026-03-31T00:00:00Z",
                why: "months without a 31st are skipped"),
            Case(
                expression: "0 0 30 * *", zone: "UTC", after: "2026-01-30T00:00:00Z", next: "2026-03-30T00:00:00Z",
                why: "February has no 30th"),
            Case(
                expression: "59 23 28-31 2 *", zone: "UTC", after: "2026-02-28T23:59:00Z", next: "2027-02-28T23:59:00Z",
                why: "February's end in a common year"),
            Case(
                expression: "0 0 29 2 *", zone: "UTC", after: "2026-01-01T00:00:00Z", next: "2028-02-29T00:00:00Z",
                why: "a leap day"),
            Case(expression: "0 0 30 2 *", zone: "UTC", after: "2026-01-01T00:00:00Z", next: nil, why: "a day that never comes"),
            Case(
                expression: "0 12 1-7 * 1", zone: "UTC", after: "2026-01-08T12:00:00Z", next: "2026-01-12T12:00:00Z",
                why: "day of month or day of week: a Monday"),
            Case(
                expression: "0 12 1-7 * 1", zone: "UTC", after: "2026-01-26T12:00:00Z", next: "2026-02-01T12:00:00Z",
                why: "day of month or day of week: the 1st"),
            Case(
                expression: "0 0 * * 7", zone: "UTC", after: "2026-01-01T00:00:00Z", next: "2026-01-04T00:00:00Z",
                why: "7 is Sunday"),
            Case(
                expression: "0 8 * * *", zone: "Europe/Berlin", after: "2026-01-01T08:00:00+01:00",
                next: "2026-01-02T08:00:00+01:00", why: "local time"),
            Case(
                expression: "30 2 * * *", zone: "Europe/Berlin", after: "2026-03-28T02:30:00+01:00",
                next: "2026-03-29T03:00:00+02:00", why: "spring forward: the skipped 02:30 runs right after the change"),
            Case(
                expression: "30 2 * * *", zone: "Europe/Berlin", after: "2026-03-29T03:00:00+02:00",
                next: "2026-03-30T02:30:00+02:00", why: "and the day after as usual"),
            Case(
                expression: "0 3 * * *", zone: "Europe/Berlin", after: "2026-03-28T03:00:00+01:00",
                next: "2026-03-29T03:00:00+02:00", why: "spring forward: 03:00 exists"),
            Case(
                expression: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-24T02:30:00+02:00",
                next: "2026-10-25T02:30:00+02:00", why: "fall back: the first 02:30"),
            Case(
                expression: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-25T02:30:00+02:00",
                next: "2026-10-26T02:30:00+01:00", why: "fall back: not the repeated 02:30"),
            Case(
                expression: "*/30 * * * *", zone: "Europe/Berlin", after: "2026-10-25T02:30:00+02:00",
                next: "2026-10-25T02:00:00+01:00", why: "fall back: every-half-hour runs through the repeated hour"),
            Case(
                expression: "0 * * * *", zone: "America/New_York", after: "2026-03-08T01:00:00-05:00",
                next: "2026-03-08T03:00:00-04:00", why: "hourly across a spring-forward gap"),
        ])
    func nextFire(_ example: Case) throws {
        let schedule = try CronSchedule(parsing: example.expression)
        let zone = try #require(TimeZone(identifier: example.zone))
        let next = schedule.nextFire(after: Self.date(example.after), in: zone)
        #expect(next == example.next.map(Self.date), "got \(next.map { "\($0)" } ?? "never")")
    }

    @Test(
        "bad expressions name the field",
        arguments: [
            ("* * * *", "cron expression needs 5 fields (minute hour day month weekday), got 4"),
            ("60 * * * *", "bad minute '60' (allowed 0-59)"),
            ("* 24 * * *", "bad hour '24' (allowed 0-23)"),
            ("* * 0 * *", "bad day of month '0' (allowed 1-31)"),
            ("* * * 13 *", "bad month '13' (allowed 1-12)"),
            ("* * * * 8", "bad day of week '8' (allowed 0-7)"),
            ("*/0 * * * *", "bad step in minute field '*/0'"),
            ("5-1 * * * *", "bad range in minute field '5-1' (allowed 0-59)"),
        ])
    func refusals(expression: String, message: String) {
        #expect(throws: CronSchedule.ParseError(message: message)) { try CronSchedule(parsing: expression) }
    }
}
