import AccessControl
import Digests
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PushProtocol

/// Decides whether a request may use the Akuvox-compatible API, by the configured mode: none, allowlist (the
/// client's address), Basic, or Digest (MD5, realm `HTTPAPI`, qop `auth`, nonces issued and checked here).
///
/// The allowlist needs the client address, which only a request context conforming to
/// `RemoteAddressRequestContext` carries; without it allowlist mode refuses everything (fails closed).
final class AkuvoxAuthenticator: Sendable {
    static let realm = "HTTPAPI"
    /// How long an issued nonce stays valid; older ones get a fresh challenge with `stale=true`.
    static let nonceLifetime: TimeInterval = 300
    /// Outstanding nonces kept; the oldest is forgotten first (its client simply gets a new challenge).
    static let nonceCapacity = 1024

    enum Outcome: Equatable {
        case admitted
        /// 403: disabled, or an address not on the allowlist.
        case forbidden(String)
        /// 401 with these `WWW-Authenticate` values.
        case challenge(String, reason: String)
    }

    let settings: AkuvoxAPISettings
    let allowlist: Set<String>
    let clock: any SiteClock
    let nonces: NonceBook

    init(settings: AkuvoxAPISettings, clock: any SiteClock) {
        self.settings = settings
        self.ha1 = settings.ha1
        self.allowlist = Set(settings.allowlist.compactMap(ClientAddress.normalised))
        self.clock = clock
        self.nonces = NonceBook(capacity: Self.nonceCapacity)
    }

    /// `MD5(username:HTTPAPI:password)`, the only form of the password kept (configured as such, or computed once from
    /// a clear one): Digest needs nothing else, and Basic and the legacy query form are checked by hashing what the
    /// client sent. Nil when no password is configured: nothing is admitted then.
    let ha1: String?

    /// Whether `password` is the configured user's password, in constant time.
    func passwordMatches(user: String, password: String) -> Bool {
        let userMatches = ConstantTime.equal(user, settings.username)
        guard let ha1 else { return false }
        let passwordMatches = ConstantTime.equal(Digest.md5Hex("\(settings.username):\(Self.realm):\(password)"), ha1)
        return userMatches && passwordMatches
    }

    /// Checks the request by the configured mode.
    func check(_ request: Request, context: some RequestContext) -> Outcome {
        guard settings.enabled else { return .forbidden("the Akuvox HTTP API is disabled") }
        switch settings.auth {
        case .none:
            return .admitted
        case .allowlist:
            guard let address = Self.clientAddress(context), allowlist.contains(address) else {
                return .forbidden("client address is not on the allowlist")
            }
            return .admitted
        case .basic:
            if let header = request.headers[.authorization], checkBasic(header) { return .admitted }
            return .challenge("Basic realm=\"\(Self.realm)\"", reason: "Basic credentials required")
        case .digest:
            let header = request.headers[.authorization]
            switch header.map({ checkDigest($0, method: request.method.rawValue, target: request.uri.description) }) {
            case .valid?: return .admitted
            case .stale?: return .challenge(challenge(stale: true), reason: "nonce expired")
            case .invalid?, nil: return .challenge(challenge(stale: false), reason: "Digest credentials required")
            }
        }
    }

    /// The credentials of the legacy `/fcgi/do?...&UserName=…&Password=…` form.
    func checkQueryCredentials(username: String?, password: String?) -> Bool {
        guard let username, let password else { return false }
        return passwordMatches(user: username, password: password)
    }

    static func clientAddress(_ context: some RequestContext) -> String? {
        guard let remote = (context as? any RemoteAddressRequestContext)?.remoteAddress, let ip = remote.ipAddress else {
            return nil
        }
        return ClientAddress.normalised(ip)
    }

    // MARK: Basic

    func checkBasic(_ header: String) -> Bool {
        let prefix = "basic "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix,
            let decoded = Data(base64Encoded: String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return false }
        let user = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        // Both compared in full, whatever the first result, so timing does not tell which one was wrong.
        return passwordMatches(user: user, password: password)
    }

    // MARK: Digest

    enum DigestCheck { case valid, stale, invalid }

    func challenge(stale: Bool) -> String {
        let nonce = nonces.issue(at: clock.now)
        var value = "Digest realm=\"\(Self.realm)\", qop=\"auth\", nonce=\"\(nonce)\", opaque=\"\(Self.opaque)\", algorithm=MD5"
        if stale { value += ", stale=true" }
        return value
    }

    /// Constant per process; clients echo it back.
    static let opaque = Digest.md5Hex(AkuvoxAuthenticator.realm + "gatehouse")

    func checkDigest(_ header: String, method: String, target: String) -> DigestCheck {
        let prefix = "digest "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else { return .invalid }
        let fields = Self.parseAuthParameters(String(header.dropFirst(prefix.count)))
        guard let username = fields["username"], let realm = fields["realm"], let nonce = fields["nonce"],
            let uri = fields["uri"], let response = fields["response"], let qop = fields["qop"], let nc = fields["nc"],
            let cnonce = fields["cnonce"]
        else { return .invalid }
        guard realm == Self.realm, qop.lowercased() == "auth", (fields["algorithm"] ?? "MD5").uppercased() == "MD5" else {
            return .invalid
        }
        // The digest covers the URI the client says it asked for; it must be this request's.
        guard uri == target else { return .invalid }
        guard let count = UInt32(nc, radix: 16) else { return .invalid }
        guard let ha1 else { return .invalid }
        let ha2 = Digest.md5Hex("\(method):\(uri)")
        let expected = Digest.md5Hex("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(ha2)")
        let userMatches = ConstantTime.equal(username, settings.username)
        let responseMatches = ConstantTime.equal(response.lowercased(), expected)
        guard userMatches, responseMatches else { return .invalid }
        // Only now consume the nonce count: a wrong guess must not burn a client's nonce.
        switch nonces.use(nonce, count: count, at: clock.now, lifetime: Self.nonceLifetime) {
        case .accepted: return .valid
        case .expired: return .stale
        case .unknown, .replayed: return .invalid
        }
    }

    /// `key=value, key="quoted, value"` pairs of an Authorization header.
    static func parseAuthParameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var index = text.startIndex
        func skip(_ characters: String) {
            while index < text.endIndex, characters.contains(text[index]) { index = text.index(after: index) }
        }
        while index < text.endIndex {
            skip(" ,\t")
            let keyStart = index
            while index < text.endIndex, text[index] != "=", text[index] != "," { index = text.index(after: index) }
            let key = text[keyStart..<index].trimmingCharacters(in: .whitespaces).lowercased()
            guard index < text.endIndex, text[index] == "=" else { continue }
            index = text.index(after: index)
            skip(" \t")
            var value = ""
            if index < text.endIndex, text[index] == "\"" {
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "\"" {
                    if text[index] == "\\", text.index(after: index) < text.endIndex { index = text.index(after: index) }
                    value.append(text[index])
                    index = text.index(after: index)
                }
                if index < text.endIndex { index = text.index(after: index) }
            } else {
                let start = index
                while index < text.endIndex, text[index] != "," { index = text.index(after: index) }
                value = text[start..<index].trimmingCharacters(in: .whitespaces)
            }
            if !key.isEmpty { result[key] = value }
        }
        return result
    }

}

/// Digest nonces this server issued, with the highest nonce count each has seen (a replayed count is refused).
///
/// `@unchecked Sendable`: `entries` and `order` are only touched while holding `lock`.
final class NonceBook: @unchecked Sendable {
    enum Use { case accepted, expired, unknown, replayed }

    private struct Entry {
        var issued: Date
        var highestCount: UInt32
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func issue(at now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        lock.lock()
        defer { lock.unlock() }
        entries[nonce] = Entry(issued: now, highestCount: 0)
        order.append(nonce)
        if order.count > capacity {
            let overflow = order.count - capacity
            for old in order.prefix(overflow) { entries[old] = nil }
            order.removeFirst(overflow)
        }
        return nonce
    }

    func use(_ nonce: String, count: UInt32, at now: Date, lifetime: TimeInterval) -> Use {
        lock.lock()
        defer { lock.unlock() }
        guard var entry = entries[nonce] else { return .unknown }
        if now.timeIntervalSince(entry.issued) > lifetime {
            entries[nonce] = nil
            order.removeAll { $0 == nonce }
            return .expired
        }
        guard count > entry.highestCount else { return .replayed }
        entry.highestCount = count
        entries[nonce] = entry
        return .accepted
    }
}
