import AccessControl
import Foundation
import PushProtocol

/// What executing one server command produced: uploads that must reach the server first (querydata answers of
/// DATA COUNT / DATA QUERY), then the devicecmd result.
public struct CommandOutcome: Sendable, Hashable {
    public var uploads: [PushRequest]
    public var result: CommandResult
}

/// Options the server set with SET OPTIONS (and the ones GET OPTIONS reads), owned by one actor.
public actor DeviceOptions {
    private var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public func set(_ list: PushOptionList) {
        for field in list.fields { values[field.key.hasPrefix("~") ? String(field.key.dropFirst()) : field.key] = field.value ?? "" }
    }

    public func value(_ name: String) -> String? {
        values[name.hasPrefix("~") ? String(name.dropFirst()) : name]
    }
}

/// Runs server commands against the door engine. Tables the door model holds (user, mulcarduser, userauthorize,
/// transaction for queries) are executed; tables it does not hold answer -1004 (not supported) and names that are
/// no table at all answer -629 (incorrect table name), never silence.
public struct DeviceCommandExecutor: Sendable {
    public let site: Site
    public let identity: DeviceIdentity
    public let options: DeviceOptions
    /// `CONTROL DEVICE 03…` (restart): Gatehouse reloads its scripts instead; nil answers -1004.
    public let restart: (@Sendable () async -> Bool)?
    /// Rows per querydata package.
    public var rowsPerPackage = 500

    public init(site: Site, identity: DeviceIdentity, options: DeviceOptions = DeviceOptions(), restart: (@Sendable () async -> Bool)? = nil) {
        self.site = site
        self.identity = identity
        self.options = options
        self.restart = restart
    }

    static let heldTables: Set<PushTable> = [.user, .mulcarduser, .userauthorize]

    public func execute(_ command: ServerCommand) async -> CommandOutcome {
        let echo = Self.echo(command.kind)
        func result(_ code: PushReturnCode, payload: [String] = []) -> CommandOutcome {
            CommandOutcome(uploads: [], result: CommandResult(id: command.id, returnCode: code, command: echo, payload: payload))
        }
        switch command.kind {
        case .dataUpdate(let table, let records):
            if let refusal = Self.refusal(for: table) { return result(refusal) }
            do {
                for record in records { try await update(table, record) }
                return result(.success)
            } catch {
                return result(PushReturnCode(-11))
            }
        case .dataDelete(let table, let condition):
            if let refusal = Self.refusal(for: table) { return result(refusal) }
            do {
                try await delete(table, condition)
                return result(.success)
            } catch {
                return result(PushReturnCode(-11))
            }
        case .dataCount(let table, let condition):
            guard table == .known(.user) || table == .known(.transaction) else { return result(Self.refusal(for: table) ?? .notSupported) }
            let count = await rows(of: table, matching: condition).count
            let upload = PushRequest(
                method: .post, endpoint: .querydata,
                query: PushQuery(items: [
                    PushField("SN", identity.serialNumber), PushField("type", "count"), PushField("cmdid", command.id),
                    PushField("tablename", table.text), PushField("count", "1"), PushField("packcnt", "1"), PushField("packidx", "1"),
                ]),
                message: .queryCount([PushField(table.text, String(count))]))
            return CommandOutcome(uploads: [upload], result: CommandResult(id: command.id, returnCode: PushReturnCode(count), command: echo))
        case .dataQuery(let query):
            guard query.table == .known(.user) || query.table == .known(.transaction) else {
                return result(Self.refusal(for: query.table) ?? .notSupported)
            }
            let condition: DataCondition = query.filterConditions.map { .fields($0) } ?? .all
            let found = await rows(of: query.table, matching: condition)
            let packages = stride(from: 0, to: max(found.count, 1), by: rowsPerPackage).map { start in
                Array(found[start..<min(found.count, start + rowsPerPackage)])
            }
            let uploads = packages.enumerated().map { index, rows in
                PushRequest(
                    method: .post, endpoint: .querydata,
                    query: PushQuery(items: [
                        PushField("SN", identity.serialNumber), PushField("type", "tabledata"), PushField("cmdid", command.id),
                        PushField("tablename", query.table.text), PushField("count", String(rows.count)),
                        PushField("packcnt", String(packages.count)), PushField("packidx", String(index + 1)),
                    ]),
                    message: .queryRows(rows))
            }
            return CommandOutcome(uploads: uploads, result: CommandResult(id: command.id, returnCode: PushReturnCode(found.count), command: echo))
        case .controlDevice(let control):
            return result(await self.control(control.action))
        case .setOptions(let list):
            await options.set(list)
            return result(.success)
        case .getOptions(let names):
            var payload: [String] = []
            for name in names {
                if let value = await optionValue(name) { payload.append(PushField(name, value).text) }
            }
            return result(.success, payload: payload)
        case .enrollInfo, .enrollBio:
            // Gatehouse has no biometric sensor.
            return result(.notSupported)
        case .upgrade, .account, .testHost, .setAdscreenOptions:
            return result(.notSupported)
        case .other:
            return result(.invalidCommandSyntax)
        }
    }

    /// `CMD=` as the reference's examples write it: the first two words for DATA/CONTROL/SET/GET, else the first.
    static func echo(_ kind: CommandKind) -> String {
        let words = kind.text.split(separator: " ", maxSplits: 2)
        guard let first = words.first else { return "" }
        if ["DATA", "CONTROL", "SET", "GET"].contains(first.uppercased()), words.count > 1 {
            return first + " " + words[1]
        }
        return String(first)
    }

    static func refusal(for table: PushTableName) -> PushReturnCode? {
        switch table {
        case .known(let known): heldTables.contains(known) ? nil : .notSupported
        case .other: .incorrectTableName
        }
    }

    func optionValue(_ name: String) async -> String? {
        if let value = await options.value(name) { return value }
        switch name.hasPrefix("~") ? String(name.dropFirst()) : name {
        case "DeviceName": return identity.deviceName
        case "SerialNumber": return identity.serialNumber
        case "FirmVer": return identity.firmwareVersion
        case "LockCount": return String(identity.lockCount)
        case "ReaderCount": return String(identity.readerCount)
        case "MaxPackageSize": return String(identity.maxPackageSize)
        case "UserCount": return String(await site.userCount)
        default: return nil
        }
    }

    // MARK: Tables

    func update(_ table: PushTableName, _ record: PushRecord) async throws {
        guard let pinText = record["Pin"], !pinText.isEmpty else {
            throw ModelError(field: "\(table.text).Pin", rule: .format("missing"))
        }
        let pin = UserPIN(pinText)
        switch table {
        case .known(.user):
            var user = await site.user(pin) ?? User(pin: pin)
            if let name = record["Name"] { user.name = name }
            if let group = record["Group"].flatMap({ Int($0) }) { user.group = group }
            if let privilege = record["Privilege"].flatMap({ Int($0) }).flatMap(Privilege.init(rawValue:)) { user.privilege = privilege }
            if let disable = record["Disable"] { user.isDisabled = disable == "1" }
            if let password = record["Password"] { user.privatePIN = password.isEmpty ? nil : password }
            if let cardText = record["CardNo"], !cardText.isEmpty {
                guard let number = CardNumber(text: cardText) else {
                    throw ModelError(field: "user.CardNo", rule: .format(cardText))
                }
                if !user.cards.contains(where: { $0.number == number }) { user.cards.append(Card(number: number)) }
            }
            let start = record["StartTime"].map(ValidityBound.init) ?? .unlimited
            let end = record["EndTime"].map(ValidityBound.init) ?? .unlimited
            user.validity = Self.window(start, end)
            try await site.upsert(user)
        case .known(.mulcarduser):
            guard var user = await site.user(pin) else { throw ModelError(field: "mulcarduser.Pin \(pinText)", rule: .notFound) }
            guard let cardText = record["CardNo"], let number = CardNumber(text: cardText) else {
                throw ModelError(field: "mulcarduser.CardNo", rule: .format(record["CardNo"] ?? ""))
            }
            let lost = record["LossCardFlag"] == "1"
            let role: Card.Role = record["CardType"] == "1" ? .sub : .main
            user.cards.removeAll { $0.number == number }
            user.cards.append(Card(number: number, isLost: lost, role: role))
            try await site.upsert(user)
        case .known(.userauthorize):
            let timezone = TimezoneID(Int(record["AuthorizeTimezoneId"] ?? "1") ?? 1)
            let mask = UInt64(record["AuthorizeDoorId"] ?? "") ?? 0
            try await site.authorise(pin, Authorisation(timezone: timezone, doors: DoorMask(rawValue: mask)))
        default:
            throw ModelError(field: table.text, rule: .notFound)
        }
    }

    func delete(_ table: PushTableName, _ condition: DataCondition) async throws {
        let pins: [UserPIN]
        switch condition {
        case .all, .none:
            pins = await allUsers().map(\.pin)
        case .fields(let record):
            guard let pin = record["Pin"] else {
                throw ModelError(field: "\(table.text) condition", rule: .format("only Pin= is supported"))
            }
            pins = [UserPIN(pin)]
        }
        for pin in pins {
            switch table {
            case .known(.user):
                if await site.user(pin) != nil { try await site.deleteUser(pin) }
            case .known(.mulcarduser):
                guard var user = await site.user(pin) else { continue }
                if case .fields(let record) = condition, let card = record["CardNo"].flatMap({ CardNumber(text: $0) }) {
                    user.cards.removeAll { $0.number == card }
                } else {
                    user.cards.removeAll()
                }
                try await site.upsert(user)
            case .known(.userauthorize):
                guard var user = await site.user(pin) else { continue }
                user.authorisations.removeAll()
                try await site.upsert(user)
            default:
                throw ModelError(field: table.text, rule: .notFound)
            }
        }
    }

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

    /// Rows of a queryable table as the device uploads them (§7.5 user rows, §9.1.4 transaction rows).
    func rows(of table: PushTableName, matching condition: DataCondition) async -> [PushRecord] {
        var filter: PushRecord?
        if case .fields(let record) = condition { filter = record }
        switch table {
        case .known(.user):
            return await allUsers().enumerated().compactMap { offset, user in
                let record = PushRecord(tag: "user", fields: [
                    PushField("uid", String(offset + 1)), PushField("cardno", user.cards.first?.number.decimalText ?? ""),
                    PushField("pin", user.pin.rawValue), PushField("password", user.privatePIN ?? ""),
                    PushField("group", String(user.group)), PushField("starttime", "0"), PushField("endtime", "0"),
                    PushField("name", user.name), PushField("privilege", String(user.privilege.rawValue)),
                    PushField("disable", user.isDisabled ? "1" : "0"), PushField("verify", "0"),
                ])
                return Self.matches(record, filter) ? record : nil
            }
        case .known(.transaction):
            let next = await site.nextJournalIndex
            guard next > 1, let entries = try? await site.journal(indices: 1...(next - 1), limit: 100_000) else { return [] }
            return entries.map { JournalUpload.record(for: $0) }.filter { Self.matches($0, filter) }
        default:
            return []
        }
    }

    static func matches(_ record: PushRecord, _ filter: PushRecord?) -> Bool {
        guard let filter else { return true }
        return filter.fields.allSatisfy { field in
            guard let wanted = field.value else { return true }
            return record[field.key] == wanted
        }
    }

    static func window(_ start: ValidityBound, _ end: ValidityBound) -> DateWindow? {
        func date(_ bound: ValidityBound) -> Date? {
            switch bound {
            case .encoded(let value), .date(let value):
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
                return calendar.date(from: DateComponents(
                    year: value.year, month: value.month, day: value.day, hour: value.hour, minute: value.minute, second: value.second))
            case .unlimited, .unparsable:
                return nil
            }
        }
        let window = DateWindow(start: date(start), end: date(end))
        return window.start == nil && window.end == nil ? nil : window
    }

    // MARK: Doors

    func control(_ action: ControlAction) async -> PushReturnCode {
        let source = JournalSource.push(deviceSN: identity.serialNumber)
        func doors(_ door: Int) -> [DoorID] {
            door == 0 ? (1...max(1, identity.lockCount)).map(DoorID.init) : [DoorID(door)]
        }
        do {
            switch action {
            case .output(let door, let target, let duration) where target == ControlAction.lockTarget:
                for id in doors(door) {
                    switch duration {
                    case .off: _ = try await site.close(door: id, by: source)
                    case .normallyOpen: _ = try await site.setNormalOpen(door: id, by: source)
                    case .seconds(let seconds): _ = try await site.open(door: id, seconds: seconds, by: source)
                    }
                }
                return .success
            case .cancelAlarm(let door):
                for id in doors(door) { _ = try await site.clearAlarm(door: id, by: source) }
                return .success
            case .normalOpen(let door, let enabled):
                for id in doors(door) {
                    _ = enabled ? try await site.setNormalOpen(door: id, by: source) : try await site.close(door: id, by: source)
                }
                return .success
            case .restart:
                guard let restart else { return .notSupported }
                return await restart() ? .success : PushReturnCode(-12)
            default:
                return .notSupported
            }
        } catch {
            return PushReturnCode(-11)
        }
    }
}
