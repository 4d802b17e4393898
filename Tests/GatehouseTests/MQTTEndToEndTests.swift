import Foundation
import TestSupport
import Testing

/// `gatehouse run` against a real Mosquitto broker, observed and driven by a real MQTT client (paho-mqtt): what a
/// Home Assistant user sees and does.
@Suite(.serialized)
struct MQTTEndToEndTests {
    /// The Home Assistant MQTT discovery keys each component documents (integrations/lock.mqtt, binary_sensor.mqtt,
    /// event.mqtt, sensor.mqtt, and the shared availability/device keys); Home Assistant refuses a config with
    /// keys outside them ("extra keys not allowed").
    static let commonKeys: Set<String> = [
        "name", "unique_id", "object_id", "device", "availability_topic", "payload_available", "payload_not_available",
        "availability_mode", "qos", "icon", "entity_category", "enabled_by_default", "json_attributes_topic",
        "json_attributes_template", "value_template", "state_topic", "optimistic", "encoding",
    ]
    static let componentKeys: [String: Set<String>] = [
        "lock": [
            "command_topic", "command_template", "payload_lock", "payload_unlock", "payload_open", "payload_reset",
            "state_locked", "state_unlocked", "state_jammed", "state_open", "state_opening", "state_locking",
            "state_unlocking", "retain", "code_format",
        ],
        "binary_sensor": ["device_class", "payload_on", "payload_off", "off_delay", "expire_after", "force_update"],
        "event": ["event_types", "device_class"],
        "sensor": ["device_class", "unit_of_measurement", "state_class", "expire_after", "force_update", "suggested_display_precision"],
    ]
    static let requiredKeys: [String: Set<String>] = [
        "lock": ["command_topic", "state_topic", "payload_open", "payload_lock", "payload_unlock", "unique_id"],
        "binary_sensor": ["state_topic", "payload_on", "payload_off", "unique_id", "device_class"],
        "event": ["state_topic", "event_types", "unique_id"],
        "sensor": ["state_topic", "unique_id"],
    ]
    static let deviceClasses: [String: Set<String>] = [
        "binary_sensor": ["door", "connectivity"], "event": ["doorbell"],
    ]

    /// A site folder named `name` (the prefix's `<site>`) holding `main.lua`.
    static func site(named name: String, mainLua: String) throws -> URL {
        let folder = try temporaryDirectory("mqtt-site").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try mainLua.write(to: folder.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        return folder
    }

    static func environment(_ broker: MosquittoBroker, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = ["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": broker.url]
        if let credentials = broker.credentials {
            environment["GATEHOUSE_MQTT_USERNAME"] = credentials.user
            environment["GATEHOUSE_MQTT_PASSWORD"] = credentials.password
        }
        if broker.tls { environment["GATEHOUSE_MQTT_TLS_CA"] = broker.caFile.path }
        return environment.merging(extra) { _, given in given }
    }

    static func journal(_ api: AdminAPI, after: Int = 0) async throws -> [[String: Any]] {
        let (_, body) = try await api.call("GET", "/api/v1/events?after=\(after)&limit=1000")
        return body["events"] as? [[String: Any]] ?? []
    }

    @Test("discovery Home Assistant accepts, retained state, a card swipe's event, OPEN and LOCK journalled as mqtt, Lua subscribe and publish")
    func discoveryStateEventsAndCommands() async throws {
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        let peer = try await MQTTPeer.start(broker)
        defer { peer.stop() }
        // A stale order left retained on the broker before the host starts: it must never open door 4.
        try await peer.publish("gatehouse/home/door/4/set", "OPEN", retain: true)

        let site = try Self.site(
            named: "home",
            mainLua: """
                mqtt.subscribe("site/+/bell")
                on("mqtt", function(ev)
                  mqtt.publish("gatehouse/test/echo", ev.payload .. ":" .. ev.topic, {retain = false, qos = 1})
                end)
                """)
        let data = try temporaryDirectory()
        let (host, port) = try await HostProcessTests.startHost(data: data, site: site, environment: Self.environment(broker))
        defer { host.terminate() }
        let api = try AdminAPI(port: port, data: data)

        let online = try await peer.waitFor("gatehouse/home/availability") { $0.last?.payload == "online" }
        #expect(online.last?.payload == "online")

        // Discovery: every config is valid for its component, grouped under one device, retained.
        let configs = try await waitFor {
            let found = try await peer.messages().filter { $0.topic.hasPrefix("homeassistant/") && $0.topic.hasSuffix("/config") }
            return found.count >= 11 ? found : nil
        }
        let discovery = try #require(configs)
        var uniqueIDs: Set<String> = []
        for message in discovery {
            let component = String(message.topic.split(separator: "/")[1])
            let object = try #require(message.json, "\(message.topic) is not JSON")
            let keys = Set(object.keys)
            let allowed = Self.commonKeys.union(Self.componentKeys[component] ?? [])
            #expect(keys.subtracting(allowed).isEmpty, "\(message.topic): keys Home Assistant does not know: \(keys.subtracting(allowed))")
            #expect(Self.requiredKeys[component].map { $0.isSubset(of: keys) } ?? false, "\(message.topic) lacks required keys")
            if let classes = Self.deviceClasses[component], let given = object["device_class"] as? String {
                #expect(classes.contains(given), "\(message.topic): device_class \(given)")
            }
            let device = try #require(object["device"] as? [String: Any])
            #expect(device["identifiers"] as? [String] == ["gatehouse_home"])
            #expect(device["sw_version"] as? String == "0.1.0")
            #expect(uniqueIDs.insert(object["unique_id"] as? String ?? "").inserted, "unique_id repeated")
            if component != "binary_sensor" || !(object["device_class"] as? String == "connectivity") {
                #expect(object["availability_topic"] as? String == "gatehouse/home/availability")
            }
        }
        let lock = try #require(discovery.first { $0.topic == "homeassistant/lock/gatehouse_home/door_1/config" }?.json)
        #expect(lock["command_topic"] as? String == "gatehouse/home/door/1/set")
        #expect(lock["payload_open"] as? String == "OPEN")
        let doorbell = try #require(discovery.first { $0.topic == "homeassistant/event/gatehouse_home/doorbell/config" }?.json)
        #expect(doorbell["event_types"] as? [String] == ["press"])
        #expect(doorbell["device_class"] as? String == "doorbell")

        // Retained state for every door, relay and input.
        #expect(try await peer.waitFor("gatehouse/home/door/1/state").last?.payload == "closed")
        #expect(try await peer.waitFor("gatehouse/home/relay/1/state").last?.payload == "OFF")
        #expect(try await peer.waitFor("gatehouse/home/input/1/state").last?.payload == "OFF")

        // The stale retained command was not obeyed.
        #expect(await host.waitForStderrLine(containing: "retained", timeout: 10) != nil)

        // A card swipe: its journal entry arrives on …/events with the REST API's fields, and last_access follows.
        var (status, _) = try await api.call(
            "PUT", "/api/v1/users/100", json: #"{"pin": "100", "name": "Ada", "cards": [{"number": "12345"}], "authorizations": [{"timezone": 1, "doors": [1]}]}"#)
        #expect(status == 200 || status == 201)
        (status, _) = try await api.call("POST", "/api/v1/access", json: #"{"card": "12345", "door": 1}"#)
        #expect(status == 200)
        let events = try await peer.waitFor("gatehouse/home/events") { list in list.contains { $0.json?["card"] as? String == "12345" } }
        let swipe = try #require(events.first { $0.json?["card"] as? String == "12345" }?.json)
        #expect(swipe["pin"] as? String == "100")
        #expect(swipe["event"] as? Int == 0)
        let rest = try #require(try await Self.journal(api).first { ($0["index"] as? Int) == (swipe["index"] as? Int) })
        #expect(Set(rest.keys) == Set(swipe.keys))
        #expect(rest["event_name"] as? String == swipe["event_name"] as? String)
        let access = try await peer.waitFor("gatehouse/home/last_access") { $0.last?.json?["user"] as? String == "100" }
        #expect(access.last?.json?["result"] as? String == "granted")
        #expect(access.last?.json?["name"] as? String == "Ada")

        // OPEN on the command topic opens door 2 through the door engine, journalled with the source mqtt.
        try await peer.publish("gatehouse/home/door/2/set", "OPEN")
        let opened = try await waitFor {
            try await Self.journal(api).first { $0["event"] as? Int == 8 && $0["door"] as? Int == 2 && $0["source"] as? String == "mqtt" }
        }
        #expect(opened != nil)
        #expect(try await peer.waitFor("gatehouse/home/relay/2/state") { $0.last?.payload == "ON" }.last?.payload == "ON")
        // LOCK (JSON form) locks door 3; the lock is journalled and the state says so.
        try await peer.publish("gatehouse/home/door/3/set", #"{"command": "LOCK", "id": "lock-3"}"#)
        #expect(try await peer.waitFor("gatehouse/home/door/3/state") { $0.last?.payload == "locked" }.last?.payload == "locked")
        let locked = try await waitFor {
            try await Self.journal(api).first { ($0["detail"] as? String) == "door.locked: door 3" && $0["source"] as? String == "mqtt" }
        }
        #expect(locked != nil)

        // The retained order for door 4 never opened it.
        #expect(try await Self.journal(api).contains { $0["event"] as? Int == 8 && $0["door"] as? Int == 4 } == false)

        // A script's subscription and publish.
        try await peer.publish("site/front/bell", "ding")
        let echo = try await peer.waitFor("gatehouse/test/echo")
        #expect(echo.last?.payload == "ding:site/front/bell")

        // The doorbell and DTMF have their own topics; digits never travel.
        (status, _) = try await api.call("POST", "/api/v1/buttons/reception/press")
        #expect(status == 200)
        let bell = try await peer.waitFor("gatehouse/home/doorbell")
        #expect(bell.last?.json?["event_type"] as? String == "press")
        (status, _) = try await api.call("POST", "/api/v1/dtmf", json: #"{"caller": "1001", "digits": "4321#"}"#)
        #expect(status == 200)
        let dtmf = try await peer.waitFor("gatehouse/home/dtmf")
        #expect(dtmf.last?.json?["digits"] as? String == "*****")
        #expect(dtmf.last?.json?["caller"] as? String == "1001")
        #expect(try await peer.messages().contains { $0.payload.contains("4321") } == false)

        // A door added through the REST API appears in Home Assistant; deleted, it leaves (its configs emptied).
        #expect([200, 201].contains(try await api.call("PUT", "/api/v1/relays/5", json: "{}").0))
        #expect([200, 201].contains(try await api.call("PUT", "/api/v1/doors/5", json: #"{"relay": 5, "name": "Garage"}"#).0))
        let added = try await peer.waitFor("homeassistant/lock/gatehouse_home/door_5/config") { $0.last?.json != nil }
        #expect(added.last?.json?["name"] as? String == "Garage")
        #expect(try await peer.waitFor("gatehouse/home/door/5/state").last?.payload == "closed")
        let (deleted, _) = try await api.call("DELETE", "/api/v1/doors/5")
        #expect(deleted == 204)
        let removed = try await peer.waitFor("homeassistant/lock/gatehouse_home/door_5/config") { $0.last?.payload == "" }
        #expect(removed.last?.payload == "")
        #expect(
            try await peer.waitFor("homeassistant/binary_sensor/gatehouse_home/door_5_contact/config") { $0.last?.payload == "" }
                .last?.payload == "")
    }

    @Test("the home example over a real broker: the Zigbee gate button opens the gate, the doorbell is announced")
    func homeExample() async throws {
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        let peer = try await MQTTPeer.start(broker)
        defer { peer.stop() }
        let home = try await ExampleSiteHost(
            "home", replacing: ["https://ntfy.example": "http://127.0.0.1:9"],
            environment: Self.environment(broker, ["GATEHOUSE_MQTT_TOPIC_PREFIX": "gatehouse/home"]))
        _ = try await peer.waitFor("gatehouse/home/availability") { $0.last?.payload == "online" }

        try await peer.publish("zigbee2mqtt/gate_button", #"{"action":"single","battery":97,"linkquality":120}"#)
        let gate = try await peer.waitFor("gatehouse/home/relay/2/state") { $0.last?.payload == "ON" }
        #expect(gate.last?.payload == "ON")
        let opened = try await waitFor {
            try await Self.journal(home.api).first { $0["event"] as? Int == 8 && $0["door"] as? Int == 2 }
        }
        #expect((opened?["source"] as? String)?.hasPrefix("script") == true)

        let (status, _) = try await home.api.call("POST", "/api/v1/buttons/reception/press")
        #expect(status == 200)
        #expect(try await peer.waitFor("home/announce").last?.payload == "Someone is at the door")
        #expect(try await peer.waitFor("gatehouse/home/doorbell").last?.json?["event_type"] as? String == "press")
    }

    @Test("malformed command payloads are answered with a log line and no action")
    func malformedCommands() async throws {
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        let peer = try await MQTTPeer.start(broker)
        defer { peer.stop() }
        let data = try temporaryDirectory()
        let site = try Self.site(named: "bad", mainLua: "")
        let (host, port) = try await HostProcessTests.startHost(data: data, site: site, environment: Self.environment(broker))
        defer { host.terminate() }
        let api = try AdminAPI(port: port, data: data)
        _ = try await peer.waitFor("gatehouse/bad/availability") { $0.last?.payload == "online" }
        let before = try await Self.journal(api).count

        let cases: [(topic: String, payload: String, log: String)] = [
            ("gatehouse/bad/door/1/set", "", "empty payload"),
            ("gatehouse/bad/door/1/set", "DANCE", "unknown door command 'DANCE'"),
            ("gatehouse/bad/door/1/set", "{\"command\": ", "not a JSON object"),
            ("gatehouse/bad/door/1/set", #"{"command": "OPEN", "seconds": 0}"#, "must be a whole number from 1 to 65535"),
            ("gatehouse/bad/door/1/set", #"{"command": "OPEN", "colour": "red"}"#, "colour"),
            ("gatehouse/bad/door/1/set", #"{"command": "LOCK", "seconds": 5}"#, "applies to OPEN only"),
            ("gatehouse/bad/door/abc/set", "OPEN", "'abc' is not a door number"),
            ("gatehouse/bad/relay/1/set", "OPEN", "unknown relay command 'OPEN'"),
            ("gatehouse/bad/door/99/set", "OPEN", "mqtt command failed"),
        ]
        for (topic, payload, _) in cases { try await peer.publish(topic, payload) }
        for (topic, payload, log) in cases {
            let line = await host.waitForStderrLine(containing: log, timeout: 10)
            #expect(line != nil, "no log line '\(log)' for \(topic) '\(payload)'")
        }
        // Nothing happened: no journal entry, no relay moved.
        #expect(try await Self.journal(api).count == before)
        #expect(try await peer.messages().contains { $0.topic == "gatehouse/bad/relay/1/state" && $0.payload == "ON" } == false)
        // The host is still well.
        let (status, _) = try await httpGet("http://127.0.0.1:\(port)/healthz")
        #expect(status == 200)
    }

    @Test("broker stopped and restarted: events of the outage wait in the outbox and arrive in order, none lost")
    func brokerOutage() async throws {
        let broker = try await MosquittoBroker(credentials: ("gatehouse", "s3cret-\(UUID().uuidString.prefix(8))"))
        defer { broker.stop() }
        // A persistent session: the broker keeps what arrives for the peer across its own restart.
        let peer = try await MQTTPeer.start(broker, subscribe: "gatehouse/+/events", persistent: true)
        defer { peer.stop() }
        let data = try temporaryDirectory()
        let site = try Self.site(named: "outage", mainLua: "")
        let (host, port) = try await HostProcessTests.startHost(data: data, site: site, environment: Self.environment(broker))
        defer { host.terminate() }
        let api = try AdminAPI(port: port, data: data)
        #expect(await host.waitForStderrLine(containing: "mqtt connected", timeout: 20) != nil)
        var (status, _) = try await api.call("PUT", "/api/v1/users/7", json: #"{"pin": "7", "name": "Grace", "cards": [{"number": "777"}], "authorizations": [{"timezone": 1, "doors": [1]}]}"#)
        #expect(status == 200 || status == 201)

        broker.stop()
        // The peer goes too (its session stays with the broker, which queues for it); it comes back at the end.
        peer.stop()
        #expect(await host.waitForStderrLine(containing: "mqtt broker unavailable", timeout: 20) != nil)
        for _ in 0..<5 {
            (status, _) = try await api.call("POST", "/api/v1/access", json: #"{"card": "777", "door": 1}"#)
            #expect(status == 200)
        }
        // The outbox shows them, waiting (the bridge follows the journal a moment behind).
        let waiting = try await waitFor { () async throws -> Int? in
            let (_, listing) = try await api.call("GET", "/api/v1/actions?state=pending")
            let count = (listing["actions"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "mqtt" }.count
            return count >= 5 ? count : nil
        }
        #expect(waiting != nil)
        let swipes = try await Self.journal(api).filter { $0["card"] as? String == "777" }.compactMap { $0["index"] as? Int }
        #expect(swipes.count == 5)

        try await broker.start()
        // Delivered to the broker: nothing of kind mqtt waits in the outbox any more.
        let drained = try await waitFor(within: 60) {
            let (_, listing) = try await api.call("GET", "/api/v1/actions?state=pending")
            return (listing["actions"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "mqtt" } ? nil : true
        }
        #expect(drained == true)
        // The peer's session kept them, in the order the host delivered them.
        let later = try await MQTTPeer.start(broker, subscribe: "gatehouse/+/events", persistent: true)
        defer { later.stop() }
        let delivered = try await later.waitFor("gatehouse/outage/events", within: 30) { list in
            Set(swipes).isSubset(of: Set(list.compactMap { $0.json?["index"] as? Int }))
        }
        let indices = delivered.compactMap { $0.json?["index"] as? Int }.filter { swipes.contains($0) }
        #expect(Set(indices) == Set(swipes), "lost: \(Set(swipes).subtracting(indices))")
        // In order (a repeat after the reconnect is allowed; an earlier one after a later one is not).
        var seen: [Int] = []
        for index in indices where !seen.contains(index) { seen.append(index) }
        #expect(seen == swipes.sorted(), "received \(indices)")
    }

    @Test("past mqtt.queue_limit the outage's newer events are dropped loudly: journalled and logged, never silently")
    func queueLimit() async throws {
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        let data = try temporaryDirectory()
        let site = try Self.site(named: "full", mainLua: "")
        let (host, port) = try await HostProcessTests.startHost(
            data: data, site: site, environment: Self.environment(broker, ["GATEHOUSE_MQTT_QUEUE_LIMIT": "3"]))
        defer { host.terminate() }
        let api = try AdminAPI(port: port, data: data)
        #expect(await host.waitForStderrLine(containing: "mqtt connected", timeout: 20) != nil)
        broker.stop()
        #expect(await host.waitForStderrLine(containing: "mqtt broker unavailable", timeout: 20) != nil)
        for _ in 0..<6 {
            let (status, _) = try await api.call("POST", "/api/v1/access", json: #"{"card": "1", "door": 1}"#)
            #expect(status == 200)
        }
        #expect(await host.waitForStderrLine(containing: "mqtt queue full", timeout: 20) != nil)
        let noted = try await waitFor {
            try await Self.journal(api).first { ($0["detail"] as? String)?.hasPrefix("mqtt.queue_full") == true }
        }
        #expect(noted?["source"] as? String == "mqtt")
        let (_, listing) = try await api.call("GET", "/api/v1/actions?state=pending")
        #expect((listing["actions"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "mqtt" }.count == 3)
    }

    @Test("TLS with a password: connects through mqtts:// with the site's CA, and a wrong password is refused by name")
    func tlsAndPassword() async throws {
        let broker = try await MosquittoBroker(credentials: ("gh", "tls-pass"), tls: true)
        defer { broker.stop() }
        let peer = try await MQTTPeer.start(broker)
        defer { peer.stop() }
        let data = try temporaryDirectory()
        let site = try Self.site(named: "secure", mainLua: "")
        let (host, port) = try await HostProcessTests.startHost(data: data, site: site, environment: Self.environment(broker))
        defer { host.terminate() }
        let api = try AdminAPI(port: port, data: data)
        _ = try await peer.waitFor("gatehouse/secure/availability") { $0.last?.payload == "online" }
        try await peer.publish("gatehouse/secure/door/1/set", "OPEN")
        let opened = try await waitFor {
            try await Self.journal(api).first { $0["event"] as? Int == 8 && $0["source"] as? String == "mqtt" }
        }
        #expect(opened != nil)
        // The password never reaches the log.
        #expect(!host.stderr.contains("tls-pass"))

        let other = try temporaryDirectory()
        let (wrong, _) = try await HostProcessTests.startHost(
            data: other, site: site, environment: Self.environment(broker, ["GATEHOUSE_MQTT_PASSWORD": "not-it"]))
        defer { wrong.terminate() }
        #expect(await wrong.waitForStderrLine(containing: "refused the connection", timeout: 20) != nil)
        #expect(!wrong.stderr.contains("not-it"))
    }

    @Test("a crash is visible: the broker publishes the last will, offline")
    func lastWill() async throws {
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        let peer = try await MQTTPeer.start(broker, subscribe: "gatehouse/+/availability")
        defer { peer.stop() }
        let data = try temporaryDirectory()
        let site = try Self.site(named: "will", mainLua: "")
        let (host, _) = try await HostProcessTests.startHost(
            data: data, site: site, environment: Self.environment(broker, ["GATEHOUSE_MQTT_KEEPALIVE_S": "5"]))
        _ = try await peer.waitFor("gatehouse/will/availability") { $0.last?.payload == "online" }
        kill(host.process.processIdentifier, SIGKILL)
        let offline = try await peer.waitFor("gatehouse/will/availability", within: 20) { $0.last?.payload == "offline" }
        #expect(offline.last?.payload == "offline")
    }

    @Test(
        "bad [mqtt] settings stop the start with the key named",
        arguments: [
            (["GATEHOUSE_MQTT_ENABLED": "true"], "mqtt.broker"),
            (["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": "http://127.0.0.1:1883"], "mqtt.broker"),
            (["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": "mqtt://127.0.0.1:1883/path"], "mqtt.broker"),
            (["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": "mqtt://u:p@127.0.0.1"], "mqtt.broker"),
            (["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": "mqtt://127.0.0.1", "GATEHOUSE_MQTT_TLS_CA": "/etc/hostname"], "mqtt.tls_ca"),
            (["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": "mqtts://127.0.0.1", "GATEHOUSE_MQTT_TLS_CA": "/nonexistent.pem"], "mqtt.tls_ca"),
            (["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": "mqtt://127.0.0.1", "GATEHOUSE_MQTT_PASSWORD": "x"], "mqtt.password"),
            (["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": "mqtt://127.0.0.1", "GATEHOUSE_MQTT_TOPIC_PREFIX": "a/#"], "mqtt.topic_prefix"),
            (["GATEHOUSE_MQTT_ENABLED": "true", "GATEHOUSE_MQTT_BROKER": "mqtt://127.0.0.1", "GATEHOUSE_MQTT_QUEUE_LIMIT": "0"], "mqtt.queue_limit"),
        ])
    func badSettings(environment: [String: String], key: String) async throws {
        let data = try temporaryDirectory()
        let (status, _, stderr) = try await HostProcess.run(
            ["run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "off"], environment: environment)
        #expect(status == 2)
        #expect(stderr.contains(key), "\(stderr)")
    }
}
