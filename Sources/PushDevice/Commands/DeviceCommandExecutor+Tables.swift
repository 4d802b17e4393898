import AccessControl
import Foundation
import PushProtocol

/// DATA UPDATE / DELETE / COUNT / QUERY over the tables the door model holds (§9.1). Rows are produced with the
/// field names DATA UPDATE uses (and §7.5's lower-case upload names for `user`), so a condition such as
/// `Pin=1` or `DoorID=2` selects rows the same way for DELETE, COUNT and QUERY.
extension DeviceCommandExecutor {
    // MARK: UPDATE

    func update(_ table: PushTable, _ record: PushRecord) async throws {
        switch table {
        case .user:
            let pin = try Self.pin(record, table)
            var user = await site.user(pin) ?? User(pin: pin)
            if let name = record["Name"] { user.name = name }
            if let group = record["Group"], let value = Int(group.trimmingCharacters(in: .whitespaces)) { user.group = value }
            if let text = record["Privilege"], !text.isEmpty {
                guard let value = Int(text), let privilege = Privilege(rawValue: value) else {
                    throw ModelError(field: "user.Privilege", rule: .format("0, 2, 6, 10 or 14 (got \(text))"))
                }
                user.privilege = privilege
            }
            if let disable = record["Disable"] { user.isDisabled = disable == "1" }
            if let password = record["Password"] { user.privatePIN = password.isEmpty ? nil : password }
            if let cardText = record["CardNo"], !cardText.isEmpty, cardText != "0" {
                let number = try Self.cardNumber(cardText, field: "user.CardNo")
                // The user table carries one card: it replaces the main card, sub-cards stay.
                user.cards.removeAll { $0.role == .main && $0.number != number }
                if !user.cards.contains(where: { $0.number == number }) { user.cards.insert(Card(number: number), at: 0) }
            }
            if record.contains("StartTime") || record.contains("EndTime") {
                user.validity = try Self.window(record["StartTime"] ?? "0", record["EndTime"] ?? "0", field: "user")
            }
            try await site.upsert(user)
        case .extuser:
            var user = try await existingUser(record, table)
            if let text = record["FunSwitch"], let value = Int(text) { user.functionSwitch = value }
            if let text = record["PersonalVS"] {
                let value = Int(text) ?? 0
                user.verifyMode = value == 0 ? nil : VerifyMode(rawValue: value)
            }
            try await site.upsert(user)
        case .mulcarduser:
            var user = try await existingUser(record, table)
            let number = try Self.cardNumber(record["CardNo"] ?? "", field: "mulcarduser.CardNo")
            let lost = record["LossCardFlag"] == "1"
            let role: Card.Role = record["CardType"] == "1" ? .sub : .main
            user.cards.removeAll { $0.number == number }
            user.cards.append(Card(number: number, isLost: lost, role: role))
            try await site.upsert(user)
        case .userauthorize:
            let timezone = TimezoneID(try Self.integer(record, "AuthorizeTimezoneId", table, default: 1))
            let mask = UInt64(try Self.integer(record, "AuthorizeDoorId", table, default: 0))
            let validity = record.contains("StartTime") || record.contains("EndTime")
                ? try Self.window(record["StartTime"] ?? "0", record["EndTime"] ?? "0", field: "userauthorize") : nil
            var user = try await existingUser(record, table)
            // The server sees only the exposed doors: keep what this authorisation grants elsewhere.
            let kept = user.authorisations.first { $0.timezone == timezone }.map {
                $0.doors.rawValue & ~view.exposedMask.rawValue
            } ?? 0
            user.authorisations.removeAll { $0.timezone == timezone }
            let doors = DoorMask(rawValue: view.localMask(mask).rawValue | kept)
            if doors.rawValue != 0 { user.authorisations.append(Authorisation(timezone: timezone, doors: doors, validity: validity)) }
            try await site.upsert(user)
        case .timezone:
            let id = try Self.integer(record, "TimezoneId", table, default: nil)
            var values: [Int] = []
            for day in ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Hol1", "Hol2", "Hol3"] {
                for slot in 1...3 { values.append(try Self.integer(record, "\(day)Time\(slot)", table, default: 0)) }
            }
            let validity = record.contains("StartTime") || record.contains("EndTime")
                ? try Self.window(record["StartTime"] ?? "0", record["EndTime"] ?? "0", field: "timezone") : nil
            try await site.upsert(try Timezone(id: TimezoneID(id), pushValues: values, validity: validity))
        case .holiday:
            let date = try CalendarDate(pushValue: record["Holiday"] ?? "")
            let type = try Self.integer(record, "HolidayType", table, default: 1)
            let loop = try Self.integer(record, "Loop", table, default: 2)
            guard let recurrence = Holiday.Recurrence(rawValue: loop) else {
                throw ModelError(field: "holiday.Loop", rule: .range(min: 1, max: 2))
            }
            try await site.upsert(Holiday(date: date, type: type, recurrence: recurrence))
        case .firstcard:
            let door = try localDoor(try Self.integer(record, "DoorID", table, default: nil), table)
            let timezone = TimezoneID(try Self.integer(record, "TimezoneID", table, default: 1))
            let pin = try Self.pin(record, table)
            let existing = await site.currentConfiguration.firstCardRules.first { $0.door == door && $0.user == pin }
            if let existing { try await site.deleteFirstCardRule(existing) }
            try await site.upsert(FirstCardRule(door: door, timezone: timezone, user: pin))
        case .multimcard:
            let index = try Self.integer(record, "Index", table, default: nil)
            let door = try localDoor(try Self.integer(record, "DoorId", table, default: nil), table)
            var groups: [Int] = []
            for slot in 1...5 {
                let value = try Self.integer(record, "Group\(slot)", table, default: 0)
                if value > 0 { groups.append(value) }
            }
            try await site.upsert(MultiCardCombination(index: index, door: door, groups: groups))
        case .dstSetting:
            let start = try Self.moment(record["StartTime"] ?? "", field: "DSTSetting.StartTime")
            let end = try Self.moment(record["EndTime"] ?? "", field: "DSTSetting.EndTime")
            var settings = await site.currentConfiguration.settings
            settings.daylightSaving = DaylightSavingRule(start: start, end: end)
            try await site.update(settings)
        default:
            throw ModelError(field: table.rawValue, rule: .notFound)
        }
    }

    // MARK: DELETE

    /// Deletes the rows matching the condition (`*` or nothing: all rows).
    func delete(_ table: PushTable, _ condition: DataCondition) async throws {
        let matching = await rows(of: .known(table), matching: Self.filter(condition))
        switch table {
        case .user:
            for row in matching {
                let pin = UserPIN(row["pin"] ?? "")
                if await site.user(pin) != nil { try await site.deleteUser(pin) }
            }
        case .extuser:
            for row in matching {
                guard var user = await site.user(UserPIN(row["Pin"] ?? "")) else { continue }
                user.functionSwitch = 0
                user.verifyMode = nil
                try await site.upsert(user)
            }
        case .mulcarduser:
            for row in matching {
                guard var user = await site.user(UserPIN(row["Pin"] ?? "")) else { continue }
                user.cards.removeAll { $0.number.decimalText == row["CardNo"] }
                try await site.upsert(user)
            }
        case .userauthorize:
            for row in matching {
                guard var user = await site.user(UserPIN(row["Pin"] ?? "")) else { continue }
                let timezone = TimezoneID(Int(row["AuthorizeTimezoneId"] ?? "") ?? 0)
                user.authorisations = user.authorisations.compactMap { authorisation in
                    guard authorisation.timezone == timezone else { return authorisation }
                    var kept = authorisation
                    kept.doors = DoorMask(rawValue: authorisation.doors.rawValue & ~view.exposedMask.rawValue)
                    return kept.doors.rawValue == 0 ? nil : kept
                }
                try await site.upsert(user)
            }
        case .timezone:
            for row in matching { try await site.deleteTimezone(TimezoneID(Int(row["TimezoneId"] ?? "") ?? 0)) }
        case .holiday:
            for row in matching { try await site.deleteHoliday(on: try CalendarDate(pushValue: row["Holiday"] ?? "")) }
        case .firstcard:
            let configuration = await site.currentConfiguration
            for row in matching {
                let door = view.localDoor(Int(row["DoorID"] ?? "") ?? 0)
                for rule in configuration.firstCardRules where rule.door == door && rule.user.rawValue == row["Pin"] {
                    try await site.deleteFirstCardRule(rule)
                }
            }
        case .multimcard:
            for row in matching { try await site.deleteMultiCardCombination(index: Int(row["Index"] ?? "") ?? 0) }
        case .dstSetting:
            if !matching.isEmpty {
                var settings = await site.currentConfiguration.settings
                settings.daylightSaving = nil
                try await site.update(settings)
            }
        default:
            throw ModelError(field: table.rawValue, rule: .notFound)
        }
    }

    // MARK: Rows (COUNT, QUERY, DELETE selection)

    func allUsers() async -> [User] {
        var users: [User] = []
        var offset = 0
        while true {
            let page = await site.users(offset: offset, limit: 1000)
            users += page
            if page.count < 1000 { return users }
            offset += page.count
        }
    }

    /// Rows of a table as the device uploads them, filtered by `filter` (every field of the filter must match,
    /// keys compared without regard to case; `*` as a whole filter means all rows).
    func rows(of table: PushTableName, matching filter: PushRecord?) async -> [PushRecord] {
        let all: [PushRecord]
        switch table {
        case .known(.user):
            all = await allUsers().enumerated().map { offset, user in Self.userRow(user, uid: offset + 1) }
        case .known(.extuser):
            all = await allUsers().map { user in
                PushRecord(fields: [
                    PushField("Pin", user.pin.rawValue), PushField("FunSwitch", String(user.functionSwitch)),
                    PushField("FirstName", ""), PushField("LastName", ""), PushField("PersonalVS", String(user.verifyMode?.rawValue ?? 0)),
                ])
            }
        case .known(.mulcarduser):
            all = await allUsers().flatMap { user in
                user.cards.map { card in
                    PushRecord(fields: [
                        PushField("Pin", user.pin.rawValue), PushField("CardNo", card.number.decimalText),
                        PushField("LossCardFlag", card.isLost ? "1" : "0"), PushField("CardType", card.role == .sub ? "1" : "0"),
                    ])
                }
            }
        case .known(.userauthorize):
            all = await allUsers().flatMap { user in
                user.authorisations.compactMap { authorisation -> PushRecord? in
                    let mask = view.upstreamMask(authorisation.doors)
                    guard mask != 0 else { return nil }
                    return PushRecord(fields: [
                        PushField("Pin", user.pin.rawValue), PushField("AuthorizeTimezoneId", String(authorisation.timezone.rawValue)),
                        PushField("AuthorizeDoorId", String(mask)),
                        PushField("StartTime", Self.encoded(authorisation.validity?.start)),
                        PushField("EndTime", Self.encoded(authorisation.validity?.end)),
                    ])
                }
            }
        case .known(.timezone):
            let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Hol1", "Hol2", "Hol3"]
            all = await site.timezones.map { timezone in
                let values = timezone.pushValues
                var fields = [PushField("TimezoneId", String(timezone.id.rawValue))]
                for (offset, value) in values.enumerated() {
                    fields.append(PushField("\(days[offset / 3])Time\(offset % 3 + 1)", String(value)))
                }
                return PushRecord(fields: fields)
            }
        case .known(.holiday):
            all = await site.holidays.map { holiday in
                PushRecord(fields: [
                    PushField("Holiday", holiday.date.pushValue), PushField("HolidayType", String(holiday.type)),
                    PushField("Loop", String(holiday.recurrence.rawValue)),
                ])
            }
        case .known(.firstcard):
            all = await site.currentConfiguration.firstCardRules.compactMap { rule in
                guard let door = view.upstreamNumber(of: rule.door) else { return nil }
                return PushRecord(fields: [
                    PushField("DoorID", String(door)), PushField("TimezoneID", String(rule.timezone.rawValue)),
                    PushField("Pin", rule.user.rawValue),
                ])
            }
        case .known(.multimcard):
            all = await site.currentConfiguration.multiCardCombinations.compactMap { combination in
                guard let door = view.upstreamNumber(of: combination.door) else { return nil }
                var fields = [PushField("Index", String(combination.index)), PushField("DoorId", String(door))]
                for slot in 0..<5 {
                    fields.append(PushField("Group\(slot + 1)", slot < combination.groups.count ? String(combination.groups[slot]) : ""))
                }
                return PushRecord(fields: fields)
            }
        case .known(.dstSetting):
            guard let rule = await site.currentConfiguration.settings.daylightSaving else { return [] }
            all = [PushRecord(fields: [
                PushField("StartTime", Self.momentText(rule.start)), PushField("EndTime", Self.momentText(rule.end)),
                PushField("Loop", "1"),
            ])]
        case .known(.transaction):
            let next = await site.nextJournalIndex
            guard next > 1, let entries = try? await site.journal(indices: 1...(next - 1), limit: 1_000_000) else { return [] }
            all = entries.filter { view.uploads($0, serialNumber: identity.serialNumber) }
                .map { JournalUpload.record(for: view.upstreamEntry($0)) }
        default:
            return []
        }
        return all.filter { Self.matches($0, filter) }
    }

    /// A user as §7.5 uploads it (`user uid=… cardno=… pin=…`).
    static func userRow(_ user: User, uid: Int) -> PushRecord {
        PushRecord(tag: "user", fields: [PushField("uid", String(uid))] + userFields(user))
    }

    /// The row without the device-local `uid`: what identifies a user's state to the server.
    static func userFields(_ user: User) -> [PushField] {
        [
            PushField("cardno", user.cards.first { $0.role == .main }?.number.decimalText ?? ""),
            PushField("pin", user.pin.rawValue), PushField("password", user.privatePIN ?? ""),
            PushField("group", String(user.group)), PushField("starttime", Self.encoded(user.validity?.start)),
            PushField("endtime", Self.encoded(user.validity?.end)),
            PushField("name", user.name), PushField("privilege", String(user.privilege.rawValue)),
            PushField("disable", user.isDisabled ? "1" : "0"), PushField("verify", String(user.verifyMode?.rawValue ?? 0)),
        ]
    }

    static func userKey(_ user: User) -> String { PushRecord(fields: userFields(user)).text }

    static func matches(_ record: PushRecord, _ filter: PushRecord?) -> Bool {
        guard let filter else { return true }
        return filter.fields.allSatisfy { field in
            if field.key == "*" { return true }
            guard let wanted = field.value else { return true }
            return record[field.key] == wanted
        }
    }

    // MARK: Values

    func existingUser(_ record: PushRecord, _ table: PushTable) async throws -> User {
        let pin = try Self.pin(record, table)
        guard let user = await site.user(pin) else { throw ModelError(field: "\(table.rawValue).Pin \(pin.rawValue)", rule: .notFound) }
        return user
    }

    func localDoor(_ number: Int, _ table: PushTable) throws -> DoorID {
        guard let door = view.localDoor(number) else {
            throw ModelError(field: "\(table.rawValue) door \(number)", rule: .range(min: 1, max: view.doors.count))
        }
        return door
    }

    static func pin(_ record: PushRecord, _ table: PushTable) throws -> UserPIN {
        guard let text = record["Pin"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw ModelError(field: "\(table.rawValue).Pin", rule: .format("missing"))
        }
        return UserPIN(text)
    }

    /// An integer field; empty counts as missing. `default` nil makes the field required.
    static func integer(_ record: PushRecord, _ key: String, _ table: PushTable, default fallback: Int?) throws -> Int {
        let text = record[key]?.trimmingCharacters(in: .whitespaces) ?? ""
        if text.isEmpty {
            guard let fallback else { throw ModelError(field: "\(table.rawValue).\(key)", rule: .format("missing")) }
            return fallback
        }
        guard let value = Int(text) else { throw ModelError(field: "\(table.rawValue).\(key)", rule: .format("an integer (got \(text.prefix(40)))")) }
        return value
    }

    /// `CardNo` as servers send it: decimal, the bracketed byte form (`[15CD5B07]`), or — as §9.1.1 specifies for
    /// `mulcarduser` — a bare hexadecimal string (`CC9932DD`). Digits only are read as decimal, which is what
    /// Gatehouse's own server and most others send.
    static func cardNumber(_ text: String, field: String) throws -> CardNumber {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let number = CardNumber(text: trimmed) { return number }
        if trimmed.count <= 16, let value = UInt64(trimmed, radix: 16) { return CardNumber(value) }
        throw ModelError(field: field, rule: .format("a decimal, [hex bytes] or hexadecimal card number (got \(trimmed.prefix(40)))"))
    }

    static func window(_ startText: String, _ endText: String, field: String) throws -> DateWindow? {
        func date(_ text: String, _ name: String) throws -> Date? {
            switch ValidityBound(text.trimmingCharacters(in: .whitespaces)) {
            case .unlimited: return nil
            case .encoded(let value), .date(let value):
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
                return calendar.date(from: DateComponents(
                    year: value.year, month: value.month, day: value.day, hour: value.hour, minute: value.minute, second: value.second))
            case .unparsable(let raw):
                throw ModelError(field: "\(field).\(name)", rule: .format("0, YYYYMMDD or Appendix 5 seconds (got \(raw.prefix(40)))"))
            }
        }
        let window = DateWindow(start: try date(startText, "StartTime"), end: try date(endText, "EndTime"))
        return window.start == nil && window.end == nil ? nil : window
    }

    static func encoded(_ date: Date?) -> String {
        guard let date else { return "0" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let value = PushDateTime(year: p.year ?? 2000, month: p.month ?? 1, day: p.day ?? 1, hour: p.hour ?? 0, minute: p.minute ?? 0, second: p.second ?? 0)
        return value.encodedSeconds.map(String.init) ?? "0"
    }

    /// `MMIIWWHH`: month, week of the month, weekday, hour.
    static func moment(_ text: String, field: String) throws -> DaylightSavingRule.Moment {
        let digits = text.trimmingCharacters(in: .whitespaces)
        guard digits.count == 8, digits.allSatisfy(\.isNumber), let value = Int(digits) else {
            throw ModelError(field: field, rule: .format("MMIIWWHH (got \(digits.prefix(40)))"))
        }
        return DaylightSavingRule.Moment(month: value / 1_000_000, week: value / 10_000 % 100, weekday: value / 100 % 100, hour: value % 100)
    }

    static func momentText(_ moment: DaylightSavingRule.Moment) -> String {
        String(format: "%02d%02d%02d%02d", moment.month, moment.week, moment.weekday, moment.hour)
    }
}
