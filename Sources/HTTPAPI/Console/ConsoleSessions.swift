import Digests
import Foundation
import Storage
import Synchronization

/// The web console's sign-in sessions: an `HttpOnly`, `SameSite=Strict` cookie stands for an admin token that was
/// presented once, so the browser never keeps the token (an `EventSource` cannot send an Authorization header, and a
/// token in `localStorage` is readable by any script on the page).
///
/// Each session remembers the id and name of the token it was made from, never the token, and lives only while
/// a token of that id and name exists: revoking it (`gatehouse token revoke`) ends its sessions within the
/// verifier's cache second. Cookies are random 256-bit values looked up by their SHA-256, so neither memory nor
/// the database (``ConsoleSessionStore``, which keeps sessions across a restart) holds a usable cookie.
public final class ConsoleSessions: Sendable {
    public struct Session: Sendable {
        /// The id part of the token the session was made from.
        public let tokenID: String
        /// The token's name, for the console's "signed in as".
        public let tokenName: String
        /// Sent by the page in `X-CSRF-Token` on every state-changing call; a cross-site form cannot know it.
        public let csrfToken: String
        var lastUsed: Date
        let created: Date
        /// When `lastUsed` was last written to the store: at most once a minute per session.
        var persisted: Date
    }

    public static let cookieName = "gh_session"
    /// Idle sessions end after this long.
    public let idleTimeout: TimeInterval
    /// However active, a session ends after this long, so a cookie copied off a machine does not live for ever.
    public let maximumAge: TimeInterval
    /// At most this many sessions; the least recently used one goes first.
    public let capacity: Int
    private let now: @Sendable () -> Date
    private let sessions = Mutex<[String: Session]>([:])
    private let store: ConsoleSessionStore?

    /// `store` keeps sessions across restarts; without one they live in memory only.
    public init(
        store: ConsoleSessionStore? = nil, idleTimeout: TimeInterval = 8 * 3600, maximumAge: TimeInterval = 7 * 86_400,
        capacity: Int = 256, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
        self.capacity = capacity
        self.now = now
        guard let store, let records = try? store.all() else { return }
        let instant = now()
        var table: [String: Session] = [:]
        for record in records {
            table[record.key] = Session(
                tokenID: record.tokenID, tokenName: record.tokenName, csrfToken: record.csrfToken, lastUsed: record.lastUsedAt,
                created: record.createdAt, persisted: record.lastUsedAt)
        }
        let expired = expire(&table, at: instant)
        try? store.delete(keys: expired)
        sessions.withLock { $0 = table }
    }

    /// Opens a session for a token that verified; returns the cookie value and the session.
    public func open(tokenID: String, tokenName: String) -> (cookie: String, session: Session) {
        let cookie = Self.randomToken()
        let instant = now()
        let session = Session(
            tokenID: tokenID, tokenName: tokenName, csrfToken: Self.randomToken(), lastUsed: instant, created: instant,
            persisted: instant)
        let key = Self.key(cookie)
        let dropped = sessions.withLock { table -> [String] in
            var dropped = expire(&table, at: instant)
            if table.count >= capacity, let oldest = table.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                table[oldest] = nil
                dropped.append(oldest)
            }
            table[key] = session
            return dropped
        }
        try? store?.delete(keys: dropped)
        try? store?.save(record(key, session))
        return (cookie, session)
    }

    /// The live session a cookie names, touched; nil when unknown or expired.
    public func session(cookie: String) -> Session? {
        let key = Self.key(cookie)
        let instant = now()
        enum Outcome { case live(Session, persist: Bool), expired, unknown }
        let outcome = sessions.withLock { table -> Outcome in
            guard var session = table[key] else { return .unknown }
            guard !isExpired(session, at: instant) else {
                table[key] = nil
                return .expired
            }
            session.lastUsed = instant
            let persist = instant.timeIntervalSince(session.persisted) >= 60
            if persist { session.persisted = instant }
            table[key] = session
            return .live(session, persist: persist)
        }
        switch outcome {
        case .live(let session, let persist):
            if persist { try? store?.save(record(key, session)) }
            return session
        case .expired:
            try? store?.delete(keys: [key])
            return nil
        case .unknown:
            return nil
        }
    }

    /// Ends the session a cookie names (sign-out, or its token is gone).
    public func close(cookie: String) {
        let key = Self.key(cookie)
        _ = sessions.withLock { $0.removeValue(forKey: key) }
        try? store?.delete(keys: [key])
    }

    public var count: Int { sessions.withLock { $0.count } }

    private func record(_ key: String, _ session: Session) -> ConsoleSessionStore.Record {
        .init(
            key: key, tokenID: session.tokenID, tokenName: session.tokenName, csrfToken: session.csrfToken,
            createdAt: session.created, lastUsedAt: session.lastUsed)
    }

    private func isExpired(_ session: Session, at instant: Date) -> Bool {
        instant.timeIntervalSince(session.lastUsed) >= idleTimeout || instant.timeIntervalSince(session.created) >= maximumAge
    }

    /// Drops the expired sessions; returns their keys.
    private func expire(_ table: inout [String: Session], at instant: Date) -> [String] {
        let expired = table.filter { isExpired($0.value, at: instant) }.map(\.key)
        for key in expired { table[key] = nil }
        return expired
    }

    /// 32 random bytes, base64url without padding (43 characters).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func key(_ cookie: String) -> String {
        Digest.sha256Hex(Array(cookie.utf8))
    }

    /// Compares two secrets without an early exit, so timing does not tell how much of a guess was right.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
