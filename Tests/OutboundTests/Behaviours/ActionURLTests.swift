import Foundation
import Testing
@testable import Outbound

@Suite("Action URLs: $variable substitution and code masking")
struct ActionURLTests {
    let context = ActionURLContext(
        mac: "0C:11:05:00:AA:BB", ip: "192.168.1.20", model: "Gatehouse", firmware: "1.0.0", relayStatus: [1: 1, 2: 0],
        inputStatus: [1: 0, 2: 1], cardSN: "00112233", code: "4711", user: "Ana Lima", door: "front",
        time: Date(timeIntervalSince1970: 1_800_000_000), event: "valid_card")

    @Test(arguments: [
        ("http://10.0.0.9/relaytrigger=$relay1status", "http://10.0.0.9/relaytrigger=1"),
        ("http://10.0.0.9/r?a=$relay2status&b=$input2status&c=$input1status", "http://10.0.0.9/r?a=0&b=1&c=0"),
        ("http://10.0.0.9/card?sn=$card_sn&mac=$mac", "http://10.0.0.9/card?sn=00112233&mac=0C%3A11%3A05%3A00%3AAA%3ABB"),
        ("http://10.0.0.9/u?name=$user&door=$door&ip=$ip", "http://10.0.0.9/u?name=Ana%20Lima&door=front&ip=192.168.1.20"),
        ("http://10.0.0.9/t?at=$time&e=$event", "http://10.0.0.9/t?at=2027-01-15T08%3A00%3A00Z&e=valid_card"),
        ("http://10.0.0.9/m?$model-$firmware", "http://10.0.0.9/m?Gatehouse-1.0.0"),
        ("http://10.0.0.9/p?code=$code", "http://10.0.0.9/p?code=****"),
        ("http://10.0.0.9/x?$unknown&$", "http://10.0.0.9/x?$unknown&$"),
        ("http://10.0.0.9/x?price=5$", "http://10.0.0.9/x?price=5$"),
    ])
    func substitution(template: String, expected: String) {
        #expect(TemplateRenderer().render(template, context) == expected)
    }

    @Test func codesAreRevealedOnlyWhenTheSiteOptsIn() {
        #expect(TemplateRenderer(revealCodes: true).render("c=$code", context) == "c=4711")
        let settings = ActionURLSettings(templates: [.validCode: "10.0.0.9/code=$code"], revealCodes: false)
        #expect(settings.request(for: .validCode, context: context)?.url == "http://10.0.0.9/code=****")
    }

    @Test func eventsWithoutTemplateOrDisabledSendNothing() {
        let settings = ActionURLSettings(templates: [.validCard: "http://10.0.0.9/$card_sn"])
        #expect(settings.request(for: .invalidCard, context: context) == nil)
        var disabled = settings
        disabled.enabled = false
        #expect(disabled.request(for: .validCard, context: context) == nil)
        #expect(settings.request(for: .validCard, context: context)?.method == "GET")
    }

    @Test func deliveredWithDigestThroughTheOutbox() async throws {
        let peer = try await Peer.launch("http_peer.py", ["--user", "hook", "--password", "pw"])
        defer { peer.stop() }
        let (database, _) = try makeOutboxDatabase()
        let outbox = Outbox(database: database, performer: TransportPerformer(transport: try Transport()), clock: ManualClock())
        let settings = ActionURLSettings(
            templates: [.relayTriggered: "http://127.0.0.1:\(peer.port)/digest/relaytrigger=$relay1status&door=$door"],
            authentication: HTTPAuthentication(.digest, user: "hook", password: "pw"))
        let request = try #require(settings.request(for: .relayTriggered, context: context))
        let attempt = try await outbox.deliver(.http(request), source: "action-url relay_triggered")
        #expect(attempt.state == .delivered)
        #expect(try await peer.recordedRequests().first?["path"] as? String == "/relaytrigger=1&door=front")
    }
}

@Suite("Settings round-trip as configuration JSON")
struct SettingsCodingTests {
    @Test func actionURLTemplatesAreKeyedByEventName() throws {
        let settings = ActionURLSettings(templates: [.validCard: "http://10.0.0.9/$card_sn"])
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        #expect(json.contains(#""valid_card":"http:\/\/10.0.0.9\/$card_sn""#))
        #expect(try JSONDecoder().decode(ActionURLSettings.self, from: Data(json.utf8)) == settings)
    }
}
