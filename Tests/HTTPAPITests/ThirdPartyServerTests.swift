import AccessControl
import Foundation
import Hummingbird
import PushProtocol
import Storage
import Testing

@testable import HTTPAPI

/// Gatehouse as the third-party verification server; the tests play the Akuvox door with the seed's URL formats.
@Suite("Third-party verification server")
struct ThirdPartyServerTests {
    static let alice = User(
        pin: "1001", name: "Alice", privatePIN: "4321", cards: [Card(number: CardNumber(123456))],
        qrTokens: [QRToken("VISITOR-7F3A", validity: DateWindow(end: Date(timeIntervalSince1970: 1_800_000_000)))],
        authorisations: [Authorisation(timezone: 1, doors: DoorMask([1, 2]))])

    static let settings = ThirdPartyServerSettings(enabled: true, devices: ["1": 1, "gate-B": 2, "garage": 3])

    static func router(_ fixture: Fixture, _ settings: ThirdPartyServerSettings = settings) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // Beside the Akuvox API: /api/visitor/scan must win over /api/{target}/{action}.
        AkuvoxRoutes.add(to: router, site: fixture.site, settings: AkuvoxAPISettings(enabled: true, auth: .none), directory: try! .inMemory(), clock: fixture.clock)
        ThirdPartyRoutes.add(to: router, site: fixture.site, settings: settings)
        return router
    }

    struct DeviceCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// What the door sends, braces percent-encoded as a URL library would.
        var target: String
        var status: Int
        var reply: String
        var door: Int?
        var granted: Bool?
        var testDescription: String { name }
    }

    static let cases: [DeviceCase] = [
        DeviceCase(
            name: "Customize: card swiped (the seed's example)", target: "/api/visitor/scan?codeKey=%7BQRCode%7D/123456/%7BPin%7D&deviceId=1",
            status: 200, reply: "success", door: 1, granted: true),
        DeviceCase(
            name: "Customize: PIN entered", target: "/api/visitor/scan?codeKey=%7BQRCode%7D/%7BCard%7D/4321&deviceId=gate-B",
            status: 200, reply: "success", door: 2, granted: true),
        DeviceCase(
            name: "Customize: QR code scanned", target: "/api/visitor/scan?codeKey=VISITOR-7F3A/%7BCard%7D/%7BPin%7D&deviceId=1",
            status: 200, reply: "success", door: 1, granted: true),
        DeviceCase(
            name: "General: QR code alone", target: "/api/visitor/scan?codeKey=VISITOR-7F3A&deviceId=gate-B",
            status: 200, reply: "success", door: 2, granted: true),
        DeviceCase(
            name: "unknown card", target: "/api/visitor/scan?codeKey=%7BQRCode%7D/999/%7BPin%7D&deviceId=1",
            status: 200, reply: "failed", door: 1, granted: false),
        DeviceCase(
            name: "door without authorisation", target: "/api/visitor/scan?codeKey=%7BQRCode%7D/123456/%7BPin%7D&deviceId=garage",
            status: 200, reply: "failed", door: 3, granted: false),
        DeviceCase(
            name: "unknown device", target: "/api/visitor/scan?codeKey=%7BQRCode%7D/123456/%7BPin%7D&deviceId=9",
            status: 403, reply: "failed"),
        DeviceCase(
            name: "two credentials at once", target: "/api/visitor/scan?codeKey=%7BQRCode%7D/123456/4321&deviceId=1",
            status: 400, reply: "failed"),
        DeviceCase(name: "no codeKey", target: "/api/visitor/scan?deviceId=1", status: 400, reply: "failed"),
    ]

    @Test("the door asks, Gatehouse decides, journals with the device id and answers the configured string", arguments: cases)
    func device(_ example: DeviceCase) async throws {
        let fixture = try Fixture(users: [Self.alice])
        try await withServer(Self.router(fixture)) { (client: HTTPClient) async throws -> Void in
            let reply = try await client.get(example.target)
            #expect(reply.status == example.status)
            #expect(reply.text == example.reply)
        }
        let entries = try await fixture.entries()
        if let door = example.door {
            let entry = try #require(entries.last)
            #expect(entry.door?.rawValue == door)
            #expect(entry.source.description.hasSuffix("akuvox-device:\(example.target.split(separator: "=").last ?? "")"))
            #expect((PushEventClass(code: entry.event) == .normal) == example.granted)
        } else {
            #expect(entries.isEmpty)
        }
    }

    struct Refuser: DecisionAdvisor {
        func advise(_ request: DecisionRequest, builtIn: Decision) async -> Verdict? { .deny(.refusedByScript) }
    }

    @Test("the site script's verdict applies, as for PUSH remote identification")
    func advisor() async throws {
        let fixture = try Fixture(users: [Self.alice])
        await fixture.site.setAdvisor(Refuser())
        try await withServer(Self.router(fixture)) { (client: HTTPClient) async throws -> Void in
            #expect(try await client.get("/api/visitor/scan?codeKey=%7BQRCode%7D/123456/%7BPin%7D&deviceId=1").text == "failed")
        }
    }

    @Test("path, parameter names and reply strings are configurable; POST works too; Akuvox API still answers beside it")
    func configurable() async throws {
        let fixture = try Fixture(users: [Self.alice])
        let custom = ThirdPartyServerSettings(
            enabled: true, path: "/verify/akuvox", codeParameter: "code", deviceParameter: "dev",
            successReply: #"{"result":"open"}"#, failureReply: #"{"result":"deny"}"#, devices: ["lobby": 1])
        try await withServer(Self.router(fixture, custom)) { (client: HTTPClient) async throws -> Void in
            #expect(try await client.get("/verify/akuvox?code=%7BQRCode%7D/123456/%7BPin%7D&dev=lobby").text == #"{"result":"open"}"#)
            #expect(try await client.post("/verify/akuvox?code=%7BQRCode%7D/1/%7BPin%7D&dev=lobby", "").text == #"{"result":"deny"}"#)
            #expect(try await client.get("/api/visitor/scan?codeKey=x&deviceId=lobby").retcode == -1)
            #expect(try await client.get("/api/relay/status").retcode == 0)
        }
    }

    @Test(
        "codeKey forms",
        arguments: [
            ("{QRCode}/123456/{Pin}", Credential.card(CardNumber(123456))),
            ("{QRCode}/{Card}/4321", Credential.pin("4321")),
            ("abc/def/{Card}/{Pin}", Credential.qrCode("abc/def")),
            ("TOKEN", Credential.qrCode("TOKEN")),
            ("//4321", Credential.pin("4321")),
            ("{QRCode}/0A1B2C/{Pin}", Credential.card(CardNumber(0x0A1B2C))),
        ])
    func codeKey(_ code: String, _ expected: Credential) {
        #expect(ThirdPartyRoutes.credential(fromCode: code) == expected)
    }

    @Test("codeKey forms without exactly one credential", arguments: ["{QRCode}", "{QRCode}/{Card}/{Pin}", "a/1/2", "", "{QRCode}/{Card}/12a4"])
    func badCodeKey(_ code: String) {
        #expect(ThirdPartyRoutes.credential(fromCode: code) == nil)
    }

    @Test("settings validation names the key")
    func validation() {
        func key(_ settings: ThirdPartyServerSettings) -> String? {
            do {
                try settings.validate()
                return nil
            } catch { return error.key }
        }
        #expect(key(ThirdPartyServerSettings(enabled: false)) == nil)
        #expect(key(Self.settings) == nil)
        #expect(key(ThirdPartyServerSettings(enabled: true)) == "third_party_server.devices")
        #expect(key(ThirdPartyServerSettings(enabled: true, path: "/api/v1/scan", devices: ["1": 1])) == "third_party_server.path")
        #expect(key(ThirdPartyServerSettings(enabled: true, path: "scan", devices: ["1": 1])) == "third_party_server.path")
        #expect(key(ThirdPartyServerSettings(enabled: true, successReply: "ok", failureReply: "not ok", devices: ["1": 1])) == "third_party_server.failure_reply")
        #expect(key(ThirdPartyServerSettings(enabled: true, devices: ["1": 0])) == "third_party_server.devices.1")
    }
}
