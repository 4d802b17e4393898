import AccessControl
import Foundation
import PushProtocol

/// Plain CSV, one user a line, with a header naming the columns (any order; only `pin` is required):
///
/// `pin,name,pin_code,cards,valid_from,valid_until,disabled,authorizations`
///
/// `cards` is `;`-separated decimal numbers; `authorizations` is `timezone:door+door;…` (e.g. `1:1+2;5:3`);
/// times are RFC 3339 or empty; `disabled` is true/false (1/0). A column left out keeps the stored value; an empty
/// cell clears it.
enum PlainCSV {
    static let columns = ["pin", "name", "pin_code", "cards", "valid_from", "valid_until", "disabled", "authorizations"]

    /// One line, by column name.
    struct Row: Sendable {
        var cells: [String: String]

        func apply(to base: User) throws(AkuvoxUserMapping.FieldError) -> User {
            var user = base
            if let name = cells["name"] { user.name = name }
            if let code = cells["pin_code"] { user.privatePIN = code.isEmpty ? nil : code }
            if let cards = cells["cards"] {
                var parsed: [Card] = []
                for text in cards.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !text.isEmpty {
                    do {
                        parsed.append(Card(number: try CardNumber(decimal: text)))
                    } catch {
                        throw AkuvoxUserMapping.FieldError(field: "cards", message: "'\(text)' is not a decimal card number")
                    }
                }
                user.cards = parsed
            }
            var window = user.validity ?? DateWindow()
            for (column, keyPath) in [("valid_from", \DateWindow.start), ("valid_until", \DateWindow.end)] {
                guard let text = cells[column] else { continue }
                if text.isEmpty {
                    window[keyPath: keyPath] = nil
                } else if let date = RFC3339.parse(text) {
                    window[keyPath: keyPath] = date
                } else {
                    throw AkuvoxUserMapping.FieldError(field: column, message: "'\(text)' is not an RFC 3339 time")
                }
            }
            if let start = window.start, let end = window.end, end < start {
                throw AkuvoxUserMapping.FieldError(field: "valid_until", message: "valid_until is before valid_from")
            }
            user.validity = window.start == nil && window.end == nil ? nil : window
            if let text = cells["disabled"]?.lowercased() {
                switch text {
                case "", "false", "0", "no": user.isDisabled = false
                case "true", "1", "yes": user.isDisabled = true
                default: throw AkuvoxUserMapping.FieldError(field: "disabled", message: "'\(text)' is not true or false")
                }
            }
            if let text = cells["authorizations"] {
                var authorisations: [Authorisation] = []
                for pair in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !pair.isEmpty {
                    let parts = pair.split(separator: ":", maxSplits: 1)
                    let doors = parts.count == 2 ? parts[1].split(separator: "+").map { Int($0.trimmingCharacters(in: .whitespaces)) } : []
                    guard parts.count == 2, let timezone = Int(parts[0]), timezone > 0, !doors.isEmpty,
                        doors.allSatisfy({ $0 != nil && (1...64).contains($0 ?? 0) })
                    else {
                        throw AkuvoxUserMapping.FieldError(
                            field: "authorizations", message: "'\(pair)' is not timezone:door+door (doors 1–64)")
                    }
                    authorisations.append(
                        Authorisation(timezone: TimezoneID(timezone), doors: DoorMask(doors.compactMap { $0 }.map(DoorID.init))))
                }
                user.authorisations = authorisations
            }
            return user
        }
    }

    static func parse(_ text: String) -> UserTransfer.Batch {
        var batch = UserTransfer.Batch()
        var rows = CSV.rows(text)
        guard !rows.isEmpty else {
            batch.errors.append(.init(row: 1, field: nil, message: "the file is empty; expected a header line"))
            return batch
        }
        let header = rows.removeFirst()
        let names = header.cells.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let unknown = names.first(where: { !columns.contains($0) }) {
            batch.errors.append(
                .init(row: header.line, field: unknown, message: "unknown column; expected \(columns.joined(separator: ", "))"))
            return batch
        }
        guard names.contains("pin"), Set(names).count == names.count else {
            batch.errors.append(.init(row: header.line, field: "pin", message: "the header needs a pin column, each column once"))
            return batch
        }
        for row in rows {
            guard row.cells.count == names.count else {
                batch.errors.append(
                    .init(row: row.line, field: nil, message: "has \(row.cells.count) cells, the header \(names.count)"))
                continue
            }
            var cells: [String: String] = [:]
            for (name, cell) in zip(names, row.cells) { cells[name] = cell.trimmingCharacters(in: .whitespaces) }
            guard let pin = cells["pin"], !pin.isEmpty else {
                batch.errors.append(.init(row: row.line, field: "pin", message: "pin is empty"))
                continue
            }
            batch.users.append((row.line, pin, .plain(Row(cells: cells))))
        }
        return batch
    }

    static func export(_ users: [User]) -> String {
        var out = CSV.line(columns)
        for user in users {
            let authorisations = user.authorisations.map {
                "\($0.timezone.rawValue):" + $0.doors.doors.map { String($0.rawValue) }.joined(separator: "+")
            }
            out += CSV.line([
                user.pin.rawValue, user.name, user.privatePIN ?? "", user.cards.map(\.number.decimal).joined(separator: ";"),
                user.validity?.start.map(RFC3339.format) ?? "", user.validity?.end.map(RFC3339.format) ?? "",
                user.isDisabled ? "true" : "false", authorisations.joined(separator: ";"),
            ])
        }
        return out
    }
}
