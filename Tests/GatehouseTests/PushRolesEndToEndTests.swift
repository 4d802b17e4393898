import Foundation
import Testing

/// Two real `gatehouse run` processes over loopback: one is the PUSH server (`push.listen`,
/// `push.registration = open`), the other a Gatehouse controller registered with it through `[upstream]`. Everything
/// is driven and observed through the two hosts' REST APIs, as an operator would.
@Suite("PUSH roles end to end: Gatehouse device ↔ Gatehouse server", .serialized)
struct PushRolesEndToEndTests {
    struct Host {
        let process: HostProcess
        let httpPort: Int
        let pushPort: Int?
        let token: String

        var api: String { "http://127.0.0.1:\(httpPort)/api/v1" }
    }

    enum EndToEndError: Error { case didNotStart(String) }

    static func token(_ data: URL) throws -> String {
        try String(contentsOfFile: data.appendingPathComponent("admin.token").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A PUSH server host; `pushPort` 0 picks a free port (a restart passes the port it had).
    static func startServer(data: URL, pushPort: Int = 0) async throws -> Host {
        let process = try HostProcess(
            [
                "run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "127.0.0.1:\(pushPort)",
                "--log-format", "json",
            ],
            environment: ["GATEHOUSE_PUSH_REGISTRATION": "open"])
        guard let push = await process.listeningPort("push listening"), let http = await process.listeningPort("http listening")
        else {
            process.terminate()
            throw EndToEndError.didNotStart(process.stderr)
        }
        return Host(process: process, httpPort: http, pushPort: push, token: try token(data))
    }

    /// `startServer` on the port a killed server had. While it was down, one of the run's many outgoing
    /// connections may have taken that port as its local port; the kernel refuses the bind until that connection
    /// ends, so a refused bind is retried for a while.
    static func restartServer(data: URL, pushPort: Int) async throws -> Host {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                return try await startServer(data: data, pushPort: pushPort)
            } catch EndToEndError.didNotStart(let stderr) where stderr.contains("address already in use") {
                guard ContinuousClock.now < deadline else { throw EndToEndError.didNotStart(stderr) }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// A controller host registered with `server` as `serial`.
    static func startDevice(data: URL, server: String, serial: String) async throws -> Host {
        let process = try HostProcess(
            ["run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "off", "--log-format", "json"],
            environment: [
                "GATEHOUSE_UPSTREAM_ENABLED": "true", "GATEHOUSE_UPSTREAM_SERVER": server,
                "GATEHOUSE_UPSTREAM_SERIAL_NUMBER": serial, "GATEHOUSE_UPSTREAM_DEVICE_NAME": "E2E controller",
                "GATEHOUSE_UPSTREAM_MAX_RETRY_S": "1",
            ])
        guard let http = await process.listeningPort("http listening") else {
            process.terminate()
            throw EndToEndError.didNotStart(process.stderr)
        }
        return Host(process: process, httpPort: http, pushPort: nil, token: try token(data))
    }

    static func call(_ method: String, _ url: String, token: String, json: String? = nil) async throws -> (Int, Any?) {
        var headers = ["Authorization": "Bearer \(token)"]
        if json != nil { headers["Content-Type"] = "application/json" }
        let (status, data) = try await httpExchange(method, url, headers: headers, body: json.map { Data($0.utf8) })
        return (status, try? JSONSerialization.jsonObject(with: data))
    }

    /// Re-checks `condition` until it holds or `timeout` passes: the two processes run on their own clocks, so
    /// the test can only observe, not drive, their time.
    static func eventually(_ timeout: TimeInterval, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try await condition()
    }

    /// Every journal entry of a host (paged).
    static func events(_ host: Host) async throws -> [[String: Any]] {
        var all: [[String: Any]] = []
        var after = 0
        while true {
            let (status, body) = try await call("GET", "\(host.api)/events?after=\(after)&limit=1000", token: host.token)
            guard status == 200, let page = body as? [String: Any], let events = page["events"] as? [[String: Any]] else {
                return all
            }
            all += events
            guard events.count == 1000, let next = page["next"] as? Int else { return all }
            after = next
        }
    }

    static func enqueue(_ server: Host, _ serial: String, _ command: String) async throws -> Int {
        let body = try JSONSerialization.data(withJSONObject: ["command": command])
        let (status, reply) = try await call(
            "POST", "\(server.api)/devices/\(serial)/commands", token: server.token, json: String(decoding: body, as: UTF8.self))
        guard status == 201, let id = (reply as? [String: Any])?["id"] as? Int else {
            throw EndToEndError.didNotStart("enqueue answered \(status): \(String(describing: reply))")
        }
        return id
    }

    static func command(_ server: Host, _ serial: String, _ id: Int) async throws -> [String: Any] {
        let (_, reply) = try await call("GET", "\(server.api)/devices/\(serial)/commands/\(id)", token: server.token)
        return reply as? [String: Any] ?? [:]
    }

    static func returnCode(_ command: [String: Any]) -> Int? {
        (command["return_code"] ?? command["returnCode"]) as? Int
    }

    static func deviceIsRegistered(_ server: Host, _ serial: String) async throws -> Bool {
        let (status, body) = try await call("GET", "\(server.api)/devices/\(serial)", token: server.token)
        return status == 200 && (body as? [String: Any])?["status"] as? String == "approved"
    }

    @Test(
        "register, sync 1,000 users with cards and authorisations, open and lock doors remotely, and a card presented on the device reaches the server's journal"
    )
    func registerSyncControlAndUpload() async throws {
        let serverData = try temporaryDirectory("e2e-server")
        let deviceData = try temporaryDirectory("e2e-device")
        let server = try await Self.startServer(data: serverData)
        defer { server.process.terminate() }
        let serial = "GHE2E0001"
        let device = try await Self.startDevice(
            data: deviceData, server: "http://127.0.0.1:\(server.pushPort ?? 0)", serial: serial)
        defer { device.process.terminate() }

        // Register.
        #expect(try await Self.eventually(30) { try await Self.deviceIsRegistered(server, serial) }, "\(device.process.stderr)")
        let (_, listed) = try await Self.call("GET", "\(server.api)/devices/\(serial)", token: server.token)
        let record = try #require(listed as? [String: Any])
        #expect((record["lock_count"] ?? record["lockCount"]) as? Int == 4)
        #expect((record["device_name"] ?? record["deviceName"]) as? String == "E2E controller")

        // Sync 1,000 users with cards and authorisations: 10 user and 10 userauthorize commands of 100 records.
        var ids: [Int] = []
        for batch in 0..<10 {
            let users = (1...100).map { offset -> String in
                let pin = batch * 100 + offset
                return
                    "CardNo=\(1_000_000 + pin)\tPin=\(pin)\tPassword=\tGroup=1\tStartTime=0\tEndTime=0\tName=User \(pin)\tPrivilege=0"
            }.joined(separator: "\n")
            ids.append(try await Self.enqueue(server, serial, "DATA UPDATE user " + users))
            let rights = (1...100).map { "Pin=\(batch * 100 + $0)\tAuthorizeTimezoneId=1\tAuthorizeDoorId=15" }.joined(
                separator: "\n")
            ids.append(try await Self.enqueue(server, serial, "DATA UPDATE userauthorize " + rights))
        }
        let started = Date()
        let synced = try await Self.eventually(120) {
            for id in ids where try await Self.command(server, serial, id)["state"] as? String != "succeeded" { return false }
            return true
        }
        let syncSeconds = Date().timeIntervalSince(started)
        let lastCommand = try await Self.command(server, serial, ids.last ?? 0)
        #expect(synced, "\(lastCommand)")
        var pins = Set<String>()
        var cursor: String? = nil
        repeat {
            let query = cursor.map { "&cursor=\($0)" } ?? ""
            let (status, body) = try await Self.call("GET", "\(device.api)/users?limit=1000\(query)", token: device.token)
            #expect(status == 200)
            let page = try #require(body as? [String: Any])
            for user in page["users"] as? [[String: Any]] ?? [] {
                if let pin = user["pin"] as? String { pins.insert(pin) }
            }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        #expect(pins.count == 1000)
        let (_, user500) = try await Self.call("GET", "\(device.api)/users/500", token: device.token)
        let user = try #require(user500 as? [String: Any])
        #expect((user["cards"] as? [[String: Any]])?.first?["number"] as? String == "1000500")
        #expect((user["authorizations"] as? [[String: Any]])?.first?["doors"] as? [Int] == [1, 2, 3, 4])
        print("e2e: 1,000 users with cards and authorisations synced in \(String(format: "%.1f", syncSeconds)) s")

        // Open door 2 for 5 s remotely (CONTROL DEVICE): the device executes it and journals a remote opening.
        let open = try await Self.enqueue(server, serial, "CONTROL DEVICE 01020105")
        #expect(try await Self.eventually(30) { Self.returnCode(try await Self.command(server, serial, open)) == 0 })
        #expect(try await Self.events(device).contains { $0["event"] as? Int == 8 && $0["door"] as? Int == 2 })

        // Lock door 1 (mask flag): a valid card is refused with event 63; unlock, and it opens again.
        let lock = try await Self.enqueue(server, serial, "CONTROL DEVICE 06010100")
        #expect(try await Self.eventually(30) { Self.returnCode(try await Self.command(server, serial, lock)) == 0 })
        let (_, refused) = try await Self.call(
            "POST", "\(device.api)/access", token: device.token, json: #"{"door": 1, "reader": 1, "card": "1000500"}"#)
        #expect((refused as? [String: Any])?["event"] as? Int == 63)
        let unlock = try await Self.enqueue(server, serial, "CONTROL DEVICE 06010000")
        #expect(try await Self.eventually(30) { Self.returnCode(try await Self.command(server, serial, unlock)) == 0 })

        // A card presented on the device appears in the server's journal, tagged with the device's serial.
        let (status, granted) = try await Self.call(
            "POST", "\(device.api)/access", token: device.token, json: #"{"door": 1, "reader": 1, "card": "1000500"}"#)
        #expect(status == 200)
        #expect((granted as? [String: Any])?["granted"] as? Bool == true)
        let arrived = try await Self.eventually(30) {
            try await Self.events(server).contains {
                $0["source"] as? String == "push:\(serial)" && $0["card"] as? String == "1000500" && $0["pin"] as? String == "500"
                    && $0["event"] as? Int == 0 && $0["door"] as? Int == 1
            }
        }
        #expect(arrived)
        // The remote opening went up too; the server's own view of its device events never comes back down.
        #expect(
            try await Self.events(server).contains { $0["source"] as? String == "push:\(serial)" && $0["event"] as? Int == 8 })

        // DATA COUNT goes through querydata and the result carries the count.
        let count = try await Self.enqueue(server, serial, "DATA COUNT user")
        #expect(try await Self.eventually(30) { Self.returnCode(try await Self.command(server, serial, count)) == 1000 })
    }

    @Test("kill -9 of the server while the device uploads loses and duplicates nothing once it is back")
    func serverCrashDuringUpload() async throws {
        let serverData = try temporaryDirectory("e2e-server")
        let deviceData = try temporaryDirectory("e2e-device")
        var server = try await Self.startServer(data: serverData)
        let pushPort = try #require(server.pushPort)
        let serial = "GHE2E0002"
        let device = try await Self.startDevice(data: deviceData, server: "http://127.0.0.1:\(pushPort)", serial: serial)
        defer { device.process.terminate() }
        #expect(try await Self.eventually(30) { try await Self.deviceIsRegistered(server, serial) }, "\(device.process.stderr)")

        // Unknown cards, each a distinct number: every presentation is one refused event on the device.
        let total = 400
        let crashAfter = 150
        var cards: [String] = []
        for number in 0..<total {
            if number == crashAfter {
                kill(server.process.process.processIdentifier, SIGKILL)  // mid-stream: uploads are in flight
                _ = await server.process.waitForExit(timeout: 10)
            }
            let card = String(5_000_000 + number)
            cards.append(card)
            let (status, _) = try await Self.call(
                "POST", "\(device.api)/access", token: device.token, json: #"{"door": 1, "reader": 1, "card": "\#(card)"}"#)
            #expect(status == 200)
        }

        // The server comes back on the same port with the same database; the device resumes from its cursor.
        server = try await Self.restartServer(data: serverData, pushPort: pushPort)
        defer { server.process.terminate() }
        var fromDevice: [String] = []
        let complete = try await Self.eventually(90) {
            fromDevice = try await Self.events(server).filter { $0["source"] as? String == "push:\(serial)" }.compactMap {
                $0["card"] as? String
            }
            return Set(fromDevice).isSuperset(of: cards)
        }
        #expect(complete, "\(Set(cards).subtracting(fromDevice).count) of \(total) events missing on the server")
        let counts = Dictionary(fromDevice.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.values.allSatisfy { $0 == 1 }, "duplicated: \(counts.filter { $0.value > 1 }.keys.sorted().prefix(10))")
        #expect(fromDevice.count == total)
        print(
            "e2e: \(total) events, server killed after \(crashAfter): \(fromDevice.count) on the server, \(counts.filter { $0.value > 1 }.count) duplicated"
        )
    }

    @Test(
        "kill -9 of the device right after its events are journalled: after its restart it resumes from its cursor, nothing lost or doubled"
    )
    func deviceCrashAndRestart() async throws {
        let serverData = try temporaryDirectory("e2e-server")
        let deviceData = try temporaryDirectory("e2e-device")
        let server = try await Self.startServer(data: serverData)
        defer { server.process.terminate() }
        let serial = "GHE2E0003"
        let url = "http://127.0.0.1:\(server.pushPort ?? 0)"
        var device = try await Self.startDevice(data: deviceData, server: url, serial: serial)
        #expect(try await Self.eventually(30) { try await Self.deviceIsRegistered(server, serial) }, "\(device.process.stderr)")
        var cards: [String] = []
        for round in 0..<2 {
            for number in 0..<150 {
                let card = String(7_000_000 + round * 1000 + number)
                cards.append(card)
                let (status, _) = try await Self.call(
                    "POST", "\(device.api)/access", token: device.token, json: #"{"door": 2, "reader": 2, "card": "\#(card)"}"#)
                #expect(status == 200)
            }
            if round == 0 {
                kill(device.process.process.processIdentifier, SIGKILL)  // uploads of the last entries are in flight
                _ = await device.process.waitForExit(timeout: 10)
                device = try await Self.startDevice(data: deviceData, server: url, serial: serial)
            }
        }
        defer { device.process.terminate() }
        var fromDevice: [String] = []
        let complete = try await Self.eventually(60) {
            fromDevice = try await Self.events(server).filter { $0["source"] as? String == "push:\(serial)" }.compactMap {
                $0["card"] as? String
            }
            return Set(fromDevice).isSuperset(of: cards)
        }
        #expect(complete, "\(Set(cards).subtracting(fromDevice).count) of \(cards.count) events missing on the server")
        #expect(fromDevice.count == cards.count, "duplicates: \(fromDevice.count - Set(fromDevice).count)")
    }

    @Test(
        "gatehouse simulate-device: three virtual controllers register with a Gatehouse server and their swipes reach its journal"
    )
    func simulatedControllers() async throws {
        let serverData = try temporaryDirectory("e2e-server")
        let server = try await Self.startServer(data: serverData)
        defer { server.process.terminate() }
        let (status, output, errors) = try await HostProcess.run([
            "simulate-device", "--server", "http://127.0.0.1:\(server.pushPort ?? 0)", "--sn", "SIM", "--count", "3",
            "--events-per-second", "20", "--duration", "4",
        ])
        #expect(status == 0, "\(errors)")
        #expect(output.contains("simulated 3 device(s)"))
        for serial in ["SIM-0001", "SIM-0002", "SIM-0003"] {
            #expect(try await Self.deviceIsRegistered(server, serial), "\(serial)")
        }
        let arrived = try await Self.eventually(10) {
            try await Self.events(server).contains { ($0["source"] as? String)?.hasPrefix("push:SIM-") == true }
        }
        #expect(arrived)
    }

    @Test("an [upstream] section without a server is refused at start with the key named")
    func upstreamNeedsAServer() async throws {
        let data = try temporaryDirectory("e2e-device")
        let (status, _, errors) = try await HostProcess.run(
            ["run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "off"],
            environment: ["GATEHOUSE_UPSTREAM_ENABLED": "true", "GATEHOUSE_UPSTREAM_SERIAL_NUMBER": "GH1"])
        #expect(status != 0)
        #expect(errors.contains("upstream.server"), "\(errors)")
    }
}
