import AccessControl
import Foundation
import Hummingbird
import PushProtocol
import Storage
import TestSupport
import Testing

@testable import HTTPAPI

/// The Akuvox endpoints take JSON and query strings from integrations nobody here wrote, and the OpenAPI contract
/// (fuzzed by schemathesis) covers only `/api/v1`. Seeded random calls, valid-looking and broken, must each get an
/// Akuvox envelope and never a 5xx, and a refused write must leave users and schedules exactly as they were.
@Suite("Akuvox API fuzz")
struct AkuvoxFuzzTests {
    static let endpoints = [
        ("user", "add"), ("user", "set"), ("user", "del"), ("user", "get"), ("schedule", "add"), ("schedule", "set"),
        ("schedule", "del"), ("schedule", "get"), ("relay", "trig"), ("relay", "status"), ("input", "status"),
        ("doorlog", "get"), ("USER", "Add"), ("door", "open"), ("user", "drop"), ("system", "info"), ("system", "status"),
        ("relay", "get"), ("relay", "set"), ("config", "get"), ("config", "set"), ("calllog", "get"), ("contact", "get"),
        ("contact", "add"), ("contact", "set"), ("contact", "del"), ("group", "get"), ("group", "add"), ("group", "set"),
        ("group", "del"),
    ]
    static let keys = [
        "UserID", "ID", "PerID", "Name", "PrivatePIN", "PinCode", "CardCode", "Schedule-Relay", "ScheduleRelay", "Schedule",
        "Building", "Room", "Floor", "LicensePlateCode", "ScheduleID", "Type", "Mon", "Tue", "Sun", "TimeStart", "TimeEnd",
        "DateStart", "DateEnd", "num", "mode", "delay", "page", "NameOrPerID", "item", "Item", "Phone", "Group", "Week",
        "Daily", "Config.DoorSetting.RELAY.HoldDelayA", "Config.DoorSetting.DTMF.Code1",
        "Config.Features.ACTIONURL.RelayATriggered",
        "Config.Network.LAN.IPAddress", "RelayA", "HoldDelayB",
    ]
    static let texts = [
        "", " ", "1", "0", "-1", "2", "1001", "1002", "5", "65", "99999999999999999999", "1001-1", "1001-12;5-3", "77-1",
        "1-0", "abc", "112344;1123", "12x!", "08:00", "24:00", "18:00", "23:59", "8:0", "20260101", "20261340", "SA", "SB",
        "%00", "\u{0}", "\n", "\"", "😀", "é", String(repeating: "9", count: 300), String(repeating: "A", count: 5000),
        "1e308", "NaN", "-0", "0x10", "١٢٣",
    ]

    static func value(_ random: inout SplitMix64, depth: Int = 0) -> AkuvoxJSON {
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<5: return .string(texts.randomElement(using: &random)!)
        case 5: return .number([0, -1, 1001, 1e300, -1e-300, 3.5, 9_007_199_254_740_993].randomElement(using: &random)!)
        case 6: return .bool(Bool.random(using: &random))
        case 7: return .null
        case 8 where depth < 3:
            return .array((0..<Int.random(in: 0..<3, using: &random)).map { _ in value(&random, depth: depth + 1) })
        case _ where depth < 3: return record(&random, depth: depth + 1)
        default: return .string("deep")
        }
    }

    /// Mostly valid values per field, from small pools, so that records in one batch collide with each other and
    /// with the site (a PIN or card already taken, a schedule in use): the paths where a batch fails half-way.
    static let plausible: [String: [String]] = [
        "UserID": ["1001", "2001", "2002", "3", " ", "x"], "Name": ["Bob", "", "Ünïcødé"],
        "PrivatePIN": ["4321", "1234", "12", "abcd"], "CardCode": ["112344", "5555", "5555;1123", "", "12x!"],
        "Schedule-Relay": ["1001-1", "1001-12;5-3", "5-1", "77-1", "1-0", ""], "LicensePlateCode": ["AB123", ""],
        "ID": ["5", "6", "1001", "70000", "x"], "Type": ["0", "1", "2", "3"], "Mon": ["1", "0"], "Sun": ["1"],
        "TimeStart": ["08:00", "18:00", "25:00"], "TimeEnd": ["18:00", "08:00", "23:59"],
        "DateStart": ["20260101", "20260230"], "DateEnd": ["20260131", "20251231"], "Phone": ["+4930111", "1 2", ""],
        "Group": ["Family", "", "Nobody"], "Week": ["12345", "9", ""], "Daily": ["08:00-18:00", "x"],
        "Config.DoorSetting.RELAY.HoldDelayA": ["5", "61", "x"], "Config.DoorSetting.DTMF.Code1": ["1", "12", "#"],
        "Config.Features.ACTIONURL.RelayATriggered": ["http://127.0.0.1:9/r?s=$relay1status", "ftp://x", "a b"],
        "Config.Network.LAN.IPAddress": ["10.0.0.9"],
    ]

    static func plausibleRecord(_ random: inout SplitMix64) -> AkuvoxJSON {
        var members: [(String, AkuvoxJSON)] = []
        for (key, pool) in plausible.sorted(by: { $0.key < $1.key }) where Int.random(in: 0..<3, using: &random) == 0 {
            members.append((key, .string(pool.randomElement(using: &random)!)))
        }
        if Bool.random(using: &random) {
            members.append(("UserID", .string(plausible["UserID"]!.randomElement(using: &random)!)))
        }
        return .object(members)
    }

    static func record(_ random: inout SplitMix64, depth: Int = 0) -> AkuvoxJSON {
        .object(
            (0..<Int.random(in: 0..<6, using: &random)).map { _ in
                (keys.randomElement(using: &random)!, value(&random, depth: depth))
            })
    }

    /// A POST body: usually an envelope with `data.item` records, sometimes something else, sometimes broken bytes.
    static func body(target: String, action: String, _ random: inout SplitMix64) -> Data {
        let items = AkuvoxJSON.array(
            (0..<Int.random(in: 1..<4, using: &random)).map { _ in
                Int.random(in: 0..<4, using: &random) == 0 ? record(&random) : plausibleRecord(&random)
            })
        var data = record(&random)
        if case .object(var members) = data, Bool.random(using: &random) {
            members.append(("item", items))
            data = .object(members)
        }
        var envelope: [(String, AkuvoxJSON)] = [("data", data)]
        if Bool.random(using: &random) { envelope.append(("target", .string(Bool.random(using: &random) ? target : "relay"))) }
        if Bool.random(using: &random) { envelope.append(("action", .string(action))) }
        var bytes = Array(AkuvoxJSON.object(envelope).serialized.utf8)
        switch Int.random(in: 0..<8, using: &random) {
        case 0:  // truncated
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        case 1:  // a few bytes replaced by anything, invalid UTF-8 included
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
        case 2:  // not an object
            bytes = Array(
                ["[1,2]", "\"x\"", "null", "42", "{\"data\":[]}", "{\"data\":\"x\"}"].randomElement(using: &random)!.utf8)
        case 3:  // nested far deeper than any envelope
            let depth = Int.random(in: 100...5_000, using: &random)
            bytes = Array(("{\"data\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8)
        default:
            break
        }
        return Data(bytes)
    }

    static func query(_ random: inout SplitMix64) -> String {
        let pairs = (0..<Int.random(in: 0..<4, using: &random)).map { _ -> String in
            let key = keys.randomElement(using: &random)!
            let text = texts.randomElement(using: &random)!
            return key + "=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    struct State: Equatable {
        var users: [User]
        var configuration: SiteConfiguration
        var contacts: [AkuvoxDirectoryStore.Contact]
        var groups: [AkuvoxDirectoryStore.Group]
        var stored: [String: String]
    }

    static func state(_ site: Site, _ directory: AkuvoxDirectoryStore) async throws -> State {
        State(
            users: await site.users(offset: 0, limit: 100_000), configuration: await site.currentConfiguration,
            contacts: try await directory.contacts(), groups: try await directory.groups(),
            stored: try await directory.configuration())
    }

    @Test(
        "seeded random calls: always an envelope, never a 5xx; a refused write changes nothing",
        arguments: [1, 2, 3, 4] as [UInt64])
    func randomCalls(seed: UInt64) async throws {
        let fixture = try Fixture(users: [
            User(
                pin: "1001", name: "Alice", cards: [Card(number: CardNumber(112_344))],
                authorisations: [Authorisation(timezone: 1, doors: DoorMask([1]))])
        ])
        let directory = try AkuvoxDirectoryStore.inMemory()
        _ = try await directory.apply([.addGroup(name: "Family")])
        let router = AkuvoxAPITests.router(fixture, AkuvoxAPISettings(enabled: true, auth: .none), directory: directory)
        try await withServer(router) { (client: HTTPClient) async throws -> Void in
            var random = SplitMix64(seed: seed)
            var accepted = 0
            for call in 0..<200 {
                let (target, action) = Self.endpoints.randomElement(using: &random)!
                let path = "/api/\(target)/\(action)" + Self.query(&random)
                let post = Int.random(in: 0..<4, using: &random) != 0
                let body = post ? Self.body(target: target, action: action, &random) : nil
                let before = try await Self.state(fixture.site, directory)
                let reply = try await client.send(post ? "POST" : "GET", path, data: body)
                let what =
                    "seed \(seed) call \(call): \(post ? "POST" : "GET") \(path) \(String(decoding: (body ?? Data()).prefix(300), as: UTF8.self))"
                #expect(reply.status == 200, "\(what) → \(reply.status) \(reply.text.prefix(300))")
                let retcode = try #require(reply.retcode, "\(what) → not an Akuvox envelope: \(reply.text.prefix(300))")
                #expect(reply.json["message"] is String, "\(what) → \(reply.text.prefix(300))")
                if retcode != 0 {
                    #expect(
                        try await Self.state(fixture.site, directory) == before,
                        "\(what) was refused (\(reply.text.prefix(200))) yet changed the site")
                } else {
                    accepted += 1
                }
            }
            // The generator must reach the handlers' accepting paths too, or it only tests the parsers' refusals.
            #expect(accepted >= 20, "seed \(seed): only \(accepted) of 200 calls were accepted")
            // And the API still works afterwards.
            let add = try await client.post("/api/user/add", #"{"data":{"item":[{"UserID":"424242","Name":"After"}]}}"#)
            #expect(add.retcode == 0, "\(add.text)")
            #expect(await fixture.site.user("424242")?.name == "After")
        }
    }
}
