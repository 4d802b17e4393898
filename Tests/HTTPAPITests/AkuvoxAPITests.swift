import AccessControl
import Digests
import Foundation
import Hummingbird
import PushProtocol
import Storage
import Testing

@testable import HTTPAPI

/// The Akuvox-compatible API, called over HTTP on loopback the way Akuvox integrations call a door phone.
@Suite("Akuvox API")
struct AkuvoxAPITests {
    static let secret = AkuvoxAPISettings(enabled: true, auth: .basic, username: "admin", password: "s3cret")

    /// The admin router as the host builds it: the native API under /api/v1 (bearer auth is the host's layer and
    /// left out here), the Akuvox endpoints beside it.
    static func router(
        _ fixture: Fixture, _ settings: AkuvoxAPISettings, directory: AkuvoxDirectoryStore = try! .inMemory()
    ) -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        router.middlewares.add(APIErrorMiddleware())
        let api = router.group("api/v1")
        SiteRoutes.add(to: api, site: fixture.site, maxBodyBytes: 1 << 20)
        EventRoutes.add(to: api, site: fixture.site)
        AkuvoxRoutes.add(to: router, site: fixture.site, settings: settings, directory: directory, clock: fixture.clock)
        return router
    }

    static func remoteOpens(_ fixture: Fixture) async throws -> [Int] {
        try await fixture.entries().filter { $0.event == PushEventCode.openedRemotely.rawValue }.compactMap(\.door?.rawValue)
    }

    // MARK: Settings

    struct SettingsCase: Sendable, CustomTestStringConvertible {
        var settings: AkuvoxAPISettings
        var key: String?
        var testDescription: String { "\(settings.auth.rawValue) enabled=\(settings.enabled) → \(key ?? "valid")" }
    }

    @Test(
        "validation refuses an enabled API without the credentials its mode needs, naming the key",
        arguments: [
            SettingsCase(settings: AkuvoxAPISettings(enabled: true, auth: .basic), key: "akuvox_api.password"),
            SettingsCase(settings: AkuvoxAPISettings(enabled: true, auth: .digest), key: "akuvox_api.password"),
            SettingsCase(
                settings: AkuvoxAPISettings(enabled: true, auth: .digest, username: "", password: "x"), key: "akuvox_api.username"
            ),
            SettingsCase(settings: AkuvoxAPISettings(enabled: true, auth: .allowlist), key: "akuvox_api.allowlist"),
            SettingsCase(
                settings: AkuvoxAPISettings(
                    enabled: true, auth: .allowlist,
                    allowlist: ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"]),
                key: "akuvox_api.allowlist"),
            SettingsCase(
                settings: AkuvoxAPISettings(enabled: true, auth: .allowlist, allowlist: ["10.0.0.300"]),
                key: "akuvox_api.allowlist[0]"),
            SettingsCase(settings: AkuvoxAPISettings(enabled: false, auth: .digest), key: nil),
            SettingsCase(settings: AkuvoxAPISettings(enabled: true, auth: .none), key: nil),
            SettingsCase(
                settings: AkuvoxAPISettings(enabled: true, auth: .allowlist, allowlist: ["192.168.1.20", "fe80::1"]), key: nil),
            SettingsCase(settings: AkuvoxAPISettings(enabled: true, auth: .digest, password: "p"), key: nil),
        ])
    func validation(_ example: SettingsCase) {
        do {
            try example.settings.validate()
            #expect(example.key == nil)
        } catch {
            #expect(error.key == example.key)
        }
    }

    @Test("disabled: every Akuvox endpoint answers 403")
    func disabled() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, AkuvoxAPISettings(enabled: false, auth: .none))) {
            (client: HTTPClient) async throws -> Void in
            for target in [
                "/fcgi/do?action=OpenDoor&UserName=admin&Password=admin&DoorNum=1", "/fcgi/OpenDoor?action=OpenDoor&DoorNum=1",
                "/api/relay/status", "/api/user/get",
            ] {
                #expect(try await client.get(target).status == 403, "\(target)")
            }
            #expect(
                try await client.post("/api/relay/trig", #"{"target":"relay","action":"trig","data":{"num":1}}"#).status == 403)
        }
        #expect(try await Self.remoteOpens(fixture).isEmpty)
    }

    // MARK: Relay opening in the three URL forms

    struct OpenCase: Sendable, CustomTestStringConvertible {
        var name: String
        var settings: AkuvoxAPISettings
        var target: String
        var headers: [String: String] = [:]
        var status: Int
        var retcode: Int?
        var opened: [Int]
        var testDescription: String { name }
    }

    static let openCases: [OpenCase] = [
        OpenCase(
            name: "legacy /fcgi/do with credentials in the URL", settings: secret,
            target: "/fcgi/do?action=OpenDoor&UserName=admin&Password=s3cret&DoorNum=1", status: 200, retcode: 0, opened: [1]),
        OpenCase(
            name: "legacy /fcgi/do with a wrong password", settings: secret,
            target: "/fcgi/do?action=OpenDoor&UserName=admin&Password=nope&DoorNum=1", status: 401, retcode: -4, opened: []),
        OpenCase(
            name: "HSM form with credentials (u:p@ip → Basic header)", settings: secret,
            target: "/fcgi/OpenDoor?action=OpenDoor&DoorNum=2", headers: ["Authorization": basic("admin", "s3cret")],
            status: 200, retcode: 0, opened: [2]),
        OpenCase(
            name: "HSM form without credentials when a password is required", settings: secret,
            target: "/fcgi/OpenDoor?action=OpenDoor&DoorNum=2", status: 401, retcode: -4, opened: []),
        OpenCase(
            name: "HSM form without credentials, auth none", settings: AkuvoxAPISettings(enabled: true, auth: .none),
            target: "/fcgi/OpenDoor?action=OpenDoor&DoorNum=3", status: 200, retcode: 0, opened: [3]),
        OpenCase(
            name: "high-secure mode refuses the legacy form",
            settings: AkuvoxAPISettings(enabled: true, auth: .basic, password: "s3cret", highSecure: true),
            target: "/fcgi/do?action=OpenDoor&UserName=admin&Password=s3cret&DoorNum=1", status: 403, retcode: -4, opened: []),
        OpenCase(
            name: "high-secure mode allows /fcgi/OpenDoor",
            settings: AkuvoxAPISettings(enabled: true, auth: .basic, password: "s3cret", highSecure: true),
            target: "/fcgi/OpenDoor?action=OpenDoor&DoorNum=1", headers: ["Authorization": basic("admin", "s3cret")],
            status: 200, retcode: 0, opened: [1]),
        OpenCase(
            name: "DoorNum=99 checks credentials without firing a relay", settings: secret,
            target: "/fcgi/do?action=OpenDoor&UserName=admin&Password=s3cret&DoorNum=99", status: 200, retcode: -2, opened: []),
        OpenCase(
            name: "SA without a security relay", settings: secret,
            target: "/fcgi/do?action=OpenDoor&UserName=admin&Password=s3cret&DoorNum=SA", status: 200, retcode: -2, opened: []),
        OpenCase(
            name: "an action other than OpenDoor", settings: AkuvoxAPISettings(enabled: true, auth: .none),
            target: "/fcgi/do?action=Reboot&DoorNum=1", status: 200, retcode: -1, opened: []),
    ]

    @Test("relay opening", arguments: openCases)
    func openDoor(_ example: OpenCase) async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, example.settings)) { (client: HTTPClient) async throws -> Void in
            let reply = try await client.get(example.target, headers: example.headers)
            #expect(reply.status == example.status)
            #expect(reply.retcode == example.retcode, "\(reply.text)")
        }
        #expect(try await Self.remoteOpens(fixture) == example.opened)
    }

    @Test("SA and SB open the doors on the first and second security relays")
    func securityRelays() async throws {
        var configuration = SiteConfiguration.fourDoorPanel()
        configuration.relays += [Relay(id: 11, kind: .security), Relay(id: 12, kind: .security)]
        configuration.doors[2].relay = 11
        configuration.doors[3].relay = 12
        let fixture = try Fixture(configuration: configuration)
        try await withServer(Self.router(fixture, AkuvoxAPISettings(enabled: true, auth: .none))) {
            (client: HTTPClient) async throws -> Void in
            #expect(try await client.get("/fcgi/OpenDoor?action=OpenDoor&DoorNum=SB").retcode == 0)
            #expect(try await client.get("/fcgi/OpenDoor?action=OpenDoor&DoorNum=SA").retcode == 0)
        }
        #expect(try await Self.remoteOpens(fixture) == [4, 3])
        let entry = try #require(try await fixture.entries().last)
        #expect(entry.source == JournalSource(.api, name: "akuvox"))
    }

    // MARK: Digest

    @Test("a stored HA1 instead of the password: Digest, Basic and the /fcgi/do form all admit the right password only")
    func storedHA1() async throws {
        var settings = AkuvoxAPISettings(enabled: true, auth: .digest, username: "admin")
        // As `printf '%s' 'admin:HTTPAPI:httpapi' | md5sum` prints it (either case is accepted).
        #expect(Digest.md5Hex("admin:HTTPAPI:httpapi") == "39a5bce13b82d11aeb93838dc08d4fab")
        settings.passwordHA1 = "39A5BCE13B82D11AEB93838DC08D4FAB"
        try settings.validate()
        #expect(settings.password.isEmpty)
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, settings)) { (client: HTTPClient) async throws -> Void in
            let uri = "/api/relay/status"
            let challenge = try #require(try await client.get(uri).header("WWW-Authenticate"))
            let right = digestAnswer(challenge: challenge, method: "GET", uri: uri, user: "admin", password: "httpapi")
            #expect(try await client.get(uri, headers: ["Authorization": right]).status == 200)
            let wrong = digestAnswer(
                challenge: challenge, method: "GET", uri: uri, user: "admin", password: "httpapI", nc: "00000002")
            #expect(try await client.get(uri, headers: ["Authorization": wrong]).status == 401)
            #expect(
                try await client.get("/fcgi/do?action=OpenDoor&UserName=admin&Password=httpapi&DoorNum=1").retcode == 0)
            #expect(
                try await client.get("/fcgi/do?action=OpenDoor&UserName=admin&Password=nope&DoorNum=1").status == 401)
        }
        var basicSettings = settings
        basicSettings.auth = .basic
        try await withServer(Self.router(fixture, basicSettings)) { (client: HTTPClient) async throws -> Void in
            #expect(
                try await client.get("/api/relay/status", headers: ["Authorization": basic("admin", "httpapi")]).status == 200)
            #expect(try await client.get("/api/relay/status", headers: ["Authorization": basic("admin", "x")]).status == 401)
        }
        var malformed = settings
        malformed.passwordHA1 = "not-a-digest"
        #expect(throws: AkuvoxSettingsError.self) { try malformed.validate() }
        var both = settings
        both.password = "httpapi"
        #expect((try? both.validate()) == nil)
    }

    @Test("Digest: challenge (MD5, realm HTTPAPI, qop auth), answer, replay refused, stale nonce after 5 minutes")
    func digest() async throws {
        let fixture = try Fixture()
        let settings = AkuvoxAPISettings(enabled: true, auth: .digest, username: "admin", password: "httpapi")
        let clock = fixture.clock
        try await withServer(Self.router(fixture, settings)) { (client: HTTPClient) async throws -> Void in
            let uri = "/api/relay/trig?mode=0&num=1&level=1&delay=5"
            let first = try await client.get(uri)
            #expect(first.status == 401)
            let challenge = try #require(first.header("WWW-Authenticate"))
            #expect(challenge.hasPrefix("Digest realm=\"HTTPAPI\", qop=\"auth\", nonce=\""))
            #expect(challenge.contains("algorithm=MD5"))

            let answer = digestAnswer(challenge: challenge, method: "GET", uri: uri, user: "admin", password: "httpapi")
            let granted = try await client.get(uri, headers: ["Authorization": answer])
            #expect(granted.status == 200)
            #expect(granted.text == #"{"retcode":0,"action":"trig","message":"OK"}"#)

            // The same nonce count again is a replay.
            #expect(try await client.get(uri, headers: ["Authorization": answer]).status == 401)
            // The next count is fine.
            let second = digestAnswer(
                challenge: challenge, method: "GET", uri: uri, user: "admin", password: "httpapi", nc: "00000002")
            #expect(try await client.get(uri, headers: ["Authorization": second]).status == 200)
            // A wrong password, a digest for another URI.
            let wrong = digestAnswer(
                challenge: challenge, method: "GET", uri: uri, user: "admin", password: "admin", nc: "00000003")
            #expect(try await client.get(uri, headers: ["Authorization": wrong]).status == 401)
            let elsewhere = digestAnswer(
                challenge: challenge, method: "GET", uri: "/api/relay/status", user: "admin", password: "httpapi", nc: "00000004")
            #expect(try await client.get(uri, headers: ["Authorization": elsewhere]).status == 401)
            // A nonce we never issued.
            let forged = digestAnswer(
                challenge: #"Digest realm="HTTPAPI", nonce="00112233445566778899aabbccddeeff""#, method: "GET", uri: uri,
                user: "admin", password: "httpapi")
            #expect(try await client.get(uri, headers: ["Authorization": forged]).status == 401)

            clock.advance(by: 301)
            let late = digestAnswer(
                challenge: challenge, method: "GET", uri: uri, user: "admin", password: "httpapi", nc: "00000005")
            let stale = try await client.get(uri, headers: ["Authorization": late])
            #expect(stale.status == 401)
            #expect(stale.header("WWW-Authenticate")?.contains("stale=true") == true)
        }
        #expect(try await Self.remoteOpens(fixture) == [1, 1])
    }

    @Test("Basic: right credentials pass, wrong ones get a Basic challenge")
    func basicAuth() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, Self.secret)) { (client: HTTPClient) async throws -> Void in
            #expect(try await client.get("/api/relay/status", headers: ["Authorization": basic("admin", "s3cret")]).status == 200)
            let refused = try await client.get("/api/relay/status", headers: ["Authorization": basic("admin", "s3cre")])
            #expect(refused.status == 401)
            #expect(refused.header("WWW-Authenticate") == "Basic realm=\"HTTPAPI\"")
            #expect(try await client.get("/api/relay/status", headers: ["Authorization": basic("root", "s3cret")]).status == 401)
        }
    }

    // MARK: Allowlist

    @Test("allowlist: the listed address passes, others get 403; without a client address it fails closed")
    func allowlist() async throws {
        let fixture = try Fixture()
        for (list, expected) in [(["127.0.0.1"], 200), (["10.0.0.9"], 403), (["::ffff:127.0.0.1"], 200)] {
            let router = Router(context: AddressedContext.self)
            AkuvoxRoutes.add(
                to: router, site: fixture.site, settings: AkuvoxAPISettings(enabled: true, auth: .allowlist, allowlist: list),
                directory: try .inMemory(), clock: fixture.clock)
            try await withServer(router) { (client: HTTPClient) async throws -> Void in
                let reply = try await client.get("/api/relay/status")
                #expect(reply.status == expected, "\(list)")
                if expected == 403 { #expect(reply.header("WWW-Authenticate") == nil) }
            }
        }
        // A context that carries no client address fails closed.
        let basicContext = Router(context: BasicRequestContext.self)
        AkuvoxRoutes.add(
            to: basicContext, site: fixture.site,
            settings: AkuvoxAPISettings(enabled: true, auth: .allowlist, allowlist: ["127.0.0.1"]), directory: try .inMemory(),
            clock: fixture.clock)
        try await withServer(basicContext) { (client: HTTPClient) async throws -> Void in
            #expect(try await client.get("/api/relay/status").status == 403)
        }
    }

    // MARK: Native routes win

    @Test("/api/v1 stays the native API's with the Akuvox API enabled")
    func nativeRoutesWin() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, AkuvoxAPISettings(enabled: true, auth: .none))) {
            (client: HTTPClient) async throws -> Void in
            let doors = try await client.get("/api/v1/doors")
            #expect(doors.status == 200)
            let page = try #require(try JSONSerialization.jsonObject(with: doors.body) as? [String: Any])
            #expect((page["doors"] as? [[String: Any]])?.count == 4)
            let users = try await client.get("/api/v1/users")
            #expect(users.json["users"] != nil)
            let missing = try await client.get("/api/v1/nothing")
            #expect(missing.status == 404)
            #expect(missing.json["error"] as? String == "not_found")
            #expect(missing.retcode == nil)
            let open = try await client.post("/api/v1/doors/2/open", "{}", headers: ["Content-Type": "application/json"])
            #expect(open.json["granted"] as? Bool == true)
            // And the Akuvox API still answers beside it.
            #expect(try await client.get("/api/relay/status").retcode == 0)
        }
    }

    // MARK: JSON API

    @Test("envelope: unknown target or action")
    func unsupported() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, AkuvoxAPISettings(enabled: true, auth: .none))) {
            (client: HTTPClient) async throws -> Void in
            for target in ["/api/system/reboot", "/api/relay/explode"] {
                let reply = try await client.get(target)
                #expect(reply.status == 200)
                #expect(reply.text == #"{"retcode":-1,"action":"unknow","message":"unsupport action"}"#)
            }
            let notJSON = try await client.post("/api/relay/trig", "num=1")
            #expect(notJSON.retcode == -2)
        }
    }

    @Test("relay trig by GET and by POST (text/plain JSON), relay and input status")
    func relays() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, AkuvoxAPISettings(enabled: true, auth: .none))) {
            (client: HTTPClient) async throws -> Void in
            let idle = try await client.get("/api/relay/status")
            #expect(
                idle.text
                    == #"{"retcode":0,"action":"status","message":"OK","data":{"RelayA":0,"RelayB":0,"RelayC":0,"RelayD":0}}"#)
            #expect(
                try await client.get("/api/relay/trig?mode=0&num=1&level=1&delay=5").text
                    == #"{"retcode":0,"action":"trig","message":"OK"}"#)
            let posted = try await client.post(
                "/api/relay/trig", #"{"target":"relay","action":"trig","data":{"mode":0,"num":"2","level":1,"delay":3}}"#,
                headers: ["Content-Type": "text/plain"])
            #expect(posted.retcode == 0)
            let busy = try await client.get("/api/relay/status")
            #expect(busy.data["RelayA"] as? Int == 1)
            #expect(busy.data["RelayB"] as? Int == 1)
            #expect(busy.data["RelayC"] as? Int == 0)

            #expect(try await client.get("/api/relay/trig?num=1&delay=70000").retcode == -2)
            #expect(try await client.get("/api/relay/trig?num=9").retcode == -2)
            let mismatch = try await client.post("/api/relay/trig", #"{"target":"user","action":"trig","data":{}}"#)
            #expect(mismatch.retcode == -2)

            // mode 1 (manual) holds the door, the next manual trig releases it.
            #expect(try await client.get("/api/relay/trig?mode=1&num=3").retcode == 0)
            #expect(try await fixture.site.status(of: 3).isNormalOpen)
            #expect(try await client.get("/api/relay/trig?mode=1&num=3").retcode == 0)
            #expect(try await !fixture.site.status(of: 3).isNormalOpen)

            try await fixture.site.setInput(1, active: true)
            let inputs = try await client.get("/api/input/status")
            #expect(inputs.data["InputA"] as? Int == 1)
            #expect(inputs.data["InputB"] as? Int == 0)
            #expect(inputs.data.count == 8)
        }
        #expect(try await Self.remoteOpens(fixture) == [1, 2])
    }

    @Test("users: add with either schedule-relay spelling, get (paged, filtered), set, del; the result opens doors")
    func users() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, AkuvoxAPISettings(enabled: true, auth: .none))) {
            (client: HTTPClient) async throws -> Void in
            let add = try await client.post(
                "/api/user/add",
                #"""
                {"target":"user","action":"add","data":{"item":[
                  {"UserID":"1001","Name":"Alice","PrivatePIN":"4321","CardCode":"112344;1123","Schedule-Relay":"1001-1;"},
                  {"UserID":"1002","Name":"Bob","CardCode":"5555","ScheduleRelay":"1-12"}]}}
                """#)
            #expect(add.text == #"{"retcode":0,"action":"add","message":"OK"}"#)

            let alice = try await client.get("/api/user/get?NameOrPerID=ali")
            #expect(alice.data["num"] as? Int == 1)
            let item = try #require(alice.items.first)
            #expect(item["UserID"] as? String == "1001")
            #expect(item["CardCode"] as? String == "112344;1123")
            #expect(item["PrivatePIN"] as? String == "4321")
            #expect(item["ScheduleRelay"] as? String == "1001-1;")
            #expect(item["Schedule-Relay"] as? String == "1001-1;")
            // The device assigns row IDs in the order users were added; clients address set and del by them.
            #expect(item["ID"] as? String == "1")
            let bob = try #require(try await client.get("/api/user/get?NameOrPerID=1002").items.first)
            #expect(bob["ScheduleRelay"] as? String == "1-12;")
            #expect(bob["ID"] as? String == "2")

            // Adding again, a bad card, an unknown schedule: refused, and nothing of the batch is stored.
            #expect(
                try await client.post("/api/user/add", #"{"data":{"item":[{"UserID":"1001","Name":"Again"}]}}"#).retcode == -2)
            let badBatch = try await client.post(
                "/api/user/add", #"{"data":{"item":[{"UserID":"2001","Name":"Ok"},{"UserID":"2002","CardCode":"12x!"}]}}"#)
            #expect(badBatch.retcode == -2)
            #expect(badBatch.text.contains("item[1].CardCode"))
            let unknownSchedule = try await client.post(
                "/api/user/add", #"{"data":{"item":[{"UserID":"2003","Name":"Ok"},{"UserID":"2004","Schedule-Relay":"77-1"}]}}"#)
            #expect(unknownSchedule.retcode == -2)
            #expect(await fixture.site.user("2001") == nil)
            #expect(await fixture.site.user("2003") == nil)
            // A user twice in one batch is refused before anything changes (a delete once went half-way).
            let twiceAdded = try await client.post(
                "/api/user/add", #"{"data":{"item":[{"UserID":"2005","Name":"A"},{"UserID":"2005","Name":"B"}]}}"#)
            #expect(twiceAdded.retcode == -2)
            #expect(twiceAdded.text.contains("item[1]: user 2005 is already item[0] of this batch"))
            #expect(await fixture.site.user("2005") == nil)
            let twiceDeleted = try await client.post("/api/user/del", #"{"data":{"item":[{"ID":"2"},{"ID":"2"}]}}"#)
            #expect(twiceDeleted.retcode == -2)
            #expect(await fixture.site.user("1002") != nil)

            let set = try await client.post(
                "/api/user/set",
                #"{"target":"user","action":"set","data":{"item":[{"ID":"1","UserID":"1001","Name":"Alice B"}]}}"#)
            #expect(set.retcode == 0)
            #expect(await fixture.site.user("1001")?.name == "Alice B")
            #expect(await fixture.site.user("1001")?.cards.count == 2)
            #expect(try await client.post("/api/user/set", #"{"data":{"item":[{"ID":"9999","Name":"X"}]}}"#).retcode == -2)

            for pin in 3001...3011 {
                #expect(
                    try await client.post("/api/user/add", #"{"data":{"item":[{"UserID":"\#(pin)","Name":"U\#(pin)"}]}}"#).retcode
                        == 0)
            }
            let page1 = try await client.get("/api/user/get")
            #expect(page1.data["num"] as? Int == 13)
            #expect(page1.items.count == 10)
            let page2 = try await client.get("/api/user/get?page=2")
            #expect(page2.data["curPageNum"] as? Int == 2)
            #expect(page2.items.map { $0["UserID"] as? String } == ["3009", "3010", "3011"])
            let beyond = try await client.get("/api/user/get?page=9223372036854775807")
            #expect(beyond.retcode == 0)
            #expect(beyond.items.isEmpty)
            #expect(try await client.get("/api/doorlog/get?page=9223372036854775807").retcode == 0)

            let lastID = try #require(page2.items.last?["ID"] as? String)
            // As pylocal-akuvox sends it: every write to /api/user/set, the action in the body.
            let deleted = try await client.post(
                "/api/user/set", #"{"target":"user","action":"del","data":{"item":[{"ID":"\#(lastID)"}]}}"#)
            #expect(deleted.retcode == 0)
            #expect(await fixture.site.user("3011") == nil)
            #expect(try await client.post("/api/user/del", #"{"data":{"item":[{"ID":"\#(lastID)"}]}}"#).retcode == -2)
            // A UserID cannot be changed through set, a PIN must have 4–8 digits: refused by field name.
            let renamed = try await client.post(
                "/api/user/set", #"{"action":"set","data":{"item":[{"ID":"1","UserID":"4444"}]}}"#)
            #expect(renamed.text.contains("item[0].UserID"))
            let shortPIN = try await client.post(
                "/api/user/set", #"{"action":"set","data":{"item":[{"ID":"1","PrivatePIN":"12"}]}}"#)
            #expect(shortPIN.retcode == -2)
            #expect(shortPIN.text.contains("item[0].PrivatePIN"))
            let badRelay = try await client.post(
                "/api/user/set", #"{"action":"set","data":{"item":[{"ID":"1","ScheduleRelay":"1001-x"}]}}"#)
            #expect(badRelay.text.contains("item[0].ScheduleRelay"))
            #expect(await fixture.site.user("1001")?.privatePIN == "4321")
        }
        // 1001-1: Alice's card opens door 1 (relay 1) only.
        let card = try CardNumber(decimal: "112344")
        #expect(await fixture.site.present(.card(card), at: 1).isGranted)
        #expect(await !fixture.site.present(.card(card), at: 2).isGranted)
        #expect(await fixture.site.present(.card(try CardNumber(decimal: "5555")), at: 2).isGranted)
    }

    @Test("schedules: get shows the built-ins, add/set/del custom ones; a user can reference them")
    func schedules() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, AkuvoxAPISettings(enabled: true, auth: .none))) {
            (client: HTTPClient) async throws -> Void in
            let builtIn = try await client.get("/api/schedule/get")
            #expect(builtIn.items.map { $0["ID"] as? String } == ["1001", "1002", "1"])
            #expect(builtIn.items.first?["TimeEnd"] as? String == "23:59")

            let weekly = #"""
                {"target":"schedule","action":"add","data":{"item":[{"ID":"5","Name":"Office","Type":"1","Mon":"1","Tue":"1",
                 "Wed":"1","Thu":"1","Fri":"1","Sat":"0","Sun":"0","TimeStart":"08:00","TimeEnd":"18:00"}]}}
                """#
            #expect(try await client.post("/api/schedule/add", weekly).retcode == 0)
            #expect(try await client.post("/api/schedule/add", weekly).retcode == -2)
            let range = #"""
                {"data":{"item":[{"ID":"6","Name":"Event","Type":"0","DateStart":"20260101","DateEnd":"20260131",
                 "TimeStart":"09:00","TimeEnd":"17:00"}]}}
                """#
            #expect(try await client.post("/api/schedule/add", range).retcode == 0)
            let listed = try await client.get("/api/schedule/get")
            let office = try #require(listed.items.first { $0["ID"] as? String == "5" })
            #expect(office["Type"] as? String == "1")
            #expect(office["Mon"] as? String == "1")
            #expect(office["Sun"] as? String == "0")
            #expect(office["TimeStart"] as? String == "08:00")
            let event = try #require(listed.items.first { $0["ID"] as? String == "6" })
            #expect(event["Type"] as? String == "0")
            #expect(event["DateStart"] as? String == "20260101")
            #expect(event["DateEnd"] as? String == "20260131")

            #expect(
                try await client.post(
                    "/api/schedule/set", #"{"data":{"item":[{"ID":"5","Type":"2","TimeStart":"07:00","TimeEnd":"19:00"}]}}"#
                ).retcode == 0)
            #expect(try await client.post("/api/schedule/add", #"{"data":{"item":[{"ID":"1001","Type":"2"}]}}"#).retcode == -2)
            #expect(
                try await client.post(
                    "/api/schedule/add", #"{"data":{"item":[{"ID":"7","Type":"2","TimeStart":"18:00","TimeEnd":"08:00"}]}}"#
                ).retcode == -2)

            // 2026-01-01 10:00 UTC is a Thursday: schedule 5 (07:00–19:00 daily) is active.
            #expect(
                try await client.post(
                    "/api/user/add", #"{"data":{"item":[{"UserID":"1","CardCode":"42","Schedule-Relay":"5-1"}]}}"#
                ).retcode == 0)
            #expect(await fixture.site.present(.card(CardNumber(42)), at: 1).isGranted)
            // Deleting a schedule still in use is allowed; the user's authorisation then fails closed.
            #expect(try await client.post("/api/schedule/del", #"{"data":{"item":[{"ID":"5"}]}}"#).retcode == 0)
            #expect(await !fixture.site.present(.card(CardNumber(42)), at: 1).isGranted)
            #expect(try await client.post("/api/schedule/del", #"{"data":{"item":[{"ID":"5"}]}}"#).retcode == -2)
            // A batch the site refuses part of (1002 is built in) deletes none of it.
            #expect(try await client.post("/api/schedule/del", #"{"data":{"item":[{"ID":"6"},{"ID":"1002"}]}}"#).retcode == -2)
            #expect(await fixture.site.timezones.contains { $0.id == TimezoneID(6) })
            #expect(try await client.post("/api/schedule/del", #"{"data":{"item":[{"ID":"6"},{"ID":"6"}]}}"#).retcode == -2)
            #expect(try await client.post("/api/schedule/del", #"{"data":{"item":[{"ID":"6"}]}}"#).retcode == 0)
            #expect(try await client.post("/api/schedule/del", #"{"data":{"item":[{"ID":"1002"}]}}"#).retcode == -2)
        }
    }

    @Test("doorlog: verifications and remote opens, newest first, Type and Status as Akuvox numbers them")
    func doorlog() async throws {
        let fixture = try Fixture(users: [
            User(
                pin: "7", name: "Carol", cards: [Card(number: CardNumber(777))],
                authorisations: [Authorisation(timezone: 1, doors: DoorMask([1]))])
        ])
        _ = await fixture.site.present(.card(CardNumber(777)), at: 1)
        _ = await fixture.site.present(.card(CardNumber(888)), at: 1)
        fixture.clock.advance(by: 10)
        try await fixture.site.open(door: 2, by: .api())
        try await withServer(Self.router(fixture, AkuvoxAPISettings(enabled: true, auth: .none))) {
            (client: HTTPClient) async throws -> Void in
            let log = try await client.get("/api/doorlog/get")
            #expect(log.data["num"] as? Int == 3)
            let items = log.items
            #expect(items.map { $0["Status"] as? String } == ["0", "1", "0"])
            #expect(items.map { $0["Type"] as? String } == ["0", "1", "1"])
            #expect(items[1]["Code"] as? String == "888")
            #expect(items[2]["Name"] as? String == "Carol")
            #expect(items[2]["Date"] as? String == "2026-01-01")
            #expect(items[2]["Time"] as? String == "10:00:00")
            #expect(items[0]["Relay"] as? String == "2")
        }
    }
}
