import AccessControl
import Foundation

/// Akuvox schedules (`{ID, Name, Type, Mon..Sun, DateStart, DateEnd, TimeStart, TimeEnd}`) and the site's timezones.
///
/// `Type` 2 is daily (the built-in 1001 Always is `Type="2" Daily="00:00-23:59"` in exports), 1 weekly and 0 a date
/// range; the 0/1 split is inferred from the export, as the manual only lists the values. A timezone with several
/// periods a day, or different periods on different days, has no Akuvox spelling and is left out of `get`.
enum AkuvoxScheduleMapping {
    /// Akuvox weekday keys with the model's weekday index (0 = Sunday).
    static let weekdayKeys: [(String, Int)] = [
        ("Mon", 1), ("Tue", 2), ("Wed", 3), ("Thu", 4), ("Fri", 5), ("Sat", 6), ("Sun", 0),
    ]

    struct Schedule: Equatable, Sendable {
        var id: Int
        var name: String
        /// 0 date range, 1 weekly, 2 daily.
        var type: Int
        var weekdays: Set<Int>
        var dateStart: CalendarDate?
        var dateEnd: CalendarDate?
        var start: Int
        var end: Int
    }

    static func time(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }

    static func parseTime(_ text: String, field: String) throws(AkuvoxUserMapping.FieldError) -> (hour: Int, minute: Int) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour),
            (0...59).contains(minute)
        else { throw AkuvoxUserMapping.FieldError(field: field, message: "'\(text)' is not a time HH:MM") }
        return (hour, minute)
    }

    static func parseDate(_ text: String, field: String) throws(AkuvoxUserMapping.FieldError) -> CalendarDate {
        let digits = text.filter(\.isNumber)
        do {
            return try CalendarDate(pushValue: digits)
        } catch {
            throw AkuvoxUserMapping.FieldError(field: field, message: "'\(text)' is not a date YYYYMMDD")
        }
    }

    /// A schedule item from the JSON API into the model's named schedule. `assignedID` stands in for a missing `ID`
    /// (`add` without one: the device numbers it). `Daily` (`"08:00-18:00"`) and `Week` (`"12345"`, 0 = Sunday) are
    /// the compact forms of `TimeStart`/`TimeEnd` and the per-day flags.
    static func namedSchedule(_ record: AkuvoxUserMapping.Record, assignedID: Int? = nil) throws(AkuvoxUserMapping.FieldError)
        -> NamedSchedule
    {
        let id: Int
        if let idText = record["ID"] ?? record["ScheduleID"], !idText.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let number = Int(idText.trimmingCharacters(in: .whitespaces)), number > 0 else {
                throw AkuvoxUserMapping.FieldError(field: "ID", message: "'\(idText)' is not a positive numeric ID")
            }
            id = number
        } else if let assignedID {
            id = assignedID
        } else {
            throw AkuvoxUserMapping.FieldError(field: "ID", message: "a schedule needs a positive numeric ID")
        }
        guard id != TimezoneID.namedAlways.rawValue, id != TimezoneID.namedNever.rawValue else {
            throw AkuvoxUserMapping.FieldError(field: "ID", message: "1001 and 1002 are the built-in Always and Never")
        }
        var startText = record["TimeStart"] ?? "00:00"
        var endText = record["TimeEnd"] ?? "23:59"
        if let daily = record["Daily"]?.trimmingCharacters(in: .whitespaces), !daily.isEmpty,
            record["TimeStart"] == nil || record["TimeStart"]?.isEmpty == true
        {
            let parts = daily.split(separator: "-").map(String.init)
            guard parts.count == 2 else {
                throw AkuvoxUserMapping.FieldError(field: "Daily", message: "'\(daily)' is not HH:MM-HH:MM")
            }
            startText = parts[0]
            endText = parts[1]
        }
        let start = try parseTime(startText, field: "TimeStart")
        let end = try parseTime(endText, field: "TimeEnd")
        let period: DailyPeriod
        do {
            period = try DailyPeriod(start: start, end: end)
        } catch {
            throw AkuvoxUserMapping.FieldError(field: "TimeEnd", message: "TimeStart must not be after TimeEnd")
        }
        let name = record["Name"] ?? "Schedule \(id)"
        switch record["Type"]?.trimmingCharacters(in: .whitespaces) ?? "2" {
        case "2":
            return NamedSchedule(id: TimezoneID(id), name: name, kind: .daily(period))
        case "1":
            var days: Set<Int> = []
            let flags = weekdayKeys + [("Thur", 4)]
            if flags.contains(where: { record[$0.0] != nil }) {
                for (key, index) in flags where record[key]?.trimmingCharacters(in: .whitespaces) == "1" { days.insert(index) }
            } else if let week = record["Week"]?.trimmingCharacters(in: .whitespaces) {
                for digit in week {
                    guard let day = Int(String(digit)), (0...6).contains(day) else {
                        throw AkuvoxUserMapping.FieldError(
                            field: "Week", message: "'\(week)' is not weekday digits 0–6 (0 = Sunday)")
                    }
                    days.insert(day)
                }
            }
            return NamedSchedule(id: TimezoneID(id), name: name, kind: .weekly(days: days, period: period))
        case "0":
            guard let first = record["DateStart"], let last = record["DateEnd"] else {
                throw AkuvoxUserMapping.FieldError(
                    field: "DateStart", message: "a date-range schedule needs DateStart and DateEnd")
            }
            let from = try parseDate(first, field: "DateStart")
            let through = try parseDate(last, field: "DateEnd")
            return NamedSchedule(id: TimezoneID(id), name: name, kind: .dateRange(from: from, through: through, period: period))
        case let other:
            throw AkuvoxUserMapping.FieldError(
                field: "Type", message: "'\(other)' is not 0 (date range), 1 (weekly) or 2 (daily)")
        }
    }

    /// The site's schedules as Akuvox sees them: the built-ins 1001 and 1002, then every expressible timezone.
    static func schedules(of configuration: SiteConfiguration) -> [Schedule] {
        var result = [
            Schedule(id: 1001, name: "Always", type: 2, weekdays: Set(0...6), start: 0, end: 23 * 60 + 59),
            Schedule(id: 1002, name: "Never", type: 2, weekdays: Set(0...6), start: 0, end: 0),
        ]
        let calendar = try? SiteCalendar(timeZoneIdentifier: configuration.settings.timeZoneIdentifier)
        for timezone in configuration.timezones.sorted(by: { $0.id < $1.id }) {
            guard timezone.id != .namedAlways, timezone.id != .namedNever,
                timezone.weekdays.allSatisfy({ $0.count <= 1 })
            else { continue }
            let periods = Set(timezone.weekdays.compactMap(\.first).map { [$0.startMinute, $0.endMinute] })
            guard periods.count == 1, let period = periods.first else { continue }
            let active = Set((0..<7).filter { !timezone.weekdays[$0].isEmpty })
            var schedule = Schedule(
                id: timezone.id.rawValue, name: timezone.name, type: active.count == 7 ? 2 : 1, weekdays: active,
                start: period[0], end: period[1])
            if let validity = timezone.validity {
                guard active.count == 7, let calendar, let start = validity.start, let end = validity.end else { continue }
                schedule.type = 0
                schedule.dateStart = calendar.localTimeUncached(at: start).date
                schedule.dateEnd = calendar.localTimeUncached(at: end).date
            }
            result.append(schedule)
        }
        return result
    }

    static func item(_ schedule: Schedule) -> AkuvoxJSON {
        var members: [(String, AkuvoxJSON)] = [
            ("ID", .string(String(schedule.id))), ("Name", .string(schedule.name)), ("Type", .string(String(schedule.type))),
        ]
        for (key, index) in weekdayKeys {
            members.append((key, .string(schedule.weekdays.contains(index) ? "1" : "0")))
        }
        members.append(("Thur", .string(schedule.weekdays.contains(4) ? "1" : "0")))
        members += [
            ("Week", .string(schedule.weekdays.sorted().map(String.init).joined())),
            ("Daily", .string("\(time(schedule.start))-\(time(schedule.end))")),
            ("DateStart", .string(schedule.dateStart?.pushValue ?? "")),
            ("DateEnd", .string(schedule.dateEnd?.pushValue ?? "")),
            ("TimeStart", .string(time(schedule.start))),
            ("TimeEnd", .string(time(schedule.end))),
            ("DisplayID", .string(String(schedule.id))),
            ("SourceType", .string("Local")),
        ]
        return .object(members)
    }
}
