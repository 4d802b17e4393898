import COpenSSL
import Digests
import Foundation
import GRDB

/// Bearer tokens for the admin API.
///
/// A token reads `gh_<id>_<secret>`: the id (8 hex digits) finds the row, the
/// secret (32 random bytes, hex) is stored only as its SHA-256 and compared in
/// constant time, so neither a database leak nor response timing reveals it.
public struct APITokenStore: Sendable {
    public let database: GatehouseDatabase

    public init(database: GatehouseDatabase) {
        self.database = database
    }

    public struct Token: Sendable, Equatable {
        public var id: String
        public var name: String
        /// The full bearer string; only ever available at creation.
        public var secret: String
    }

    public enum TokenError: Error, Equatable, CustomStringConvertible {
        case invalidName(String)
        case duplicateName(String)
        case randomUnavailable

        public var description: String {
            switch self {
            case .invalidName(let name): "token name '\(name)' is invalid: use 1–64 letters, digits, '-', '_' or '.'"
            case .duplicateName(let name): "a token named '\(name)' already exists"
            case .randomUnavailable: "the system random generator failed"
            }
        }
    }

    /// Creates a token; the returned secret is not stored and cannot be shown again.
    public func create(name: String, now: Date = Date()) throws -> Token {
        guard (1...64).contains(name.count),
            name.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.".unicodeScalars.contains($0)
            })
        else { throw TokenError.invalidName(name) }
        let id = try Self.randomHex(bytes: 4)
        let secret = try Self.randomHex(bytes: 32)
        let digest = Self.sha256(Array(secret.utf8))
        do {
            try database.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO api_token (id, name, secret_sha256, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [id, name, Data(digest), now])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw TokenError.duplicateName(name)
        }
        return Token(id: id, name: name, secret: "gh_\(id)_\(secret)")
    }

    /// The token's name when `bearer` is a valid token, else `nil`.
    public func verify(_ bearer: String) throws -> String? {
        let parts = bearer.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "gh", parts[1].count == 8, parts[2].count == 64 else { return nil }
        let presented = Self.sha256(Array(parts[2].utf8))
        let row = try database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT name, secret_sha256 FROM api_token WHERE id = ?", arguments: [String(parts[1])])
        }
        guard let row, let stored: Data = row["secret_sha256"], stored.count == presented.count else { return nil }
        let equal = stored.withUnsafeBytes { storedBytes in
            presented.withUnsafeBytes { presentedBytes in
                CRYPTO_memcmp(storedBytes.baseAddress, presentedBytes.baseAddress, presented.count) == 0
            }
        }
        return equal ? row["name"] : nil
    }

    /// The name of the token with this id, while it exists (console sessions hold the id, never the secret).
    public func name(ofTokenID id: String) throws -> String? {
        try database.pool.read { db in try String.fetchOne(db, sql: "SELECT name FROM api_token WHERE id = ?", arguments: [id]) }
    }

    /// The id part of a bearer of the form `gh_<id>_<secret>`.
    public static func tokenID(of bearer: String) -> String? {
        let parts = bearer.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "gh", parts[1].count == 8 else { return nil }
        return String(parts[1])
    }

    public func names() throws -> [String] {
        try database.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM api_token ORDER BY created_at, name") }
    }

    public func revoke(name: String) throws -> Bool {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM api_token WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Digest.sha256(bytes) }

    static func randomHex(bytes count: Int) throws -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw TokenError.randomUnavailable }
        return Hex.encode(bytes)
    }
}
