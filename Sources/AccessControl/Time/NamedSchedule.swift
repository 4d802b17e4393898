import Foundation

/// Akuvox-style schedules (1001 Always, 1002 Never, custom daily / weekly / date-range), expressed as a
/// ``Timezone`` so a single evaluator serves both vocabularies.
public struct NamedSchedule: Hashable, Sendable, Codable {
    public enum Kind: Hashable, Sendable, Codable {
        /// Every day between the two times.
        case daily(DailyPeriod)
        /// The given weekdays (0 = Sunday) between the two times.
        case weekly(days: Set<Int>, period: DailyPeriod)
        /// Every day from `from` to `through` (inclusive, site-local dates) between the two times.
        case dateRange(from: CalendarDate, through: CalendarDate, period: DailyPeriod)
    }

    public var id: TimezoneID
    public var name: String
    public var kind: Kind

    public init(id: TimezoneID, name: String, kind: Kind) {
        self.id = id
        self.name = name
        self.kind = kind
    }

    /// The timezone this schedule means; date ranges become the timezone's validity window in `calendar`'s zone.
    public func timezone(in calendar: SiteCalendar) throws(ModelError) -> Timezone {
        guard id != .namedAlways, id != .namedNever else {
            throw ModelError(field: "schedule \(id)", rule: .conflict("1001 and 1002 are the built-in Always and Never"))
        }
        switch kind {
        case .daily(let period):
            return Timezone(id: id, name: name, weekdays: Array(repeating: [period], count: 7))
        case .weekly(let days, let period):
            guard days.allSatisfy({ (0...6).contains($0) }) else {
                throw ModelError(field: "schedule \(id) weekdays", rule: .range(min: 0, max: 6))
            }
            return Timezone(id: id, name: name, weekdays: (0..<7).map { days.contains($0) ? [period] : [] })
        case .dateRange(let from, let through, let period):
            guard from <= through else {
                throw ModelError(field: "schedule \(id) dates", rule: .conflict("start date is after end date"))
            }
            guard let start = calendar.instant(of: from, minuteOfDay: 0),
                let endDay = calendar.instant(of: through, minuteOfDay: 0)
            else {
                throw ModelError(field: "schedule \(id) dates", rule: .format("real calendar dates"))
            }
            // The window ends when the last day ends: 24 h after its midnight is close enough except on DST days,
            // where the minute-level periods still decide.
            let end = endDay.addingTimeInterval(24 * 3600 - 1)
            return Timezone(
                id: id, name: name, weekdays: Array(repeating: [period], count: 7),
                validity: DateWindow(start: start, end: end))
        }
    }
}
