import AccessControl
import Foundation
import GRDB
import PushProtocol

extension DoorModelStore {
    public func loadConfiguration() async throws -> SiteConfiguration? {
        try await writer.read { db in try DoorModelStore.fetchConfiguration(db) }
    }

    static func fetchConfiguration(_ db: Database) throws -> SiteConfiguration? {
        guard let json = try String.fetchOne(db, sql: "SELECT settings_json FROM access_settings WHERE id = 1") else {
            return nil
        }
        var configuration = SiteConfiguration()
        configuration.settings = try JSONDecoder().decode(SiteSettings.self, from: Data(json.utf8))
        for row in try Row.fetchAll(db, sql: "SELECT * FROM access_relay ORDER BY id") {
            configuration.relays.append(
                Relay(
                    id: RelayID(row["id"]), name: row["name"], kind: Relay.Kind(rawValue: row["kind"]) ?? .local,
                    mode: Relay.Mode(rawValue: row["mode"]) ?? .monostable,
                    purpose: Relay.Purpose(rawValue: row["purpose"]) ?? .openDoor, triggerDelay: row["trigger_delay"],
                    holdDelay: row["hold_delay"], isInverted: row["inverted"], liftControl: row["lift_control"],
                    dtmfCode: row["dtmf_code"]))
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM access_door ORDER BY id") {
            let normalOpen: Int? = row["normal_open_timezone"]
            let exitTimezone: Int? = row["exit_button_timezone"]
            configuration.doors.append(
                Door(
                    id: DoorID(row["id"]), name: row["name"], relay: RelayID(row["relay_id"]),
                    lockDriveTime: row["lock_drive_time"], extendedDriveTime: row["extended_drive_time"],
                    normalOpenTimezone: normalOpen.map(TimezoneID.init), validTimezone: TimezoneID(row["valid_timezone"]),
                    verifyMode: VerifyMode(rawValue: row["verify_mode"]) ?? .automatic,
                    sensorType: DoorSensorType(rawValue: row["sensor_type"]) ?? .none, openTimeout: row["open_timeout"],
                    closeAndLock: row["close_and_lock"], punchInterval: row["punch_interval"],
                    exitButtonEnabled: row["exit_button_enabled"], exitButtonTimezone: exitTimezone.map(TimezoneID.init),
                    firstCardMode: FirstCardMode(rawValue: row["first_card_mode"]) ?? .disabled,
                    multiCardOpen: row["multi_card_open"], multiCardInterval: row["multi_card_interval"],
                    antiPassback: InOutAntiPassback(rawValue: row["anti_passback"]) ?? .none,
                    antiPassbackDuration: row["anti_passback_duration"], isDisabled: row["disabled"], isLocked: row["locked"],
                    emergencyPassword: row["emergency_password"], duressPassword: row["duress_password"]))
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, door_id, direction FROM access_reader ORDER BY id") {
            configuration.readers.append(
                Reader(id: ReaderID(row[0]), door: DoorID(row[1]), direction: Direction(rawValue: row[2]) ?? .entry))
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM access_input ORDER BY id") {
            let role: Input.Role
            let door: Int? = row["door_id"]
            let relay: Int? = row["relay_id"]
            switch (row["role"] as String, door) {
            case ("exit_button", let door?): role = .exitButton(DoorID(door))
            case ("door_sensor", let door?): role = .doorSensor(DoorID(door))
            default: role = .auxiliary(relay: relay.map(RelayID.init))
            }
            configuration.inputs.append(
                Input(
                    id: InputID(row["id"]), name: row["name"], role: role,
                    triggerLevel: Level(rawValue: row["trigger_level"]) ?? .low, debounceMilliseconds: row["debounce_ms"]))
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM access_timezone ORDER BY id") {
            let values = (row["periods"] as String).split(separator: ",").compactMap { Int($0) }
            var timezone = try Timezone(
                id: TimezoneID(row["id"]), pushValues: values, validity: window(row["valid_from"], row["valid_until"]))
            timezone.name = row["name"]
            if row["holidays_follow_weekday"] { timezone.holidays = nil }
            configuration.timezones.append(timezone)
        }
        for row in try Row.fetchAll(db, sql: "SELECT date, type, recurrence FROM access_holiday ORDER BY date") {
            configuration.holidays.append(
                Holiday(
                    date: try CalendarDate(pushValue: row[0]), type: row[1],
                    recurrence: Holiday.Recurrence(rawValue: row[2]) ?? .once))
        }
        for row in try Row.fetchAll(db, sql: "SELECT door_id, user_pin, timezone_id FROM access_first_card ORDER BY door_id, user_pin") {
            configuration.firstCardRules.append(
                FirstCardRule(door: DoorID(row[0]), timezone: TimezoneID(row[2]), user: UserPIN(row[1])))
        }
        for row in try Row.fetchAll(db, sql: "SELECT idx, door_id, groups FROM access_multi_card ORDER BY idx") {
            configuration.multiCardCombinations.append(
                MultiCardCombination(
                    index: row[0], door: DoorID(row[1]), groups: (row[2] as String).split(separator: ",").compactMap { Int($0) }))
        }
        return configuration
    }

    public func apply(_ change: ConfigurationChange) async throws {
        let settingsJSON: String?
        switch change {
        case .replace(let configuration): settingsJSON = try Self.json(configuration.settings)
        case .settings(let settings): settingsJSON = try Self.json(settings)
        default: settingsJSON = nil
        }
        try await write { db in
            // A change to a site never configured starts from nothing: the site stores the default panel first.
            switch change {
            case .replace(let configuration):
                for table in [
                    "access_settings", "access_door", "access_reader", "access_relay", "access_input", "access_timezone",
                    "access_holiday", "access_first_card", "access_multi_card",
                ] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
                try Self.writeSettings(settingsJSON ?? "{}", db)
                for relay in configuration.relays { try Self.write(relay, db) }
                for door in configuration.doors { try Self.write(door, db) }
                for reader in configuration.readers { try Self.write(reader, db) }
                for input in configuration.inputs { try Self.write(input, db) }
                for timezone in configuration.timezones { try Self.write(timezone, db) }
                for holiday in configuration.holidays { try Self.write(holiday, db) }
                for rule in configuration.firstCardRules { try Self.write(rule, db) }
                for combination in configuration.multiCardCombinations { try Self.write(combination, db) }
            case .settings:
                try Self.writeSettings(settingsJSON ?? "{}", db)
            case .upsertDoor(let door): try Self.write(door, db)
            case .deleteDoor(let id): try db.execute(sql: "DELETE FROM access_door WHERE id = ?", arguments: [id.rawValue])
            case .upsertReader(let reader): try Self.write(reader, db)
            case .deleteReader(let id): try db.execute(sql: "DELETE FROM access_reader WHERE id = ?", arguments: [id.rawValue])
            case .upsertRelay(let relay): try Self.write(relay, db)
            case .deleteRelay(let id): try db.execute(sql: "DELETE FROM access_relay WHERE id = ?", arguments: [id.rawValue])
            case .upsertInput(let input): try Self.write(input, db)
            case .deleteInput(let id): try db.execute(sql: "DELETE FROM access_input WHERE id = ?", arguments: [id.rawValue])
            case .upsertTimezone(let timezone): try Self.write(timezone, db)
            case .deleteTimezone(let id):
                try db.execute(sql: "DELETE FROM access_timezone WHERE id = ?", arguments: [id.rawValue])
            case .upsertHoliday(let holiday): try Self.write(holiday, db)
            case .deleteHoliday(let date):
                try db.execute(sql: "DELETE FROM access_holiday WHERE date = ?", arguments: [date.pushValue])
            case .upsertFirstCardRule(let rule): try Self.write(rule, db)
            case .deleteFirstCardRule(let rule):
                try db.execute(
                    sql: "DELETE FROM access_first_card WHERE door_id = ? AND user_pin = ?",
                    arguments: [rule.door.rawValue, rule.user.rawValue])
            case .upsertMultiCardCombination(let combination): try Self.write(combination, db)
            case .deleteMultiCardCombination(let index):
                try db.execute(sql: "DELETE FROM access_multi_card WHERE idx = ?", arguments: [index])
            }
        }
    }

    static func json(_ settings: SiteSettings) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(settings), as: UTF8.self)
    }

    static func writeSettings(_ json: String, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO access_settings (id, settings_json) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET settings_json = excluded.settings_json",
            arguments: [json])
    }

    static func write(_ relay: Relay, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO access_relay (id, name, kind, mode, purpose, trigger_delay, hold_delay, inverted,
                    lift_control, dtmf_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                relay.id.rawValue, relay.name, relay.kind.rawValue, relay.mode.rawValue, relay.purpose.rawValue,
                relay.triggerDelay, relay.holdDelay, relay.isInverted, relay.liftControl, relay.dtmfCode,
            ])
    }

    static func write(_ door: Door, _ db: Database) throws {
        let values: [(String, (any DatabaseValueConvertible)?)] = [
            ("id", door.id.rawValue), ("name", door.name), ("relay_id", door.relay.rawValue),
            ("lock_drive_time", door.lockDriveTime), ("extended_drive_time", door.extendedDriveTime),
            ("normal_open_timezone", door.normalOpenTimezone?.rawValue), ("valid_timezone", door.validTimezone.rawValue),
            ("verify_mode", door.verifyMode.rawValue), ("sensor_type", door.sensorType.rawValue),
            ("open_timeout", door.openTimeout), ("close_and_lock", door.closeAndLock), ("punch_interval", door.punchInterval),
            ("exit_button_enabled", door.exitButtonEnabled), ("exit_button_timezone", door.exitButtonTimezone?.rawValue),
            ("first_card_mode", door.firstCardMode.rawValue), ("multi_card_open", door.multiCardOpen),
            ("multi_card_interval", door.multiCardInterval), ("anti_passback", door.antiPassback.rawValue),
            ("anti_passback_duration", door.antiPassbackDuration), ("disabled", door.isDisabled), ("locked", door.isLocked),
            ("emergency_password", door.emergencyPassword), ("duress_password", door.duressPassword),
        ]
        let columns = values.map(\.0).joined(separator: ", ")
        let marks = values.map { _ in "?" }.joined(separator: ", ")
        try db.execute(
            sql: "INSERT OR REPLACE INTO access_door (\(columns)) VALUES (\(marks))",
            arguments: StatementArguments(values.map(\.1)))
    }

    static func write(_ reader: Reader, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO access_reader (id, door_id, direction) VALUES (?, ?, ?)",
            arguments: [reader.id.rawValue, reader.door.rawValue, reader.direction.rawValue])
    }

    static func write(_ input: Input, _ db: Database) throws {
        let role: String
        var door: Int?
        var relay: Int?
        switch input.role {
        case .exitButton(let id):
            role = "exit_button"
            door = id.rawValue
        case .doorSensor(let id):
            role = "door_sensor"
            door = id.rawValue
        case .auxiliary(let id):
            role = "auxiliary"
            relay = id?.rawValue
        }
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO access_input (id, name, role, door_id, relay_id, trigger_level, debounce_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                input.id.rawValue, input.name, role, door, relay, input.triggerLevel.rawValue, input.debounceMilliseconds,
            ])
    }

    static func write(_ timezone: Timezone, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO access_timezone (id, name, periods, holidays_follow_weekday, valid_from, valid_until)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                timezone.id.rawValue, timezone.name, timezone.pushValues.map(String.init).joined(separator: ","),
                timezone.holidays == nil, timezone.validity.storedStart, timezone.validity.storedEnd,
            ])
    }

    static func write(_ holiday: Holiday, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO access_holiday (date, type, recurrence) VALUES (?, ?, ?)",
            arguments: [holiday.date.pushValue, holiday.type, holiday.recurrence.rawValue])
    }

    static func write(_ rule: FirstCardRule, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO access_first_card (door_id, user_pin, timezone_id) VALUES (?, ?, ?)",
            arguments: [rule.door.rawValue, rule.user.rawValue, rule.timezone.rawValue])
    }

    static func write(_ combination: MultiCardCombination, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO access_multi_card (idx, door_id, groups) VALUES (?, ?, ?)",
            arguments: [combination.index, combination.door.rawValue, combination.groups.map(String.init).joined(separator: ",")])
    }
}
