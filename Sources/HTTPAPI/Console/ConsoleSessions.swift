import Digests
import Foundation
import Synchronization

/// The web console's sign-in sessions: an `HttpOnly`, `SameSite=Strict` cookie stands for an admin token that was
/// presented once, so the browser never keeps the token (an `EventSource` cannot send an Authorization header, and a
/// token in `localStorage` is readable by any script on the page).
///
/// Sessions live in memory only: a restart signs everybody out, which is the safe direction. Each session
/// remembers the bearer it was made from and the API re-verifies that bearer on every request, so revoking the
/// token (`gatehouse token revoke`) ends its sessions within the verifier's cache second. Cookies are random
/// 256-bit values and are looked up by their SHA-256, so the table holds no usable cookie either.
public final class ConsoleSessions: Sendable {
    public struct Session: Sendable {
        /// The bearer token the session was made from (re-verified per request).
        let bearer: String
        /// The token's name, for the console's "signed in as".
        public let tokenName: String
        /// Sent by the page in `X-CSRF-Token` on every state-changing call; a cross-site form cannot know it.
        public let csrfToken: String
        var lastUsed: Date
        let created: Date
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

    public init(
        idleTimeout: TimeInterval = 8 * 3600, maximumAge: TimeInterval = 7 * 86_400, capacity: Int = 256,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
        self.capacity = capacity
        self.now = now
    }

    /// Opens a session for a bearer that verified; returns the cookie value and the session.
    public func open(bearer: String, tokenName: String) -> (cookie: String, session: Session) {
        let cookie = Self.randomToken()
        let instant = now()
        let session = Session(
            bearer: bearer, tokenName: tokenName, csrfToken: Self.randomToken(), lastUsed: instant, created: instant)
        let key = Self.key(cookie)
        sessions.withLock { table in
            expire(&table, at: instant)
            if table.count >= capacity, let oldest = table.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                table[oldest] = nil
            }
            table[key] = session
        }
        return (cookie, session)
    }

    /// The live session a cookie names, touched; nil when unknown or expired.
    public func session(cookie: String) -> Session? {
        let key = Self.key(cookie)
        let instant = now()
        return sessions.withLock { table -> Session? in
            guard var session = table[key] else { return nil }
            guard !isExpired(session, at: instant) else {
                table[key] = nil
                return nil
            }
            session.lastUsed = instant
            table[key] = session
            return session
        }
    }

    /// Ends the session a cookie names (sign-out).
    public func close(cookie: String) {
        let key = Self.key(cookie)
        _ = sessions.withLock { $0.removeValue(forKey: key) }
    }

    public var count: Int { sessions.withLock { $0.count } }

    private func isExpired(_ session: Session, at instant: Date) -> Bool {
        instant.timeIntervalSince(session.lastUsed) >= idleTimeout || instant.timeIntervalSince(session.created) >= maximumAge
    }

    private func expire(_ table: inout [String: Session], at instant: Date) {
        table = table.filter { !isExpired($0.value, at: instant) }
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
