import Foundation
import TestSupport
import Testing

/// Issue 18: the Akuvox-compatible API as real Akuvox clients use it, in the running host (`gatehouse run` on
/// loopback): pylocal-akuvox, the library under Home Assistant's local Akuvox integration, over Digest auth; and the
/// action URLs a client sets through `config/set`, fired for every way a relay opens.
@Suite("Akuvox API end to end with a real Akuvox client", .serialized)
struct AkuvoxClientEndToEndTests {
    /// `.venv-akuvox` (scripts/setup, Python 3.13): `GATEHOUSE_AKUVOX_PYTHON`, else the package's, else the repository's.
    static var python: URL? {
        if let override = ProcessInfo.processInfo.environment["GATEHOUSE_AKUVOX_PYTHON"] { return URL(fileURLWithPath: override) }
        return [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".venv-akuvox/bin/python"),
            ActionsPeers.repositoryRoot.appendingPathComponent(".venv-akuvox/bin/python"),
        ].first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static let script = ActionsPeers.repositoryRoot.appendingPathComponent("Tests/GatehouseTests/Peers/akuvox_client.py")

    static func startHost(auth: String, password: String = "") async throws -> (HostProcess, Int, AdminAPI) {
        let data = try temporaryDirectory()
        var environment = ["GATEHOUSE_AKUVOX_API_ENABLED": "true", "GATEHOUSE_AKUVOX_API_AUTH": auth, "TZ": "UTC"]
        if !password.isEmpty { environment["GATEHOUSE_AKUVOX_API_PASSWORD"] = password }
        let (host, port) = try await HostProcessTests.startHost(data: data, environment: environment)
        return (host, port, try AdminAPI(port: port, data: data))
    }

    @Test("pylocal-akuvox over Digest: info, status, users, relays, schedules, contacts, groups, config and logs")
    func realClient() async throws {
        guard let python = Self.python else {
            Issue.record("no .venv-akuvox with pylocal-akuvox (scripts/setup needs a Python 3.13)")
            return
        }
        let password = "ak-\(UUID().uuidString.prefix(8))"
        let (host, port, admin) = try await Self.startHost(auth: "digest", password: password)
        defer { host.terminate() }
        // A call before the client connects, so the call log has one.
        try await admin.call("POST", "/api/v1/dtmf", json: #"{"caller": "+4930111", "digits": "9"}"#)

        let run = try await runToEnd(python, [Self.script.path, "127.0.0.1:\(port)", "admin", password])
        let results = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: [String: Any]])
        func ok(_ step: String) -> Any? {
            #expect(results[step]?["error"] == nil, "\(step): \(results[step]?["error"] ?? "missing")")
            return results[step]?["ok"]
        }
        func list(_ step: String) -> [[String: Any]] { ok(step) as? [[String: Any]] ?? [] }
        func error(_ step: String) -> String { results[step]?["error"] as? String ?? "no error" }

        let info = try #require(ok("info") as? [String: Any])
        #expect(info["model"] as? String == "X916")
        #expect(info["firmware_version"] as? String == "916.30.10.114")
        #expect((info["mac_address"] as? String)?.count == 17)
        let status = try #require(ok("status") as? [String: Any])
        #expect(abs((status["unix_time"] as? Double ?? 0) - Date().timeIntervalSince1970) < 120)

        // Users: added, listed with device-assigned IDs, modified and deleted by ID; the door model has the result.
        _ = ok("add_alice")
        _ = ok("add_bob")
        #expect(list("users").map { $0["id"] as? String } == ["1", "2"])
        #expect(list("users").first?["schedule_relay"] as? String == "1001-1;")
        #expect(error("add_short_pin").contains("PIN"))
        let after = list("users_after")
        #expect(after.map { $0["user_id"] as? String } == ["501"])
        #expect(after.first?["name"] as? String == "Alice B")
        #expect(after.first?["private_pin"] as? String == "8642")
        let (aliceStatus, alice) = try await admin.call("GET", "/api/v1/users/501")
        #expect(aliceStatus == 200)
        #expect(alice["name"] as? String == "Alice B")
        #expect(try await admin.call("GET", "/api/v1/users/502").0 == 404)

        // Relays: the trigger opened door 1 (journalled as a remote open from the Akuvox API).
        #expect((ok("relays") as? [String: Any])?["RelayA"] as? Int == 1)

        // Schedules: added without an ID (numbered by the host), renamed, deleted; the built-ins stay.
        let office = list("schedules").first { $0["name"] as? String == "Office" }
        #expect(office?["week"] as? String == "12345")
        #expect(office?["schedule_type"] as? String == "1")
        #expect(list("schedules_after_modify").contains { $0["name"] as? String == "Office hours" })
        _ = ok("delete_schedule")
        #expect(!list("schedules_after").contains { ($0["name"] as? String)?.hasPrefix("Office") == true })
        #expect(list("schedules_after").prefix(2).map { $0["id"] as? String } == ["1001", "1002"])

        // The phone book, stored in SQLite.
        #expect(list("groups").map { $0["name"] as? String } == ["Family"])
        #expect(list("contacts").first?["phone"] as? String == "+4930111")
        #expect(error("add_contact_unknown_group").contains("Group"))
        #expect(list("contacts_after_modify").first?["phone"] as? String == "+4930222")
        _ = ok("delete_contact")
        #expect(list("groups_after_modify").map { $0["name"] as? String } == ["Relatives"])
        _ = ok("delete_group")
        #expect(list("groups_after").isEmpty)

        // Config: a mapped key changes the relay (the native API shows it); an unknown key is refused by name.
        let config = (ok("config_after") as? [String: Any])?["data"] as? [String: Any]
        #expect(config?["Config.DoorSetting.RELAY.HoldDelayA"] as? String == "7")
        #expect(error("set_unknown_config").contains("Config.Network.LAN.IPAddress"))
        #expect(try await admin.call("GET", "/api/v1/relays/1").1["hold_delay"] as? Int == 7)

        // Logs, newest first: the trigger's remote open, and the call made before the client connected.
        #expect(list("door_logs").first?["relay"] as? String == "1")
        #expect(list("door_logs").first?["status"] as? String == "0")
        // pylocal-akuvox names the `Num` field `count`; Gatehouse puts the caller's number there, as the manual's
        // example does, and the contact's name (or the number) in `Name`.
        #expect(list("call_logs").map { $0["name"] as? String } == ["+4930111"])
        #expect(list("call_logs").first?["call_type"] as? String == "Received")
    }

    @Test("action URLs set through config/set fire for card, PIN, DTMF, API and exit-button opens; $code is masked")
    func actionURLsForEveryOpen() async throws {
        let peer = try await PythonPeer.start("http_peer.py", [])
        defer { peer.stop() }
        let (host, port, admin) = try await Self.startHost(auth: "none")
        defer { host.terminate() }
        try await admin.call(
            "POST", "/api/v1/users",
            json:
                #"{"pin": "77", "cards": [{"number": "5151"}], "pin_code": "2468", "authorizations": [{"timezone": 1, "doors": [1]}]}"#
        )

        // As clients send it: a JSON body labelled text/plain.
        let body = #"""
            {"target": "config", "action": "set", "data": {
              "Config.Features.ACTIONURL.RelayATriggered": "http://127.0.0.1:\#(peer.port)/relay?s=$relay1status",
              "Config.Features.ACTIONURL.ValidCodeEntered": "http://127.0.0.1:\#(peer.port)/code?c=$code&user=$user",
              "Config.Features.ACTIONURL.InputHTriggered": "http://127.0.0.1:\#(peer.port)/input?s=$input8status",
              "Config.Features.ACTIONURL.InputBreakIn": "http://127.0.0.1:\#(peer.port)/breakin?door=$door",
              "Config.Features.ACTIONURL.DoorLog": "http://127.0.0.1:\#(peer.port)/doorlog?user=$user",
              "Config.DoorSetting.RELAY.HoldDelayA": "1",
              "Config.DoorSetting.DTMF.Code1": "5"}}
            """#
        let (status, reply) = try await httpExchange(
            "POST", "http://127.0.0.1:\(port)/api/config/set", headers: ["Content-Type": "text/plain"], body: Data(body.utf8))
        #expect(status == 200)
        #expect(String(decoding: reply, as: UTF8.self) == #"{"retcode":0,"action":"set","message":"OK"}"#)

        let opens: [(String, () async throws -> Void)] = [
            ("card", { try await admin.call("POST", "/api/v1/access", json: #"{"door": 1, "card": "5151"}"#) }),
            ("PIN", { try await admin.call("POST", "/api/v1/access", json: #"{"door": 1, "pin": "2468"}"#) }),
            ("DTMF", { try await admin.call("POST", "/api/v1/dtmf", json: #"{"caller": "+4930111", "digits": "5"}"#) }),
            ("API", { _ = try await httpGet("http://127.0.0.1:\(port)/fcgi/OpenDoor?action=OpenDoor&DoorNum=1") }),
            ("exit button", { try await admin.call("POST", "/api/v1/buttons/1/press") }),
        ]
        for (index, (way, open)) in opens.enumerated() {
            _ = await waitFor(within: 10) {
                try? await admin.call("GET", "/api/v1/relays/1").1["active"] as? Bool == false ? true : nil
            }
            try await open()
            let count = await waitFor(within: 10) {
                let hits = try? await peer.recordedRequests().filter { ($0["path"] as? String)?.hasPrefix("/relay?") == true }
                return (hits?.count ?? 0) > index ? hits?.count : nil
            }
            #expect(count == index + 1, "RelayATriggered after the \(way) open")
        }
        let relayPaths = try await peer.recordedRequests().compactMap { $0["path"] as? String }.filter { $0.hasPrefix("/relay?") }
        #expect(relayPaths.count == opens.count)
        #expect(relayPaths.allSatisfy { $0.hasPrefix("/relay?s=1") }, "$relay1status is 1 when the relay opened: \(relayPaths)")
        let codes = try await peer.recordedRequests().compactMap { $0["path"] as? String }.filter { $0.hasPrefix("/code?") }
        #expect(codes == ["/code?c=****&user=77"], "the PIN must not travel in clear")
        // DoorLog: one per door-log entry (the card, the PIN, the DTMF and the API opens; an exit button is not one).
        let doorLog = try await peer.recordedRequests().compactMap { $0["path"] as? String }.filter { $0.hasPrefix("/doorlog?") }
        #expect(doorLog.count == 4, "\(doorLog)")
        #expect(doorLog.prefix(2) == ["/doorlog?user=77", "/doorlog?user=77"])

        // Door 4's sensor (input 8) opening while its lock is shut: the input's URL and the break-in's.
        try await admin.call("POST", "/api/v1/inputs/8", json: #"{"active": true}"#)
        let inputPaths = await waitFor(within: 10) {
            let paths = try? await peer.recordedRequests().compactMap { $0["path"] as? String }
                .filter { $0.hasPrefix("/input?") || $0.hasPrefix("/breakin?") }
            return (paths?.count ?? 0) >= 2 ? paths : nil
        }
        #expect(Set(inputPaths ?? []) == ["/input?s=1", "/breakin?door=4"])
    }
}
