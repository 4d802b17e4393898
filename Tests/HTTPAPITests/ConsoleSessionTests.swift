import AccessControl
import Foundation
import Hummingbird
import Storage
import Synchronization
import Testing

@testable import HTTPAPI

/// A clock the tests move by hand.
final class ManualDate: Sendable {
    private let value = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { value.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLock { $0 += seconds } }
}

@Suite struct ConsoleSessionTests {
    static func database() throws -> GatehouseDatabase {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-sessions-\(UUID().uuidString)")
        return try GatehouseDatabase(directory: directory.path)
    }

    @Test("a session ends after the idle timeout, and after the maximum age however active")
    func expiry() throws {
        let clock = ManualDate()
        let sessions = ConsoleSessions(idleTimeout: 100, maximumAge: 250, now: { clock.now })
        let (cookie, opened) = sessions.open(tokenID: "0000abcd", tokenName: "admin")
        #expect(opened.csrfToken.count == 43 && cookie.count == 43 && opened.csrfToken != cookie)
        clock.advance(99)
        #expect(sessions.session(cookie: cookie)?.tokenName == "admin")
        clock.advance(99)  // 99 s idle again: still alive, since it was used
        #expect(sessions.session(cookie: cookie) != nil)
        clock.advance(60)  // 258 s old: past the maximum age
        #expect(sessions.session(cookie: cookie) == nil)

        let (idle, _) = sessions.open(tokenID: "0000abcd", tokenName: "admin")
        clock.advance(100)
        #expect(sessions.session(cookie: idle) == nil)
        #expect(sessions.session(cookie: "not-a-cookie") == nil)
    }

    @Test("past the capacity the least recently used session goes; sign-out ends one")
    func capacityAndClose() throws {
        let clock = ManualDate()
        let sessions = ConsoleSessions(capacity: 3, now: { clock.now })
        var cookies: [String] = []
        for _ in 0..<3 {
            cookies.append(sessions.open(tokenID: "0000abcd", tokenName: "admin").cookie)
            clock.advance(1)
        }
        _ = sessions.session(cookie: cookies[0])  // the first is now the most recent
        let fourth = sessions.open(tokenID: "0000abcd", tokenName: "admin").cookie
        #expect(sessions.count == 3)
        #expect(sessions.session(cookie: cookies[1]) == nil)
        #expect(sessions.session(cookie: cookies[0]) != nil && sessions.session(cookie: fourth) != nil)
        sessions.close(cookie: fourth)
        #expect(sessions.session(cookie: fourth) == nil)
    }

    @Test("sessions survive a restart through SQLite, which holds neither the cookie nor the token; expired ones are dropped")
    func persistence() throws {
        let database = try Self.database()
        let store = ConsoleSessionStore(writer: database.pool)
        let clock = ManualDate()
        let first = ConsoleSessions(store: store, idleTimeout: 1000, now: { clock.now })
        let (kept, session) = first.open(tokenID: "0000abcd", tokenName: "admin")
        let (ended, _) = first.open(tokenID: "0000abcd", tokenName: "admin")
        first.close(cookie: ended)
        let (stale, _) = first.open(tokenID: "0000beef", tokenName: "other")

        let rows = try store.all()
        #expect(rows.count == 2)
        #expect(!rows.contains { $0.key == kept || $0.key == stale }, "the cookie itself is stored")
        let dump = try database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT key || token_id || token_name FROM console_session")
        }
        #expect(!dump.joined().contains(kept))

        clock.advance(500)
        _ = first.session(cookie: kept)  // used: its last use is written (more than a minute since the last write)
        clock.advance(700)  // `stale` is now 1,200 s idle
        let second = ConsoleSessions(store: store, idleTimeout: 1000, now: { clock.now })
        let resumed = try #require(second.session(cookie: kept))
        #expect(resumed.csrfToken == session.csrfToken && resumed.tokenID == "0000abcd")
        #expect(second.session(cookie: stale) == nil)
        #expect(try store.all().count == 1)
    }

    @Test(
        "CSRF tokens compare equal only when identical",
        arguments: [("abc", "abc", true), ("abc", "abd", false), ("abc", "ab", false), ("", "", true)])
    func constantTimeCompare(left: String, right: String, equal: Bool) {
        #expect(ConsoleSessions.constantTimeEqual(left, right) == equal)
    }
}

/// The console's routes and the cookie path of the API, over a real server and a real token store on disk.
@Suite struct ConsoleRouteTests {
    struct Setup {
        let tokens: APITokenStore
        let token: String
        let router: Router<AdminRequestContext>
    }

    static let assetsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/HTTPAPI/Console/Assets")

    static func setup(assets: ConsoleAssets? = nil) throws -> Setup {
        let database = try ConsoleSessionTests.database()
        let tokens = APITokenStore(database: database)
        let token = try tokens.create(name: "admin").secret
        let fixture = try Fixture()
        let sessions = ConsoleSessions()
        let router = Router(context: AdminRequestContext.self)
        router.middlewares.add(APIErrorMiddleware())
        let limiter = FailedAuthLimiter()
        ConsoleRoutes.add(
            to: router, assets: try assets ?? ConsoleAssets.load(from: assetsDirectory), sessions: sessions, verifier: tokens,
            limiter: limiter)
        let api = router.group("api/v1").add(
            middleware: BearerAuthMiddleware(verifier: tokens, limiter: limiter, sessions: sessions))
        SiteRoutes.add(to: api, site: fixture.site, maxBodyBytes: 1 << 20)
        return Setup(tokens: tokens, token: token, router: router)
    }

    static func cookie(of reply: Reply) -> String? {
        guard let header = reply.header("Set-Cookie"), header.hasPrefix("gh_session=") else { return nil }
        return String(header.dropFirst("gh_session=".count).prefix { $0 != ";" })
    }

    @Test(
        "sign-in: a wrong token is refused naming the field; a right one gives an HttpOnly, SameSite=Strict cookie and a CSRF token"
    )
    func signIn() async throws {
        let setup = try Self.setup()
        let token = setup.token
        try await withServer(setup.router) { client in
            let wrong = try await client.post(
                "/console/session", #"{"token": "gh_00000000_nope"}"#, headers: ["Content-Type": "application/json"])
            #expect(wrong.status == 401 && wrong.json["field"] as? String == "token")
            #expect(wrong.header("Set-Cookie") == nil)
            let empty = try await client.post(
                "/console/session", #"{"token": "  "}"#, headers: ["Content-Type": "application/json"])
            #expect(empty.status == 400)
            let malformed = try await client.post("/console/session", "{", headers: ["Content-Type": "application/json"])
            #expect(malformed.status == 400)

            let right = try await client.post(
                "/console/session", #"{"token": "\#(token)"}"#, headers: ["Content-Type": "application/json"])
            #expect(right.status == 201)
            let header = try #require(right.header("Set-Cookie"))
            #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Path=/"))
            #expect(!header.contains(token))
            #expect((right.json["csrf_token"] as? String)?.count == 43)
            #expect(right.json["name"] as? String == "admin")
            #expect(right.header("Cache-Control") == "no-store")

            // A page without its script posts the form: answered with a redirect, the token only ever in the body.
            let form = try await client.post(
                "/console/session", "token=" + token, headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(form.status == 303 && form.header("Location") == "/")
            #expect(Self.cookie(of: form) != nil)
        }
    }

    @Test(
        "the cookie authenticates reads; writes need the CSRF token and a same-origin Origin; revoking the token or signing out ends it"
    )
    func cookieAuthentication() async throws {
        let setup = try Self.setup()
        let (token, tokens) = (setup.token, setup.tokens)
        try await withServer(setup.router) { client in
            let signIn = try await client.post(
                "/console/session", #"{"token": "\#(token)"}"#, headers: ["Content-Type": "application/json"])
            let cookie = try #require(Self.cookie(of: signIn))
            let csrf = try #require(signIn.json["csrf_token"] as? String)
            let jar = ["Cookie": "gh_session=\(cookie)"]
            let origin = "http://127.0.0.1:\(client.port)"

            #expect(try await client.get("/api/v1/doors", headers: jar).status == 200)
            #expect(try await client.get("/console/session", headers: jar).json["csrf_token"] as? String == csrf)
            #expect(try await client.get("/api/v1/doors", headers: ["Cookie": "gh_session=forged"]).status == 401)

            let noCSRF = try await client.send("POST", "/api/v1/doors/1/open", headers: jar)
            #expect(noCSRF.status == 403 && noCSRF.json["error"] as? String == "csrf")
            let wrongCSRF = try await client.send(
                "POST", "/api/v1/doors/1/open", headers: jar.merging(["X-CSRF-Token": String(csrf.reversed())]) { $1 })
            #expect(wrongCSRF.status == 403)
            let crossSite = try await client.send(
                "POST", "/api/v1/doors/1/open",
                headers: jar.merging(["X-CSRF-Token": csrf, "Origin": "http://evil.example"]) { $1 })
            #expect(crossSite.status == 403 && crossSite.json["error"] as? String == "cross_origin")
            let nullOrigin = try await client.send(
                "POST", "/api/v1/doors/1/open", headers: jar.merging(["X-CSRF-Token": csrf, "Origin": "null"]) { $1 })
            #expect(nullOrigin.status == 403)
            let good = try await client.send(
                "POST", "/api/v1/doors/1/open", headers: jar.merging(["X-CSRF-Token": csrf, "Origin": origin]) { $1 })
            #expect(good.status == 200, "\(good.text)")

            // A cross-site sign-in attempt (a login CSRF) is refused too.
            let foreignSignIn = try await client.post(
                "/console/session", #"{"token": "\#(token)"}"#,
                headers: ["Content-Type": "application/json", "Origin": "http://evil.example"])
            #expect(foreignSignIn.status == 403)

            // Sign out: the cookie stops working.
            let out = try await client.send("DELETE", "/console/session", headers: jar.merging(["X-CSRF-Token": csrf]) { $1 })
            #expect(out.status == 204 && out.header("Set-Cookie")?.contains("Max-Age=0") == true)
            #expect(try await client.get("/api/v1/doors", headers: jar).status == 401)

            // A new session ends when its token is revoked.
            let again = try await client.post(
                "/console/session", #"{"token": "\#(token)"}"#, headers: ["Content-Type": "application/json"])
            let second = ["Cookie": "gh_session=\(try #require(Self.cookie(of: again)))"]
            #expect(try await client.get("/api/v1/doors", headers: second).status == 200)
            #expect(try tokens.revoke(name: "admin"))
            let revoked = try await client.get("/api/v1/doors", headers: second)
            #expect(revoked.status == 401 && revoked.text.contains("no longer valid"))
        }
    }

    @Test("the page and its files: security headers, ETag revalidation, unknown names 404, a missing install 503")
    func assets() async throws {
        let setup = try Self.setup()
        try await withServer(setup.router) { client in
            let page = try await client.get("/")
            #expect(page.status == 200 && page.text.contains("<title>Gatehouse</title>"))
            #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(page.header("X-Frame-Options") == "DENY" && page.header("X-Content-Type-Options") == "nosniff")
            let etag = try #require(page.header("ETag"))
            #expect(try await client.get("/", headers: ["If-None-Match": etag]).status == 304)
            let script = try await client.get("/console/console.js")
            #expect(script.status == 200 && script.header("Content-Type")?.hasPrefix("text/javascript") == true)
            for name in ["/console/nope.js", "/console/..%2FConsoleRoutes.swift", "/console/%2e%2e%2f%2e%2e%2fPackage.swift"] {
                #expect(try await client.get(name).status == 404, "\(name)")
            }
        }
        let missing = try Self.setup(assets: ConsoleAssets(assets: [:], directory: nil))
        try await withServer(missing.router) { client in
            let page = try await client.get("/")
            #expect(page.status == 503 && page.text.contains("Gatehouse_HTTPAPI.resources"))
        }
    }
}
