import Foundation
import Testing

/// `/metrics` as a dashboard reads it: PUSH fleet gauges and script reload counters, against a real host process.
@Suite("Metrics")
struct MetricsTests {
    @Test("PUSH devices online, pending approval and the command queue depth are exported; script reloads are counted")
    func pushFleetAndReloads() async throws {
        let data = try temporaryDirectory()
        let site = try temporarySite(mainLua: "log.info('metrics site')\n")
        let host = try HostProcess(
            [
                "run", "--data", data.path, "--site", site.path, "--http-listen", "127.0.0.1:0", "--push-listen", "127.0.0.1:0",
                "--log-format", "json",
            ],
            environment: ["GATEHOUSE_PUSH_REGISTRATION": "open"])
        defer { host.terminate() }
        let http = try #require(await host.listeningPort("http listening"), "host did not start: \(host.stderr)")
        let push = try #require(await host.listeningPort("push listening"), "push listener did not start: \(host.stderr)")
        let token = try String(contentsOfFile: data.appendingPathComponent("admin.token").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        // One device registers under the open policy and starts its session.
        _ = try await send("GET", "http://127.0.0.1:\(push)/iclock/cdata?SN=MET1&options=all&pushver=3.1.2")
        let (registryStatus, _) = try await send(
            "POST", "http://127.0.0.1:\(push)/iclock/registry?SN=MET1", body: "DeviceType=acc,~DeviceName=Lobby,LockCount=2")
        #expect(registryStatus == 200)
        _ = try await send("GET", "http://127.0.0.1:\(push)/iclock/cdata?SN=MET1&options=all&pushver=3.1.2")

        for command in ["CONTROL DEVICE 01010105", "CONTROL DEVICE 01020105"] {
            let (status, _) = try await send(
                "POST", "http://127.0.0.1:\(http)/api/v1/devices/MET1/commands", body: #"{"command": "\#(command)"}"#,
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"])
            #expect(status == 201 || status == 200)
        }
        // A changed script reloads; a broken one is refused. Both are counted (the journal feeds the counter).
        try "log.info('metrics site, v2')\n".write(to: site.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        let (reloadStatus, _) = try await send(
            "POST", "http://127.0.0.1:\(http)/api/v1/scripts/reload", headers: ["Authorization": "Bearer \(token)"])
        #expect(reloadStatus == 200)
        try "this is not lua(\n".write(to: site.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        _ = try await send(
            "POST", "http://127.0.0.1:\(http)/api/v1/scripts/reload", headers: ["Authorization": "Bearer \(token)"])

        var metrics = try await scrape(http)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline,
            (metrics[#"gatehouse_script_reloads_total{result="ok"}"#] ?? 0) < 1
                || (metrics[#"gatehouse_script_reloads_total{result="failed"}"#] ?? 0) < 1
        {
            try await Task.sleep(for: .milliseconds(50))  // the journal is followed asynchronously
            metrics = try await scrape(http)
        }
        #expect(metrics[#"gatehouse_push_devices{state="online"}"#] == 1)
        #expect(metrics[#"gatehouse_push_devices{state="known"}"#] == 1)
        #expect(metrics[#"gatehouse_push_devices{state="pending_approval"}"#] == 0)
        #expect(metrics["gatehouse_push_command_queue_depth"] == 2)
        #expect(metrics[#"gatehouse_push_commands{state="queued"}"#] == 2)
        #expect((metrics[#"gatehouse_script_reloads_total{result="ok"}"#] ?? 0) >= 1)
        #expect((metrics[#"gatehouse_script_reloads_total{result="failed"}"#] ?? 0) >= 1)
    }

    /// Prometheus text → sample name with labels → value.
    func scrape(_ port: Int) async throws -> [String: Double] {
        let (status, body) = try await httpGet("http://127.0.0.1:\(port)/metrics")
        #expect(status == 200)
        var samples: [String: Double] = [:]
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    func send(_ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:]) async throws -> (Int, Data) {
        try await httpExchange(method, url, headers: headers, body: body.map { Data($0.utf8) })
    }
}
