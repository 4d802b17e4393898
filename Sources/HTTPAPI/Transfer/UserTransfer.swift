import AccessControl
// Re-exported so HTTPAPI's users (and its tests) keep seeing TarGzip, which moved to Archives to be shared with PushServer.
@_exported import Archives
import Foundation
import PushProtocol

/// Import and export of users in five formats: JSON (the REST API's user resources), plain CSV, the sectioned
/// Akuvox CSV, Akuvox `userdata.xml`, and Akuvox `UserData.tgz` (`userdata.xml` + `DoorSchedule.xml`).
///
/// Import is all or nothing: every row is parsed and then tried against a scratch copy of the site (same
/// configuration, same users), so every row's problem is reported at once; only a batch without problems is applied
/// to the live site. Users are merged: a row replaces the fields its format carries and keeps the others (JSON rows
/// carry the whole user and replace it). Schedules in the Akuvox formats are imported before the users.
enum UserTransfer {
    enum Format: String, CaseIterable, Sendable {
        case json
        case csv
        case akuvoxCSV = "akuvox-csv"
        case akuvoxXML = "akuvox-xml"
        case akuvoxTGZ = "akuvox-tgz"

        var contentType: String {
            switch self {
            case .json: "application/json"
            case .csv, .akuvoxCSV: "text/csv; charset=utf-8"
            case .akuvoxXML: "application/xml"
            case .akuvoxTGZ: "application/gzip"
            }
        }

        var fileName: String {
            switch self {
            case .json: "users.json"
            case .csv: "users.csv"
            case .akuvoxCSV: "UserData.csv"
            case .akuvoxXML: "userdata.xml"
            case .akuvoxTGZ: "UserData.tgz"
            }
        }
    }

    /// One problem of one row: `row` is the line (CSV, XML) or the array index from 1 (JSON).
    struct RowError: Encodable, Sendable, Equatable {
        var row: Int
        var field: String?
        var message: String
    }

    /// What a file holds, before it is checked against the site.
    struct Batch: Sendable {
        /// A row's change to one user: applied to the stored user (or a new one).
        enum UserRow: Sendable {
            case replace(User)
            case akuvox(AkuvoxUserMapping.Record)
            case plain(PlainCSV.Row)
        }

        var schedules: [(row: Int, record: AkuvoxUserMapping.Record)] = []
        var users: [(row: Int, pin: String, change: UserRow)] = []
        var errors: [RowError] = []
    }

    struct Outcome: Encodable, Sendable {
        var created: Int
        var updated: Int
        var schedules: Int
    }

    /// Checks the batch against a scratch site and returns the users and schedules to store, or every row's error.
    static func resolve(_ batch: Batch, site: Site) async -> (schedules: [NamedSchedule], users: [User], errors: [RowError]) {
        var errors = batch.errors
        let configuration = await site.currentConfiguration
        var current: [User] = []
        var offset = 0
        while true {
            let page = await site.users(offset: offset, limit: 1000)
            current += page
            guard page.count == 1000 else { break }
            offset += 1000
        }
        let scratch: Site
        do {
            scratch = try Site(configuration: configuration, users: current, clock: SystemClock())
        } catch {
            return ([], [], errors + [RowError(row: 0, field: nil, message: "the site configuration cannot be copied: \(error)")])
        }
        var schedules: [NamedSchedule] = []
        for (row, record) in batch.schedules {
            do {
                let schedule = try AkuvoxScheduleMapping.namedSchedule(record)
                try await scratch.upsert(schedule)
                schedules.append(schedule)
            } catch let error as AkuvoxUserMapping.FieldError {
                errors.append(RowError(row: row, field: error.field, message: error.message))
            } catch {
                errors.append(RowError(row: row, field: nil, message: "\(error)"))
            }
        }
        let scratchConfiguration = await scratch.currentConfiguration
        var users: [User] = []
        var seen: [String: Int] = [:]
        for (row, pin, change) in batch.users {
            if let first = seen[pin] {
                errors.append(RowError(row: row, field: "pin", message: "user \(pin) appears again (first on row \(first))"))
                continue
            }
            seen[pin] = row
            do {
                let base = await scratch.user(UserPIN(pin)) ?? User(pin: UserPIN(pin))
                let user: User
                switch change {
                case .replace(let replacement): user = replacement
                case .akuvox(let record):
                    user = try AkuvoxUserMapping.apply(record, to: base, configuration: scratchConfiguration)
                case .plain(let plain): user = try plain.apply(to: base)
                }
                try await scratch.upsert(user)
                users.append(user)
            } catch let error as AkuvoxUserMapping.FieldError {
                errors.append(RowError(row: row, field: error.field, message: error.message))
            } catch let error as ModelError {
                errors.append(RowError(row: row, field: error.field, message: error.description))
            } catch {
                errors.append(RowError(row: row, field: nil, message: "\(error)"))
            }
        }
        return (schedules, users, errors.sorted { $0.row < $1.row })
    }

    /// Stores a resolved batch. The scratch run makes a failure here unlikely (a concurrent change, a store error);
    /// if it happens, what was already stored is put back.
    static func apply(schedules: [NamedSchedule], users: [User], site: Site) async throws -> Outcome {
        var undo = UndoLog()
        var created = 0
        do {
            for schedule in schedules { try await undo.upsert(schedule, in: site) }
            for user in users where try await undo.upsert(user, in: site) == nil { created += 1 }
        } catch {
            await undo.undo(in: site)
            throw error
        }
        return Outcome(created: created, updated: users.count - created, schedules: schedules.count)
    }

    // MARK: Reading

    static func parse(_ bytes: [UInt8], format: Format) -> Batch {
        switch format {
        case .json: return JSONUsers.parse(bytes)
        case .csv, .akuvoxCSV:
            // Decoding would replace what is not UTF-8 (a Latin-1 "Zoë" from a spreadsheet) with U+FFFD, and the
            // damaged names would be imported without a word.
            if let line = firstLineNotUTF8(bytes) {
                var batch = Batch()
                batch.errors.append(RowError(row: line, field: nil, message: "line \(line) is not UTF-8; save the file as UTF-8"))
                return batch
            }
            let text = String(decoding: bytes, as: UTF8.self)
            return format == .csv ? PlainCSV.parse(text) : AkuvoxCSV.parse(text)
        case .akuvoxXML: return AkuvoxXML.parseUsers(bytes)
        case .akuvoxTGZ:
            let files: [(name: String, contents: [UInt8])]
            do {
                files = try TarGzip.untar(try TarGzip.gunzip(bytes, maxOutput: 64 << 20))
            } catch {
                var batch = Batch()
                batch.errors.append(RowError(row: 0, field: "UserData.tgz", message: error.description))
                return batch
            }
            func file(_ name: String) -> [UInt8]? {
                files.first { ($0.name as NSString).lastPathComponent.lowercased() == name.lowercased() }?.contents
            }
            guard let userData = file("userdata.xml") else {
                var batch = Batch()
                batch.errors.append(RowError(row: 0, field: "UserData.tgz", message: "the archive holds no userdata.xml"))
                return batch
            }
            var batch = AkuvoxXML.parseUsers(userData)
            if let schedules = file("DoorSchedule.xml") {
                let scheduleBatch = AkuvoxXML.parseSchedules(schedules)
                batch.schedules = scheduleBatch.schedules
                batch.errors += scheduleBatch.errors.map {
                    RowError(row: $0.row, field: "DoorSchedule.xml" + ($0.field.map { ":" + $0 } ?? ""), message: $0.message)
                }
            }
            return batch
        }
    }

    /// The line of the first byte sequence that is not UTF-8; nil when the whole text is UTF-8.
    static func firstLineNotUTF8(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }

    // MARK: Writing

    static func export(_ site: Site, format: Format) async throws -> [UInt8] {
        var users: [User] = []
        var offset = 0
        while true {
            let page = await site.users(offset: offset, limit: 1000)
            users += page
            guard page.count == 1000 else { break }
            offset += 1000
        }
        let configuration = await site.currentConfiguration
        switch format {
        case .json: return try JSONUsers.export(users)
        case .csv: return Array(PlainCSV.export(users).utf8)
        case .akuvoxCSV: return Array(AkuvoxCSV.export(users, configuration: configuration).utf8)
        case .akuvoxXML: return Array(AkuvoxXML.exportUsers(users, configuration: configuration).utf8)
        case .akuvoxTGZ:
            let tar = TarGzip.tar(
                [
                    ("userdata.xml", Array(AkuvoxXML.exportUsers(users, configuration: configuration).utf8)),
                    ("DoorSchedule.xml", Array(AkuvoxXML.exportSchedules(configuration).utf8)),
                ], modified: Date(timeIntervalSince1970: 0))
            return TarGzip.gzip(tar)
        }
    }
}

/// The REST API's user resources as a JSON array (or `{"users": [...]}` as `GET /users` pages look).
enum JSONUsers {
    static func parse(_ bytes: [UInt8]) -> UserTransfer.Batch {
        var batch = UserTransfer.Batch()
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) else {
            batch.errors.append(.init(row: 0, field: nil, message: "the file is not JSON"))
            return batch
        }
        let rows: [Any]
        if let list = object as? [Any] {
            rows = list
        } else if let wrapped = (object as? [String: Any])?["users"] as? [Any] {
            rows = wrapped
        } else {
            batch.errors.append(.init(row: 0, field: nil, message: "expected an array of users or {\"users\": [...]}"))
            return batch
        }
        for (index, element) in rows.enumerated() {
            let row = index + 1
            do {
                let data = try JSONSerialization.data(withJSONObject: element, options: [.fragmentsAllowed])
                let resource = try JSONDecoder.api.decode(UserResource.self, from: data)
                let user = try resource.user()
                batch.users.append((row, resource.pin, .replace(user)))
            } catch let error as DecodingError {
                batch.errors.append(.init(row: row, field: JSONBody.fieldPath(error), message: JSONBody.describe(error)))
            } catch let error as APIError {
                batch.errors.append(.init(row: row, field: error.field, message: error.message))
            } catch {
                batch.errors.append(.init(row: row, field: nil, message: "\(error)"))
            }
        }
        return batch
    }

    static func export(_ users: [User]) throws -> [UInt8] {
        struct Document: Encodable { var users: [UserResource] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return Array(try encoder.encode(Document(users: users.map(UserResource.init))))
    }
}

/// RFC 4180 CSV: quoted cells may hold commas, quotes (doubled) and line breaks.
enum CSV {
    /// Rows with the line each starts on; cells are not trimmed.
    static func rows(_ text: String) -> [(line: Int, cells: [String])] {
        var rows: [(Int, [String])] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        var sawAnything = false
        while let scalar = next() {
            sawAnything = true
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            cell.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            pending = following
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where cell.trimmingCharacters(in: .whitespaces).isEmpty:
                cell = ""
                quoted = true
            case ",":
                cells.append(cell)
                cell = ""
            case "\r":
                break
            case "\n":
                cells.append(cell)
                rows.append((rowLine, cells))
                cells = []
                cell = ""
                line += 1
                rowLine = line
                sawAnything = false
            default:
                cell.unicodeScalars.append(scalar)
            }
        }
        if sawAnything || !cells.isEmpty || !cell.isEmpty {
            cells.append(cell)
            rows.append((rowLine, cells))
        }
        return rows.filter { !($0.1.count == 1 && $0.1[0].trimmingCharacters(in: .whitespaces).isEmpty) }
    }

    static func escape(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || cell.hasPrefix(" ") else {
            return cell
        }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func line(_ cells: [String], separator: String = ",") -> String {
        cells.map(escape).joined(separator: separator) + "\r\n"
    }
}
