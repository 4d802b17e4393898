import AccessControl
import Foundation

/// The Akuvox sectioned CSV export: a `UserData` marker line, its header line, the users; then a `ScheduleData`
/// marker, its header and the schedules. Cells are space-padded (`1, 10000001, John Doe, 0, 0, , 1001-2;, …`), so
/// every cell is trimmed; columns are found by header name, so extra or reordered columns are fine.
///
/// The `ScheduleData` columns follow `DoorSchedule.xml` (`ID, ScheduleID, Name, Type, Date, Weekly, Daily`); the
/// research saw only that the section exists, so this layout is our reading of it.
enum AkuvoxCSV {
    static let userColumns = [
        "ID", "UserId", "Name", "WebRelay", "Floor", "Schedule-Relay", "Schedule-SRelay", "PinCode", "CardCode",
        "BlePinCode", "BlePinCodeGenTime", "BleKeyID", "BleStatus", "LicensePlateCode", "LicensePlateStartTime",
        "LicensePlateEndTime", "LicensePlateLongTermEnable", "RelayScheduleActivationPermission",
    ]
    static let scheduleColumns = ["ID", "ScheduleID", "Name", "Type", "Date", "Weekly", "Daily"]

    static func parse(_ text: String) -> UserTransfer.Batch {
        var batch = UserTransfer.Batch()
        enum Section { case none, users, schedules }
        var section = Section.none
        var header: [String]? = nil
        for row in CSV.rows(text) {
            let cells = row.cells.map { $0.trimmingCharacters(in: .whitespaces) }
            let nonEmpty = cells.filter { !$0.isEmpty }
            if nonEmpty.count == 1, nonEmpty[0] == "UserData" || nonEmpty[0] == "ScheduleData" {
                section = nonEmpty[0] == "UserData" ? .users : .schedules
                header = nil
                continue
            }
            guard section != .none else {
                batch.errors.append(.init(row: row.line, field: nil, message: "expected the UserData section marker first"))
                return batch
            }
            guard let names = header else {
                header = cells
                if section == .users, !cells.contains("UserId"), !cells.contains("UserID") {
                    batch.errors.append(.init(row: row.line, field: "UserId", message: "the UserData header has no UserId column"))
                    return batch
                }
                continue
            }
            var record: AkuvoxUserMapping.Record = [:]
            for (index, name) in names.enumerated() where index < cells.count && !name.isEmpty {
                record[name] = cells[index]
            }
            switch section {
            case .users:
                // The sectioned CSV names the private PIN "PinCode"; the mapping reads it under that name too.
                guard let pin = record["UserId"].flatMap({ $0.isEmpty ? nil : $0 }) ?? record["UserID"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                    batch.errors.append(.init(row: row.line, field: "UserId", message: "UserId is empty"))
                    continue
                }
                record["ID"] = nil
                batch.users.append((row.line, pin, .akuvox(record)))
            case .schedules:
                guard let converted = AkuvoxXML.scheduleRecord(record, row: row.line, errors: &batch.errors) else { continue }
                if let id = converted["ID"], id == "1001" || id == "1002" { continue }
                batch.schedules.append((row.line, converted))
            case .none:
                break
            }
        }
        if section == .none {
            batch.errors.append(.init(row: 1, field: nil, message: "no UserData section found"))
        }
        return batch
    }

    static func export(_ users: [User], configuration: SiteConfiguration) -> String {
        var out = "UserData\r\n" + CSV.line(userColumns, separator: ", ")
        for (index, user) in users.enumerated() {
            var cells = [String](repeating: "", count: userColumns.count)
            cells[0] = String(index + 1)
            cells[1] = user.pin.rawValue
            cells[2] = user.name
            cells[3] = "0"
            cells[4] = user.residence?.floor.isEmpty == false ? user.residence?.floor ?? "0" : "0"
            cells[5] = AkuvoxUserMapping.scheduleRelay(user, configuration: configuration, trailing: true)
            cells[7] = user.privatePIN ?? ""
            cells[8] = AkuvoxUserMapping.cardCode(user)
            cells[13] = user.plates.first?.text ?? ""
            cells[16] = user.plates.isEmpty ? "" : "1"
            cells[17] = "0"
            out += CSV.line(cells, separator: ", ")
        }
        out += "ScheduleData\r\n" + CSV.line(scheduleColumns, separator: ", ")
        for (index, schedule) in AkuvoxScheduleMapping.schedules(of: configuration).enumerated() {
            out += CSV.line(AkuvoxXML.scheduleCells(schedule, index: index + 1), separator: ", ")
        }
        return out
    }
}
