import AccessControl
import Foundation
import PushProtocol

/// The JSON API's targets: relay, input, user, schedule, doorlog.
extension AkuvoxAPI {
    /// Akuvox pages hold 10 items.
    static let pageSize = 10

    /// Page `page` (1-based) of `items`; empty past the end.
    static func pageSlice<Item>(_ items: [Item], page: Int) -> [Item] {
        let start = (page - 1) * pageSize
        return start < items.count ? Array(items[start..<min(items.count, start + pageSize)]) : []
    }

    /// A log item's `Date` and `Time`: the journal's site-local `yyyy-MM-dd HH:mm:ss`, split.
    static func dateAndTime(_ entry: JournalEntry) -> (date: String, time: String) {
        let parts = entry.localTime.split(separator: " ")
        return (parts.first.map(String.init) ?? "", parts.count > 1 ? String(parts[1]) : "")
    }

    /// The reply when the journal or the store cannot be reached (`what`): Not Enable, HTTP 503.
    func unavailable(_ action: String, _ what: String, _ error: any Error) -> AkuvoxReply {
        var reply = AkuvoxReply.failure(.notEnabled, action: action, message: "\(what) unavailable: \(error)")
        reply.status = .serviceUnavailable
        return reply
    }

    // MARK: relay, input

    /// `mode` 0 pulses the relay for `delay` seconds (0: the door's drive time); `mode` 1 ("manual") switches it
    /// and leaves it: holds the door open, or closes it when it is already held. `level` (wiring NO/NC) changes nothing.
    func relayTrig(_ call: Call) async -> AkuvoxReply {
        let action = "trig"
        let number = call.text("num") ?? "1"
        let mode = call.text("mode") ?? "0"
        guard let delay = Int(call.text("delay") ?? "0"), (0...65535).contains(delay) else {
            return .badParameter(action, "delay must be 0–65535")
        }
        switch mode {
        case "0":
            return await trigger(relayName: number, seconds: delay > 0 ? delay : nil, action: action)
        case "1":
            guard let relay = await relay(named: number) else { return .badParameter(action, "no relay \(number)") }
            guard let door = await site.currentConfiguration.doors.first(where: { $0.relay == relay }) else {
                return .failure(.notEnabled, action: action, message: "Not Enable: relay \(number) drives no door")
            }
            do {
                if try await site.status(of: door.id).isNormalOpen {
                    try await site.close(door: door.id, by: Self.source)
                } else {
                    try await site.setNormalOpen(door: door.id, by: Self.source)
                }
                try await site.flush()
            } catch {
                return .badParameter(action, "\(error)")
            }
            return .ok(action)
        default:
            return .badParameter(action, "mode must be 0 (auto-close) or 1 (manual)")
        }
    }

    /// `{"RelayA": 0, "RelayB": 1, …}`: 1 while the relay is energised.
    func relayStatus(_ call: Call) async -> AkuvoxReply {
        let relays = await site.currentConfiguration.relays.map(\.id).sorted()
        var members: [(String, AkuvoxJSON)] = []
        for id in relays {
            guard let letter = AkuvoxNaming.letter(id.rawValue), let output = try? await site.relayOutput(id) else { continue }
            members.append(("Relay\(letter)", .int(output.isActive ? 1 : 0)))
        }
        return .ok("status", data: .object(members))
    }

    /// `{"InputA": 1, …}`: 1 while the input is triggered.
    func inputStatus(_ call: Call) async -> AkuvoxReply {
        let inputs = await site.currentConfiguration.inputs.map(\.id).sorted()
        var members: [(String, AkuvoxJSON)] = []
        for id in inputs {
            guard let letter = AkuvoxNaming.letter(id.rawValue), let active = try? await site.isInputActive(id) else { continue }
            members.append(("Input\(letter)", .int(active ? 1 : 0)))
        }
        return .ok("status", data: .object(members))
    }

    // MARK: user

    /// The requested page, 1 when absent or unreadable; capped so page arithmetic cannot overflow.
    static func page(_ call: Call) -> Int {
        min(max(1, Int(call.text("page") ?? "1") ?? 1), 1_000_000)
    }

    /// `data: {curPageNum, num, item: [...]}`, 10 a page; `NameOrPerID` filters by name or user id (substring).
    func userGet(_ call: Call) async -> AkuvoxReply {
        let page = Self.page(call)
        let filter = call.text("NameOrPerID")?.lowercased() ?? ""
        let configuration = await site.currentConfiguration
        var matching: [User] = []
        var offset = 0
        while true {
            let batch = await site.users(offset: offset, limit: 1000)
            for user in batch
            where filter.isEmpty || user.name.lowercased().contains(filter) || user.pin.rawValue.lowercased().contains(filter) {
                matching.append(user)
            }
            guard batch.count == 1000 else { break }
            offset += 1000
        }
        let items = Self.pageSlice(matching, page: page)
        let ids: [String: Int64]
        do {
            ids = try await directory.userIDs(for: items.map(\.pin.rawValue))
        } catch {
            return unavailable("get", "storage", error)
        }
        return .ok(
            "get",
            data: .object([
                ("curPageNum", .int(page)), ("num", .int(matching.count)),
                (
                    "item",
                    .array(
                        items.map {
                            AkuvoxUserMapping.item(
                                $0, id: ids[$0.pin.rawValue].map(String.init) ?? "", configuration: configuration)
                        })
                ),
            ]))
    }

    /// The user a record names: by the device-assigned `ID` when given (as clients do for `set` and `del`), else by
    /// `UserID`. Nil when the `ID` is unknown.
    func user(addressedBy record: AkuvoxUserMapping.Record, index: Int) async throws -> (pin: String, idGiven: Bool)? {
        if let text = record["ID"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let id = Int64(text), let pin = try await directory.pin(forUserID: id) else { return nil }
            return (pin, true)
        }
        guard let pin = AkuvoxUserMapping.pin(of: record) else { return nil }
        return (pin, false)
    }

    /// add: every item must be new; set: every item must exist (absent keys keep their values). All items are
    /// checked before any is stored, so a bad item changes nothing.
    func userWrite(_ call: Call) async -> AkuvoxReply {
        let action = call.action
        guard let records = call.items, !records.isEmpty else { return .badParameter(action, "data.item is missing") }
        let configuration = await site.currentConfiguration
        let schedules = Set(await site.timezones.map(\.id) + [TimezoneID(1001), TimezoneID(1002)])  // with the built-ins
        var users: [User] = []
        var listed: [UserPIN: Int] = [:]  // item index by user, to refuse one listed twice
        for (index, record) in records.enumerated() {
            let pin: String
            if action == "set" {
                let addressed: (pin: String, idGiven: Bool)?
                do {
                    addressed = try await user(addressedBy: record, index: index)
                } catch {
                    return unavailable(action, "storage", error)
                }
                guard let addressed else {
                    return .badParameter(action, "item[\(index)].ID: no user has ID \(record["ID"] ?? "")")
                }
                if let userID = AkuvoxUserMapping.pin(of: record.filter { $0.key != "ID" }), userID != addressed.pin {
                    return .badParameter(
                        action,
                        "item[\(index)].UserID: user ID \(record["ID"] ?? "") is UserID \(addressed.pin); a UserID cannot change (delete the user and add it again)"
                    )
                }
                pin = addressed.pin
            } else {
                guard let userID = AkuvoxUserMapping.pin(of: record.filter { $0.key != "ID" }) else {
                    return .badParameter(action, "item[\(index)].UserID: is missing")
                }
                pin = userID
            }
            if let first = listed.updateValue(index, forKey: UserPIN(pin)) {
                return .badParameter(action, "item[\(index)]: user \(pin) is already item[\(first)] of this batch")
            }
            let existing = await site.user(UserPIN(pin))
            if action == "add", existing != nil {
                return .badParameter(action, "item[\(index)].UserID: user \(pin) already exists")
            }
            if action == "set", existing == nil {
                return .badParameter(action, "item[\(index)].UserID: user \(pin) does not exist")
            }
            do {
                let user = try AkuvoxUserMapping.apply(
                    record, to: existing ?? User(pin: UserPIN(pin)), configuration: configuration)
                if let unknown = user.authorisations.map(\.timezone).first(where: { !schedules.contains($0) }) {
                    let key = AkuvoxUserMapping.scheduleRelayKeys.first { record[$0] != nil } ?? "ScheduleRelay"
                    return .badParameter(action, "item[\(index)].\(key): schedule \(unknown) does not exist")
                }
                users.append(user)
            } catch {
                return .badParameter(action, "item[\(index)].\(error.field): \(error.message)")
            }
        }
        let reply = await writeAll(users, action: action) { try await $0.upsert($1, in: site) }
        guard reply.retcode == 0 else { return reply }
        // The device assigns each new user its row ID at once, as firmware does.
        _ = try? await directory.userIDs(for: users.map(\.pin.rawValue))
        return reply
    }

    /// Writes the items of a batch in order. The first one the site refuses (a rule the item checks could not see,
    /// such as a card another user holds) puts back the writes before it and is named in the reply.
    func writeAll<Item>(
        _ items: [Item], action: String, _ write: (inout UndoLog, Item) async throws -> Void
    ) async -> AkuvoxReply {
        var undo = UndoLog()
        for (index, item) in items.enumerated() {
            do {
                try await write(&undo, item)
            } catch {
                await undo.undo(in: site)
                return .badParameter(action, "item[\(index)]: \(error)")
            }
        }
        return .ok(action)
    }

    /// Every item must exist and appear once; a deletion that fails puts back the users already deleted.
    func userDelete(_ call: Call) async -> AkuvoxReply {
        let action = call.action
        guard let records = call.items, !records.isEmpty else { return .badParameter(action, "data.item is missing") }
        var users: [User] = []
        var listed: [UserPIN: Int] = [:]  // item index by user, to refuse one listed twice
        for (index, record) in records.enumerated() {
            let addressed: (pin: String, idGiven: Bool)?
            do {
                addressed = try await user(addressedBy: record, index: index)
            } catch {
                return unavailable(action, "storage", error)
            }
            guard let pin = addressed?.pin else {
                return .badParameter(action, "item[\(index)].ID: no user has ID \(record["ID"] ?? record["UserID"] ?? "")")
            }
            if let first = listed.updateValue(index, forKey: UserPIN(pin)) {
                return .badParameter(action, "item[\(index)]: user \(pin) is already item[\(first)] of this batch")
            }
            guard let user = await site.user(UserPIN(pin)) else {
                return .badParameter(action, "item[\(index)].ID: user \(pin) does not exist")
            }
            users.append(user)
        }
        let reply = await writeAll(users.map(\.pin), action: action) { try await $0.deleteUser($1, in: site) }
        guard reply.retcode == 0 else { return reply }
        for user in users { try? await directory.reassignUserID(from: user.pin.rawValue, to: nil) }
        return reply
    }

    // MARK: schedule

    func scheduleGet(_ call: Call) async -> AkuvoxReply {
        let page = Self.page(call)
        let all = AkuvoxScheduleMapping.schedules(of: await site.currentConfiguration)
        let items = Self.pageSlice(all, page: page)
        return .ok(
            "get",
            data: .object([
                ("curPageNum", .int(page)), ("num", .int(all.count)), ("item", .array(items.map(AkuvoxScheduleMapping.item))),
            ]))
    }

    func scheduleWrite(_ call: Call) async -> AkuvoxReply {
        let action = call.action
        guard let records = call.items, !records.isEmpty else { return .badParameter(action, "data.item is missing") }
        let existing = Set(await site.timezones.map(\.id.rawValue))
        var schedules: [NamedSchedule] = []
        var listed: [TimezoneID: Int] = [:]
        // `add` without an ID: the next free number above the custom schedules (below the built-in 1001).
        var nextID = (existing.filter { $0 < 1001 }.max() ?? 0) + 1
        for (index, record) in records.enumerated() {
            do {
                let schedule = try AkuvoxScheduleMapping.namedSchedule(record, assignedID: action == "add" ? nextID : nil)
                if schedule.id.rawValue == nextID { nextID += 1 }
                if action == "add", existing.contains(schedule.id.rawValue) {
                    return .badParameter(action, "item[\(index)]: schedule \(schedule.id) already exists")
                }
                if action == "set", !existing.contains(schedule.id.rawValue) {
                    return .badParameter(action, "item[\(index)]: schedule \(schedule.id) does not exist")
                }
                if let first = listed.updateValue(index, forKey: schedule.id) {
                    return .badParameter(
                        action, "item[\(index)]: schedule \(schedule.id) is already item[\(first)] of this batch")
                }
                schedules.append(schedule)
            } catch {
                return .badParameter(action, "item[\(index)].\(error.field): \(error.message)")
            }
        }
        return await writeAll(schedules, action: action) { try await $0.upsert($1, in: site) }
    }

    /// Every item must name a schedule once; a deletion the site refuses (a built-in, one that does not exist) puts
    /// back the schedules already deleted.
    func scheduleDelete(_ call: Call) async -> AkuvoxReply {
        let action = call.action
        guard let records = call.items, !records.isEmpty else { return .badParameter(action, "data.item is missing") }
        var ids: [TimezoneID] = []
        var listed: [TimezoneID: Int] = [:]
        for (index, record) in records.enumerated() {
            guard let text = record["ID"] ?? record["ScheduleID"], let id = Int(text) else {
                return .badParameter(action, "item[\(index)]: ID is missing")
            }
            if let first = listed.updateValue(index, forKey: TimezoneID(id)) {
                return .badParameter(action, "item[\(index)]: schedule \(id) is already item[\(first)] of this batch")
            }
            ids.append(TimezoneID(id))
        }
        return await writeAll(ids, action: action) { try await $0.deleteTimezone($1, in: site) }
    }

    // MARK: doorlog

    /// Door log items `{ID, Date, Time, Name, Code, Type, Relay, Status}`, newest first, 10 a page. Type: 0 unknown,
    /// 1 card, 2 password, 3 public, 4 face; Status 0 success, 1 failed. Only verifications and remote opens.
    func doorlogGet(_ call: Call) async -> AkuvoxReply {
        let action = "get"
        let page = Self.page(call)
        let wanted = page * Self.pageSize
        let configuration = await site.currentConfiguration
        let relayOfDoor = Dictionary(configuration.doors.map { ($0.id, $0.relay) }, uniquingKeysWith: { first, _ in first })
        let found: [JournalEntry]
        do {
            found = try await newestJournalEntries(wanted: wanted) { Self.isDoorLogEntry($0) ? $0 : nil }
        } catch {
            return unavailable(action, "journal", error)
        }
        var items: [AkuvoxJSON] = []
        for entry in Self.pageSlice(found, page: page) {
            var userName = ""
            if let pin = entry.pin { userName = await site.user(pin)?.name ?? "" }
            let (date, time) = Self.dateAndTime(entry)
            let relay = entry.door.flatMap { relayOfDoor[$0] }.map { String($0.rawValue) } ?? ""
            items.append(
                .object([
                    ("ID", .string(String(entry.index))),
                    ("Date", .string(date)), ("Time", .string(time)),
                    ("Name", .string(userName)),
                    ("Code", .string(entry.card ?? "")),
                    ("Type", .string(String(Self.doorLogType(entry)))),
                    ("Relay", .string(relay)),
                    ("Status", .string(Self.isGrant(entry) ? "0" : "1")),
                ]))
        }
        return .ok(action, data: .object([("curPageNum", .int(page)), ("num", .int(found.count)), ("item", .array(items))]))
    }

    /// Journal entries newest first, as `pick` keeps them, until `wanted` are kept. Scans back at most 20,000
    /// entries: a log page further back than that is not worth the latency.
    func newestJournalEntries<Item>(wanted: Int, _ pick: (JournalEntry) -> Item?) async throws -> [Item] {
        var found: [Item] = []
        var upper = await site.nextJournalIndex
        var scanned = 0
        while upper > 1, found.count < wanted, scanned < 20_000 {
            let lower = upper > 500 ? upper - 500 : 1
            let entries = try await site.journal(indices: lower...(upper - 1), limit: 500)
            scanned += entries.count
            for entry in entries.reversed() { if let item = pick(entry) { found.append(item) } }
            upper = lower
        }
        return found
    }

    static func isDoorLogEntry(_ entry: JournalEntry) -> Bool { AkuvoxDoorLog.lists(entry) }

    static func isGrant(_ entry: JournalEntry) -> Bool {
        PushEventClass(code: entry.event) == .normal
    }

    static func doorLogType(_ entry: JournalEntry) -> Int {
        switch VerifyMode(rawValue: entry.verifyMode) {
        case .card?, .cardAndPassword?, .cardOrPassword?: 1
        case .password?: entry.pin == nil ? 3 : 2
        case .face?, .faceAndCard?, .faceAndPassword?: 4
        default: 0
        }
    }
}

/// Relay and input letters as Akuvox names them (`RelayA` is relay 1, `InputC` input 3), A to Z.
public enum AkuvoxNaming {
    /// The autop keys of the action URLs, which the host's actions layer serves.
    public static let actionURLPrefix = "Config.Features.ACTIONURL."

    public static func letter(_ id: Int) -> String? {
        guard (1...26).contains(id), let scalar = Unicode.Scalar(64 + id) else { return nil }
        return String(Character(scalar))
    }

    /// The id a one-letter suffix names, nil when it is not one letter A–Z.
    public static func number(ofLetter letter: Substring) -> Int? {
        guard letter.count == 1, let scalar = letter.unicodeScalars.first, (65...90).contains(scalar.value) else { return nil }
        return Int(scalar.value) - 64
    }
}

/// Which journal entries the Akuvox door log holds: verifications and remote opens at a door. One rule for
/// `doorlog/get` and the `DoorLog` action URL.
public enum AkuvoxDoorLog {
    public static func lists(_ entry: JournalEntry) -> Bool {
        guard entry.door != nil else { return false }
        if entry.event == PushEventCode.openedRemotely.rawValue { return true }
        return entry.verifyMode != VerifyMode.other.rawValue || entry.pin != nil || entry.card != nil
    }
}
