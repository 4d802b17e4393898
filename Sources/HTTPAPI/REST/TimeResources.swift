import AccessControl
import Foundation

/// Times of day and calendar dates as the REST API spells them: `"08:30"`, `"2026-12-25"`.
enum APITime {
    struct Period: Codable, Sendable, Equatable {
        var start: String
        var end: String
    }

    static func text(minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }

    static func period(_ period: DailyPeriod) -> Period {
        Period(start: text(minute: period.startMinute), end: text(minute: period.endMinute))
    }

    /// `HH:MM`, 00:00–23:59.
    static func time(_ text: String, field: String) throws(APIError) -> (hour: Int, minute: Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { throw unprocessable("'\(text)' is not a time of day HH:MM between 00:00 and 23:59", field: field) }
        return (hour, minute)
    }

    static func period(start: String, end: String, field: String) throws(APIError) -> DailyPeriod {
        let from = try time(start, field: "\(field).start")
        let to = try time(end, field: "\(field).end")
        do {
            return try DailyPeriod(start: from, end: to)
        } catch {
            throw unprocessable("start \(start) is after end \(end); periods do not cross midnight", field: "\(field).end")
        }
    }

    /// `YYYY-MM-DD`, a real day of a year 1900–9999.
    static func date(_ text: String, field: String) throws(APIError) -> CalendarDate {
        guard let parsed = Self.date(text) else {
            throw unprocessable("'\(text)' is not a calendar date YYYY-MM-DD", field: field)
        }
        return parsed
    }

    static func date(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1900...9999).contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

// MARK: Timezones

/// A ZKTeco time rule (`timezone` table): three periods a day for each weekday (index 0 is Sunday, the PUSH field
/// order SunTime1 … SatTime3) and for each of the three holiday types (Hol1Time1 … Hol3Time3), with an optional
/// validity window. `holidays` null means a holiday follows its weekday.
struct TimezoneBody: SiteResourceBody {
    var id: Int?
    var name: String?
    var weekdays: [[APITime.Period]]
    var holidays: [[APITime.Period]]?
    var validFrom: Date?
    var validUntil: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, weekdays, holidays
        case validFrom = "valid_from"
        case validUntil = "valid_until"
    }

    static let collection = "timezones"
    static let noun = "timezone"
    static let fieldNames = [
        "weekdays": "weekdays", "holiday types": "holidays", "periods per day": "weekdays", "period": "weekdays",
    ]

    static func key(fromPath text: String) -> Int? { identifier(text) }
    func key() throws(APIError) -> Int? { try Self.checkedIdentifier(id) }

    static func readOnlyReason(_ key: Int) -> String? { TimezoneResource.builtInReason(key) }

    static func resources(of site: Site) async -> [TimezoneResource] {
        await site.timezones.map(TimezoneResource.init)
    }

    static func resource(_ key: Int, of site: Site) async -> TimezoneResource? {
        await site.currentConfiguration.timezones.first { $0.id.rawValue == key }.map(TimezoneResource.init)
    }

    func timezone(_ key: Int) throws(APIError) -> Timezone {
        guard weekdays.count == 7 else { throw unprocessable("weekdays needs 7 days, Sunday first", field: "weekdays") }
        if let holidays, holidays.count != 3 {
            throw unprocessable("holidays needs 3 holiday types (or null to follow the weekday)", field: "holidays")
        }
        if let validFrom, let validUntil, validUntil < validFrom {
            throw unprocessable("valid_until is before valid_from", field: "valid_until")
        }
        var holidayPeriods: [[DailyPeriod]]?
        if let holidays { holidayPeriods = try Self.days(holidays, field: "holidays") }
        return Timezone(
            id: TimezoneID(key), name: name ?? "", weekdays: try Self.days(weekdays, field: "weekdays"),
            holidays: holidayPeriods, validity: UserResource.window(validFrom, validUntil))
    }

    static func days(_ days: [[APITime.Period]], field: String) throws(APIError) -> [[DailyPeriod]] {
        var result: [[DailyPeriod]] = []
        for (index, periods) in days.enumerated() {
            guard periods.count <= 3 else { throw unprocessable("at most 3 periods a day", field: "\(field)[\(index)]") }
            var day: [DailyPeriod] = []
            for (slot, period) in periods.enumerated() {
                day.append(try APITime.period(start: period.start, end: period.end, field: "\(field)[\(index)][\(slot)]"))
            }
            result.append(day)
        }
        return result
    }

    func store(as key: Int, in site: Site) async throws {
        try await site.upsert(try timezone(key))
    }

    static func delete(_ key: Int, from site: Site) async throws {
        try await site.deleteUnreferencedTimezone(TimezoneID(key), noun: noun)
    }
}

struct TimezoneResource: Encodable, Sendable {
    var id: Int
    var name: String
    var weekdays: [[APITime.Period]]
    var holidays: [[APITime.Period]]?
    var validFrom: Date?
    var validUntil: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, weekdays, holidays
        case validFrom = "valid_from"
        case validUntil = "valid_until"
    }

    init(_ timezone: Timezone) {
        id = timezone.id.rawValue
        name = timezone.name
        weekdays = timezone.weekdays.map { $0.map(APITime.period) }
        holidays = timezone.holidays.map { $0.map { $0.map(APITime.period) } }
        validFrom = timezone.validity?.start
        validUntil = timezone.validity?.end
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(weekdays, forKey: .weekdays)
        try container.encode(holidays, forKey: .holidays)
        try container.encode(validFrom.map(RFC3339.format), forKey: .validFrom)
        try container.encode(validUntil.map(RFC3339.format), forKey: .validUntil)
    }

    static func builtInReason(_ id: Int) -> String? {
        id == TimezoneID.namedAlways.rawValue || id == TimezoneID.namedNever.rawValue
            ? "\(id) is a built-in schedule (1001 Always, 1002 Never) and cannot be changed" : nil
    }
}

// MARK: Named schedules

/// An Akuvox-style named schedule: `daily`, `weekly` (on `weekdays`, 0 = Sunday) or `date_range` (every day from
/// `date_from` through `date_through`), active between `start` and `end`. A schedule is stored as the timezone with
/// the same id, so the two share one id space; `/schedules` lists the built-ins 1001 (Always) and 1002 (Never) and
/// every timezone that has a schedule form (one period, the same on every active day).
struct ScheduleBody: SiteResourceBody {
    var id: Int?
    var name: String?
    var type: String
    var weekdays: [Int]?
    var start: String?
    var end: String?
    var dateFrom: String?
    var dateThrough: String?

    enum CodingKeys: String, CodingKey {
        case id, name, type, weekdays, start, end
        case dateFrom = "date_from"
        case dateThrough = "date_through"
    }

    static let collection = "schedules"
    static let noun = "schedule"
    static let fieldNames = ["weekdays": "weekdays", "dates": "date_from", "periods per day": "start", "period": "start"]

    static func key(fromPath text: String) -> Int? { identifier(text) }
    func key() throws(APIError) -> Int? { try Self.checkedIdentifier(id) }
    static func modelNames(of key: Int) -> [String] { ["schedule \(key)", "timezone \(key)"] }
    static func readOnlyReason(_ key: Int) -> String? { TimezoneResource.builtInReason(key) }

    static func exists(_ key: Int, in site: Site) async -> Bool {
        if key == TimezoneID.namedAlways.rawValue || key == TimezoneID.namedNever.rawValue { return true }
        return await site.currentConfiguration.timezones.contains { $0.id.rawValue == key }
    }

    static func resources(of site: Site) async -> [ScheduleResource] {
        AkuvoxScheduleMapping.schedules(of: await site.currentConfiguration).map(ScheduleResource.init)
    }

    static func resource(_ key: Int, of site: Site) async -> ScheduleResource? {
        await resources(of: site).first { $0.id == key }
    }

    func schedule(_ key: Int) throws(APIError) -> NamedSchedule {
        let period = try APITime.period(start: start ?? "00:00", end: end ?? "23:59", field: "start")
        let kind: NamedSchedule.Kind
        switch type {
        case "daily":
            kind = .daily(period)
        case "weekly":
            guard let weekdays, !weekdays.isEmpty else {
                throw unprocessable("a weekly schedule needs at least one weekday (0 = Sunday … 6)", field: "weekdays")
            }
            guard weekdays.allSatisfy({ (0...6).contains($0) }) else {
                throw unprocessable("weekdays are 0 (Sunday) to 6 (Saturday)", field: "weekdays")
            }
            kind = .weekly(days: Set(weekdays), period: period)
        case "date_range":
            guard let dateFrom else { throw unprocessable("a date_range schedule needs date_from", field: "date_from") }
            guard let dateThrough else {
                throw unprocessable("a date_range schedule needs date_through", field: "date_through")
            }
            let from = try APITime.date(dateFrom, field: "date_from")
            let through = try APITime.date(dateThrough, field: "date_through")
            guard from <= through else { throw unprocessable("date_through is before date_from", field: "date_through") }
            kind = .dateRange(from: from, through: through, period: period)
        default:
            throw unprocessable("type must be daily, weekly or date_range", field: "type")
        }
        return NamedSchedule(id: TimezoneID(key), name: name ?? "Schedule \(key)", kind: kind)
    }

    func store(as key: Int, in site: Site) async throws {
        try await site.upsert(try schedule(key))
    }

    static func delete(_ key: Int, from site: Site) async throws {
        try await site.deleteUnreferencedTimezone(TimezoneID(key), noun: noun)
    }
}

struct ScheduleResource: Encodable, Sendable {
    var id: Int
    var name: String
    var type: String
    var weekdays: [Int]
    var start: String
    var end: String
    var dateFrom: String?
    var dateThrough: String?
    var builtIn: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, type, weekdays, start, end
        case dateFrom = "date_from"
        case dateThrough = "date_through"
        case builtIn = "built_in"
    }

    init(_ schedule: AkuvoxScheduleMapping.Schedule) {
        id = schedule.id
        name = schedule.name
        builtIn = TimezoneResource.builtInReason(schedule.id) != nil
        type = ["date_range", "weekly", "daily"][min(max(schedule.type, 0), 2)]
        weekdays = schedule.weekdays.sorted()
        start = APITime.text(minute: schedule.start)
        end = APITime.text(minute: schedule.end)
        dateFrom = schedule.dateStart?.description
        dateThrough = schedule.dateEnd?.description
        if schedule.id == TimezoneID.namedNever.rawValue {
            // Never is active on no day; the Akuvox export spells it as a daily 00:00–00:00, which would read as a minute.
            type = "weekly"
            weekdays = []
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(weekdays, forKey: .weekdays)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(dateFrom, forKey: .dateFrom)
        try container.encode(dateThrough, forKey: .dateThrough)
        try container.encode(builtIn, forKey: .builtIn)
    }
}

// MARK: Holidays

/// A ZKTeco `holiday` row: on `date` the timezones use the periods of holiday `type` (1–3); `recurrence` `yearly`
/// repeats it every year on that month and day (`Loop` 1), `once` is that date only (`Loop` 2).
struct HolidayBody: SiteResourceBody {
    var date: String?
    var type: Int
    var recurrence: String?

    static let collection = "holidays"
    static let noun = "holiday"
    static let keyField = "date"
    static let fieldNames = ["type": "type", "date": "date"]

    static func key(fromPath text: String) -> CalendarDate? { APITime.date(text) }
    func key() throws(APIError) -> CalendarDate? {
        guard let date else { return nil }
        return try APITime.date(date, field: "date")
    }

    static func resources(of site: Site) async -> [HolidayResource] {
        await site.holidays.map(HolidayResource.init)
    }

    static func resource(_ key: CalendarDate, of site: Site) async -> HolidayResource? {
        await site.currentConfiguration.holidays.first { $0.date == key }.map(HolidayResource.init)
    }

    func store(as key: CalendarDate, in site: Site) async throws {
        guard (1...3).contains(type) else { throw unprocessable("type must be 1, 2 or 3", field: "type") }
        let loop: Holiday.Recurrence
        switch recurrence ?? "once" {
        case "yearly": loop = .yearly
        case "once": loop = .once
        default: throw unprocessable("recurrence must be yearly or once", field: "recurrence")
        }
        try await site.upsert(Holiday(date: key, type: type, recurrence: loop))
    }

    static func delete(_ key: CalendarDate, from site: Site) async throws {
        try await site.deleteHoliday(on: key)
    }
}

struct HolidayResource: Encodable, Sendable {
    var date: String
    var type: Int
    var recurrence: String

    init(_ holiday: Holiday) {
        date = holiday.date.description
        type = holiday.type
        recurrence = holiday.recurrence == .yearly ? "yearly" : "once"
    }
}
