import Foundation
import Testing
@testable import Outbound

@Suite("Web relays: presets, resolution, permissions")
struct WebRelayTests {
    struct PresetCase: Sendable, CustomTestStringConvertible {
        var preset: WebRelayPreset
        var command: WebRelayCommand
        var method: String
        var url: String
        var body: String?
        var testDescription: String { "\(preset) \(command)" }
    }

    /// The command forms of research §4.
    static let presets: [PresetCase] = [
        .init(preset: .controlByWeb, command: .pulse(seconds: 5), method: "GET", url: "state.xml?relayState=2&pulseTime=5"),
        .init(preset: .controlByWeb, command: .toggle, method: "GET", url: "state.xml?relayState=5"),
        .init(preset: .controlByWebMulti(relay: 1), command: .pulse(seconds: 5), method: "GET", url: "state.xml?relay1State=2&pulseTime1=5"),
        .init(preset: .twoNExternalRelay, command: .on, method: "GET", url: "state.xml?relayState=1"),
        .init(preset: .twoN(switch: 1), command: .pulse(seconds: 3), method: "GET", url: "api/switch/ctrl?switch=1&action=trigger"),
        .init(preset: .shellyGen1(channel: 0), command: .pulse(seconds: 5), method: "GET", url: "relay/0?turn=on&timer=5"),
        .init(preset: .shellyGen1(channel: 0), command: .off, method: "GET", url: "relay/0?turn=off"),
        .init(preset: .shellyGen2(switch: 0), command: .pulse(seconds: 5), method: "POST", url: "rpc",
              body: #"{"id":1,"method":"Switch.Set","params":{"id":0,"on":true,"toggle_after":5}}"#),
        .init(preset: .doorBird(relay: "1"), command: .pulse(seconds: 1), method: "GET", url: "bha-api/open-door.cgi?r=1"),
        .init(preset: .doorBird(relay: "gggaaa@1"), command: .pulse(seconds: 1), method: "GET", url: "bha-api/open-door.cgi?r=gggaaa@1"),
        .init(preset: .axis(port: 1), command: .pulse(seconds: 2), method: "GET", url: "axis-cgi/io/port.cgi?action=1:%2F2000%5C"),
        .init(preset: .hikvision(door: 1), command: .pulse(seconds: 1), method: "PUT", url: "ISAPI/AccessControl/RemoteControl/door/1",
              body: "<RemoteControlDoor><cmd>open</cmd></RemoteControlDoor>"),
        .init(preset: .dahua(channel: 1), command: .pulse(seconds: 1), method: "GET",
              url: "cgi-bin/accessControl.cgi?action=openDoor&channel=1&Type=Remote"),
        .init(preset: .akuvox(door: 1), command: .pulse(seconds: 1), method: "GET", url: "fcgi/OpenDoor?action=OpenDoor&DoorNum=1"),
    ]

    @Test(arguments: presets)
    func presetCommands(_ example: PresetCase) throws {
        let action = try example.preset.action(id: 7, example.command)
        #expect(action.id == 7)
        #expect(action.method == example.method)
        #expect(action.url == example.url)
        #expect(action.body == example.body)
    }

    @Test func presetsSayWhichAuthenticationTheyExpect() {
        #expect(WebRelayPreset.shellyGen2(switch: 0).authentication == .digest)
        #expect(WebRelayPreset.hikvision(door: 1).authentication == .digest)
        #expect(WebRelayPreset.controlByWeb.authentication == .basic)
    }

    @Test func unsupportedCommandsAreErrors() {
        #expect(throws: WebRelayPreset.Unsupported.self) { try WebRelayPreset.doorBird(relay: "1").action(id: 1, .toggle) }
        #expect(throws: WebRelayPreset.Unsupported.self) { try WebRelayPreset.hikvision(door: 1).action(id: 1, .toggle) }
    }

    @Test func absoluteURLIsUsedAsIsWithItsOwnCredentials() throws {
        let settings = WebRelaySettings(
            type: .webRelayOnly, address: "10.0.0.5", user: "x", password: "y",
            actions: [WebRelayAction(id: 1, url: "http://admin:admin@192.168.1.2/state.xml?relayState=2")])
        let request = try settings.request(forAction: 1)
        #expect(request.url == "http://192.168.1.2/state.xml?relayState=2")
        #expect(request.authentication == HTTPAuthentication(.any, user: "admin", password: "admin"))
    }

    @Test(arguments: [
        ("192.168.1.2", "state.xml?relayState=2", "http://192.168.1.2/state.xml?relayState=2"),
        ("192.168.1.2:8080", "/relay/0?turn=on", "http://192.168.1.2:8080/relay/0?turn=on"),
        ("https://relay.local/", "rpc", "https://relay.local/rpc"),
    ])
    func relativeURLResolvesAgainstTheConfiguredAddress(address: String, relative: String, expected: String) throws {
        let settings = WebRelaySettings(type: .webRelayOnly, address: address, user: "admin", password: "pw",
                                        authentication: .digest, actions: [WebRelayAction(id: 3, url: relative)])
        let request = try settings.request(forAction: 3)
        #expect(request.url == expected)
        #expect(request.authentication == HTTPAuthentication(.digest, user: "admin", password: "pw"))
    }

    @Test func blankPasswordMeansNoAuthentication() throws {
        let settings = WebRelaySettings(address: "192.168.1.2", user: "admin", password: "", actions: [WebRelayAction(id: 1, url: "x")])
        #expect(try settings.request(forAction: 1).authentication == nil)
    }

    @Test func configurationProblemsAreListed() {
        let many = (1...51).map { WebRelayAction(id: min($0, 50), url: "state.xml") }
        let problems = WebRelaySettings(address: "1.2.3.4", actions: many).problems()
        #expect(problems.contains(.tooManyActions(count: 51)))
        #expect(problems.contains(.duplicateID(50)))
        #expect(WebRelaySettings(actions: [WebRelayAction(id: 0, url: "http://a/b")]).problems() == [.idOutOfRange(0)])
        #expect(WebRelaySettings(actions: [WebRelayAction(id: 2, url: "state.xml")]).problems() == [.noAddress(id: 2)])
        #expect(throws: WebRelayError.idOutOfRange(51)) { try WebRelaySettings().request(forAction: 51) }
    }

    @Test(arguments: [
        (WebRelayTrigger.card, true), (.dtmf(code: "1234"), true), (.dtmf(code: "9"), false), (.pin, false),
        (.face, false), (.call(caller: "101"), false),
    ])
    func webRelayKeyRestrictsToCardAndDTMF(trigger: WebRelayTrigger, permitted: Bool) {
        #expect(WebRelaySettings(key: "1234").permits(trigger) == permitted)
    }

    @Test(arguments: [
        (WebRelayTrigger.call(caller: "192.168.1.50"), true), (.call(caller: "192.168.1.51"), false), (.card, true), (.pin, true),
    ])
    func extensionRestrictsCallers(trigger: WebRelayTrigger, permitted: Bool) {
        #expect(WebRelaySettings(callExtension: "192.168.1.50").permits(trigger) == permitted)
    }

    @Test(arguments: [
        (WebRelayType.disabled, 1, true, nil), (.webRelayOnly, 1, false, 1), (.localThenWebRelay, 1, true, 1),
        (.localThenWebRelay, 0, true, nil), (.webRelayOnly, 9, false, nil),
    ] as [(WebRelayType, Int, Bool, Int?)])
    func relayTypeDecidesWhatFires(type: WebRelayType, userID: Int, local: Bool, web: Int?) {
        let settings = WebRelaySettings(type: type, address: "a", actions: [WebRelayAction(id: 1, url: "state.xml")])
        let plan = settings.plan(userWebRelayID: userID, trigger: .card)
        #expect(plan.fireLocal == local)
        #expect(plan.webAction == web)
    }
}

@Suite("Web relays fired at a real HTTP server")
struct WebRelayDeliveryTests {
    @Test func shellyGen2WithSHA256DigestAndHikvisionWithDigest() async throws {
        let peer = try await Peer.launch("http_peer.py", ["--user", "admin", "--password", "shelly-pw"])
        defer { peer.stop() }
        let (database, _) = try makeOutboxDatabase()
        let outbox = Outbox(database: database, performer: TransportPerformer(transport: try Transport()), clock: ManualClock())
        let shelly = try WebRelayPreset.shellyGen2(switch: 0).action(id: 1, .pulse(seconds: 5))
        var hikvision = try WebRelayPreset.hikvision(door: 1).action(id: 2, .pulse(seconds: 1))
        hikvision.url = "http://admin:shelly-pw@127.0.0.1:\(peer.port)/digest/" + hikvision.url
        let settings = WebRelaySettings(
            type: .localThenWebRelay, address: "127.0.0.1:\(peer.port)/digest-sha256", user: "admin", password: "shelly-pw",
            authentication: WebRelayPreset.shellyGen2(switch: 0).authentication, actions: [shelly, hikvision])
        let relays = WebRelays(settings: settings, outbox: outbox)
        let first = try await relays.fire(id: 1)
        #expect(first.state == .delivered, "\(first.error ?? "")")
        let second = try await relays.grant(userWebRelayID: 2, trigger: .card)
        #expect(second.fireLocal)
        #expect(second.web?.state == .delivered, "\(second.web?.error ?? "")")

        let recorded = try await peer.recordedRequests()
        #expect(recorded.map { $0["path"] as? String } == ["/rpc", "/ISAPI/AccessControl/RemoteControl/door/1"])
        #expect(recorded.map { $0["method"] as? String } == ["POST", "PUT"])
        let rpc = try JSONSerialization.jsonObject(with: Data(base64Encoded: recorded[0]["body"] as? String ?? "") ?? Data()) as? [String: Any]
        #expect(rpc?["method"] as? String == "Switch.Set")
        let authorization = (recorded[0]["headers"] as? [String: String])?["Authorization"] ?? ""
        #expect(authorization.contains("algorithm=SHA-256"))
    }
}
