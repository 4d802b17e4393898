import Foundation
import HTTPAPI
import Hummingbird
import Logging
import PushDevice
import PushProtocol
import Testing

@testable import PushServer

/// The REST device endpoints over real HTTP, next to the PUSH listener they drive.
@Suite struct DeviceRoutesTests {
    func withAPI<T: Sendable>(
        store: PushServerStore, clock: TestClock, _ body: @Sendable (HTTPPushTransport) async throws -> T
    ) async throws -> T {
        let router = Router(context: AdminRequestContext.self)
        DeviceRoutes.add(to: router.group("api/v1"), store: store, configuration: PushServerConfiguration(), now: { clock.now })
        var quiet = Logger(label: "test.api")
        quiet.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: quiet)
        let task = Task { try await app.runService() }
        defer { task.cancel() }
        var port = 0
        for await value in ports { port = value }
        return try await body(try HTTPPushTransport(baseURL: "http://127.0.0.1:\(port)"))
    }

    func json(_ reply: PushTransportReply) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
    }

    @Test func aWaitingDeviceCanBeDeletedAnApprovedOneCannot() async throws {
        let clock = TestClock()
        let (store, _, _) = try makeStore()
        let configuration = PushServerConfiguration(registration: .approve, maximumPendingDevices: 1)
        try await withServer(configuration: configuration, clock: clock, store: store) { (running: RunningServer) async throws in
            _ = try await running.send("GET", "/iclock/cdata?SN=STRANGER&options=all")
            _ = try await running.send("GET", "/iclock/cdata?SN=LOBBY&options=all")
            #expect(try store.device("LOBBY") == nil, "the one waiting place is taken")
            try await withAPI(store: store, clock: clock) { api in
                let deleted = try await api.send(method: "DELETE", target: "/api/v1/devices/STRANGER", headers: [], body: [])
                #expect(deleted.status == 204)
                #expect(try store.device("STRANGER") == nil)
                let again = try await api.send(method: "DELETE", target: "/api/v1/devices/STRANGER", headers: [], body: [])
                #expect(again.status == 404)

                // The place is free: the lobby controller is listed on its next poll and can be approved.
                _ = try await running.send("GET", "/iclock/cdata?SN=LOBBY&options=all")
                #expect(try store.device("LOBBY")?.status == .pending)
                _ = try await api.send(method: "POST", target: "/api/v1/devices/LOBBY/approve", headers: [], body: [])
                let refused = try await api.send(method: "DELETE", target: "/api/v1/devices/LOBBY", headers: [], body: [])
                #expect(refused.status == 409)
                #expect(try json(refused)["error"] as? String == "approved")
                #expect(try store.device("LOBBY")?.status == .approved)
            }
        }
    }

    @Test func listApproveEnqueueAndReadBack() async throws {
        let clock = TestClock()
        let (store, _, _) = try makeStore()
        try await withServer(configuration: PushServerConfiguration(registration: .approve), clock: clock, store: store) {
            (running: RunningServer) async throws in
            // A device knocks; it waits for approval.
            #expect(
                try await running.send("POST", "/iclock/registry?SN=REST1", body: "DeviceType=acc,~DeviceName=Lobby,LockCount=2")
                    .text == "406")
            try await withAPI(store: store, clock: clock) { api in
                let list = try json(try await api.send(method: "GET", target: "/api/v1/devices", headers: [], body: []))
                let devices = try #require(list["devices"] as? [[String: Any]])
                #expect(devices.count == 1)
                #expect(devices[0]["sn"] as? String == "REST1")
                #expect(devices[0]["status"] as? String == "pending")

                let approved = try json(
                    try await api.send(method: "POST", target: "/api/v1/devices/REST1/approve", headers: [], body: []))
                #expect(approved["status"] as? String == "approved")
                #expect(approved["device_name"] as? String == "Lobby")

                let headers = [("Content-Type", "application/json")]
                let created = try await api.send(
                    method: "POST", target: "/api/v1/devices/REST1/commands", headers: headers,
                    body: Array(#"{"command": "CONTROL DEVICE 01010105", "idempotency_key": "open-1"}"#.utf8))
                #expect(created.status == 201)
                let id = try #require(try json(created)["id"] as? Int)
                let again = try json(
                    try await api.send(
                        method: "POST", target: "/api/v1/devices/REST1/commands", headers: headers,
                        body: Array(#"{"command": "CONTROL DEVICE 01010105", "idempotency_key": "open-1"}"#.utf8)))
                #expect(again["id"] as? Int == id)

                let invalid = try await api.send(
                    method: "POST", target: "/api/v1/devices/REST1/commands", headers: headers,
                    body: Array(#"{"command": ""}"#.utf8))
                #expect(invalid.status == 422)
                #expect(try json(invalid)["error"] as? String == "invalid_command")
                let unknown = try await api.send(method: "GET", target: "/api/v1/devices/NOPE", headers: [], body: [])
                #expect(unknown.status == 404)

                // The device registers, polls, executes, reports.
                let cookie = try await register(running, serial: "REST1")
                #expect(
                    try await running.send("GET", "/iclock/getrequest?SN=REST1", cookie: cookie).text
                        == "C:\(id):CONTROL DEVICE 01010105\n")
                _ = try await running.send(
                    "POST", "/iclock/devicecmd?SN=REST1", body: "ID=\(id)&Return=0&CMD=CONTROL DEVICE", cookie: cookie)
                let state = try json(
                    try await api.send(method: "GET", target: "/api/v1/devices/REST1/commands/\(id)", headers: [], body: []))
                #expect(state["state"] as? String == "succeeded")
                #expect(state["return_code"] as? Int == 0)
                #expect(state["delivery_count"] as? Int == 1)
                let detail = try json(try await api.send(method: "GET", target: "/api/v1/devices/REST1", headers: [], body: []))
                #expect(detail["online"] as? Bool == true)
            }
        }
    }
}

/// The server stops while a device is uploading and starts again on the same SQLite file: what was acknowledged is
/// there once, what was not is re-sent by the device and stored once.
@Suite struct RestartTests {
    @Test func serverRestartLosesAndDuplicatesNothing() async throws {
        let clock = TestClock()
        let (store, _, _) = try makeStore()
        let rows = (1...50).map { index in
            "time=2024-05-01 10:00:\(String(format: "%02d", index % 60))\tpin=\(index)\tcardno=\(index)\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=\(index)"
        }
        // First life: 30 rows acknowledged.
        try await withServer(clock: clock, store: store) { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "R1")
            for row in rows[0..<30] {
                #expect(try await running.send("POST", "/iclock/cdata?SN=R1&table=rtlog", body: row, cookie: cookie).text == "OK")
            }
        }
        // Second life on the same file: the device was unsure about rows 21–30 and re-sends them with the rest.
        try await withServer(clock: clock, store: store) { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "R1")
            let body = rows[20..<50].joined(separator: "\r\n")
            #expect(try await running.send("POST", "/iclock/cdata?SN=R1&table=rtlog", body: body, cookie: cookie).text == "OK")
            let stored = try running.server.store.events("R1")
            #expect(stored.count == 50)
            #expect(stored.compactMap { $0.deviceIndex.flatMap(Int.init) } == Array(1...50))
        }
    }
}
