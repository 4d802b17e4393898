import Foundation
import Testing

/// Keeps the OpenAPI document true: the served document is the one in docs/, every documented operation is routed
/// and answers with a documented status, and the documented request bodies are accepted.
@Suite("OpenAPI contract", .serialized)
final class OpenAPIContractTests {
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

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func fetch(_ method: String, _ path: String, body: String? = nil) async throws -> (Int, Data) {
        try await httpExchange(
            method, "http://127.0.0.1:\(port)\(path)", headers: ["Authorization": "Bearer \(token)"],
            body: body.map { Data($0.utf8) })
    }

    @Test("the served document is docs/openapi.json, OpenAPI 3.1")
    func servedDocument() async throws {
        let (status, served) = try await fetch("GET", "/api/v1/openapi.json")
        #expect(status == 200)
        let onDisk = try Data(contentsOf: Self.repositoryRoot.appendingPathComponent("docs/openapi.json"))
        let servedObject = try JSONSerialization.jsonObject(with: served) as? NSDictionary
        let diskObject = try JSONSerialization.jsonObject(with: onDisk) as? NSDictionary
        #expect(servedObject == diskObject)
        #expect(servedObject?["openapi"] as? String == "3.1.0")
    }

    /// Sample bodies that satisfy each documented request schema.
    static let sampleBodies: [String: String] = [
        "createUser": #"{"pin": "9001", "name": "Contract"}"#,
        "putUser": #"{"pin": "9001", "name": "Contract"}"#,
        "presentCredential": #"{"door": 1, "card": "12345"}"#,
        "openDoor": #"{"seconds": 2}"#,
        "setInput": #"{"active": false}"#,
        "dtmf": #"{"caller": "100", "digits": "1"}"#,
        "importUsers": #"[{"pin": "9002", "name": "Imported"}]"#,
        "createTimezone": #"{"id": 5, "name": "Closed", "weekdays": [[], [], [], [], [], [], []]}"#,
        "putTimezone":
            #"{"name": "Always", "weekdays": [[{"start": "00:00", "end": "23:59"}], [{"start": "00:00", "end": "23:59"}], [{"start": "00:00", "end": "23:59"}], [{"start": "00:00", "end": "23:59"}], [{"start": "00:00", "end": "23:59"}], [{"start": "00:00", "end": "23:59"}], [{"start": "00:00", "end": "23:59"}]], "holidays": null}"#,
        "createSchedule": #"{"id": 6, "type": "weekly", "weekdays": [1, 2, 3, 4, 5], "start": "08:00", "end": "18:00"}"#,
        "putSchedule": #"{"name": "Always", "type": "daily"}"#,
        "createHoliday": #"{"date": "2026-12-25", "type": 1, "recurrence": "yearly"}"#,
        "putHoliday": #"{"type": 2}"#,
        "createDoor": #"{"id": 5, "relay": 1}"#,
        "putDoor": #"{"relay": 1, "open_timeout": 20}"#,
        "createReader": #"{"id": 9, "door": 1, "direction": "exit"}"#,
        "putReader": #"{"door": 1}"#,
        "createRelay": #"{"id": 9, "mode": "bistable"}"#,
        "putRelay": #"{"hold_delay": 5}"#,
        "createInput": #"{"id": 9, "role": "auxiliary", "relay": 1}"#,
        "putInput": #"{"role": "exit_button", "door": 1}"#,
        "enqueueDeviceCommand": #"{"command": "CONTROL DEVICE 01010105"}"#,
    ]

    @Test("every documented operation is routed and answers with a documented status")
    func everyOperation() async throws {
        let (_, served) = try await fetch("GET", "/api/v1/openapi.json")
        let document = try #require(try JSONSerialization.jsonObject(with: served) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var checked = 0
        // Creation first, deletion last, so every operation finds its resource.
        let order = ["post", "put", "get", "delete"]
        for (template, item) in paths.sorted(by: { $0.key < $1.key }) where template != "/api/v1/events/stream" {
            for method in order {
                guard let operation = item[method] as? [String: Any] else { continue }
                var path = template.replacingOccurrences(of: "{pin}", with: "9001")
                    .replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{date}", with: "2026-12-25")
                    .replacingOccurrences(of: "{sn}", with: "CONTRACT1")
                if template.hasSuffix("/users/import") || template.hasSuffix("/users/export") { path += "?format=json" }
                let operationID = operation["operationId"] as? String ?? ""
                let body = Self.sampleBodies[operationID]
                if operation["requestBody"] != nil { #expect(body != nil, "no sample body for \(operationID)") }
                let (status, data) = try await fetch(method.uppercased(), path, body: body)
                let responses = try #require(operation["responses"] as? [String: Any])
                #expect(
                    responses[String(status)] != nil,
                    "\(method.uppercased()) \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
                #expect(status < 500)
                checked += 1
            }
        }
        #expect(checked >= 20)
    }
}
