import AccessControl
import Foundation
import PushProtocol

/// How Akuvox's flat user record maps onto the door model, shared by the JSON API and the XML/CSV transfer formats.
///
/// - `UserID` is the user's PIN (the key); `ID` is the row number the device assigned (kept in SQLite beside the door
///   model), by which Akuvox clients address `set` and `del`.
/// - `CardCode` is `;`-separated card numbers (decimal; a code with hex letters is read as hex).
/// - `ScheduleRelay` / `Schedule-Relay` / `Schedule` is `schedule-relays;…` (e.g. `1001-12;5-3`): the user may open
///   the doors driven by those relays while the schedule (a timezone id; 1001 Always, 1002 Never) is active.
///   Relays are single digits, so doors on relays above 9 have no Akuvox spelling.
enum AkuvoxUserMapping {
    /// Keys firmware versions use for the schedule-relay field; the first present wins on input.
    static let scheduleRelayKeys = ["Schedule-Relay", "ScheduleRelay", "Schedule"]

    struct FieldError: Error, Sendable {
        var field: String
        var message: String
    }

    // MARK: Schedule-relay text

    static func parseScheduleRelay(_ text: String, configuration: SiteConfiguration) throws(FieldError) -> [Authorisation] {
        var result: [Authorisation] = []
        let pairs = text.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
        for pair in pairs where !pair.isEmpty {
            let parts = pair.split(separator: "-", maxSplits: 1).map(String.init)
            guard parts.count == 2, let schedule = Int(parts[0]), schedule > 0, !parts[1].isEmpty,
                parts[1].allSatisfy({ $0 >= "1" && $0 <= "9" })
            else {
                throw FieldError(
                    field: "Schedule-Relay", message: "'\(pair)' is not schedule-relays such as 1001-12 (relays 1–9)")
            }
            var doors: [DoorID] = []
            for digit in parts[1] {
                let relay = RelayID(Int(String(digit)) ?? 0)
                let driven = configuration.doors.filter { $0.relay == relay }.map(\.id)
                guard !driven.isEmpty else {
                    throw FieldError(field: "Schedule-Relay", message: "relay \(relay) in '\(pair)' drives no door")
                }
                doors.append(contentsOf: driven)
            }
            let timezone = TimezoneID(schedule)
            if let existing = result.firstIndex(where: { $0.timezone == timezone }) {
                result[existing].doors = DoorMask(result[existing].doors.doors + doors)
            } else {
                result.append(Authorisation(timezone: timezone, doors: DoorMask(doors)))
            }
        }
        return result
    }

    /// `1001-12;5-3` (no trailing separator) or with `trailing` the export form `1001-12;`.
    static func scheduleRelay(_ user: User, configuration: SiteConfiguration, trailing: Bool = false) -> String {
        var pairs: [String] = []
        for authorisation in user.authorisations {
            let relays = Set(
                configuration.doors.filter { authorisation.doors.contains($0.id) }.map(\.relay.rawValue)
                    .filter { (1...9).contains($0) })
            guard !relays.isEmpty else { continue }
            pairs.append("\(authorisation.timezone.rawValue)-" + relays.sorted().map(String.init).joined())
        }
        let text = pairs.joined(separator: ";")
        return trailing && !text.isEmpty ? text + ";" : text
    }

    // MARK: Cards

    static func parseCards(_ text: String) throws(FieldError) -> [Card] {
        var cards: [Card] = []
        for code in text.split(whereSeparator: { $0 == ";" || $0 == "," }).map({ $0.trimmingCharacters(in: .whitespaces) })
        where !code.isEmpty {
            do {
                let number =
                    code.allSatisfy(\.isNumber) ? try CardNumber(decimal: code) : try CardNumber(hex: code)
                if !cards.contains(where: { $0.number == number }) { cards.append(Card(number: number)) }
            } catch {
                throw FieldError(field: "CardCode", message: "'\(code)' is not a card number (decimal, or hex)")
            }
        }
        return cards
    }

    static func cardCode(_ user: User) -> String {
        user.cards.map(\.number.decimal).joined(separator: ";")
    }

    // MARK: Records

    /// An Akuvox record: keys as the device spells them, values as text.
    typealias Record = [String: String]

    /// Applies a record onto `base` (a new user, or the stored one for `set`); keys absent leave fields unchanged.
    static func apply(_ record: Record, to base: User, configuration: SiteConfiguration) throws(FieldError) -> User {
        var user = base
        if let name = record["Name"] { user.name = name }
        if let key = ["PrivatePIN", "PinCode", "Pin"].first(where: { record[$0] != nil }), let pin = record[key] {
            let trimmed = pin.trimmingCharacters(in: .whitespaces)
            guard
                trimmed.isEmpty
                    || ((4...8).contains(trimmed.count) && trimmed.allSatisfy(\.isASCII) && trimmed.allSatisfy(\.isNumber))
            else {
                throw FieldError(field: key, message: "'\(trimmed)' is not a PIN of 4–8 digits")
            }
            user.privatePIN = trimmed.isEmpty ? nil : trimmed
        }
        if let webRelay = record["WebRelay"]?.trimmingCharacters(in: .whitespaces), !webRelay.isEmpty, webRelay != "0" {
            // Per-user web relays live in actions.toml ([webrelay] users), where the grant path reads them.
            throw FieldError(field: "WebRelay", message: "'\(webRelay)': set users' web relays in actions.toml [webrelay] users")
        }
        if let cards = record["CardCode"] { user.cards = try parseCards(cards) }
        if let key = scheduleRelayKeys.first(where: { record[$0] != nil }), let text = record[key] {
            do {
                user.authorisations = try parseScheduleRelay(text, configuration: configuration)
            } catch {
                throw FieldError(field: key, message: error.message)
            }
        }
        let building = record["Building"]
        let room = record["Room"]
        let floor = record["Floor"] ?? record["LiftFloorNum"]
        if building != nil || room != nil || floor != nil {
            var residence = user.residence ?? Residence()
            if let building { residence.building = building.trimmingCharacters(in: .whitespaces) }
            if let room { residence.room = room.trimmingCharacters(in: .whitespaces) }
            if let floor {
                residence.floor =
                    floor.trimmingCharacters(in: .whitespaces) == "0" ? "" : floor.trimmingCharacters(in: .whitespaces)
            }
            user.residence = residence == Residence() ? nil : residence
        }
        if let plate = record["LicensePlateCode"]?.trimmingCharacters(in: .whitespaces), !plate.isEmpty {
            if !user.plates.contains(where: { $0.text == LicencePlate.normalised(plate) }) {
                user.plates.append(LicencePlate(plate))
            }
        }
        return user
    }

    /// The user's PIN from a record: `UserID`, else `UserId` (CSV), else `ID`.
    static func pin(of record: Record) -> String? {
        for key in ["UserID", "UserId", "PerID", "ID"] {
            if let value = record[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return nil
    }

    /// The JSON API's user item. Both schedule-relay spellings are written (E18 reads one, X916 the other).
    /// `id`: the device-assigned row ID (`AkuvoxDirectoryStore`), by which clients address `set` and `del`.
    static func item(_ user: User, id: String, configuration: SiteConfiguration) -> AkuvoxJSON {
        let scheduleRelay = scheduleRelay(user, configuration: configuration, trailing: true)
        return .object([
            ("ID", .string(id)),
            ("UserID", .string(user.pin.rawValue)),
            ("Name", .string(user.name)),
            ("PrivatePIN", .string(user.privatePIN ?? "")),
            ("CardCode", .string(cardCode(user))),
            ("ScheduleRelay", .string(scheduleRelay)),
            ("Schedule-Relay", .string(scheduleRelay)),
            ("WebRelay", .string("0")),
            ("LiftFloorNum", .string(user.residence?.floor.isEmpty == false ? user.residence?.floor ?? "0" : "0")),
            ("Building", .string(user.residence?.building ?? "")),
            ("Room", .string(user.residence?.room ?? "")),
            ("FaceUrl", .string("")),
            ("FingerId", .string("")),
            ("Type", .string("0")),
        ])
    }
}
