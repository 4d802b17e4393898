import Foundation
import Testing

/// A running host with a site directory holding `actions.toml` (and `main.lua`), driven over its REST API.
final class ActionsHost: @unchecked Sendable {
    // @unchecked: every property is set in init and never changes.
    let host: HostProcess
    let port: Int
    let api: AdminAPI
    var token: String { api.token }
    let data: URL
    let site: URL

    init(actions: String, lua: String = "log.info('actions test site')\n", data: URL? = nil, site: URL? = nil) async throws {
        self.data = try data ?? temporaryDirectory()
        self.site = try site ?? temporaryDirectory("site")
        try actions.write(to: self.site.appendingPathComponent("actions.toml"), atomically: true, encoding: .utf8)
        try lua.write(to: self.site.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        (host, port) = try await HostProcessTests.startHost(data: self.data, site: self.site)
        api = try AdminAPI(port: port, data: self.data)
    }

    deinit { host.terminate() }

    /// Stops the process (SIGTERM) and waits for it.
    func stop() async {
        host.process.terminate()
        await host.waitForExit()
    }

    @discardableResult
    func call(_ method: String, _ path: String, json: String? = nil) async throws -> (Int, [String: Any]) {
        try await api.call(method, path, json: json)
    }

    /// The outbox as `GET /api/v1/actions` lists it, newest first.
    func actions() async throws -> [[String: Any]] {
        try await call("GET", "/api/v1/actions?limit=1000").1["actions"] as? [[String: Any]] ?? []
    }

    /// The journal's site events (code 1000) whose detail starts with `name`.
    func siteEvents(_ name: String) async throws -> [String] {
        let events = try await call("GET", "/api/v1/events?after=0&limit=1000").1["events"] as? [[String: Any]] ?? []
        return events.filter { $0["event"] as? Int == 1000 }.compactMap { $0["detail"] as? String }.filter { $0.hasPrefix(name) }
    }

    func addUser(pin: String, card: String, code: String? = nil, doors: [Int] = [1]) async throws {
        let pinCode = code.map { #", "pin_code": "\#($0)""# } ?? ""
        let (status, body) = try await call(
            "POST", "/api/v1/users",
            json:
                #"{"pin": "\#(pin)", "cards": [{"number": "\#(card)"}]\#(pinCode), "authorizations": [{"timezone": 1, "doors": \#(doors)}]}"#
        )
        guard status == 201 || status == 200 else { throw PeerLaunchError(description: "user not created: \(status) \(body)") }
    }
}

/// Issue 8 in the running host: the site's actions file drives input actions, action URLs, web relays, the
/// reception button, third-party verification and Lua's `snapshot{}`/`webrelay.fire`, all through the durable
/// outbox, against real FTP and HTTP servers on loopback.
@Suite("site actions in the running host", .serialized)
struct ActionsTests {
    static func camera() async throws -> (PythonPeer, URL) {
        let file = try temporaryDirectory("camera").appendingPathComponent("snapshot.jpg")
        try ActionsPeers.snapshot.write(to: file)
        return (try await PythonPeer.start("http_peer.py", ["--snapshot", file.path]), file)
    }

    @Test(
        "an input triggered through POST /api/v1/inputs/{id} sends the camera's snapshot intact by FTP and e-mail, and the firing is journalled with its action ids"
    )
    func inputUploadsSnapshotByFTP() async throws {
        let (camera, snapshotFile) = try await Self.camera()
        defer { camera.stop() }
        let root = try temporaryDirectory("ftp-root")
        let ftp = try await PythonPeer.start("ftp_peer.py", ["--root", root.path])
        defer { ftp.stop() }
        let spool = try temporaryDirectory("spool")
        let smtp = try await PythonPeer.start("smtp_peer.py", ["--spool", spool.path])
        defer { smtp.stop() }
        let host = try await ActionsHost(
            actions: """
                [[camera]]
                name = "gate"
                url = "http://127.0.0.1:\(camera.port)/digest/snapshot.jpg"
                user = "admin"
                password = "secret"
                auth = "digest"

                [ftp]
                url = "ftp://127.0.0.1:\(ftp.port)/doors"
                user = "camera"
                password = "upload"
                file_name = "gate-$event.jpg"

                [mail]
                server = "smtp://127.0.0.1:\(smtp.port)"
                from = "door@example.org"
                to = ["guard@example.org"]
                subject = "Input $event at door $door"

                [[input]]
                id = 1
                door = "front"
                actions = ["ftp", "email"]
                """)

        let (status, _) = try await host.call("POST", "/api/v1/inputs/1", json: #"{"active": true}"#)
        #expect(status == 200)
        let uploaded = root.appendingPathComponent("doors/gate-input_1_triggered.jpg")
        let bytes = await waitFor { try? Data(contentsOf: uploaded) }
        #expect(bytes == ActionsPeers.snapshot)

        // The e-mail is well-formed MIME (Python's own parser) with the same picture attached.
        let message = spool.appendingPathComponent("1.eml")
        _ = await waitFor { FileManager.default.fileExists(atPath: message.path) ? true : nil }
        let parsed = try await ActionsPeers.runJSON("mime_check.py", [message.path])
        #expect(parsed["subject"] as? String == "Input input_1_triggered at door front")
        #expect((parsed["defects"] as? [String])?.isEmpty == true)
        let attachment = (parsed["parts"] as? [[String: Any]])?.first { $0["filename"] as? String == "snapshot.jpg" }
        #expect(attachment?["sha256"] as? String == (try await ActionsPeers.sha256(of: snapshotFile)))

        let firing = try await waitFor { try await host.siteEvents("input.actions").first }
        let ids = try await host.actions().filter { $0["source"] as? String == "input 1" }.compactMap { $0["id"] as? Int }
            .sorted()
        #expect(ids.count == 2)
        #expect(firing == "input.actions: input=1 actions=\(ids.map(String.init).joined(separator: ","))")
        let delivered = try await waitFor {
            let done = try await host.actions().filter {
                ids.contains($0["id"] as? Int ?? 0) && $0["state"] as? String == "delivered"
            }
            return done.count == 2 ? done : nil
        }
        #expect(delivered?.allSatisfy { $0["snapshot_camera"] as? String == "gate" } == true)
    }

    @Test("\"execute if still triggered\": a delayed action is skipped when the input was released, sent when it is still held")
    func stillTriggered() async throws {
        let server = try await PythonPeer.start("http_peer.py", [])
        defer { server.stop() }
        let host = try await ActionsHost(
            actions: """
                [[input]]
                id = 2
                actions = ["http"]
                http_url = "127.0.0.1:\(server.port)/still?input=2"
                delay_s = 10
                delay_mode = "still_triggered"

                [[input]]
                id = 3
                actions = ["http"]
                http_url = "http://127.0.0.1:\(server.port)/still?input=3"
                delay_s = 1
                delay_mode = "still_triggered"
                """)

        // Input 2: pressed, its delayed action queued, then released while the delay runs → skipped at fire time.
        try await host.call("POST", "/api/v1/inputs/2", json: #"{"active": true}"#)
        let queued = try await waitFor { try await host.actions().first { $0["source"] as? String == "input 2" } }
        #expect(queued != nil, "input 2 queued its delayed action")
        // Inputs are debounced (50 ms) by the door engine: release once that has passed, while the delay still runs.
        // The delay is long (10 s) because under a full parallel test run one API call can take seconds: with 4 s the
        // release once reached the host after the fire time, and the action rightly went out.
        try await Task.sleep(for: .milliseconds(150))
        let (released, _) = try await host.call("POST", "/api/v1/inputs/2", json: #"{"active": false}"#)
        let releasedBy = Date()  // the host had taken the release by now
        #expect(released == 200)
        let (_, input2) = try await host.call("GET", "/api/v1/inputs/2")
        #expect(input2["active"] as? Bool == false, "the door engine took the release: \(input2)")
        let settled = try await waitFor {
            try await host.actions().first {
                $0["source"] as? String == "input 2" && ["skipped", "delivered"].contains($0["state"] as? String)
            }
        }
        let fireTime = (settled?["next_attempt_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
        if settled?["state"] as? String == "delivered", let fireTime, releasedBy.timeIntervalSince(fireTime) > -1 {
            // The machine was too slow for the scenario: the release may have reached the host after the fire time
            // (timestamps have 1 s resolution), when sending was right. Nothing to conclude either way.
            print("stillTriggered: release completed at \(releasedBy), fire time \(fireTime); inconclusive on this machine")
        } else {
            #expect(settled?["state"] as? String == "skipped", "released by \(releasedBy), action \(String(describing: settled))")
            #expect(settled?["last_error"] as? String == "input 2 no longer triggered at fire time")
        }

        // Input 3: pressed and held → sent when its delay is over.
        try await host.call("POST", "/api/v1/inputs/3", json: #"{"active": true}"#)
        let sent = try await waitFor {
            try await host.actions().first { $0["source"] as? String == "input 3" && $0["state"] as? String == "delivered" }
        }
        #expect(sent != nil)
        let paths = try await server.recordedRequests().compactMap { $0["path"] as? String }
        #expect(paths.contains("/still?input=3"))
    }

    @Test("a valid card calls its action URL (PIN masked) and drives the user's Shelly Gen2 web relay with SHA-256 Digest")
    func grantCallsActionURLAndWebRelay() async throws {
        let server = try await PythonPeer.start("http_peer.py", ["--user", "admin", "--password", "shelly-pass"])
        defer { server.stop() }
        let host = try await ActionsHost(
            actions: """
                [device]
                mac = "0C:11:05:00:00:01"

                [action_urls]
                valid_card = "http://127.0.0.1:\(server.port)/card?sn=$card_sn&user=$user&door=$door&mac=$mac&event=$event"
                invalid_card = "127.0.0.1:\(server.port)/bad?sn=$card_sn"
                valid_code = "http://127.0.0.1:\(server.port)/code?c=$code"

                [webrelay]
                type = "local_then_web_relay"
                address = "http://127.0.0.1:\(server.port)/digest-sha256"
                user = "admin"
                password = "shelly-pass"
                users = ["4001=7"]

                [[webrelay_action]]
                id = 7
                preset = "shelly_gen2"
                number = 0
                command = "pulse"
                seconds = 3
                """)
        try await host.addUser(pin: "4001", card: "777")
        // Another user for the PIN: a second pass of the same user within the door's punch interval is refused.
        try await host.addUser(pin: "4002", card: "778", code: "2468")
        let (_, granted) = try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "777"}"#)
        #expect(granted["granted"] as? Bool == true)
        let (_, denied) = try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "999"}"#)
        #expect(denied["granted"] as? Bool == false)
        try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "pin": "2468"}"#)

        _ = try await waitFor { try await server.recordedRequests().count >= 4 ? true : nil }
        let requests = try await server.recordedRequests()
        let paths = requests.compactMap { $0["path"] as? String }
        #expect(paths.contains("/card?sn=777&user=4001&door=1&mac=0C%3A11%3A05%3A00%3A00%3A01&event=valid_card"))
        #expect(paths.contains("/bad?sn=999"))
        #expect(paths.contains("/code?c=****"))
        let relay = try #require(requests.first { $0["path"] as? String == "/rpc" })
        #expect(relay["method"] as? String == "POST")
        let body = Data(base64Encoded: relay["body"] as? String ?? "").map { String(decoding: $0, as: UTF8.self) }
        #expect(body == #"{"id":1,"method":"Switch.Set","params":{"id":0,"on":true,"toggle_after":3}}"#)
        let authorization = (relay["headers"] as? [String: String])?["Authorization"] ?? ""
        #expect(authorization.hasPrefix("Digest ") && authorization.contains("SHA-256"))
        let journal = try await waitFor { try await host.siteEvents("webrelay.grant").first }
        #expect(journal?.hasPrefix("webrelay.grant: user=4001 webrelay=7 action=") == true)
    }

    @Test("with reveal_codes the typed PIN reaches the action URL, for valid and invalid codes alike")
    func revealedCodes() async throws {
        let server = try await PythonPeer.start("http_peer.py", [])
        defer { server.stop() }
        let host = try await ActionsHost(
            actions: """
                [action_urls]
                reveal_codes = true
                valid_code = "http://127.0.0.1:\(server.port)/ok?c=$code&user=$user"
                invalid_code = "http://127.0.0.1:\(server.port)/no?c=$code"
                """)
        try await host.addUser(pin: "7001", card: "7171", code: "13579")
        try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "pin": "13579"}"#)
        try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "pin": "24680"}"#)
        let paths = try await waitFor { () async throws -> [String]? in
            let paths = try await server.recordedRequests().compactMap { $0["path"] as? String }
            return paths.count >= 2 ? paths : nil
        }
        #expect(Set(paths ?? []) == ["/ok?c=13579&user=7001", "/no?c=24680"])
    }

    @Test("an action URL whose server is down at first is delivered once it is up, also across a host restart")
    func outboxRetriesAcrossRestart() async throws {
        let server = try await PythonPeer.start("http_peer.py", ["--listen-later"])
        defer { server.stop() }
        let port = server.port
        let actions = """
            [action_urls]
            valid_card = "http://127.0.0.1:\(port)/late?sn=$card_sn"
            """
        let first = try await ActionsHost(actions: actions)
        try await first.addUser(pin: "5001", card: "5151")
        try await first.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "5151"}"#)
        let failed = try await waitFor {
            try await first.actions().first {
                $0["source"] as? String == "action-url valid_card" && ($0["attempts"] as? Int ?? 0) >= 1
            }
        }
        #expect(failed?["state"] as? String == "pending")
        #expect((failed?["last_error"] as? String)?.isEmpty == false)
        await first.stop()

        try await server.listen()
        let second = try await ActionsHost(actions: actions, data: first.data, site: first.site)
        let delivered = try await waitFor {
            try await second.actions().first {
                $0["source"] as? String == "action-url valid_card" && $0["state"] as? String == "delivered"
            }
        }
        #expect(delivered?["id"] as? Int == failed?["id"] as? Int)
        let paths = try await server.recordedRequests().compactMap { $0["path"] as? String }
        #expect(paths == ["/late?sn=5151"])
    }

    @Test("Lua's snapshot{} and webrelay.fire use the site's cameras and web relays")
    func luaSnapshotAndWebRelay() async throws {
        let (camera, _) = try await Self.camera()
        defer { camera.stop() }
        let root = try temporaryDirectory("ftp-root")
        let ftp = try await PythonPeer.start("ftp_peer.py", ["--root", root.path])
        defer { ftp.stop() }
        let host = try await ActionsHost(
            actions: """
                [[camera]]
                name = "porch"
                url = "http://127.0.0.1:\(camera.port)/snapshot.jpg"

                [webrelay]
                address = "127.0.0.1:\(camera.port)"

                [[webrelay_action]]
                id = 3
                url = "state.xml?relayState=2"
                """,
            lua: """
                on('button', function(ev)
                  local shot, err = snapshot('porch')
                  if not shot then log.warn('snapshot failed: ' .. err) return end
                  local ok, perr = ftp.put{url = 'ftp://camera:upload@127.0.0.1:\(ftp.port)/lua/porch.jpg', data = shot.ref}
                  if not ok then log.warn('ftp failed: ' .. perr) end
                  local fired, ferr = webrelay.fire(3)
                  if not fired then log.warn('webrelay failed: ' .. ferr) end
                end)
                """)
        try await host.call("POST", "/api/v1/buttons/1/press")
        let bytes = await waitFor { try? Data(contentsOf: root.appendingPathComponent("lua/porch.jpg")) }
        #expect(bytes == ActionsPeers.snapshot)
        let fired = try await waitFor {
            try await camera.recordedRequests().first { $0["path"] as? String == "/state.xml?relayState=2" }
        }
        #expect(fired != nil)
        // The camera records the request before the outbox marks it delivered: wait for the mark, do not race it.
        let delivered = try await waitFor {
            try await host.actions().contains {
                $0["source"] as? String == "lua webrelay 3" && $0["state"] as? String == "delivered"
            } ? true : nil
        }
        #expect(delivered == true)
    }

    @Test("third-party verification decides cards it covers; the journal says which server said what")
    func thirdPartyVerification() async throws {
        let server = try await PythonPeer.start("http_peer.py", ["--accept", "123456"])
        defer { server.stop() }
        let host = try await ActionsHost(
            actions: """
                [device]
                device_id = "gate-1"

                [third_party]
                mode = "customize"
                methods = ["card"]
                url = "http://127.0.0.1:\(server.port)/api/visitor/scan?codeKey={Card}&deviceId={DeviceID}"
                success = "OK"
                failure = "DENY"
                """)
        let (_, accepted) = try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "123456"}"#)
        #expect(accepted["granted"] as? Bool == true)
        let (_, refused) = try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "654321"}"#)
        #expect(refused["granted"] as? Bool == false)
        let said = try await host.siteEvents("thirdparty")
        #expect(said.count == 2)
        #expect(
            said.first?.contains("server=http://127.0.0.1:\(server.port)/api/visitor/scan?codeKey=123456&deviceId=gate-1") == true
        )
        #expect(said.first?.contains("granted=true reason=success parameter matched status=200") == true)
        #expect(said.last?.contains("granted=false reason=failure parameter matched") == true)
    }

    @Test("the reception button fires its relay and URL and records the dial account; the relay change calls its action URL")
    func receptionButton() async throws {
        let server = try await PythonPeer.start("http_peer.py", [])
        defer { server.stop() }
        let host = try await ActionsHost(
            actions: """
                [reception]
                relays = [2]
                http_url = "127.0.0.1:\(server.port)/reception"
                dial_account = "Account 2"

                [action_urls]
                relay_triggered = "http://127.0.0.1:\(server.port)/relay?r2=$relay2status"
                """)
        try await host.call("POST", "/api/v1/buttons/reception/press")
        let called = try await waitFor { try await server.recordedRequests().first { $0["path"] as? String == "/reception" } }
        #expect(called != nil)
        let record = try await waitFor { try await host.siteEvents("reception").first }
        #expect(record?.hasPrefix("reception: dial_account=Account 2 relays=2 action=") == true)
        let (_, door) = try await host.call("GET", "/api/v1/doors/2")
        #expect(door["relay_active"] as? Bool == true)
        // The relay's own change, from the door engine's relay outputs, calls the relay action URL.
        #expect(try await waitFor { try await server.recordedRequests().first { $0["path"] as? String == "/relay?r2=1" } } != nil)
    }

    @Test(
        "a bad actions file refuses the start with file:line: key and exit 2",
        arguments: [
            ("[[input]]\nid = 1\nactions = [\"ftp\"]\n", 3, "input[1].actions: the ftp action needs a [ftp] section"),
            (
                "[webrelay]\ntype = \"web_relay_only\"\nusers = [\"1001=4\"]\n", 3,
                "webrelay.users: user 1001 refers to web relay action 4, which is not declared"
            ),
            ("[action_urls]\nvalid_crad = \"http://x/\"\n", 2, "action_urls.valid_crad: unknown key"),
            ("[[webrelay_action]]\nid = 51\nurl = \"x\"\n", 2, "webrelay_action[1].id: 51 is out of range 1...50"),
            (
                "[[camera]]\nname = \"a\"\nurl = \"ftp://x/\"\n", 3,
                "camera[1].url: a camera snapshot URL must be http:// or https://"
            ),
            (
                "# the four-door panel has inputs 1-8\n[[input]]\nid = 9\n", 2,
                "input: input 9 is not an input of the site (inputs: 1, 2, 3, 4, 5, 6, 7, 8)"
            ),
            ("[reception]\nrelays = [7]\n", 2, "reception.relays: relay 7 is not a relay of the site"),
        ])
    func badFileRefusesStart(text: String, line: Int, message: String) async throws {
        let site = try temporaryDirectory("site")
        try text.write(to: site.appendingPathComponent("actions.toml"), atomically: true, encoding: .utf8)
        let (status, _, stderr) = try await HostProcess.run([
            "run", "--data", try temporaryDirectory().path, "--site", site.path, "--http-listen", "127.0.0.1:0", "--push-listen",
            "off",
        ])
        #expect(status == 2)
        #expect(stderr.contains("actions.toml:\(line): \(message)"), "\(stderr)")
    }

    @Test("a bad edit on reload keeps the previous actions; a good one takes effect")
    func reloadKeepsPreviousOnError() async throws {
        let server = try await PythonPeer.start("http_peer.py", [])
        defer { server.stop() }
        let good = "[action_urls]\nvalid_card = \"http://127.0.0.1:\(server.port)/first?sn=$card_sn\"\n"
        let host = try await ActionsHost(actions: good)
        try await host.addUser(pin: "6001", card: "6161")
        // A second user for the second pass: the same user again within the door's punch interval is refused.
        try await host.addUser(pin: "6002", card: "6262")
        let file = host.site.appendingPathComponent("actions.toml")

        try "[action_urls]\nvalid_card = 42\n".write(to: file, atomically: true, encoding: .utf8)
        let refused = try await waitFor { try await host.siteEvents("actions.reload").first }
        #expect(refused?.contains("ok=false") == true)
        #expect(refused?.contains("actions.toml:2: action_urls.valid_card: expected a string, got a integer") == true)
        try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "6161"}"#)
        #expect(
            try await waitFor { try await server.recordedRequests().first { $0["path"] as? String == "/first?sn=6161" } } != nil)

        try "[action_urls]\nvalid_card = \"http://127.0.0.1:\(server.port)/second?sn=$card_sn\"\n".write(
            to: file, atomically: true, encoding: .utf8)
        #expect(try await waitFor { try await host.siteEvents("actions.reload").first { $0.contains("ok=true") } } != nil)
        try await host.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "6262"}"#)
        #expect(
            try await waitFor { try await server.recordedRequests().first { $0["path"] as? String == "/second?sn=6262" } } != nil)
    }
}
