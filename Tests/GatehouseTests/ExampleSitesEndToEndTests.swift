import Foundation
import Scripting
import Testing

/// One of the shipped example sites, copied to a scratch folder and run by the real `gatehouse run` on loopback.
/// `replacing` rewrites text in the site's Lua files: the examples call public services (ntfy, a concierge's API)
/// that a test points at a local HTTP server instead; nothing else about the site changes.
final class ExampleSiteHost: @unchecked Sendable {
    // @unchecked: every property is set in init and never changes.
    let host: HostProcess
    let port: Int
    let api: AdminAPI
    let site: URL

    static let examples = ActionsPeers.repositoryRoot.appendingPathComponent("examples")

    init(_ example: String, replacing: [String: String] = [:], actions: String? = nil, environment: [String: String] = [:])
        async throws
    {
        let data = try temporaryDirectory()
        site = try temporaryDirectory("site-\(example)")
        let source = Self.examples.appendingPathComponent(example)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            // The example's gatehouse.toml names its own data and site folders; the flags below replace it.
            guard name.hasSuffix(".lua") || name == "actions.toml" else { continue }
            var text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
            for (old, new) in replacing { text = text.replacingOccurrences(of: old, with: new) }
            try text.write(to: site.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        if let actions { try actions.write(to: site.appendingPathComponent("actions.toml"), atomically: true, encoding: .utf8) }
        (host, port) = try await HostProcessTests.startHost(
            data: data, site: site, environment: ["TZ": "UTC"].merging(environment) { _, new in new })
        api = try AdminAPI(port: port, data: data)
    }

    deinit { host.terminate() }

    /// The apartment example with its concierge service on a local HTTP server.
    static func apartmentWithConcierge() async throws -> (ExampleSiteHost, PythonPeer) {
        let concierge = try await PythonPeer.start("http_peer.py", [])
        do {
            let apartment = try await ExampleSiteHost(
                "apartment", replacing: ["https://concierge.example": "http://127.0.0.1:\(concierge.port)"])
            return (apartment, concierge)
        } catch {
            concierge.stop()
            throw error
        }
    }

    @discardableResult
    func call(_ method: String, _ path: String, json: String? = nil) async throws -> (Int, [String: Any]) {
        try await api.call(method, path, json: json)
    }

    /// The journal, oldest first, as `GET /api/v1/events` lists it.
    func journal() async throws -> [[String: Any]] {
        try await call("GET", "/api/v1/events?after=0&limit=1000").1["events"] as? [[String: Any]] ?? []
    }

    func relayActive(_ id: Int) async throws -> Bool? {
        try await call("GET", "/api/v1/relays/\(id)").1["active"] as? Bool
    }

    func addUser(_ json: String) async throws {
        let (status, body) = try await call("POST", "/api/v1/users", json: json)
        guard status == 201 else { throw PeerLaunchError(description: "user not created: \(status) \(body)") }
    }
}

extension PythonPeer {
    /// The bodies of the requests the peer recorded for `path`, as text.
    func bodies(of path: String) async throws -> [String] {
        try await recordedRequests().filter { $0["path"] as? String == path }.compactMap { $0["body"] as? String }
            .compactMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// The wall clock in UTC (the hosts here run with TZ=UTC): the examples' schedules follow real time when live.
struct UTCNow {
    let weekday: Int  // 1 = Sunday … 7 = Saturday
    let minutes: Int  // since midnight

    init(_ date: Date = Date()) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        weekday = parts.weekday!
        minutes = parts.hour! * 60 + parts.minute!
    }

    /// Whether a schedule boundary is within two minutes, where a test cannot know which side the host saw.
    func near(_ boundaries: [Int]) -> Bool { boundaries.contains { abs($0 - minutes) <= 2 || abs($0 - minutes) >= 1438 } }
}

/// Issue 17, point 4: every behaviour an example's header comment promises, in the running host, through the REST
/// API, with real HTTP and SMTP servers (the Outbound peers) standing in for the services the sites call.
@Suite("the example sites behave live as their comments say", .serialized)
struct ExampleSitesEndToEndTests {
    // MARK: home

    @Test("home: the reception button sends the doorbell notification; an exit button does not")
    func homeDoorbell() async throws {
        let ntfy = try await PythonPeer.start("http_peer.py", [])
        defer { ntfy.stop() }
        let home = try await ExampleSiteHost("home", replacing: ["https://ntfy.example": "http://127.0.0.1:\(ntfy.port)"])

        let (status, press) = try await home.call("POST", "/api/v1/buttons/reception/press")
        #expect(status == 200)
        #expect(press["granted"] as? Bool == true)
        let bodies = await waitFor { try? await ntfy.bodies(of: "/door").nilIfEmpty }
        #expect(bodies == ["Someone is at the door"])

        // An exit button opens its door and is not the doorbell. The DTMF after it is handled only once the press
        // was (scripts see events in order), so the notification count below is final.
        let (_, exit) = try await home.call("POST", "/api/v1/buttons/1/press")
        #expect(exit["granted"] as? Bool == true)
        #expect(exit["door"] as? Int == 1)
        try await home.call("POST", "/api/v1/dtmf", json: #"{"caller": "+4930111", "digits": "1"}"#)
        _ = await waitFor { try? await home.relayActive(2) == true ? true : nil }
        #expect(try await ntfy.bodies(of: "/door") == ["Someone is at the door"])
    }

    @Test(
        "home over SIP: Anna's phone calls the door and her 1 (RFC 4733) opens the gate through main.lua; a stranger's call is refused"
    )
    func homeSIPCall() async throws {
        let sip = try freeSIPPort()
        // [dtmf] and [sip] as examples/home/gatehouse.toml has them, with SIP switched on.
        let home = try await ExampleSiteHost(
            "home",
            environment: [
                "GATEHOUSE_SIP_ENABLED": "true", "GATEHOUSE_SIP_LISTEN": "127.0.0.1:\(sip)", "GATEHOUSE_SIP_ANSWER": "allowed",
                "GATEHOUSE_SIP_RTP_PORTS": "33000-33100", "GATEHOUSE_DTMF_ALLOWLIST": "phonebook",
                "GATEHOUSE_DTMF_PHONEBOOK": "+4930111,+4930222",
            ])
        let anna = try await SIPPhone(user: "+4930111")
        defer { anna.stop() }
        try await anna.post("/dial", ["uri": "sip:gatehouse@127.0.0.1:\(sip)"])
        let up = try await waitFor { try await anna.events().contains("CALL_ESTABLISHED") ? true : nil }
        #expect(up == true, "\(home.host.stderr)")
        try await anna.post("/digits", ["digits": "1"])
        let opened = await waitFor(within: 5) { try? await home.relayActive(2) == true ? true : nil }
        #expect(opened == true, "the gate did not open; \(home.host.stderr)")
        try await anna.post("/hangup")

        let stranger = try await SIPPhone(user: "+4930999")
        defer { stranger.stop() }
        try await stranger.post("/dial", ["uri": "sip:gatehouse@127.0.0.1:\(sip)"])
        #expect(try await waitFor { try await stranger.events().contains("CALL_CLOSED") ? true : nil } == true)
        #expect(try await stranger.events().contains("CALL_ESTABLISHED") == false)
    }

    @Test("home: DTMF 1 from a phonebook caller opens relay 2 for five seconds; from a stranger it does nothing")
    func homeDTMF() async throws {
        let home = try await ExampleSiteHost("home")

        let (strangerStatus, stranger) = try await home.call(
            "POST", "/api/v1/dtmf", json: #"{"caller": "+4930999", "digits": "1"}"#)
        #expect(strangerStatus == 200)
        #expect(stranger["granted"] as? Bool == false, "no relay has the built-in code 1: \(stranger)")

        let sent = Date()
        try await home.call("POST", "/api/v1/dtmf", json: #"{"caller": "+4930111", "digits": "1"}"#)
        let opened = await waitFor(within: 5) { try? await home.relayActive(2) == true ? Date() : nil }
        let openedAt = try #require(opened, "relay 2 never opened")
        #expect(openedAt.timeIntervalSince(sent) < 2, "relay 2 opened \(openedAt.timeIntervalSince(sent)) s after the call")
        var closedAt: Date?
        while Date().timeIntervalSince(openedAt) < 10 {
            if try await home.relayActive(2) == false {
                closedAt = Date()
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Polling sees the open and the close late, by however long a loaded machine delays it, so the hold is
        // bracketed: at least closed − first-seen-open, at most closed − sent. Five seconds must fit between them.
        let closed = try #require(closedAt, "relay 2 still active after 10 s")
        let atLeast = closed.timeIntervalSince(openedAt)
        let atMost = closed.timeIntervalSince(sent)
        // The upper side allows one slow poll: in a fresh-clone CI run with the whole suite loading both cores, the
        // close was seen 1 s late once (6.04 s), while the host's own tick is 50 ms.
        #expect(atLeast < 6.5 && atMost > 4.5 && atMost < 8, "relay 2 was active between \(atLeast) and \(atMost) s")

        // The journal says what was done: the built-in codes matched nothing for either caller, and the script's
        // open of door 2 (relay 2) is journalled once, by the script: the stranger's DTMF opened nothing.
        let journal = try await home.journal()
        let dtmf = journal.filter { ($0["source"] as? String)?.hasPrefix("dtmf") == true }
        #expect(dtmf.count == 2, "\(dtmf)")
        #expect(dtmf.allSatisfy { ($0["detail"] as? String)?.hasSuffix("no relay has this DTMF code") == true }, "\(dtmf)")
        let scriptOpens = journal.filter { $0["source"] as? String == "script:lua" && $0["door"] as? Int == 2 }
        #expect(scriptOpens.count == 1, "\(journal)")
    }

    @Test("home: five wrong PINs lock a reader's keypad; the script's reason is in the reply and the journal")
    func homeKeypadLock() async throws {
        let home = try await ExampleSiteHost("home")
        try await home.addUser(
            #"{"pin": "1", "name": "Anna", "pin_code": "1234", "authorizations": [{"timezone": 1, "doors": [1, 2]}]}"#)
        for attempt in 1...5 {
            let (status, wrong) = try await home.call("POST", "/api/v1/access", json: #"{"reader": 1, "pin": "0000"}"#)
            #expect(status == 200)
            #expect(wrong["granted"] as? Bool == false, "attempt \(attempt)")
        }
        let (_, locked) = try await home.call("POST", "/api/v1/access", json: #"{"reader": 1, "pin": "1234"}"#)
        #expect(locked["granted"] as? Bool == false, "the right PIN while locked: \(locked)")
        #expect(locked["detail"] as? String == "keypad locked")
        #expect(locked["reason"] as? String == "refusedByScript")
        let index = try #require(locked["journal_index"] as? Int)
        let entry = try await home.journal().first { $0["index"] as? Int == index }
        #expect(entry?["detail"] as? String == "keypad locked", "\(String(describing: entry))")

        let (_, other) = try await home.call("POST", "/api/v1/access", json: #"{"reader": 2, "pin": "1234"}"#)
        #expect(other["granted"] as? Bool == true, "another reader's keypad stays open: \(other)")
    }

    // MARK: apartment

    @Test("apartment: the reception button opens the lobby relay and tells the concierge")
    func apartmentReception() async throws {
        let (apartment, concierge) = try await ExampleSiteHost.apartmentWithConcierge()
        defer { concierge.stop() }

        try await apartment.call("POST", "/api/v1/buttons/reception/press")
        let active = await waitFor(within: 5) { try? await apartment.relayActive(1) == true ? true : nil }
        #expect(active == true, "the lobby relay opened")
        let bodies = await waitFor { try? await concierge.bodies(of: "/api/notify").nilIfEmpty }
        #expect(bodies == ["Lobby opened from the reception desk"])
    }

    @Test("apartment: the parcel button hands the concierge a code that opens the parcel room, and only that room")
    func apartmentParcelCode() async throws {
        let (apartment, concierge) = try await ExampleSiteHost.apartmentWithConcierge()
        defer { concierge.stop() }
        let (declared, _) = try await apartment.call(
            "POST", "/api/v1/inputs", json: #"{"id": 9, "name": "Parcel button", "role": "auxiliary"}"#)
        #expect(declared == 201)

        let (_, before) = try await apartment.call("POST", "/api/v1/access", json: #"{"door": 3, "pin": "123456"}"#)
        #expect(before["granted"] as? Bool == false, "no code before the button: \(before)")

        let (pressed, _) = try await apartment.call("POST", "/api/v1/inputs/9", json: #"{"active": true}"#)
        #expect(pressed == 200)
        let message = try #require(await waitFor { try? await concierge.bodies(of: "/api/notify").first })
        let code = try #require(message.firstMatch(of: /Parcel room code (\d{6}) \(valid for one hour\)/)?.1)

        let (_, parcel) = try await apartment.call("POST", "/api/v1/access", json: #"{"door": 3, "pin": "\#(code)"}"#)
        #expect(parcel["granted"] as? Bool == true, "\(parcel)")
        #expect(parcel["door"] as? Int == 3)
        let (_, lobby) = try await apartment.call("POST", "/api/v1/access", json: #"{"door": 1, "pin": "\#(code)"}"#)
        #expect(lobby["granted"] as? Bool == false, "the parcel code does not open the lobby: \(lobby)")

        let issued = try await apartment.journal().filter { $0["event"] as? Int == 1000 }.compactMap { $0["detail"] as? String }
        #expect(issued.contains("parcel.code: valid_s=3600"), "\(issued)")
        #expect(!issued.contains { $0.contains(String(code)) }, "the code itself is not journalled")
    }

    @Test("apartment: APT#+PIN opens the lobby; a resident with restricted hours is refused outside them, with the reason")
    func apartmentResidents() async throws {
        let apartment = try await ExampleSiteHost("apartment")
        for (pin, flat, code) in [("1012", "12", "4711"), ("2001", "12", "9999")] {
            try await apartment.addUser(
                #"{"pin": "\#(pin)", "name": "Flat \#(flat)", "pin_code": "\#(code)", "residence": {"apartment": "\#(flat)"}, "authorizations": [{"timezone": 1, "doors": [1]}]}"#
            )
        }
        let (_, resident) = try await apartment.call(
            "POST", "/api/v1/access", json: #"{"door": 1, "apartment": "12", "pin": "4711"}"#)
        #expect(resident["granted"] as? Bool == true, "\(resident)")
        #expect(resident["user"] as? String == "1012")
        let (_, wrongFlat) = try await apartment.call(
            "POST", "/api/v1/access", json: #"{"door": 1, "apartment": "14", "pin": "4711"}"#)
        #expect(wrongFlat["granted"] as? Bool == false, "the PIN belongs to flat 12: \(wrongFlat)")

        // The cleaner of flat 12: Monday, Wednesday and Friday, 09:00–13:00 (residents.lua), in real time.
        let now = UTCNow()
        guard !now.near([9 * 60, 13 * 60, 0]) else { return }
        let inHours = [2, 4, 6].contains(now.weekday) && now.minutes >= 9 * 60 && now.minutes < 13 * 60
        let (_, cleaner) = try await apartment.call(
            "POST", "/api/v1/access", json: #"{"door": 1, "apartment": "12", "pin": "9999"}"#)
        #expect(cleaner["granted"] as? Bool == inHours, "\(cleaner) at weekday \(now.weekday), minute \(now.minutes)")
        if !inHours {
            #expect(cleaner["detail"] as? String == "outside the hours of the cleaner of flat 12")
        }
    }

    // MARK: office

    @Test("office: a badge needs the PIN as well outside office hours, and opens alone within them")
    func officeAfterHours() async throws {
        let office = try await ExampleSiteHost("office")
        try await office.addUser(
            #"{"pin": "7", "name": "Kim", "cards": [{"number": "12340056789"}], "pin_code": "4711", "authorizations": [{"timezone": 1, "doors": [1, 2]}]}"#
        )
        let now = UTCNow()
        guard !now.near([7 * 60 + 30, 19 * 60]) else { return }
        let officeHours = (2...6).contains(now.weekday) && now.minutes >= 7 * 60 + 30 && now.minutes < 19 * 60
        let (_, badge) = try await office.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "12340056789"}"#)
        #expect(badge["granted"] as? Bool == officeHours, "\(badge) at weekday \(now.weekday), minute \(now.minutes)")
        if !officeHours { #expect(badge["detail"] as? String == "pin required as well") }
        // At the server room (door 2): the same user twice at one door within its punch interval is refused.
        let (_, both) = try await office.call(
            "POST", "/api/v1/access", json: #"{"door": 2, "card": "12340056789", "pin": "4711"}"#)
        #expect(both["granted"] as? Bool == true, "badge plus PIN: \(both)")
    }

    @Test("office: a door held open mails security once, with the camera's snapshot attached")
    func officeHeldOpen() async throws {
        let (camera, snapshotFile) = try await ActionsTests.camera()
        defer { camera.stop() }
        let spool = try temporaryDirectory("spool")
        let smtp = try await PythonPeer.start("smtp_peer.py", ["--spool", spool.path])
        defer { smtp.stop() }
        let office = try await ExampleSiteHost(
            "office",
            actions: """
                [[camera]]
                name = "hall"
                url = "http://127.0.0.1:\(camera.port)/snapshot.jpg"
                """,
            environment: [
                "GATEHOUSE_MAIL_SERVER": "smtp://127.0.0.1:\(smtp.port)", "GATEHOUSE_MAIL_FROM": "gatehouse@office.example",
            ])

        // Door 2's sensor is input 6 on a new host's panel; doors report held open after 15 s.
        let (opened, _) = try await office.call("POST", "/api/v1/doors/2/open")
        #expect(opened == 200)
        try await office.call("POST", "/api/v1/inputs/6", json: #"{"active": true}"#)
        let message = spool.appendingPathComponent("1.eml")
        let arrived = await waitFor(within: 45) { FileManager.default.fileExists(atPath: message.path) ? true : nil }
        #expect(arrived == true, "no held-open mail")
        let parsed = try await ActionsPeers.runJSON("mime_check.py", [message.path])
        #expect(parsed["subject"] as? String == "Server room held open")
        #expect((parsed["to"] as? String)?.contains("security@office.example") == true, "\(parsed)")
        let parts = parsed["parts"] as? [[String: Any]] ?? []
        let attachment = parts.first { $0["type"] as? String == "image/jpeg" }
        #expect(attachment?["sha256"] as? String == (try await ActionsPeers.sha256(of: snapshotFile)), "\(parts)")
        #expect(
            parts.contains { ($0["text"] as? String)?.hasPrefix("Server room has been held open since ") == true }, "\(parts)")

        // Closed and held open again within five minutes: no second mail.
        try await office.call("POST", "/api/v1/inputs/6", json: #"{"active": false}"#)
        try await office.call("POST", "/api/v1/doors/2/open")
        try await office.call("POST", "/api/v1/inputs/6", json: #"{"active": true}"#)
        let heldAgain = await waitFor(within: 30) {
            try? await office.journal().filter { $0["door"] as? Int == 2 && $0["event"] as? Int == 28 }.count == 2 ? true : nil
        }
        #expect(heldAgain == true, "door 2 reported held open twice")
        try await Task.sleep(for: .seconds(2))
        // No mail about the second hold. (The outbox delivers at least once: under load a first SMTP attempt that
        // timed out after the server took the message is sent again, the same message; that is not a second mail.)
        let first =
            parts.first { ($0["text"] as? String)?.hasPrefix("Server room has been held open since ") == true }?["text"]
            as? String
        for name in (try FileManager.default.contentsOfDirectory(atPath: spool.path)).filter({
            $0.hasSuffix(".eml") && $0 != "1.eml"
        }) {
            let again = try await ActionsPeers.runJSON("mime_check.py", [spool.appendingPathComponent(name).path])
            let texts = (again["parts"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            #expect(texts.contains { $0 == first }, "a second held-open mail: \(texts)")
        }
    }
}

extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}

/// Issue 17, point 1: the fields docs/lua-api.md documents for each event (``ScriptEventFields/schema(_:)``, from
/// which the docs are generated) are the fields the running host hands its handlers, with the documented types.
@Suite("documented event fields match what the live host delivers", .serialized)
struct LiveEventFieldsTests {
    /// A site whose handlers journal, for every event, its field names and Lua types.
    static let site = """
        local function describe(ev)
          local keys = {}
          for k, v in pairs(ev) do
            local t = type(v)
            if t == 'number' then t = math.type(v) end
            keys[#keys + 1] = k .. ':' .. t
          end
          table.sort(keys)
          return table.concat(keys, ',')
        end
        mqtt.subscribe('fields/probe')
        for _, name in ipairs{\(ScriptEvent.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))} do
          on(name, function(ev) journal.emit{event = 'fields', of = name, keys = describe(ev)} end)
        end
        """

    @Test("every event reaches its handler with the documented fields, types and always-present fields")
    func liveFields() async throws {
        let data = try temporaryDirectory()
        let site = try temporarySite(mainLua: Self.site)
        // A real broker, so `mqtt` handlers get a real message.
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        let peer = try await MQTTPeer.start(broker)
        defer { peer.stop() }
        let sip = try freeSIPPort()
        let process = try HostProcess(
            [
                "run", "--data", data.path, "--site", site.path, "--http-listen", "127.0.0.1:0", "--push-listen",
                "127.0.0.1:0", "--log-format", "json",
            ],
            environment: [
                "GATEHOUSE_PUSH_REGISTRATION": "open", "TZ": "UTC", "GATEHOUSE_MQTT_ENABLED": "true",
                "GATEHOUSE_MQTT_BROKER": broker.url, "GATEHOUSE_MQTT_TOPIC_PREFIX": "gatehouse/fields",
                "GATEHOUSE_SIP_ENABLED": "true", "GATEHOUSE_SIP_LISTEN": "127.0.0.1:\(sip)", "GATEHOUSE_SIP_ANSWER": "all",
                "GATEHOUSE_SIP_RTP_PORTS": "32000-32100",
            ])
        defer { process.terminate() }
        guard let push = await process.listeningPort("push listening"), let http = await process.listeningPort("http listening")
        else { throw HostProcessTests.HostTestError.didNotStart(process.stderr) }
        let api = try AdminAPI(port: http, data: data)
        func call(_ method: String, _ path: String, _ json: String? = nil) async throws -> Int {
            try await api.call(method, path, json: json).0
        }

        #expect(
            try await call(
                "POST", "/api/v1/users",
                #"{"pin": "5", "name": "Eve", "cards": [{"number": "4242"}], "authorizations": [{"timezone": 1, "doors": [1]}]}"#)
                == 201)
        #expect(try await call("POST", "/api/v1/access", #"{"reader": 1, "card": "4242"}"#) == 200)  // credential, decision, door, relay
        #expect(try await call("POST", "/api/v1/dtmf", #"{"caller": "+4930111", "digits": "1"}"#) == 200)
        #expect(try await call("POST", "/api/v1/buttons/reception/press") == 200)
        #expect(try await call("POST", "/api/v1/buttons/1/press") == 200)
        #expect(try await call("POST", "/api/v1/inputs", #"{"id": 9, "name": "Bell", "role": "auxiliary"}"#) == 201)
        #expect(try await call("POST", "/api/v1/inputs/9", #"{"active": true}"#) == 200)
        // Door 2's sensor (input 6) opening while its relay is off: forced open, a door event and an alarm.
        #expect(try await call("POST", "/api/v1/inputs/6", #"{"active": true}"#) == 200)
        #expect(try await call("POST", "/api/v1/scripts/reload") == 200)
        _ = try await peer.waitFor("gatehouse/fields/availability") { $0.last?.payload == "online" }
        try await peer.publish("fields/probe", "hello")
        let (status, _, errors) = try await HostProcess.run([
            "simulate-device", "--server", "http://127.0.0.1:\(push)", "--sn", "FIELDS", "--count", "1",
            "--events-per-second", "5", "--duration", "1",
        ])
        #expect(status == 0, "\(errors)")
        // A call from baresip: ringing (asked), answered, ended.
        let phone = try await SIPPhone(user: "+4930111")
        defer { phone.stop() }
        try await phone.post("/dial", ["uri": "sip:gatehouse@127.0.0.1:\(sip)"])
        _ = try await waitFor { try await phone.events().contains("CALL_ESTABLISHED") ? true : nil }
        try await phone.post("/hangup")

        // "fields: keys=a:string,b:integer of=name", one per handler call.
        func delivered() async throws -> [ScriptEvent: [[String: String]]] {
            let events = try await api.call("GET", "/api/v1/events?after=0&limit=1000").1["events"] as? [[String: Any]] ?? []
            var result: [ScriptEvent: [[String: String]]] = [:]
            for detail in events.compactMap({ $0["detail"] as? String }) {
                guard let match = detail.wholeMatch(of: /fields: keys=(.*) of=([a-z_]+)/),
                    let event = ScriptEvent(rawValue: String(match.2))
                else { continue }
                let pairs = match.1.split(separator: ",").map { $0.split(separator: ":", maxSplits: 1).map(String.init) }
                result[event, default: []].append(Dictionary(pairs.map { ($0[0], $0[1]) }) { first, _ in first })
            }
            return result
        }
        let complete = await waitFor(within: 30) {
            let seen = try? await delivered()
            return seen.map { Set($0.keys) } == Set(ScriptEvent.allCases) ? seen : nil
        }
        let seen: [ScriptEvent: [[String: String]]]
        if let complete { seen = complete } else { seen = try await delivered() }
        let missing = Set(ScriptEvent.allCases).subtracting(seen.keys)
        #expect(missing.isEmpty, "never delivered: \(missing.map(\.rawValue).sorted())")

        for event in ScriptEvent.allCases {
            let schema = Dictionary(uniqueKeysWithValues: ScriptEventFields.schema(event).map { ($0.name, $0) })
            for fields in seen[event] ?? [] {
                for (name, type) in fields {
                    let documented = schema[name]
                    #expect(documented != nil, "\(event.rawValue): field '\(name)' is delivered but not documented")
                    guard let documented else { continue }
                    // A documented `number` may hold an integer; `integer` must be one.
                    let allowed = Set(
                        documented.type.split(separator: "|").flatMap { $0 == "number" ? ["float", "integer"] : [String($0)] })
                    #expect(allowed.contains(type), "\(event.rawValue).\(name) is \(type), documented \(documented.type)")
                }
                for field in schema.values where field.always {
                    #expect(
                        fields[field.name] != nil, "\(event.rawValue): '\(field.name)' is documented as always present: \(fields)"
                    )
                }
            }
        }
    }
}
