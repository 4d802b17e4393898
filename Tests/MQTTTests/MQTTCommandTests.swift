import AccessControl
import Foundation
import Testing

@testable import MQTT

@Suite("MQTT commands: what a command topic's payload means, and what it refuses")
struct MQTTCommandTests {
    static let prefix = "gatehouse/home"

    @Test(
        "accepted commands",
        arguments: [
            ("gatehouse/home/door/1/set", "OPEN", MQTTCommand(target: .door(DoorID(1)), verb: .open)),
            ("gatehouse/home/door/2/set", " open\n", MQTTCommand(target: .door(DoorID(2)), verb: .open)),
            ("gatehouse/home/door/3/set", "NORMAL_OPEN", MQTTCommand(target: .door(DoorID(3)), verb: .normalOpen)),
            ("gatehouse/home/door/4/set", "close", MQTTCommand(target: .door(DoorID(4)), verb: .close)),
            ("gatehouse/home/door/1/set", "LOCK", MQTTCommand(target: .door(DoorID(1)), verb: .lock)),
            ("gatehouse/home/door/1/set", "UNLOCK", MQTTCommand(target: .door(DoorID(1)), verb: .unlock)),
            ("gatehouse/home/door/1/set", "CLEAR_ALARM", MQTTCommand(target: .door(DoorID(1)), verb: .clearAlarm)),
            (
                "gatehouse/home/door/1/set", #"{"command": "OPEN", "seconds": 7, "id": "ha-1"}"#,
                MQTTCommand(target: .door(DoorID(1)), verb: .open, seconds: 7, id: "ha-1")
            ),
            ("gatehouse/home/relay/5/set", "ON", MQTTCommand(target: .relay(RelayID(5)), verb: .on)),
            ("gatehouse/home/relay/5/set", #"{"command":"off"}"#, MQTTCommand(target: .relay(RelayID(5)), verb: .off)),
        ])
    func accepted(topic: String, payload: String, expected: MQTTCommand) throws {
        #expect(try MQTTCommand.parse(topic: topic, payload: Data(payload.utf8), prefix: Self.prefix) == expected)
    }

    @Test(
        "refused payloads name what is wrong",
        arguments: [
            ("gatehouse/home/door/1/set", "", "empty payload"),
            ("gatehouse/home/door/1/set", "   ", "empty payload"),
            ("gatehouse/home/door/1/set", "DANCE", "unknown door command 'DANCE'"),
            ("gatehouse/home/door/1/set", "ON", "unknown door command 'ON'"),
            ("gatehouse/home/relay/1/set", "OPEN", "unknown relay command 'OPEN'"),
            ("gatehouse/home/door/1/set", "{", "not a JSON object"),
            ("gatehouse/home/door/1/set", "[1]", "unknown door command '[1]'"),
            ("gatehouse/home/door/1/set", #"{"seconds": 5}"#, "without a \"command\""),
            ("gatehouse/home/door/1/set", #"{"command": "OPEN", "seconds": 0}"#, "1 to 65535"),
            ("gatehouse/home/door/1/set", #"{"command": "OPEN", "seconds": 1.5}"#, "1 to 65535"),
            ("gatehouse/home/door/1/set", #"{"command": "OPEN", "seconds": "5"}"#, "1 to 65535"),
            ("gatehouse/home/door/1/set", #"{"command": "CLOSE", "seconds": 5}"#, "OPEN only"),
            ("gatehouse/home/door/1/set", #"{"command": "OPEN", "id": ""}"#, "\"id\""),
            ("gatehouse/home/door/1/set", #"{"command": "OPEN", "door": 2}"#, "unknown field \"door\""),
            ("gatehouse/home/door/0/set", "OPEN", "'0' is not a door number"),
            ("gatehouse/home/door/x/set", "OPEN", "'x' is not a door number"),
            ("gatehouse/home/door/70000/set", "OPEN", "'70000' is not a door number"),
            ("gatehouse/home/door/1/get", "OPEN", "not a command topic"),
            ("gatehouse/other/door/1/set", "OPEN", "not a command topic"),
        ])
    func refused(topic: String, payload: String, reason: String) {
        #expect {
            try MQTTCommand.parse(topic: topic, payload: Data(payload.utf8), prefix: Self.prefix)
        } throws: { error in
            (error as? MQTTCommand.Refusal)?.reason.contains(reason) == true
        }
    }

    @Test("a payload that is not UTF-8, or too long, is refused")
    func bytes() {
        #expect(throws: MQTTCommand.Refusal.self) {
            try MQTTCommand.parse(topic: "gatehouse/home/door/1/set", payload: Data([0xFF, 0xFE]), prefix: Self.prefix)
        }
        #expect(throws: MQTTCommand.Refusal.self) {
            try MQTTCommand.parse(
                topic: "gatehouse/home/door/1/set", payload: Data(String(repeating: " ", count: 5000).utf8), prefix: Self.prefix)
        }
    }

    @Test("random payloads never crash the parser and are either a command or a refusal")
    func fuzz() {
        var state: UInt64 = 0x5EED
        let alphabet = Array(#"{}[]":,0123456789 OPENCLOSELOCKcommandsecondsid\#u{00}\#u{FF}é"#.utf8)
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 58)
            var bytes: [UInt8] = []
            for index in 0..<length {
                bytes.append(alphabet[Int((state >> UInt64(index % 50)) % UInt64(alphabet.count))])
            }
            _ = try? MQTTCommand.parse(topic: "gatehouse/home/door/1/set", payload: Data(bytes), prefix: Self.prefix)
        }
    }

    @Test("command topics and their subscriptions")
    func topics() {
        #expect(MQTTCommand.subscriptions(prefix: Self.prefix) == ["gatehouse/home/door/+/set", "gatehouse/home/relay/+/set"])
        for pattern in MQTTCommand.subscriptions(prefix: Self.prefix) { #expect(MQTTClient.isValidSubscription(pattern)) }
        #expect(MQTTClient.topic("gatehouse/home/door/12/set", matches: "gatehouse/home/door/+/set"))
        #expect(!MQTTClient.topic("gatehouse/home/door/12/state", matches: "gatehouse/home/door/+/set"))
        #expect(MQTTCommand.isCommandTopic("gatehouse/home/relay/3/set", prefix: Self.prefix))
        #expect(!MQTTCommand.isCommandTopic("gatehouse/home/relay/3/set/x", prefix: Self.prefix))
    }
}

@Suite("MQTT settings: the broker URL and what goes with it")
struct MQTTSettingsTests {
    func settings(_ broker: String?, _ change: (inout MQTTSettings) -> Void = { _ in }) -> MQTTSettings {
        var settings = MQTTSettings()
        settings.enabled = true
        settings.broker = broker
        change(&settings)
        return settings
    }

    @Test(
        "brokers",
        arguments: [
            ("mqtt://10.0.0.2", "10.0.0.2", 1883, false),
            ("mqtt://broker.local:1884", "broker.local", 1884, false),
            ("mqtts://broker.local", "broker.local", 8883, true),
            ("MQTT://127.0.0.1:11883", "127.0.0.1", 11883, false),
        ])
    func brokers(url: String, host: String, port: Int, tls: Bool) throws {
        let endpoint = try settings(url).endpoint(site: "home", will: nil).get()
        #expect(endpoint.host == host)
        #expect(endpoint.port == port)
        #expect(endpoint.tls == tls)
        #expect(endpoint.clientID == "gatehouse-home")
    }

    @Test(
        "refused settings name the key",
        arguments: [
            (nil, "broker"), ("http://x", "broker"), ("mqtt://", "broker"), ("mqtt://x/y", "broker"), ("mqtt://u:p@x", "broker"),
            ("mqtt://x:0", "broker"),
        ])
    func refusedBrokers(url: String?, key: String) {
        guard case .failure(let problem) = settings(url).endpoint(site: "home", will: nil) else {
            Issue.record("accepted \(url ?? "nil")")
            return
        }
        #expect(problem.key == key)
    }

    @Test("topic prefix, CA file and password without user are checked")
    func otherKeys() {
        func key(_ change: (inout MQTTSettings) -> Void) -> String? {
            if case .failure(let problem) = settings("mqtt://x", change).endpoint(site: "home", will: nil) { return problem.key }
            return nil
        }
        #expect(key { $0.topicPrefix = "a/+/b" } == "topic_prefix")
        #expect(key { $0.topicPrefix = "a/" } == "topic_prefix")
        #expect(key { $0.tlsCA = "/etc/hostname" } == "tls_ca")
        #expect(key { $0.password = "secret" } == "password")
        #expect(key { $0.discoveryPrefix = "#" } == "discovery_prefix")
        #expect(key { $0.topicPrefix = "site/one" } == nil)
        #expect(settings("mqtt://x").prefix(site: "home") == "gatehouse/home")
        #expect(MQTTSettings.siteName(siteDirectory: URL(fileURLWithPath: "/srv/my site")) == "my_site")
        #expect(MQTTSettings.siteName(siteDirectory: nil) == "gatehouse")
    }
}
