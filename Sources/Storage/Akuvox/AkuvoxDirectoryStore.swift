import Foundation
import GRDB

/// What the Akuvox-compatible API keeps beside the door model: the device-assigned row `ID` of each user (Akuvox
/// clients address `user/set` and `user/del` by it, not by `UserID`), the phone book's contacts and groups, and the
/// autop configuration values that have no home in the door model (the action URLs). Every batch is one
/// transaction: an Akuvox request that names five items changes all five or none.
public struct AkuvoxDirectoryStore: Sendable {
    public let writer: any DatabaseWriter

    /// `writer` must be migrated by ``GatehouseDatabase`` (or be ``inMemory()``).
    public init(writer: any DatabaseWriter) { self.writer = writer }

    /// A store of its own in memory, for tests and tools that have no host database.
    public static func inMemory() throws -> AkuvoxDirectoryStore {
        let queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        register(in: &migrator)
        try migrator.migrate(queue)
        return AkuvoxDirectoryStore(writer: queue)
    }

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-akuvox-directory") { db in
            try db.create(table: "akuvox_user_id") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("pin", .text).notNull().unique()
            }
            try db.create(table: "akuvox_group") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull().unique()
            }
            try db.create(table: "akuvox_contact") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull()
                table.column("phone", .text).notNull().defaults(to: "")
                table.column("group_name", .text).notNull().defaults(to: "")
            }
            try db.create(table: "akuvox_config") { table in
                table.column("key", .text).primaryKey()
                table.column("value", .text).notNull()
            }
        }
    }

    // MARK: User row ids

    /// The row id of each user PIN, assigned (in the order given) to those that have none yet.
    public func userIDs(for pins: [String]) async throws -> [String: Int64] {
        try await writer.write { db in
            var result: [String: Int64] = [:]
            for pin in pins {
                try db.execute(sql: "INSERT OR IGNORE INTO akuvox_user_id (pin) VALUES (?)", arguments: [pin])
                result[pin] = try Int64.fetchOne(db, sql: "SELECT id FROM akuvox_user_id WHERE pin = ?", arguments: [pin])
            }
            return result
        }
    }

    /// The user PIN a row id stands for, if any.
    public func pin(forUserID id: Int64) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT pin FROM akuvox_user_id WHERE id = ?", arguments: [id])
        }
    }

    /// Moves a row id to another PIN (a `user/set` that changes `UserID`), or forgets it (`to` nil).
    public func reassignUserID(from pin: String, to newPIN: String?) async throws {
        try await writer.write { db in
            if let newPIN {
                try db.execute(sql: "DELETE FROM akuvox_user_id WHERE pin = ?", arguments: [newPIN])
                try db.execute(sql: "UPDATE akuvox_user_id SET pin = ? WHERE pin = ?", arguments: [newPIN, pin])
            } else {
                try db.execute(sql: "DELETE FROM akuvox_user_id WHERE pin = ?", arguments: [pin])
            }
        }
    }

    // MARK: Groups

    public struct Group: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public init(id: Int64, name: String) {
            self.id = id
            self.name = name
        }
    }

    public func groups() async throws -> [Group] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM akuvox_group ORDER BY id").map {
                Group(id: $0["id"], name: $0["name"])
            }
        }
    }

    // MARK: Contacts

    public struct Contact: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var phone: String
        public var group: String
        public init(id: Int64, name: String, phone: String, group: String) {
            self.id = id
            self.name = name
            self.phone = phone
            self.group = group
        }
    }

    public func contacts() async throws -> [Contact] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, phone, group_name FROM akuvox_contact ORDER BY id").map {
                Contact(id: $0["id"], name: $0["name"], phone: $0["phone"], group: $0["group_name"])
            }
        }
    }

    /// One change of a batch.
    public enum Change: Sendable {
        case addGroup(name: String)
        case renameGroup(id: Int64, name: String)
        case deleteGroup(id: Int64)
        case addContact(name: String, phone: String, group: String)
        case updateContact(Contact)
        case deleteContact(id: Int64)
    }

    /// Why a batch was refused; `index` is the item's position in the request.
    public struct ChangeError: Error, Sendable, Equatable, CustomStringConvertible {
        public var index: Int
        public var message: String
        public var description: String { "item[\(index)]: \(message)" }
    }

    /// Applies the changes in one transaction, in order: the first one that cannot be made rolls all back.
    /// Returns the ids of what was added, in order.
    @discardableResult
    public func apply(_ changes: [Change]) async throws -> [Int64] {
        try await writer.write { db in
            var added: [Int64] = []
            for (index, change) in changes.enumerated() {
                func refuse(_ message: String) -> ChangeError { ChangeError(index: index, message: message) }
                func groupExists(_ name: String) throws -> Bool {
                    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM akuvox_group WHERE name = ?)", arguments: [name])
                        ?? false
                }
                switch change {
                case .addGroup(let name):
                    guard try !groupExists(name) else { throw refuse("Name: group '\(name)' already exists") }
                    try db.execute(sql: "INSERT INTO akuvox_group (name) VALUES (?)", arguments: [name])
                    added.append(db.lastInsertedRowID)
                case .renameGroup(let id, let name):
                    guard let old = try String.fetchOne(db, sql: "SELECT name FROM akuvox_group WHERE id = ?", arguments: [id])
                    else { throw refuse("ID: group \(id) does not exist") }
                    if old != name {
                        guard try !groupExists(name) else { throw refuse("Name: group '\(name)' already exists") }
                        try db.execute(sql: "UPDATE akuvox_group SET name = ? WHERE id = ?", arguments: [name, id])
                        try db.execute(
                            sql: "UPDATE akuvox_contact SET group_name = ? WHERE group_name = ?", arguments: [name, old])
                    }
                case .deleteGroup(let id):
                    guard let name = try String.fetchOne(db, sql: "SELECT name FROM akuvox_group WHERE id = ?", arguments: [id])
                    else { throw refuse("ID: group \(id) does not exist") }
                    let members =
                        try Int.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM akuvox_contact WHERE group_name = ?", arguments: [name]) ?? 0
                    guard members == 0 else { throw refuse("ID: group \(id) ('\(name)') still has \(members) contact(s)") }
                    try db.execute(sql: "DELETE FROM akuvox_group WHERE id = ?", arguments: [id])
                case .addContact(let name, let phone, let group):
                    guard try group.isEmpty || groupExists(group) else { throw refuse("Group: no group '\(group)'") }
                    try db.execute(
                        sql: "INSERT INTO akuvox_contact (name, phone, group_name) VALUES (?, ?, ?)",
                        arguments: [name, phone, group])
                    added.append(db.lastInsertedRowID)
                case .updateContact(let contact):
                    guard try contact.group.isEmpty || groupExists(contact.group) else {
                        throw refuse("Group: no group '\(contact.group)'")
                    }
                    try db.execute(
                        sql: "UPDATE akuvox_contact SET name = ?, phone = ?, group_name = ? WHERE id = ?",
                        arguments: [contact.name, contact.phone, contact.group, contact.id])
                    guard db.changesCount == 1 else { throw refuse("ID: contact \(contact.id) does not exist") }
                case .deleteContact(let id):
                    try db.execute(sql: "DELETE FROM akuvox_contact WHERE id = ?", arguments: [id])
                    guard db.changesCount == 1 else { throw refuse("ID: contact \(id) does not exist") }
                }
            }
            return added
        }
    }

    // MARK: Configuration

    /// The stored autop values, by key; with `prefix`, only the keys that start with it.
    public func configuration(prefix: String = "") async throws -> [String: String] {
        try await writer.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM akuvox_config") {
                let key: String = row["key"]
                if key.hasPrefix(prefix) { result[key] = row["value"] }
            }
            return result
        }
    }

    /// Stores the values in one transaction (an empty value removes the key).
    public func setConfiguration(_ values: [String: String]) async throws {
        try await writer.write { db in
            for (key, value) in values {
                if value.isEmpty {
                    try db.execute(sql: "DELETE FROM akuvox_config WHERE key = ?", arguments: [key])
                } else {
                    try db.execute(
                        sql:
                            "INSERT INTO akuvox_config (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        arguments: [key, value])
                }
            }
        }
    }
}
