import Foundation
import Storage

/// The phone book: `contact/get|add|set|del` (`{ID, Name, Phone, Group}`) and `group/get|add|set|del`
/// (`{ID, Name}`), stored in SQLite; a batch is one transaction.
extension AkuvoxAPI {
    func paged(_ items: [AkuvoxJSON], _ call: Call) -> AkuvoxReply {
        let page = Self.page(call)
        return .ok(
            "get",
            data: .object([
                ("curPageNum", .int(page)), ("num", .int(items.count)), ("item", .array(Self.pageSlice(items, page: page))),
            ]))
    }

    func contactGet(_ call: Call) async -> AkuvoxReply {
        do {
            let items: [AkuvoxJSON] = try await directory.contacts().map {
                .object([
                    ("ID", .string(String($0.id))), ("Name", .string($0.name)), ("Phone", .string($0.phone)),
                    ("Group", .string($0.group)),
                ])
            }
            return paged(items, call)
        } catch {
            return unavailable("get", "storage", error)
        }
    }

    func groupGet(_ call: Call) async -> AkuvoxReply {
        do {
            return paged(
                try await directory.groups().map { .object([("ID", .string(String($0.id))), ("Name", .string($0.name))]) }, call)
        } catch {
            return unavailable("get", "storage", error)
        }
    }

    static func rowID(_ record: AkuvoxUserMapping.Record, index: Int) throws(AkuvoxUserMapping.FieldError) -> Int64 {
        guard let text = record["ID"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw .init(field: "item[\(index)].ID", message: "is missing")
        }
        guard let id = Int64(text), id > 0 else { throw .init(field: "item[\(index)].ID", message: "'\(text)' is not an ID") }
        return id
    }

    static func name(_ record: AkuvoxUserMapping.Record, index: Int) throws(AkuvoxUserMapping.FieldError) -> String {
        guard let name = record["Name"]?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw .init(field: "item[\(index)].Name", message: "is missing")
        }
        guard name.count <= 64 else { throw .init(field: "item[\(index)].Name", message: "at most 64 characters") }
        return name
    }

    /// Phone numbers as door phones dial them: digits, `+*#`, or a SIP address.
    static func phone(_ record: AkuvoxUserMapping.Record, index: Int) throws(AkuvoxUserMapping.FieldError) -> String? {
        guard let phone = record["Phone"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        let allowed = CharacterSet(charactersIn: "0123456789+*#@.:-_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard phone.count <= 64, phone.unicodeScalars.allSatisfy(allowed.contains) else {
            throw .init(field: "item[\(index)].Phone", message: "'\(phone)' is not a number or SIP address")
        }
        return phone
    }

    func contactWrite(_ call: Call) async -> AkuvoxReply {
        let action = call.action
        guard let records = call.items, !records.isEmpty else { return .badParameter(action, "data.item is missing") }
        var changes: [AkuvoxDirectoryStore.Change] = []
        do {
            let existing = Dictionary(try await directory.contacts().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (index, record) in records.enumerated() {
                switch action {
                case "add":
                    changes.append(
                        .addContact(
                            name: try Self.name(record, index: index), phone: try Self.phone(record, index: index) ?? "",
                            group: record["Group"]?.trimmingCharacters(in: .whitespaces) ?? ""))
                case "set":
                    let id = try Self.rowID(record, index: index)
                    guard var contact = existing[id] else {
                        throw AkuvoxUserMapping.FieldError(field: "item[\(index)].ID", message: "contact \(id) does not exist")
                    }
                    if record["Name"] != nil { contact.name = try Self.name(record, index: index) }
                    if let phone = try Self.phone(record, index: index) { contact.phone = phone }
                    if let group = record["Group"] { contact.group = group.trimmingCharacters(in: .whitespaces) }
                    changes.append(.updateContact(contact))
                default:
                    changes.append(.deleteContact(id: try Self.rowID(record, index: index)))
                }
            }
        } catch let error as AkuvoxUserMapping.FieldError {
            return .badParameter(action, "\(error.field): \(error.message)")
        } catch {
            return unavailable(action, "storage", error)
        }
        return await apply(changes, action: action)
    }

    func groupWrite(_ call: Call) async -> AkuvoxReply {
        let action = call.action
        guard let records = call.items, !records.isEmpty else { return .badParameter(action, "data.item is missing") }
        var changes: [AkuvoxDirectoryStore.Change] = []
        do {
            for (index, record) in records.enumerated() {
                switch action {
                case "add": changes.append(.addGroup(name: try Self.name(record, index: index)))
                case "set":
                    changes.append(
                        .renameGroup(id: try Self.rowID(record, index: index), name: try Self.name(record, index: index)))
                default: changes.append(.deleteGroup(id: try Self.rowID(record, index: index)))
                }
            }
        } catch {
            return .badParameter(action, "\(error.field): \(error.message)")
        }
        return await apply(changes, action: action)
    }

    func apply(_ changes: [AkuvoxDirectoryStore.Change], action: String) async -> AkuvoxReply {
        do {
            let added = try await directory.apply(changes)
            guard !added.isEmpty else { return .ok(action) }
            return .ok(action, data: .object([("ID", .array(added.map { .string(String($0)) }))]))
        } catch let error as AkuvoxDirectoryStore.ChangeError {
            return .badParameter(action, error.description)
        } catch {
            return unavailable(action, "storage", error)
        }
    }
}
