import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Storage

/// Checks a bearer token; `APITokenStore` is the real implementation.
public protocol BearerTokenVerifier: Sendable {
    /// The token's name when valid.
    func verify(_ bearer: String) throws -> String?
    /// The name of the token with this id while it exists: a console session is valid only that long.
    func name(ofTokenID id: String) throws -> String?
}

extension APITokenStore: BearerTokenVerifier {}
extension CachedTokenVerifier: BearerTokenVerifier {}

/// Admits a request only with `Authorization: Bearer <token>` naming a valid token, or with the web console's
/// session cookie (``ConsoleSessions``), whose token is verified again on each request. A cookie is sent by the
/// browser on its own, so a state-changing request authenticated by one must also carry the session's
/// `X-CSRF-Token` and, when the browser says where it comes from (`Origin`), come from this host.
/// Too many failures from one client address within a minute get 429 without the token being checked.
struct BearerAuthMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let verifier: any BearerTokenVerifier
    let limiter: FailedAuthLimiter
    var sessions: ConsoleSessions? = nil

    static var csrfHeader: HTTPField.Name { HTTPField.Name("X-CSRF-Token")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        try limiter.check(client, attempts: "authentications")
        do {
            return try await authenticate(request, context: context, next: next)
        } catch let error as APIError where error.status == .unauthorized {
            limiter.recordFailure(client)
            throw error
        }
    }

    func authenticate(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else {
            if let sessions, let cookie = request.cookies[ConsoleSessions.cookieName]?.value, !cookie.isEmpty {
                return try await authenticate(request, context: context, cookie: cookie, sessions: sessions, next: next)
            }
            throw Self.unauthorized("missing Authorization: Bearer <token> header")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix.lowercased() else {
            throw Self.unauthorized("the Authorization header must use the Bearer scheme")
        }
        // Spaces and tabs around the token are allowed; trimmed by hand, as Foundation's trimming costs more than the
        // whole token check on this per-request path.
        var token = Substring(header.dropFirst(prefix.count))
        while let first = token.first, first == " " || first == "\t" { token.removeFirst() }
        while let last = token.last, last == " " || last == "\t" { token.removeLast() }
        let name: String?
        do {
            name = try verifier.verify(String(token))
        } catch {
            throw APIError.storeUnavailable
        }
        guard name != nil else { throw Self.unauthorized("invalid token") }
        return try await next(request, context)
    }

    func authenticate(
        _ request: Request, context: Context, cookie: String, sessions: ConsoleSessions,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let session = try Self.liveSession(cookie: cookie, sessions: sessions, verifier: verifier)
        if !Self.isSafe(request.method) { try Self.checkCSRF(request, session: session) }
        return try await next(request, context)
    }

    /// The session a cookie names, while it has not ended and the token it was made from still exists (a session
    /// whose token is gone is closed).
    static func liveSession(cookie: String, sessions: ConsoleSessions, verifier: any BearerTokenVerifier) throws(APIError)
        -> ConsoleSessions.Session
    {
        guard let session = sessions.session(cookie: cookie) else {
            throw unauthorized("the console session has ended; sign in again")
        }
        let name: String?
        do {
            name = try verifier.name(ofTokenID: session.tokenID)
        } catch {
            throw .storeUnavailable
        }
        guard let name, name == session.tokenName else {
            sessions.close(cookie: cookie)
            throw unauthorized("the token this console session was made from is no longer valid")
        }
        return session
    }

    /// A state-changing request made with a session cookie: from this host's own page, with the session's CSRF token.
    static func checkCSRF(_ request: Request, session: ConsoleSessions.Session) throws {
        try checkSameOrigin(request)
        guard let presented = request.headers[csrfHeader], ConsoleSessions.constantTimeEqual(presented, session.csrfToken)
        else {
            throw APIError(.forbidden, code: "csrf", message: "missing or wrong X-CSRF-Token for this console session")
        }
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        method == .get || method == .head || method == .options
    }

    /// A browser names the page that sent a request in `Origin`; it must be this host's own.
    static func checkSameOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        let url = URL(string: origin)
        let authority = url?.host.map { host in url?.port.map { "\(host):\($0)" } ?? host }
        guard let authority, authority.lowercased() == (request.head.authority ?? "").lowercased() else {
            throw APIError(.forbidden, code: "cross_origin", message: "Origin \(origin) is not this console's")
        }
    }

    static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, code: "unauthorized", message: message)
        error.headers[.wwwAuthenticate] = "Bearer realm=\"gatehouse\""
        return error
    }
}
