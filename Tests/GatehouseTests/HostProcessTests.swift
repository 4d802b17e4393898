import Foundation
import Testing

/// The real host process, as an operator runs it.
@Suite("gatehouse run", .serialized)
struct HostProcessTests {
    /// Starts the host on an ephemeral port and returns it with the port it bound.
    static func startHost(data: URL, site: URL? = nil, extra: [String] = [], environment: [String: String] = [:]) async throws
        -> (HostProcess, Int)
    {
        var arguments = [
            "run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "off", "--log-format", "json",
        ]
        if let site { arguments += ["--site", site.path] }
        let host = try HostProcess(arguments + extra, environment: environment)
        guard let port = await host.listeningPort("http listening") else {
            host.terminate()
            throw HostTestError.didNotStart(host.stderr)
        }
        return (host, port)
    }

    enum HostTestError: Error { case didNotStart(String) }

    @Test("serves /healthz with database and script state, then stops on SIGTERM within 5 s")
    func healthz() async throws {
        let data = try temporaryDirectory()
        let site = try temporarySite(mainLua: "log.info('hello from the test site')\n")
        let (host, port) = try await Self.startHost(data: data, site: site)
        defer { host.terminate() }

        let (status, body) = try await httpGet("http://127.0.0.1:\(port)/healthz")
        #expect(status == 200)
        let report = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(report["status"] as? String == "ok")
        #expect(report["version"] as? String == "0.1.0")
        #expect((report["uptime_s"] as? Double ?? -1) >= 0)
        let database = try #require(report["database"] as? [String: Any])
        #expect((database["path"] as? String)?.hasSuffix("gatehouse.sqlite") == true)
        #expect((database["schema_version"] as? Int ?? 0) >= 1)
        let script = try #require(report["script"] as? [String: Any])
        #expect(script["ok"] as? Bool == true)
        #expect((script["version"] as? String)?.isEmpty == false)

        host.process.terminate()  // SIGTERM
        // Generous: on a loaded runner this test's own polling may lag. The host's promise is read from its log.
        let exit = await host.waitForExit(timeout: 30)
        #expect(exit == 0)
        let stopping = try #require(Self.logTime(of: "stopping", in: host.stderr))
        let stopped = try #require(Self.logTime(of: "stopped", in: host.stderr))
        #expect(stopped.timeIntervalSince(stopping) >= 0)
        #expect(stopped.timeIntervalSince(stopping) < 5)
    }

    /// The `ts` of the first JSON log line whose `msg` is `message`.
    static func logTime(of message: String, in log: String) -> Date? {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for line in log.split(separator: "\n") {
            guard let data = line.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                object["msg"] as? String == message, let ts = object["ts"] as? String
            else { continue }
            return parser.date(from: ts)
        }
        return nil
    }

    @Test("a broken site script leaves the host up and reports file:line on /healthz")
    func brokenScriptIsReported() async throws {
        let data = try temporaryDirectory()
        let site = try temporarySite(mainLua: "local x = \nif then\n")
        let (host, port) = try await Self.startHost(data: data, site: site)
        defer { host.terminate() }
        let (status, body) = try await httpGet("http://127.0.0.1:\(port)/healthz")
        #expect(status == 200)
        let report = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(report["status"] as? String == "degraded")
        let script = try #require(report["script"] as? [String: Any])
        #expect(script["ok"] as? Bool == false)
        #expect((script["error"] as? String)?.hasPrefix("main.lua:2:") == true)
    }

    @Test("first start writes admin.token with mode 0600, logs its path only, and the token opens the API")
    func adminToken() async throws {
        let data = try temporaryDirectory()
        let (host, port) = try await Self.startHost(data: data)
        defer { host.terminate() }
        let tokenPath = data.appendingPathComponent("admin.token").path
        let attributes = try FileManager.default.attributesOfItem(atPath: tokenPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let token = try String(contentsOfFile: tokenPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("gh_"))
        #expect(host.stderr.contains("admin.token"))
        #expect(!host.stderr.contains(token))

        let (denied, deniedBody) = try await httpGet("http://127.0.0.1:\(port)/api/v1/scripts")
        #expect(denied == 401)
        #expect(String(decoding: deniedBody, as: UTF8.self).contains("\"error\":\"unauthorized\""))
        let (wrong, _) = try await httpGet(
            "http://127.0.0.1:\(port)/api/v1/scripts", bearer: "gh_00000000_" + String(repeating: "0", count: 64))
        #expect(wrong == 401)
        let (allowed, _) = try await httpGet("http://127.0.0.1:\(port)/api/v1/scripts", bearer: token)
        #expect(allowed == 200)

        // The database holds only a hash of the token.
        let database = try Data(contentsOf: data.appendingPathComponent("gatehouse.sqlite"))
        #expect(database.range(of: Data(token.dropFirst(12).utf8)) == nil)

        // A second start keeps the existing token.
        host.process.terminate()
        await host.waitForExit()
        let (again, _) = try await Self.startHost(data: data)
        defer { again.terminate() }
        #expect(try String(contentsOfFile: tokenPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == token)
    }

    @Test("what the host writes in its data directory is readable by its user only")
    func dataIsPrivate() async throws {
        let data = try temporaryDirectory()
        let site = try temporarySite(mainLua: "log.info('hello')\n")
        let (host, port) = try await Self.startHost(data: data, site: site)
        defer { host.terminate() }
        _ = try await httpGet("http://127.0.0.1:\(port)/healthz")
        let manager = FileManager.default
        let names = try manager.subpathsOfDirectory(atPath: data.path)
        #expect(names.contains("gatehouse.sqlite") && names.contains("scripts-last-good"), "\(names)")
        for name in names {
            let attributes = try manager.attributesOfItem(atPath: data.appendingPathComponent(name).path)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            #expect(mode & 0o077 == 0, "\(name) has mode \(String(mode, radix: 8))")
        }
    }

    /// The listener named on the command line is given a port the first host holds; the other one stays out of
    /// the way (PUSH off, or HTTP on a free port, so a message naming port 0 would be the wrong listener's).
    @Test(
        "a busy port is one clear line naming that listener's address, and exit 2",
        arguments: [
            ("--http-listen", ["--push-listen", "off"]), ("--push-listen", ["--http-listen", "127.0.0.1:0"]),
        ])
    func busyPort(listener: String, other: [String]) async throws {
        let (first, port) = try await Self.startHost(data: try temporaryDirectory())
        defer { first.terminate() }
        let (status, _, stderr) = try await HostProcess.run(
            ["run", "--data", try temporaryDirectory().path, listener, "127.0.0.1:\(port)"] + other)
        #expect(status == 2)
        #expect(stderr.contains("gatehouse: cannot listen on 127.0.0.1:\(port): "), "\(stderr)")
        #expect(!stderr.contains("cannot listen on 127.0.0.1:0"))
        #expect(!stderr.contains("Fatal error"))
    }

    @Test("an unwritable data directory is one clear line and exit 2")
    func unwritableDataDirectory() async throws {
        let parent = try temporaryDirectory()
        let file = parent.appendingPathComponent("not-a-directory")
        try Data().write(to: file)
        let (status, _, stderr) = try await HostProcess.run([
            "run", "--data", file.appendingPathComponent("data").path, "--push-listen", "off",
        ])
        #expect(status == 2)
        #expect(stderr.contains("gatehouse: data directory error: "))
        #expect(stderr.split(separator: "\n").count == 1)
    }
}

@Suite("site scripts in the running host", .serialized)
struct HostScriptTests {
    @Test("a credential hook refuses a card the built-in rule grants; the journal says a script refused it")
    func credentialHookRefuses() async throws {
        let data = try temporaryDirectory()
        let site = try temporarySite(
            mainLua: """
                on("credential", function(ev)
                  if ev.card == "666" then return {deny = "blocked by the site"} end
                end)
                """)
        let (host, port) = try await HostProcessTests.startHost(data: data, site: site)
        defer { host.terminate() }
        let token = try String(contentsOfFile: data.appendingPathComponent("admin.token").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        func post(_ path: String, _ body: String) async throws -> [String: Any] {
            let (_, data) = try await httpExchange(
                "POST", "http://127.0.0.1:\(port)\(path)", headers: ["Authorization": "Bearer \(token)"], body: Data(body.utf8))
            return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        }
        _ = try await post(
            "/api/v1/users",
            #"{"pin": "1", "cards": [{"number": "666"}, {"number": "777"}], "authorizations": [{"timezone": 1, "doors": [1]}]}"#)
        let refused = try await post("/api/v1/access", #"{"door": 1, "card": "666"}"#)
        #expect(refused["granted"] as? Bool == false)
        #expect(refused["reason"] as? String == "refusedByScript")
        let granted = try await post("/api/v1/access", #"{"door": 1, "card": "777"}"#)
        #expect(granted["granted"] as? Bool == true)
    }
}

@Suite("admin API authentication", .serialized)
struct AuthenticationTests {
    @Test("ten wrong tokens from one address get 429 with Retry-After, even for the right token")
    func rateLimited() async throws {
        let data = try temporaryDirectory()
        let (host, port) = try await HostProcessTests.startHost(data: data)
        defer { host.terminate() }
        let token = try String(contentsOfFile: data.appendingPathComponent("admin.token").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for _ in 0..<10 {
            let (status, _) = try await httpGet(
                "http://127.0.0.1:\(port)/api/v1/doors", bearer: "gh_00000000_" + String(repeating: "1", count: 64))
            #expect(status == 401)
        }
        let (limited, body) = try await httpGet("http://127.0.0.1:\(port)/api/v1/doors", bearer: token)
        #expect(limited == 429)
        #expect(String(decoding: body, as: UTF8.self).contains("too_many_failures"))
        let (health, _) = try await httpGet("http://127.0.0.1:\(port)/healthz")
        #expect(health == 200, "health stays open")
    }
}

@Suite("PUSH server in the running host", .serialized)
struct HostPushServerTests {
    @Test("a device registers on the PUSH listener and is listed by the admin API")
    func deviceRegisters() async throws {
        let data = try temporaryDirectory()
        let host = try HostProcess(
            ["run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "127.0.0.1:0", "--log-format", "json"],
            environment: ["GATEHOUSE_PUSH_REGISTRATION": "open"])
        defer { host.terminate() }
        let pushPort = try #require(await host.listeningPort("push listening"), "\(host.stderr)")
        let httpPort = try #require(await host.listeningPort("http listening"), "\(host.stderr)")
        let token = try String(contentsOfFile: data.appendingPathComponent("admin.token").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let (initStatus, initBody) = try await httpGet(
            "http://127.0.0.1:\(pushPort)/iclock/cdata?SN=GH0001&options=all&pushver=3.1.2")
        #expect(initStatus == 200, "\(String(decoding: initBody, as: UTF8.self))")
        let (registryStatus, registryBody) = try await httpExchange(
            "POST", "http://127.0.0.1:\(pushPort)/iclock/registry?SN=GH0001",
            body: Data("DeviceType=acc,~DeviceName=Lobby,FirmVer=Ver 8.0.1.3-20151229,LockCount=2,ReaderCount=4".utf8))
        #expect(registryStatus == 200)
        #expect(String(decoding: registryBody, as: UTF8.self).contains("RegistryCode="))

        let (listStatus, list) = try await httpGet("http://127.0.0.1:\(httpPort)/api/v1/devices", bearer: token)
        #expect(listStatus == 200)
        #expect(String(decoding: list, as: UTF8.self).contains("GH0001"))
    }
}
