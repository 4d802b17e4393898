import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`)
/// with `*`, lists, ranges and steps, and Vixie cron's rule that a restricted
/// day-of-month and day-of-week match when either does.
struct CronSchedule: Equatable, Sendable {
    var minutes: Set<Int>
    var hours: Set<Int>
    var daysOfMonth: Set<Int>
    var months: Set<Int>
    var daysOfWeek: Set<Int>  // 0 = Sunday
    var dayOfMonthRestricted: Bool
    var dayOfWeekRestricted: Bool

    struct ParseError: Error, Equatable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    init(parsing expression: String) throws(ParseError) {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "cron expression needs 5 fields (minute hour day month weekday), got \(fields.count)")
        }
        minutes = try CronSchedule.field(fields[0], 0...59, "minute")
        hours = try CronSchedule.field(fields[1], 0...23, "hour")
        daysOfMonth = try CronSchedule.field(fields[2], 1...31, "day of month")
        months = try CronSchedule.field(fields[3], 1...12, "month")
        var weekdays = try CronSchedule.field(fields[4], 0...7, "day of week")
        if weekdays.contains(7) {
            weekdays.remove(7)
            weekdays.insert(0)
        }
        daysOfWeek = weekdays
        dayOfMonthRestricted = fields[2] != "*"
        dayOfWeekRestricted = fields[4] != "*"
    }

    private static func field(_ text: String, _ range: ClosedRange<Int>, _ name: String) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(message: "bad \(name) field '\(text)'") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0, parsed <= range.upperBound + 1 else {
                    throw ParseError(message: "bad step in \(name) field '\(text)'")
                }
                step = parsed
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                guard let low = Int(pieces[0][..<dash]), let high = Int(pieces[0][pieces[0].index(after: dash)...]),
                    range.contains(low), range.contains(high), low <= high
                else {
                    throw ParseError(
                        message: "bad range in \(name) field '\(text)' (allowed \(range.lowerBound)-\(range.upperBound))")
                }
                span = low...high
            } else {
                guard let single = Int(pieces[0]), range.contains(single) else {
                    throw ParseError(message: "bad \(name) '\(pieces[0])' (allowed \(range.lowerBound)-\(range.upperBound))")
                }
                span = pieces.count == 2 ? single...range.upperBound : single...single
            }
            for value in stride(from: span.lowerBound, through: span.upperBound, by: step) { values.insert(value) }
        }
        return values
    }

    /// The first matching minute strictly after `date`, in `timeZone`; nil if none within ~5 years (e.g. Feb 30).
    func nextFire(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Normalise to the start of the minute after `date`.
        var parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date.addingTimeInterval(60))
        parts.second = 0
        guard var current = calendar.date(from: parts) else { return nil }
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while current < limit {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: current)
            guard let month = c.month, let day = c.day, let hour = c.hour, let minute = c.minute, let weekday = c.weekday
            else { return nil }
            if !months.contains(month) {
                guard let next = calendar.date(byAdding: .month, value: 1, to: startOfMonth(current, calendar)) else {
                    return nil
                }
                current = next
                continue
            }
            if !dayMatches(day: day, weekday: weekday - 1) {
                guard let next = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: current)) else {
                    return nil
                }
                current = next
                continue
            }
            if !hours.contains(hour) {
                guard let next = calendar.date(byAdding: .hour, value: 1, to: startOfHour(current, calendar)) else { return nil }
                // A daylight-saving gap (01:59 → 03:00): a fixed-time job whose hour was skipped runs at once after
                // the change, as cron does, rather than missing the day.
                if let nextHour = calendar.dateComponents([.hour], from: next).hour, nextHour != (hour + 1) % 24,
                    nextHour > hour, hours.contains(where: { $0 > hour && $0 < nextHour }),
                    calendar.isDate(next, inSameDayAs: current)
                {
                    return next
                }
                current = next
                continue
            }
            if !minutes.contains(minute) {
                current = current.addingTimeInterval(60)
                continue
            }
            // A daylight-saving fall-back repeats an hour of wall-clock time: a fixed-time job (its hour restricted)
            // runs at the first occurrence only, as cron does; jobs on every hour run through both.
            let wallClock: Set<Calendar.Component> = [.year, .month, .day, .hour, .minute]
            if hours.count < 24,
                calendar.dateComponents(wallClock, from: current.addingTimeInterval(-3600))
                    == calendar.dateComponents(wallClock, from: current)
            {
                current = current.addingTimeInterval(60)
                continue
            }
            return current
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): daysOfMonth.contains(day) || daysOfWeek.contains(weekday)
        case (true, false): daysOfMonth.contains(day)
        case (false, true): daysOfWeek.contains(weekday)
        case (false, false): true
        }
    }

    private func startOfMonth(_ date: Date, _ calendar: Calendar) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? date
    }

    private func startOfHour(_ date: Date, _ calendar: Calendar) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month, .day, .hour], from: date)) ?? date
    }
}

/// Parses `every` intervals: a number of seconds or "30s", "5m", "2h", "1d".
enum IntervalParser {
    static func seconds(_ value: LuaValue) -> Double? {
        if let number = value.doubleValue { return number.isFinite && number > 0 ? number : nil }
        guard case .string(let text) = value, let unit = text.last else { return nil }
        let multiplier: Double
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3600
        case "d": multiplier = 86_400
        default: return Double(text).flatMap { $0 > 0 ? $0 : nil }
        }
        guard let amount = Double(text.dropLast()), amount > 0, amount.isFinite else { return nil }
        return amount * multiplier
    }
}
