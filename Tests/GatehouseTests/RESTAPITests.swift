import Foundation
import Testing


/// The native REST API against a real host process over HTTP on loopback.
@Suite("REST API", .serialized)
final class RESTAPITests {
    let host: HostProcess
    let port: Int
    let token: String

    init() async throws {
        let data = try temporaryDirectory()
        (host, port) = try await HostProcessTests.startHost(data: data)
        token = try String(contentsOfFile: data.appendingPathComponent("admin.token").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { host.terminate() }

    func call(_ method: String, _ path: String, json: String? = nil, headers: [String: String] = [:]) async throws -> (Int, [String: Any]) {
        var all = ["Authorization": "Bearer \(token)"].merging(headers) { $1 }
        if json != nil { all["Content-Type"] = "application/json" }
        let (status, data) = try await httpExchange(
            method, "http://127.0.0.1:\(port)\(path)", headers: all, body: json.map { Data($0.utf8) })
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (status, object)
    }

    static let alice = """
        {"pin": "1001", "name": "Alice", "cards": [{"number": "4567"}], "pin_code": "4321", "valid_from": null,
         "valid_until": "2027-01-01T00:00:00Z", "disabled": false, "authorizations": [{"timezone": 1, "doors": [1, 2]}]}
        """

    @Test("users: create, read, list with a cursor, replace, delete")
    func usersLifecycle() async throws {
        let (created, alice) = try await call("POST", "/api/v1/users", json: Self.alice)
        #expect(created == 201)
        #expect(alice["name"] as? String == "Alice")
        #expect(alice["valid_until"] as? String == "2027-01-01T00:00:00Z")
        #expect((alice["cards"] as? [[String: Any]])?.first?["number"] as? String == "4567")
        #expect((alice["authorizations"] as? [[String: Any]])?.first?["doors"] as? [Int] == [1, 2])

        let (duplicate, conflict) = try await call("POST", "/api/v1/users", json: Self.alice)
        #expect(duplicate == 409)
        #expect(conflict["field"] as? String == "pin")

        for pin in 1002...1004 {
            let (status, _) = try await call("POST", "/api/v1/users", json: #"{"pin": "\#(pin)", "name": "User \#(pin)"}"#)
            #expect(status == 201)
        }
        let (_, first) = try await call("GET", "/api/v1/users?limit=3")
        #expect((first["users"] as? [[String: Any]])?.count == 3)
        let cursor = try #require(first["next_cursor"] as? String)
        let (_, second) = try await call("GET", "/api/v1/users?limit=3&cursor=\(cursor)")
        #expect((second["users"] as? [[String: Any]])?.map { $0["pin"] as? String } == ["1004"])
        #expect(second["next_cursor"] is NSNull)

        let (replaced, updated) = try await call(
            "PUT", "/api/v1/users/1002", json: #"{"pin": "1002", "name": "Bob", "cards": [{"bits": 26, "hex": "01E240"}]}"#)
        #expect(replaced == 200)
        #expect((updated["cards"] as? [[String: Any]])?.first?["number"] as? String == "123456")

        let (deleted, _) = try await call("DELETE", "/api/v1/users/1003")
        #expect(deleted == 204)
        let (gone, missing) = try await call("GET", "/api/v1/users/1003")
        #expect(gone == 404)
        #expect(missing["error"] as? String == "not_found")
    }

    struct BadBody: Sendable, CustomTestStringConvertible {
        var body: String
        var status: Int
        var field: String?
        var testDescription: String { body }
    }

    static let badUsers: [BadBody] = [
        .init(body: "not json", status: 400, field: nil),
        .init(body: "", status: 400, field: nil),
        .init(body: #"{"name": "no pin"}"#, status: 400, field: "pin"),
        .init(body: #"{"pin": 1001}"#, status: 400, field: "pin"),
        .init(body: #"{"pin": "2001", "valid_until": "tomorrow"}"#, status: 400, field: "valid_until"),
        .init(body: #"{"pin": "2001", "privilege": 3}"#, status: 422, field: "privilege"),
        .init(body: #"{"pin": "2001", "cards": [{"number": "12x"}]}"#, status: 422, field: "cards[0]"),
        .init(body: #"{"pin": "2001", "cards": [{}]}"#, status: 422, field: "cards[0]"),
        .init(body: #"{"pin": "2001", "authorizations": [{"timezone": 1, "doors": [65]}]}"#, status: 422, field: "authorizations[0].doors"),
        .init(body: #"{"pin": "2001", "valid_from": "2027-01-02T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}"#, status: 422, field: "valid_until"),
    ]

    @Test("bad user bodies get a 4xx naming the field, never a 500, and nothing is written", arguments: badUsers)
    func badUserBodies(_ bad: BadBody) async throws {
        let (status, error) = try await call("POST", "/api/v1/users", json: bad.body)
        #expect(status == bad.status)
        #expect(error["error"] is String)
        #expect(error["message"] is String)
        if let field = bad.field { #expect(error["field"] as? String == field) }
        let (lookup, _) = try await call("GET", "/api/v1/users/2001")
        #expect(lookup == 404)
    }

    @Test("a sixth card and a duplicate private PIN are refused naming the rule")
    func modelRules() async throws {
        let cards = (1...6).map { #"{"number": "\#(9000 + $0)"}"# }.joined(separator: ",")
        let (tooMany, error) = try await call("POST", "/api/v1/users", json: #"{"pin": "3001", "cards": [\#(cards)]}"#)
        #expect(tooMany == 422)
        #expect((error["message"] as? String)?.contains("at most 5") == true)
        let (first, _) = try await call("POST", "/api/v1/users", json: #"{"pin": "3002", "pin_code": "5555"}"#)
        #expect(first == 201)
        let (second, duplicate) = try await call("POST", "/api/v1/users", json: #"{"pin": "3003", "pin_code": "5555"}"#)
        #expect(second == 409 || second == 422)
        #expect((duplicate["message"] as? String)?.contains("already used") == true)
    }

    @Test("presenting credentials returns the decision with its PUSH event code, durably journalled")
    func access() async throws {
        _ = try await call("POST", "/api/v1/users", json: #"{"pin": "4001", "name": "Carol", "cards": [{"number": "777"}], "authorizations": [{"timezone": 1, "doors": [1]}]}"#)
        let (status, granted) = try await call("POST", "/api/v1/access", json: #"{"door": 1, "reader": 1, "card": "777"}"#)
        #expect(status == 200)
        #expect(granted["granted"] as? Bool == true)
        #expect(granted["event"] as? Int == 0)
        #expect(granted["user"] as? String == "4001")
        #expect(granted["door"] as? Int == 1)

        let (_, unknown) = try await call("POST", "/api/v1/access", json: #"{"door": 1, "card": "999999"}"#)
        #expect(unknown["granted"] as? Bool == false)
        #expect(unknown["event"] as? Int == 27)
        #expect(unknown["user"] is NSNull)

        let (_, noRight) = try await call("POST", "/api/v1/access", json: #"{"reader": 2, "card": "777"}"#)
        #expect(noRight["granted"] as? Bool == false)
        #expect(noRight["event"] as? Int == 23)

        let (bad, error) = try await call("POST", "/api/v1/access", json: #"{"door": 1}"#)
        #expect(bad == 422)
        #expect(error["field"] as? String == "card")

        let index = try #require(granted["journal_index"] as? Int)
        let (_, page) = try await call("GET", "/api/v1/events?after=\(index - 1)&limit=10")
        let events = try #require(page["events"] as? [[String: Any]])
        #expect(events.first?["index"] as? Int == index)
        #expect(events.first?["event"] as? Int == 0)
        #expect(events.first?["pin"] as? String == "4001")
        #expect(events.contains { $0["event"] as? Int == 27 })
    }

    @Test("doors: remote open (8), close (9), lock refuses cards (63), unlock, unknown door 404")
    func doors() async throws {
        _ = try await call("POST", "/api/v1/users", json: #"{"pin": "5001", "cards": [{"number": "5151"}], "authorizations": [{"timezone": 1, "doors": [3]}]}"#)
        let (opened, open) = try await call("POST", "/api/v1/doors/3/open", json: #"{"seconds": 3}"#)
        #expect(opened == 200)
        #expect(open["event"] as? Int == 8)
        let (_, state) = try await call("GET", "/api/v1/doors/3")
        #expect(state["relay_active"] as? Bool == true)
        let (_, close) = try await call("POST", "/api/v1/doors/3/close")
        #expect(close["event"] as? Int == 9)
        let (locked, lockState) = try await call("POST", "/api/v1/doors/3/lock")
        #expect(locked == 200)
        #expect(lockState["locked"] as? Bool == true)
        let (_, refused) = try await call("POST", "/api/v1/access", json: #"{"door": 3, "card": "5151"}"#)
        #expect(refused["event"] as? Int == 63)
        _ = try await call("POST", "/api/v1/doors/3/unlock")
        let (_, admitted) = try await call("POST", "/api/v1/access", json: #"{"door": 3, "card": "5151"}"#)
        #expect(admitted["granted"] as? Bool == true)
        let (missing, _) = try await call("POST", "/api/v1/doors/99/open")
        #expect(missing == 404)
        let (badSeconds, error) = try await call("POST", "/api/v1/doors/3/open", json: #"{"seconds": 0}"#)
        #expect(badSeconds == 422)
        #expect(error["field"] is String)
    }

    @Test("exit button press (202) and the door list")
    func buttons() async throws {
        let (status, press) = try await call("POST", "/api/v1/buttons/2/press")
        #expect(status == 200)
        #expect(press["event"] as? Int == 202)
        let (unknown, _) = try await call("POST", "/api/v1/buttons/lobby/press")
        #expect(unknown == 404)
        let (_, data) = try await httpGet("http://127.0.0.1:\(port)/api/v1/doors", bearer: token)
        let page = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let doors = try #require(page["doors"] as? [[String: Any]])
        #expect(doors.map { $0["id"] as? Int } == [1, 2, 3, 4])
        #expect(page["next_cursor"] is NSNull)
    }

    @Test("the event stream replays after Last-Event-ID, then follows live events")
    func eventStream() async throws {
        let (_, first) = try await call("POST", "/api/v1/doors/4/open")
        let firstIndex = try #require(first["journal_index"] as? Int)
        let (_, second) = try await call("POST", "/api/v1/doors/4/close")
        let secondIndex = try #require(second["journal_index"] as? Int)

        let stream = try RawHTTPStream(
            port: port,
            request: "GET /api/v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nLast-Event-ID: \(firstIndex)\r\n\r\n")
        defer { stream.close() }
        #expect(stream.read(until: "id: \(secondIndex)\n") != nil, "backlog after Last-Event-ID")
        let (_, third) = try await call("POST", "/api/v1/buttons/4/press")
        let thirdIndex = try #require(third["journal_index"] as? Int)
        let text = try #require(stream.read(until: "id: \(thirdIndex)\n"), "live event")
        #expect(text.contains("text/event-stream"))
        #expect(!text.contains("id: \(firstIndex)\n"), "nothing at or before Last-Event-ID")
    }

    @Test("the users cursor is keyset: a user added or removed between pages neither shifts nor repeats the next page")
    func usersKeysetPaging() async throws {
        for pin in 3001...3006 {
            let (status, _) = try await call("POST", "/api/v1/users", json: #"{"pin": "\#(pin)", "name": "Keyset \#(pin)"}"#)
            #expect(status == 201)
        }
        // Each test has its own host, so these are the only users.
        let path = "/api/v1/users?limit=3"
        var page: [String: Any]
        (_, page) = try await call("GET", path)
        #expect((page["users"] as? [[String: Any]])?.compactMap { $0["pin"] as? String } == ["3001", "3002", "3003"])
        let cursor = try #require(page["next_cursor"] as? String)

        // Between pages: the first user goes, another arrives before the cursor.
        let (deleted, _) = try await call("DELETE", "/api/v1/users/3001")
        #expect(deleted == 204)
        let (created, _) = try await call("POST", "/api/v1/users", json: #"{"pin": "3000", "name": "Early"}"#)
        #expect(created == 201)
        let (_, next) = try await call("GET", "/api/v1/users?limit=3&cursor=\(cursor)")
        #expect((next["users"] as? [[String: Any]])?.compactMap { $0["pin"] as? String }.prefix(3) == ["3004", "3005", "3006"])

        let (bad, error) = try await call("GET", "/api/v1/users?cursor=%25%25%25")
        #expect(bad == 400)
        #expect(error["field"] as? String == "cursor")
    }

    @Test("/metrics counts decisions and exposes journal, outbox and script gauges in Prometheus text")
    func metrics() async throws {
        _ = try await call("POST", "/api/v1/users", json: #"{"pin": "6001", "cards": [{"number": "6161"}], "authorizations": [{"timezone": 1, "doors": [1]}]}"#)
        _ = try await call("POST", "/api/v1/access", json: #"{"door": 1, "card": "6161"}"#)
        _ = try await call("POST", "/api/v1/access", json: #"{"door": 1, "card": "6162"}"#)
        let (status, body) = try await httpGet("http://127.0.0.1:\(port)/metrics")
        #expect(status == 200)
        let text = String(decoding: body, as: UTF8.self)
        let granted = text.split(separator: "\n").first { $0.hasPrefix(#"gatehouse_decisions_total{outcome="granted"}"#) }
        let denied = text.split(separator: "\n").first { $0.hasPrefix(#"gatehouse_decisions_total{outcome="denied"}"#) }
        #expect((granted.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0) >= 1)
        #expect((denied.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0) >= 1)
        for name in ["gatehouse_journal_entries", "gatehouse_outbox_actions", "gatehouse_scripts_ok", "gatehouse_http_request_duration_seconds_bucket"] {
            #expect(text.contains(name), "missing \(name)")
        }
    }

    @Test("scripts status and reload over the API")
    func scripts() async throws {
        let (status, info) = try await call("GET", "/api/v1/scripts")
        #expect(status == 200)
        #expect(info["ok"] as? Bool == true)
        let (reloaded, _) = try await call("POST", "/api/v1/scripts/reload")
        #expect(reloaded == 200)
    }
}

/// A plain TCP client for streaming responses (FoundationNetworking has no byte streams on Linux).
final class RawHTTPStream {
    let socket: Int32
    var received = ""

    init(port: Int, request: String) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
    }

    /// Reads until `marker` has arrived (or 10 s of silence); returns everything read so far.
    func read(until marker: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(marker) {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return received
    }

    func close() { Glibc.close(socket) }
}
