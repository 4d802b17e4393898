import Foundation
import Testing


/// The site-configuration resources of the native REST API (timezones, named schedules, holidays, doors, readers,
/// relays, inputs) against a real host process: what a client sees, what the door then does, and what survives a
/// restart. The host starts with the default four-door panel: doors 1–4 on relays 1–4, readers 1–4 entry and 5–8
/// exit, inputs 1–4 exit buttons and 5–8 door sensors, timezone 1 "always".
@Suite("REST API: site configuration", .serialized)
final class SiteResourceTests {
    let data: URL
    var host: HostProcess
    var port: Int
    let token: String

    init() async throws {
        data = try temporaryDirectory()
        (host, port) = try await HostProcessTests.startHost(data: data)
        token = try String(contentsOfFile: data.appendingPathComponent("admin.token").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { host.terminate() }

    func call(_ method: String, _ path: String, json: String? = nil) async throws -> (Int, [String: Any]) {
        var headers = ["Authorization": "Bearer \(token)"]
        if json != nil { headers["Content-Type"] = "application/json" }
        let (status, data) = try await httpExchange(
            method, "http://127.0.0.1:\(port)\(path)", headers: headers, body: json.map { Data($0.utf8) })
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (status, object)
    }

    /// The keys of a page's items, as text (ids are numbers, holiday dates strings).
    func ids(_ page: [String: Any], _ key: String, field: String = "id") -> [String] {
        (page[key] as? [[String: Any]] ?? []).compactMap { $0[field].map { "\($0)" } }
    }

    // MARK: Listing and paging

    struct Collection: Sendable, CustomTestStringConvertible {
        var path: String
        var key: String
        var field = "id"
        var expected: [String]
        var testDescription: String { path }
    }

    static let defaultPanel: [Collection] = [
        .init(path: "doors", key: "doors", expected: ["1", "2", "3", "4"]),
        .init(path: "relays", key: "relays", expected: ["1", "2", "3", "4"]),
        .init(path: "readers", key: "readers", expected: ["1", "2", "3", "4", "5", "6", "7", "8"]),
        .init(path: "inputs", key: "inputs", expected: ["1", "2", "3", "4", "5", "6", "7", "8"]),
        .init(path: "timezones", key: "timezones", expected: ["1"]),
        .init(path: "schedules", key: "schedules", expected: ["1001", "1002", "1"]),
        .init(path: "holidays", key: "holidays", field: "date", expected: []),
    ]

    @Test("every collection lists the default panel and pages with limit and cursor", arguments: defaultPanel)
    func listAndPage(_ collection: Collection) async throws {
        let (status, all) = try await call("GET", "/api/v1/\(collection.path)")
        #expect(status == 200)
        #expect(ids(all, collection.key, field: collection.field) == collection.expected)
        #expect(all["next_cursor"] is NSNull)

        var seen: [String] = []
        var cursor: String?
        repeat {
            let (_, page) = try await call("GET", "/api/v1/\(collection.path)?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
            let items = ids(page, collection.key, field: collection.field)
            #expect(items.count <= 3)
            seen += items
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        #expect(seen == collection.expected)

        let (badLimit, error) = try await call("GET", "/api/v1/\(collection.path)?limit=0")
        #expect(badLimit == 400)
        #expect(error["field"] as? String == "limit")
    }

    // MARK: Relays, doors, readers, inputs

    @Test("relays: create, read with live output, replace, the model's rules as 422/409, delete")
    func relays() async throws {
        let (created, relay) = try await call(
            "POST", "/api/v1/relays",
            json: #"{"id": 9, "name": "Gate", "mode": "monostable", "trigger_delay": 1, "hold_delay": 8, "dtmf_code": "9"}"#)
        #expect(created == 201)
        #expect(relay["name"] as? String == "Gate")
        #expect(relay["hold_delay"] as? Int == 8)
        #expect(relay["purpose"] as? String == "open_door")
        #expect(relay["active"] as? Bool == false)
        #expect(relay["level"] as? String == "low")

        let (again, exists) = try await call("POST", "/api/v1/relays", json: #"{"id": 9}"#)
        #expect(again == 409)
        #expect(exists["field"] as? String == "id")

        let (bistable, rule) = try await call("PUT", "/api/v1/relays/9", json: #"{"mode": "bistable", "hold_delay": 3}"#)
        #expect(bistable == 422)
        #expect(rule["field"] as? String == "hold_delay")
        let (replaced, toggling) = try await call("PUT", "/api/v1/relays/9", json: #"{"mode": "bistable", "inverted": true}"#)
        #expect(replaced == 200)
        #expect(toggling["hold_delay"] as? Int == 0)
        #expect(toggling["name"] as? String == "Relay 9", "PUT replaces: an omitted name is the default")
        #expect(toggling["level"] as? String == "high", "an inverted relay at rest reads high")

        let (sameCode, duplicate) = try await call("PUT", "/api/v1/relays/2", json: #"{"dtmf_code": "5"}"#)
        #expect(sameCode == 200)
        #expect(duplicate["dtmf_code"] as? String == "5")
        let (taken, clash) = try await call("PUT", "/api/v1/relays/9", json: #"{"dtmf_code": "5"}"#)
        #expect(taken == 409)
        #expect(clash["field"] as? String == "dtmf_code")

        let (inUse, reference) = try await call("DELETE", "/api/v1/relays/1")
        #expect(inUse == 409)
        #expect(reference["error"] as? String == "in_use")
        #expect((reference["message"] as? String)?.contains("door 1") == true)
        let (deleted, _) = try await call("DELETE", "/api/v1/relays/9")
        #expect(deleted == 204)
        let (gone, _) = try await call("GET", "/api/v1/relays/9")
        #expect(gone == 404)
        let (goneAgain, _) = try await call("DELETE", "/api/v1/relays/9")
        #expect(goneAgain == 404)
    }

    @Test("doors: configuration and live state in one resource; a new door with its relay, reader and sensor opens")
    func doors() async throws {
        let (_, door) = try await call("GET", "/api/v1/doors/1")
        #expect(door["relay"] as? Int == 1)
        #expect(door["valid_timezone"] as? Int == 1)
        #expect(door["sensor_type"] as? String == "normally_open")
        #expect(door["lock_drive_time"] as? Int == 5)
        #expect(door["relay_active"] as? Bool == false)
        #expect(door["locked"] as? Bool == false)

        let (sharedRelay, duplicate) = try await call("POST", "/api/v1/doors", json: #"{"id": 5, "relay": 1}"#)
        #expect(sharedRelay == 409)
        #expect(duplicate["field"] as? String == "relay")
        let (noRelay, unknown) = try await call("POST", "/api/v1/doors", json: #"{"id": 5, "relay": 5}"#)
        #expect(noRelay == 422)
        #expect(unknown["field"] as? String == "relay")

        #expect(try await call("POST", "/api/v1/relays", json: #"{"id": 5, "hold_delay": 4}"#).0 == 201)
        let (created, fifth) = try await call(
            "POST", "/api/v1/doors",
            json: #"{"id": 5, "name": "Garage", "relay": 5, "lock_drive_time": 7, "anti_passback": "entry", "emergency_password": "87654321"}"#)
        #expect(created == 201)
        #expect(fifth["name"] as? String == "Garage")
        #expect(fifth["anti_passback"] as? String == "entry")
        #expect(fifth["emergency_password"] as? String == "87654321")
        #expect(fifth["sensor_open"] as? Bool == false)

        let (reader, entry) = try await call("POST", "/api/v1/readers", json: #"{"id": 9, "door": 5}"#)
        #expect(reader == 201)
        #expect(entry["direction"] as? String == "entry")
        let (sensor, input) = try await call(
            "POST", "/api/v1/inputs", json: #"{"id": 9, "role": "door_sensor", "door": 5, "trigger_level": "high"}"#)
        #expect(sensor == 201)
        #expect(input["trigger_level"] as? String == "high")

        // The new door works: a user authorised on it opens it at reader 9, and its sensor shows in the live state.
        _ = try await call(
            "POST", "/api/v1/users", json: #"{"pin": "7001", "cards": [{"number": "7070"}], "authorizations": [{"timezone": 1, "doors": [5]}]}"#)
        let (_, decision) = try await call("POST", "/api/v1/access", json: #"{"reader": 9, "card": "7070"}"#)
        #expect(decision["granted"] as? Bool == true)
        #expect(decision["door"] as? Int == 5)
        let (_, released) = try await call("GET", "/api/v1/doors/5")
        #expect(released["relay_active"] as? Bool == true)
        #expect(try await call("POST", "/api/v1/inputs/9", json: #"{"active": true}"#).0 == 200)
        let (_, opened) = try await call("GET", "/api/v1/doors/5")
        #expect(opened["sensor_open"] as? Bool == true)
        let (_, sensorState) = try await call("GET", "/api/v1/inputs/9")
        #expect(sensorState["active"] as? Bool == true)

        // A PUT replaces the configuration; leaving `locked` out keeps the lock state set by POST …/lock.
        #expect(try await call("POST", "/api/v1/doors/5/lock").0 == 200)
        let (replaced, garage) = try await call("PUT", "/api/v1/doors/5", json: #"{"relay": 5, "open_timeout": 30}"#)
        #expect(replaced == 200)
        #expect(garage["open_timeout"] as? Int == 30)
        #expect(garage["lock_drive_time"] as? Int == 5)
        #expect(garage["locked"] as? Bool == true)

        let (mismatch, wrongID) = try await call("PUT", "/api/v1/doors/5", json: #"{"id": 6, "relay": 5}"#)
        #expect(mismatch == 422)
        #expect(wrongID["field"] as? String == "id")

        let (referenced, inUse) = try await call("DELETE", "/api/v1/doors/5")
        #expect(referenced == 409)
        #expect(inUse["error"] as? String == "in_use")
        #expect(try await call("DELETE", "/api/v1/inputs/9").0 == 204)
        #expect(try await call("DELETE", "/api/v1/readers/9").0 == 204)
        #expect(try await call("DELETE", "/api/v1/doors/5").0 == 204)
        #expect(try await call("GET", "/api/v1/doors/5").0 == 404)
        #expect(try await call("DELETE", "/api/v1/relays/5").0 == 204, "the relay is free again")
    }

    @Test("inputs: an auxiliary input triggers its relay; roles need the right references")
    func inputs() async throws {
        #expect(try await call("POST", "/api/v1/relays", json: #"{"id": 7, "purpose": "auxiliary", "hold_delay": 60}"#).0 == 201)
        let (created, input) = try await call(
            "POST", "/api/v1/inputs", json: #"{"id": 10, "name": "Smoke", "role": "auxiliary", "relay": 7, "debounce_ms": 0}"#)
        #expect(created == 201)
        #expect(input["door"] is NSNull)
        #expect(input["relay"] as? Int == 7)
        #expect(try await call("POST", "/api/v1/inputs/10", json: #"{"active": true}"#).0 == 200)
        let (_, relay) = try await call("GET", "/api/v1/relays/7")
        #expect(relay["active"] as? Bool == true)
        let (inUse, _) = try await call("DELETE", "/api/v1/relays/7")
        #expect(inUse == 409)

        let (_, button) = try await call("GET", "/api/v1/inputs/1")
        #expect(button["role"] as? String == "exit_button")
        #expect(button["door"] as? Int == 1)
        #expect(button["relay"] is NSNull)
    }

    struct BadBody: Sendable, CustomTestStringConvertible {
        var method = "POST"
        var path: String
        var body: String
        var status: Int
        var field: String?
        var testDescription: String { "\(method) \(path) \(body)" }
    }

    static let badBodies: [BadBody] = [
        .init(path: "relays", body: "not json", status: 400),
        .init(path: "relays", body: "", status: 400),
        .init(path: "relays", body: #"{"name": "no id"}"#, status: 422, field: "id"),
        .init(path: "relays", body: #"{"id": 0}"#, status: 422, field: "id"),
        .init(path: "relays", body: #"{"id": "9"}"#, status: 400, field: "id"),
        .init(path: "relays", body: #"{"id": 9, "mode": "sticky"}"#, status: 422, field: "mode"),
        .init(path: "relays", body: #"{"id": 9, "hold_delay": 70000}"#, status: 422, field: "hold_delay"),
        .init(path: "relays", body: #"{"id": 9, "dtmf_code": "12"}"#, status: 422, field: "dtmf_code"),
        .init(path: "relays", body: #"{"id": 9, "purpose": "reset_by_event", "mode": "bistable"}"#, status: 422, field: "mode"),
        .init(path: "doors", body: #"{"id": 65, "relay": 1}"#, status: 422, field: "id"),
        .init(path: "doors", body: #"{"id": 6}"#, status: 400, field: "relay"),
        .init(path: "doors", body: #"{"id": 6, "relay": 1, "sensor_type": "magnetic"}"#, status: 422, field: "sensor_type"),
        .init(method: "PUT", path: "doors/1", body: #"{"relay": 1, "valid_timezone": 77}"#, status: 422, field: "valid_timezone"),
        .init(method: "PUT", path: "doors/1", body: #"{"relay": 1, "verify_mode": 99}"#, status: 422, field: "verify_mode"),
        .init(method: "PUT", path: "doors/1", body: #"{"relay": 1, "duress_password": "12ab"}"#, status: 422, field: "duress_password"),
        .init(method: "PUT", path: "doors/1", body: #"{"relay": 1, "open_timeout": -1}"#, status: 422, field: "open_timeout"),
        .init(path: "readers", body: #"{"id": 9, "door": 50}"#, status: 422, field: "door"),
        .init(path: "readers", body: #"{"id": 9, "door": 1, "direction": "up"}"#, status: 422, field: "direction"),
        .init(path: "inputs", body: #"{"id": 9, "role": "exit_button"}"#, status: 422, field: "door"),
        .init(path: "inputs", body: #"{"id": 9, "role": "door_sensor", "door": 1}"#, status: 409, field: "door"),
        .init(path: "inputs", body: #"{"id": 9, "role": "auxiliary", "relay": 99}"#, status: 422, field: "relay"),
        .init(path: "inputs", body: #"{"id": 9, "role": "auxiliary", "debounce_ms": 20000}"#, status: 422, field: "debounce_ms"),
        .init(path: "inputs", body: #"{"id": 9, "role": "doorbell"}"#, status: 422, field: "role"),
        .init(path: "timezones", body: #"{"id": 2, "weekdays": [[], [], []]}"#, status: 422, field: "weekdays"),
        .init(
            path: "timezones", body: #"{"id": 2, "weekdays": [[], [{"start": "25:00", "end": "26:00"}], [], [], [], [], []]}"#,
            status: 422, field: "weekdays[1][0].start"),
        .init(
            path: "timezones", body: #"{"id": 2, "weekdays": [[], [{"start": "18:00", "end": "08:00"}], [], [], [], [], []]}"#,
            status: 422, field: "weekdays[1][0].end"),
        .init(path: "timezones", body: #"{"id": 1001, "weekdays": [[], [], [], [], [], [], []]}"#, status: 409, field: "id"),
        .init(path: "timezones", body: #"{"id": 1, "weekdays": [[], [], [], [], [], [], []]}"#, status: 409, field: "id"),
        .init(path: "schedules", body: #"{"id": 20, "type": "weekly"}"#, status: 422, field: "weekdays"),
        .init(path: "schedules", body: #"{"id": 20, "type": "weekly", "weekdays": [7]}"#, status: 422, field: "weekdays"),
        .init(path: "schedules", body: #"{"id": 20, "type": "monthly"}"#, status: 422, field: "type"),
        .init(path: "schedules", body: #"{"id": 20, "type": "date_range", "date_from": "2026-05-01"}"#, status: 422, field: "date_through"),
        .init(
            path: "schedules", body: #"{"id": 20, "type": "date_range", "date_from": "2026-05-10", "date_through": "2026-05-01"}"#,
            status: 422, field: "date_through"),
        .init(path: "holidays", body: #"{"date": "2026-02-30", "type": 1}"#, status: 422, field: "date"),
        .init(path: "holidays", body: #"{"date": "2026-12-25", "type": 4}"#, status: 422, field: "type"),
        .init(path: "holidays", body: #"{"date": "2026-12-25", "type": 1, "recurrence": "monthly"}"#, status: 422, field: "recurrence"),
    ]

    @Test("bad bodies get a 4xx naming the field, never a 500, and change nothing", arguments: badBodies)
    func badBodies(_ bad: BadBody) async throws {
        let collections = ["doors", "relays", "readers", "inputs", "timezones", "schedules", "holidays"]
        var before: [String: [String: Any]] = [:]
        for name in collections { before[name] = try await call("GET", "/api/v1/\(name)").1 }
        let (status, error) = try await call(bad.method, "/api/v1/\(bad.path)", json: bad.body)
        #expect(status == bad.status)
        #expect(error["error"] is String)
        #expect(error["message"] is String)
        #expect(error["field"] as? String == bad.field)
        for name in collections {
            let after = try await call("GET", "/api/v1/\(name)").1
            #expect(NSDictionary(dictionary: after) == NSDictionary(dictionary: before[name] ?? [:]), "\(name) changed")
        }
    }

    // MARK: Time rules

    @Test("timezones decide access: periods per weekday, holiday types, and a timezone in use cannot be deleted")
    func timezones() async throws {
        let never = #"[[], [], [], [], [], [], []]"#
        let (created, timezone) = try await call("POST", "/api/v1/timezones", json: #"{"id": 2, "name": "Closed", "weekdays": \#(never)}"#)
        #expect(created == 201)
        #expect(timezone["holidays"] is NSNull)
        #expect(timezone["valid_from"] is NSNull)

        _ = try await call(
            "POST", "/api/v1/users", json: #"{"pin": "8001", "cards": [{"number": "8080"}], "authorizations": [{"timezone": 2, "doors": [1]}]}"#)
        let (_, refused) = try await call("POST", "/api/v1/access", json: #"{"door": 1, "card": "8080"}"#)
        #expect(refused["granted"] as? Bool == false)

        let whole = #"[{"start": "00:00", "end": "23:59"}]"#
        let open = "[" + Array(repeating: whole, count: 7).joined(separator: ", ") + "]"
        let (replaced, allDay) = try await call(
            "PUT", "/api/v1/timezones/2",
            json: #"{"name": "Open", "weekdays": \#(open), "holidays": [[], [{"start": "10:00", "end": "12:00"}], []]}"#)
        #expect(replaced == 200)
        let periods = try #require(allDay["weekdays"] as? [[[String: String]]])
        #expect(periods.count == 7)
        #expect(periods[3] == [["start": "00:00", "end": "23:59"]])
        #expect((allDay["holidays"] as? [[[String: String]]])?[1] == [["start": "10:00", "end": "12:00"]])
        let (_, granted) = try await call("POST", "/api/v1/access", json: #"{"door": 1, "card": "8080"}"#)
        #expect(granted["granted"] as? Bool == true)

        let (inUse, byUser) = try await call("DELETE", "/api/v1/timezones/2")
        #expect(inUse == 409)
        #expect((byUser["message"] as? String)?.contains("8001") == true)
        let (byDoor, _) = try await call("DELETE", "/api/v1/timezones/1")
        #expect(byDoor == 409, "doors 1–4 use timezone 1 as their valid timezone")
        #expect(try await call("DELETE", "/api/v1/users/8001").0 == 204)
        #expect(try await call("DELETE", "/api/v1/timezones/2").0 == 204)
        #expect(try await call("GET", "/api/v1/timezones/2").0 == 404)
    }

    @Test("named schedules are timezones: daily, weekly and date ranges read back; built-ins are read-only")
    func schedules() async throws {
        let (created, weekly) = try await call(
            "POST", "/api/v1/schedules",
            json: #"{"id": 20, "name": "Office", "type": "weekly", "weekdays": [1, 2, 3, 4, 5], "start": "08:00", "end": "18:00"}"#)
        #expect(created == 201)
        #expect(weekly["weekdays"] as? [Int] == [1, 2, 3, 4, 5])
        #expect(weekly["built_in"] as? Bool == false)
        let (_, timezone) = try await call("GET", "/api/v1/timezones/20")
        let days = try #require(timezone["weekdays"] as? [[[String: String]]])
        #expect(days[0].isEmpty, "Sunday is off")
        #expect(days[1] == [["start": "08:00", "end": "18:00"]])

        let (ranged, range) = try await call(
            "POST", "/api/v1/schedules",
            json: #"{"id": 21, "type": "date_range", "date_from": "2026-07-01", "date_through": "2026-08-31", "start": "06:00", "end": "22:00"}"#)
        #expect(ranged == 201)
        #expect(range["type"] as? String == "date_range")
        #expect(range["date_from"] as? String == "2026-07-01")
        #expect(range["date_through"] as? String == "2026-08-31")
        #expect(range["name"] as? String == "Schedule 21")

        let (taken, _) = try await call("POST", "/api/v1/schedules", json: #"{"id": 20, "type": "daily"}"#)
        #expect(taken == 409)
        let (daily, everyDay) = try await call("PUT", "/api/v1/schedules/20", json: #"{"type": "daily", "start": "07:00"}"#)
        #expect(daily == 200)
        #expect(everyDay["weekdays"] as? [Int] == [0, 1, 2, 3, 4, 5, 6])
        #expect(everyDay["end"] as? String == "23:59")

        let (_, builtIn) = try await call("GET", "/api/v1/schedules/1002")
        #expect(builtIn["built_in"] as? Bool == true)
        #expect(builtIn["weekdays"] as? [Int] == [])
        #expect(try await call("DELETE", "/api/v1/schedules/1001").0 == 409)
        #expect(try await call("PUT", "/api/v1/schedules/1002", json: #"{"type": "daily"}"#).0 == 409)

        // A timezone with two periods a day has no schedule form: it is a timezone only.
        let twice = #"[{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]"#
        let split = "[" + Array(repeating: twice, count: 7).joined(separator: ", ") + "]"
        #expect(try await call("POST", "/api/v1/timezones", json: #"{"id": 22, "weekdays": \#(split)}"#).0 == 201)
        #expect(try await call("GET", "/api/v1/schedules/22").0 == 404)
        let (_, list) = try await call("GET", "/api/v1/schedules")
        #expect(ids(list, "schedules") == ["1001", "1002", "1", "20", "21"])

        #expect(try await call("DELETE", "/api/v1/schedules/21").0 == 204)
        #expect(try await call("GET", "/api/v1/timezones/21").0 == 404)
    }

    @Test("holidays switch a timezone to its holiday-type periods; keyed by date")
    func holidays() async throws {
        let (created, holiday) = try await call("POST", "/api/v1/holidays", json: #"{"date": "2026-12-25", "type": 2, "recurrence": "yearly"}"#)
        #expect(created == 201)
        #expect(holiday["date"] as? String == "2026-12-25")
        #expect(holiday["recurrence"] as? String == "yearly")
        #expect(try await call("POST", "/api/v1/holidays", json: #"{"date": "2026-12-25", "type": 1}"#).0 == 409)
        let (replaced, once) = try await call("PUT", "/api/v1/holidays/2026-12-25", json: #"{"type": 3}"#)
        #expect(replaced == 200)
        #expect(once["recurrence"] as? String == "once")
        #expect(once["type"] as? Int == 3)
        let (createdByPut, _) = try await call("PUT", "/api/v1/holidays/2027-01-01", json: #"{"type": 1, "recurrence": "yearly"}"#)
        #expect(createdByPut == 201)
        let (_, list) = try await call("GET", "/api/v1/holidays")
        #expect(ids(list, "holidays", field: "date") == ["2026-12-25", "2027-01-01"])
        #expect(try await call("GET", "/api/v1/holidays/2026-13-01").0 == 404)
        #expect(try await call("DELETE", "/api/v1/holidays/2026-12-25").0 == 204)
        #expect(try await call("DELETE", "/api/v1/holidays/2026-12-25").0 == 404)

        // Today (the site runs on UTC) as a type-2 holiday: a timezone open every weekday but closed on type-2
        // holidays refuses today, and opens again once the holiday is gone.
        let whole = #"[{"start": "00:00", "end": "23:59"}]"#
        let weekdays = "[" + Array(repeating: whole, count: 7).joined(separator: ", ") + "]"
        let timezone = #"{"id": 3, "weekdays": \#(weekdays), "holidays": [\#(whole), [], \#(whole)]}"#
        #expect(try await call("POST", "/api/v1/timezones", json: timezone).0 == 201)
        // No punch interval, so the same card may pass again at once.
        #expect(try await call("PUT", "/api/v1/doors/2", json: #"{"relay": 2, "punch_interval": 0}"#).0 == 200)
        _ = try await call(
            "POST", "/api/v1/users", json: #"{"pin": "9100", "cards": [{"number": "9191"}], "authorizations": [{"timezone": 3, "doors": [2]}]}"#)
        let (_, workday) = try await call("POST", "/api/v1/access", json: #"{"door": 2, "card": "9191"}"#)
        #expect(workday["granted"] as? Bool == true)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let today = utc.dateComponents([.year, .month, .day], from: Date())
        let date = String(format: "%04d-%02d-%02d", today.year ?? 0, today.month ?? 0, today.day ?? 0)
        #expect(try await call("POST", "/api/v1/holidays", json: #"{"date": "\#(date)", "type": 2}"#).0 == 201)
        let (_, onHoliday) = try await call("POST", "/api/v1/access", json: #"{"door": 2, "card": "9191"}"#)
        #expect(onHoliday["granted"] as? Bool == false)
        #expect(try await call("DELETE", "/api/v1/holidays/\(date)").0 == 204)
        let (_, again) = try await call("POST", "/api/v1/access", json: #"{"door": 2, "card": "9191"}"#)
        #expect(again["granted"] as? Bool == true, "\(again)")
    }

    // MARK: Durability

    @Test("every change is stored before the reply: it is all there after a restart")
    func survivesRestart() async throws {
        #expect(try await call("POST", "/api/v1/relays", json: #"{"id": 6, "name": "Barrier", "mode": "bistable"}"#).0 == 201)
        #expect(try await call("POST", "/api/v1/doors", json: #"{"id": 6, "relay": 6, "name": "Car park"}"#).0 == 201)
        #expect(try await call("POST", "/api/v1/readers", json: #"{"id": 12, "door": 6, "direction": "exit"}"#).0 == 201)
        #expect(try await call("POST", "/api/v1/inputs", json: #"{"id": 12, "role": "exit_button", "door": 6}"#).0 == 201)
        #expect(try await call("POST", "/api/v1/schedules", json: #"{"id": 30, "type": "daily", "start": "09:00", "end": "17:00"}"#).0 == 201)
        #expect(try await call("POST", "/api/v1/holidays", json: #"{"date": "2026-05-01", "type": 1, "recurrence": "yearly"}"#).0 == 201)
        #expect(try await call("DELETE", "/api/v1/readers/8").0 == 204)

        host.terminate()
        _ = await host.waitForExit(timeout: 10)
        (host, port) = try await HostProcessTests.startHost(data: data)

        let (_, relay) = try await call("GET", "/api/v1/relays/6")
        #expect(relay["name"] as? String == "Barrier")
        #expect(relay["mode"] as? String == "bistable")
        let (_, door) = try await call("GET", "/api/v1/doors/6")
        #expect(door["name"] as? String == "Car park")
        let (_, reader) = try await call("GET", "/api/v1/readers/12")
        #expect(reader["direction"] as? String == "exit")
        let (_, input) = try await call("GET", "/api/v1/inputs/12")
        #expect(input["door"] as? Int == 6)
        let (_, schedule) = try await call("GET", "/api/v1/schedules/30")
        #expect(schedule["start"] as? String == "09:00")
        let (_, holiday) = try await call("GET", "/api/v1/holidays/2026-05-01")
        #expect(holiday["recurrence"] as? String == "yearly")
        #expect(try await call("GET", "/api/v1/readers/8").0 == 404)
    }
}
