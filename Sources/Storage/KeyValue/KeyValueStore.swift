import Foundation
import GRDB

/// Host-owned key/value data in SQLite (table `kv`, namespaced), with optional expiry: what site scripts keep
/// across reloads and restarts (`kv.*` in Lua). Values are typed scalars.
public struct KeyValueStore: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case number(Double)
        case boolean(Bool)
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notAnInteger(String)
        case overflow(String)

        public var description: String {
            switch self {
            case .notAnInteger(let key): "value of '\(key)' is not an integer"
            case .overflow(let key): "counter '\(key)' would overflow"
            }
        }
    }

    let pool: DatabasePool
    let namespace: String

    public init(database: GatehouseDatabase, namespace: String) {
        self.pool = database.pool
        self.namespace = namespace
    }

    public func value(for key: String, now: Date) throws -> Value? {
        let row = try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT value, expires_at FROM kv WHERE namespace = ? AND key = ?", arguments: [namespace, key])
        }
        guard let row else { return nil }
        if let expires: Double = row["expires_at"], expires <= now.timeIntervalSince1970 { return nil }
        return Self.decode(row["value"])
    }

    public func set(_ value: Value, for key: String, expiresAt: Date?) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [namespace, key, Self.encode(value), expiresAt?.timeIntervalSince1970])
        }
    }

    /// Adds `delta` to an integer (absent or expired counts as 0); `expiresAt` applies only when the key is created.
    public func increment(_ key: String, by delta: Int64, expiresAt: Date?, now: Date) throws -> Int64 {
        try pool.write { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT value, expires_at FROM kv WHERE namespace = ? AND key = ?", arguments: [namespace, key])
            var current: Int64 = 0
            var expiry = expiresAt?.timeIntervalSince1970
            if let row {
                let stored: Double? = row["expires_at"]
                if stored.map({ $0 > now.timeIntervalSince1970 }) ?? true {
                    guard case .integer(let value)? = Self.decode(row["value"]) else { throw Failure.notAnInteger(key) }
                    current = value
                    expiry = stored
                }
            }
            let (sum, overflow) = current.addingReportingOverflow(delta)
            if overflow { throw Failure.overflow(key) }
            try db.execute(
                sql: "INSERT OR REPLACE INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [namespace, key, Self.encode(.integer(sum)), expiry])
            return sum
        }
    }

    public func removeValue(for key: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM kv WHERE namespace = ? AND key = ?", arguments: [namespace, key])
        }
    }

    /// Deletes expired rows; returns how many.
    public func purgeExpired(now: Date) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: "DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?", arguments: [now.timeIntervalSince1970])
            return db.changesCount
        }
    }

    // One tag byte, then the payload: keeps types exact across restarts.
    static func encode(_ value: Value) -> Data {
        switch value {
        case .string(let text): Data([0x73]) + Data(text.utf8)
        case .integer(let number): Data([0x69]) + Data(String(number).utf8)
        case .number(let number): Data([0x6E]) + Data(String(number.bitPattern).utf8)
        case .boolean(let flag): Data([0x62, flag ? 1 : 0])
        }
    }

    static func decode(_ data: Data?) -> Value? {
        guard let data, let tag = data.first else { return nil }
        let payload = data.dropFirst()
        switch tag {
        case 0x73: return .string(String(decoding: payload, as: UTF8.self))
        case 0x69: return Int64(String(decoding: payload, as: UTF8.self)).map(Value.integer)
        case 0x6E: return UInt64(String(decoding: payload, as: UTF8.self)).map { .number(Double(bitPattern: $0)) }
        case 0x62: return .boolean(payload.first == 1)
        default: return nil
        }
    }
}
