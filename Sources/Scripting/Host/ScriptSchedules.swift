import AccessControl
import Foundation

/// The schedules a site defines with `schedule.define{...}` at load time. They are
/// built as door-engine `Timezone`s and answered by the door engine's own
/// `ScheduleBook`, so a script schedule means exactly what a PUSH time rule with
/// the same periods means (minute resolution, site-local wall clock, DST by zone).
struct ScriptSchedules {
    private var calendar: SiteCalendar
    private var ids: [String: TimezoneID] = [:]
    private var book = ScheduleBook()
    /// Where each schedule was defined (for duplicate-name messages).
    private(set) var positions: [String: String] = [:]

    /// Script schedules live beside the site's own timezones, never among them: ids
    /// start far above PUSH ids and Akuvox's 1001/1002.
    private static let firstID = 1_000_000

    init(timeZone: TimeZone) { calendar = SiteCalendar(timeZone: timeZone) }

    var names: [String] { ids.keys.sorted() }

    func contains(_ name: String) -> Bool { ids[name] != nil }

    mutating func define(_ definition: ScheduleDefinition, at position: String) {
        let id = TimezoneID(ScriptSchedules.firstID + ids.count)
        ids[definition.name] = id
        positions[definition.name] = position
        book.set(
            Timezone(id: id, name: definition.name, weekdays: definition.weekdays, validity: definition.validity))
    }

    /// nil when no schedule of that name was defined.
    mutating func isActive(_ name: String, at instant: Date) -> Bool? {
        guard let id = ids[name] else { return nil }
        return book.isActive(id, at: calendar.localTime(at: instant), instant: instant)
    }
}

/// One `schedule.define{...}` table, validated.
///
/// `{name = "office", days = "mon-fri", from = "08:00", to = "18:00", dates = {from = "2026-01-01", to = "2026-12-31"}}`
/// or `periods = {{"08:00", "12:00"}, {"13:00", "17:00"}}` instead of `from`/`to`. `to` is exclusive (08:00–18:00 ends
/// at 17:59:59) and may be "24:00"; a period whose `to` is before its `from` runs overnight into the next day.
struct ScheduleDefinition {
    var name: String
    /// Index 0 is Sunday, as in the door engine.
    var weekdays: [[DailyPeriod]]
    var validity: DateWindow?

    static let fields: Set<String> = ["name", "days", "from", "to", "periods", "dates"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let fullDayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// Raises with a message naming the field; `timeZone` turns `dates` into instants.
    static func parse(_ table: LuaTable, timeZone: TimeZone) throws(HostRaise) -> ScheduleDefinition {
        for entry in table.entries {
            guard case .string(let key) = entry.key, fields.contains(key) else {
                throw HostRaise("schedule.define: unknown field \(describe(entry.key)) (known: \(fields.sorted().joined(separator: ", ")))")
            }
        }
        guard case .string(let name) = table["name"], !name.isEmpty else {
            throw HostRaise("schedule.define: field 'name' (a non-empty string) expected")
        }
        let days = try parseDays(table["days"], schedule: name)
        var spans: [(from: Int, to: Int)] = []
        if !table["periods"].isNil {
            guard table["from"].isNil, table["to"].isNil else {
                throw HostRaise("schedule.define '\(name)': give either 'periods' or 'from'/'to', not both")
            }
            guard case .table(let list) = table["periods"], !list.array.isEmpty, list.array.count == list.entries.count else {
                throw HostRaise("schedule.define '\(name)': 'periods' must be a list like {{\"08:00\", \"12:00\"}, ...}")
            }
            for (index, item) in list.array.enumerated() {
                guard case .table(let pair) = item else {
                    throw HostRaise("schedule.define '\(name)': period \(index + 1) must be {\"HH:MM\", \"HH:MM\"} or {from = ..., to = ...}")
                }
                let from = pair["from"].isNil ? pair[1] : pair["from"]
                let to = pair["to"].isNil ? pair[2] : pair["to"]
                spans.append(try span(from, to, schedule: name, label: "period \(index + 1)"))
            }
        } else if !table["from"].isNil || !table["to"].isNil {
            spans.append(try span(table["from"], table["to"], schedule: name, label: "period"))
        } else {
            spans.append((0, 1440))
        }
        var weekdays: [[DailyPeriod]] = Array(repeating: [], count: 7)
        for day in days.sorted() {
            for (from, to) in spans {
                if from < to {
                    weekdays[day].append(DailyPeriod.minutes(from, to - 1))
                } else {
                    // Overnight: the evening on this day, the morning on the next.
                    weekdays[day].append(DailyPeriod.minutes(from, 1439))
                    if to > 0 { weekdays[(day + 1) % 7].append(DailyPeriod.minutes(0, to - 1)) }
                }
            }
        }
        return ScheduleDefinition(name: name, weekdays: weekdays, validity: try validity(table["dates"], schedule: name, timeZone: timeZone))
    }

    private static func describe(_ key: LuaValue) -> String {
        if case .string(let text) = key { return "'\(text)'" }
        if case .integer(let number) = key { return "[\(number)]" }
        return "(\(key.typeName) key)"
    }

    /// `"mon-fri"`, `"sat,sun"`, `"daily"`, `"weekdays"`, `"weekends"`, or a list of those; nil is every day.
    static func parseDays(_ value: LuaValue, schedule: String) throws(HostRaise) -> Set<Int> {
        var items: [String] = []
        switch value {
        case .nil: return Set(0..<7)
        case .string(let text): items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .table(let list) where list.array.count == list.entries.count && !list.array.isEmpty:
            for element in list.array {
                guard case .string(let text) = element else {
                    throw HostRaise("schedule.define '\(schedule)': 'days' entries must be strings like \"mon\" or \"mon-fri\"")
                }
                items.append(text.trimmingCharacters(in: .whitespaces))
            }
        default:
            throw HostRaise("schedule.define '\(schedule)': 'days' must be a string like \"mon-fri\" or a list like {\"sat\", \"sun\"}")
        }
        var days = Set<Int>()
        for item in items {
            let word = item.lowercased()
            switch word {
            case "daily", "all", "every day": days.formUnion(0..<7)
            case "weekdays": days.formUnion(1...5)
            case "weekends", "weekend": days.formUnion([0, 6])
            default:
                let ends = word.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard ends.count == 1 || ends.count == 2, let first = day(ends[0]), let last = day(ends[ends.count - 1]) else {
                    throw HostRaise("schedule.define '\(schedule)': unknown day '\(item)' (use sun mon tue wed thu fri sat, ranges like mon-fri, daily, weekdays or weekends)")
                }
                // A range may wrap the week: fri-mon is Friday to Monday.
                var current = first
                days.insert(current)
                while current != last {
                    current = (current + 1) % 7
                    days.insert(current)
                }
            }
        }
        return days
    }

    private static func day(_ word: String) -> Int? {
        dayNames.firstIndex(of: word) ?? fullDayNames.firstIndex(of: word)
    }

    private static func span(_ from: LuaValue, _ to: LuaValue, schedule: String, label: String) throws(HostRaise) -> (from: Int, to: Int) {
        guard let start = minute(from, allowMidnightEnd: false), let end = minute(to, allowMidnightEnd: true) else {
            throw HostRaise("schedule.define '\(schedule)': \(label) needs 'from' and 'to' as \"HH:MM\" (00:00–23:59; 'to' may be 24:00)")
        }
        guard start != end else {
            throw HostRaise("schedule.define '\(schedule)': \(label) is empty (from equals to)")
        }
        return (start, end)
    }

    /// "HH:MM" → minutes since midnight; "24:00" only as an end.
    static func minute(_ value: LuaValue, allowMidnightEnd: Bool) -> Int? {
        guard case .string(let text) = value else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        if allowMidnightEnd && hour == 24 && minute == 0 { return 1440 }
        guard hour < 24, minute < 60 else { return nil }
        return hour * 60 + minute
    }

    /// `{from = "YYYY-MM-DD", to = "YYYY-MM-DD"}`, both days included, in the site's time zone.
    private static func validity(_ value: LuaValue, schedule: String, timeZone: TimeZone) throws(HostRaise) -> DateWindow? {
        guard !value.isNil else { return nil }
        guard case .table(let table) = value else {
            throw HostRaise("schedule.define '\(schedule)': 'dates' must be {from = \"YYYY-MM-DD\", to = \"YYYY-MM-DD\"}")
        }
        let calendar = SiteCalendar(timeZone: timeZone)
        var start: Date?
        var end: Date?
        var first: CalendarDate?
        for key in ["from", "to"] {
            let field = table[key]
            guard !field.isNil else { continue }
            guard case .string(let text) = field, let date = calendarDate(text),
                let midnight = calendar.instant(of: date, minuteOfDay: 0)
            else {
                throw HostRaise("schedule.define '\(schedule)': dates.\(key) must be a real date \"YYYY-MM-DD\"")
            }
            if key == "from" {
                start = midnight
                first = date
            } else {
                if let first, date < first {
                    throw HostRaise("schedule.define '\(schedule)': dates.from is after dates.to")
                }
                // The window ends when the last day ends (the door engine's date-range rule).
                end = midnight.addingTimeInterval(24 * 3600 - 1)
            }
        }
        guard start != nil || end != nil else {
            throw HostRaise("schedule.define '\(schedule)': 'dates' needs 'from', 'to' or both")
        }
        return DateWindow(start: start, end: end)
    }

    static func calendarDate(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC") ?? .current
        // Reject 2026-02-30 and friends: the date must survive a round trip.
        guard let date = gregorian.date(from: DateComponents(year: year, month: month, day: day)),
            gregorian.component(.day, from: date) == day
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}

extension DailyPeriod {
    /// Both ends inclusive, already range-checked by the caller.
    fileprivate static func minutes(_ start: Int, _ end: Int) -> DailyPeriod {
        // `init(start:end:)` only throws on out-of-range or reversed input, which `span` excluded.
        (try? DailyPeriod(start: (start / 60, start % 60), end: (end / 60, end % 60))) ?? .wholeDay
    }
}
