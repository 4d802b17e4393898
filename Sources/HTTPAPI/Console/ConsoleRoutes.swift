import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// The web console on the admin listener: the page at `/`, its files under `/console/`, and sign-in.
///
/// - `POST /console/session` `{"token": "gh_…"}` verifies an admin token and answers `{name, csrf_token}` with an
///   `HttpOnly; SameSite=Strict` session cookie; the page then calls the REST API with that cookie (the SSE stream
///   too, which cannot send headers) and the CSRF token in `X-CSRF-Token` on every state-changing call.
/// - `GET /console/session` tells a reloaded page whether it is signed in (and its CSRF token again).
/// - `DELETE /console/session` signs out.
///
/// The page and its files are static and carry no site data, so they load without a session; every figure on it
/// comes from the authenticated API.
enum ConsoleRoutes {
    struct SignIn: Decodable {
        var token: String
    }

    struct SessionView: Encodable {
        var name: String
        var csrfToken: String
        enum CodingKeys: String, CodingKey {
            case name
            case csrfToken = "csrf_token"
        }
    }

    /// The page may run only its own files and talk only to its own host.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        HTTPField.Name("X-Frame-Options")!: "DENY",
    ]

    static func add(
        to router: Router<AdminRequestContext>, assets: ConsoleAssets, sessions: ConsoleSessions,
        verifier: any BearerTokenVerifier, limiter: FailedAuthLimiter
    ) {
        router.get("/") { request, _ -> Response in try serve("index.html", assets: assets, request: request) }
        router.get("console/:file") { request, context -> Response in
            try serve(context.parameters.get("file") ?? "", assets: assets, request: request)
        }
        router.post("console/session") { request, context -> Response in
            let client = context.remoteAddress?.ipAddress ?? "unknown"
            try limiter.check(client, attempts: "sign-ins")
            try BearerAuthMiddleware<AdminRequestContext>.checkSameOrigin(request)
            // A page whose script did not run posts the form itself (urlencoded); it is answered with a redirect to
            // the console, so the token goes in a POST body either way, never in a URL.
            let isForm = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
            let given: String
            if isForm {
                let data = try await JSONBody.data(of: request, maxBytes: 4096)
                var components = URLComponents()
                components.percentEncodedQuery = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
                given = components.queryItems?.first { $0.name == "token" }?.value ?? ""
            } else {
                given = try await JSONBody.decode(SignIn.self, from: request, maxBytes: 4096).token
            }
            let token = given.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw APIError(.badRequest, code: "invalid_field", message: "token: enter an admin token", field: "token")
            }
            let name: String?
            do {
                name = try verifier.verify(token)
            } catch {
                throw APIError.storeUnavailable
            }
            guard let name else {
                limiter.recordFailure(client)
                throw APIError(.unauthorized, code: "unauthorized", message: "token: not a valid admin token", field: "token")
            }
            guard let tokenID = APITokenStore.tokenID(of: token) else {
                throw APIError(.unauthorized, code: "unauthorized", message: "token: not a valid admin token", field: "token")
            }
            let (cookie, session) = sessions.open(tokenID: tokenID, tokenName: name)
            var response =
                isForm
                ? Response(status: .seeOther, headers: [.location: "/"])
                : try jsonResponse(SessionView(name: name, csrfToken: session.csrfToken), status: .created)
            response.headers[.setCookie] = cookieHeader(cookie, maxAge: Int(sessions.idleTimeout))
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.get("console/session") { request, _ -> Response in
            guard let cookie = request.cookies[ConsoleSessions.cookieName]?.value,
                let session = try? BearerAuthMiddleware<AdminRequestContext>.liveSession(
                    cookie: cookie, sessions: sessions, verifier: verifier)
            else {
                throw APIError(.unauthorized, code: "unauthorized", message: "not signed in")
            }
            var response = try jsonResponse(SessionView(name: session.tokenName, csrfToken: session.csrfToken))
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.delete("console/session") { request, _ -> Response in
            try BearerAuthMiddleware<AdminRequestContext>.checkSameOrigin(request)
            if let cookie = request.cookies[ConsoleSessions.cookieName]?.value {
                if let session = sessions.session(cookie: cookie) {
                    try BearerAuthMiddleware<AdminRequestContext>.checkCSRF(request, session: session)
                }
                sessions.close(cookie: cookie)
            }
            var response = Response(status: .noContent)
            response.headers[.setCookie] = cookieHeader("", maxAge: 0)
            return response
        }
    }

    static func cookieHeader(_ value: String, maxAge: Int) -> String {
        "\(ConsoleSessions.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
    }

    static func serve(_ name: String, assets: ConsoleAssets, request: Request) throws -> Response {
        guard assets.directory != nil else {
            throw APIError(
                .serviceUnavailable, code: "console_missing",
                message: "the web console's files (Gatehouse_HTTPAPI.resources beside the gatehouse binary) are not installed")
        }
        guard let asset = assets.assets[name] else {
            throw APIError(.notFound, code: "not_found", message: "no console file \(name)")
        }
        var headers = securityHeaders
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "no-cache"
        if request.headers[.ifNoneMatch] == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
