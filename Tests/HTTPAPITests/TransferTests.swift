import AccessControl
import Foundation
import Hummingbird
import PushProtocol
import Testing

@testable import HTTPAPI

/// User import and export over HTTP: the formats, all-or-nothing with a per-row report, round trips.
@Suite("User import and export")
struct TransferTests {
    static func router(_ fixture: Fixture) -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        router.middlewares.add(APIErrorMiddleware())
        let api = router.group("api/v1")
        TransferRoutes.add(to: api, site: fixture.site, maxBodyBytes: 1 << 20)
        SiteRoutes.add(to: api, site: fixture.site, maxBodyBytes: 1 << 20)
        return router
    }

    static let people: [User] = [
        User(
            pin: "1001", name: "Alice, \"the\" admin", validity: DateWindow(end: Date(timeIntervalSince1970: 1_798_761_600)),
            privatePIN: "4321", cards: [Card(number: CardNumber(4567)), Card(number: CardNumber(112344))],
            authorisations: [Authorisation(timezone: 1, doors: DoorMask([1, 2]))]),
        User(pin: "1002", name: "Bob", authorisations: [Authorisation(timezone: 1001, doors: DoorMask([3]))]),
        User(pin: "1003", name: "Zoë", isDisabled: true),
    ]

    static func allUsers(_ site: Site) async -> [User] { await site.users(offset: 0, limit: 1000) }

    @Test("export then import into an empty site gives the same users", arguments: ["json", "csv", "akuvox-csv", "akuvox-xml", "akuvox-tgz"])
    func roundTrip(_ format: String) async throws {
        let source = try Fixture(users: Self.people)
        let target = try Fixture()
        let body = try await withServer(Self.router(source)) { (client: HTTPClient) async throws -> Data in
            let reply = try await client.get("/api/v1/users/export?format=\(format)")
            #expect(reply.status == 200)
            return reply.body
        }
        try await withServer(Self.router(target)) { (client: HTTPClient) async throws -> Void in
            let reply = try await client.send("POST", "/api/v1/users/import?format=\(format)", data: body)
            #expect(reply.status == 200, "\(reply.text)")
        }
        let imported = await Self.allUsers(target.site)
        let original = Self.people
        #expect(imported.map(\.pin) == original.map(\.pin))
        for (got, want) in zip(imported, original) {
            #expect(got.name == want.name)
            #expect(got.cards.map(\.number) == want.cards.map(\.number))
            #expect(got.privatePIN == want.privatePIN)
            #expect(got.authorisations.map(\.timezone) == want.authorisations.map(\.timezone))
            #expect(got.authorisations.map(\.doors) == want.authorisations.map(\.doors))
            if format == "json" || format == "csv" {
                #expect(got.validity == want.validity)
                #expect(got.isDisabled == want.isDisabled)
            }
        }
    }

    @Test("plain CSV: every bad row is reported and nothing is imported")
    func allOrNothing() async throws {
        let fixture = try Fixture(users: [Self.people[0]])
        let csv = """
            pin,name,cards,authorizations,valid_until
            2001,Carol,777,1:1,
            2002,Dave,12x,1:1,
            2003,Erin,,9:1,
            2004,Finn,4567,,
            2005,Gus,,,tomorrow
            2001,Carol again,,,
            """
        try await withServer(Self.router(fixture)) { (client: HTTPClient) async throws -> Void in
            let reply = try await client.post("/api/v1/users/import?format=csv", csv)
            #expect(reply.status == 422)
            #expect(reply.json["error"] as? String == "import_rejected")
            let rows = try #require(reply.json["rows"] as? [[String: Any]])
            #expect(rows.map { $0["row"] as? Int } == [3, 4, 5, 6, 7])
            #expect(rows.map { $0["field"] as? String } == ["cards", "user 2003: authorisation 1 timezone", "user 2004: card 4567", "valid_until", "pin"])
        }
        #expect(await fixture.site.user("2001") == nil)
        #expect(await fixture.site.userCount == 1)
    }

    @Test("the sectioned Akuvox CSV with padded cells imports users and schedules")
    func akuvoxCSV() async throws {
        let fixture = try Fixture()
        let csv = """
            UserData
            ID, UserId, Name, WebRelay, Floor, Schedule-Relay, Schedule-SRelay, PinCode, CardCode, BlePinCode, BlePinCodeGenTime, BleKeyID, BleStatus, LicensePlateCode, LicensePlateStartTime, LicensePlateEndTime, LicensePlateLongTermEnable, RelayScheduleActivationPermission
            1, 10000001, John Doe, 0, 0, 1001-1;, 1001-2;, , 00000001, , , , , , , , , 0
            2, 10000002, "Roe, Jane", 0, 3, 7-12;, , 2468, 5551;5552, , , , , AB-123, , , 1, 0
            ScheduleData
            ID, ScheduleID, Name, Type, Date, Weekly, Daily
            1, 1001, Always, 2, , , 00:00-23:59
            2, 7, Weekdays, 1, , 12345, 08:00-18:00
            """
        try await withServer(Self.router(fixture)) { (client: HTTPClient) async throws -> Void in
            let reply = try await client.post("/api/v1/users/import?format=akuvox-csv", csv)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["created"] as? Int == 2)
            #expect(reply.json["schedules"] as? Int == 1)
        }
        let john = try #require(await fixture.site.user("10000001"))
        #expect(john.name == "John Doe")
        #expect(john.cards.map(\.number) == [CardNumber(1)])
        #expect(john.authorisations == [Authorisation(timezone: 1001, doors: DoorMask([1]))])
        let jane = try #require(await fixture.site.user("10000002"))
        #expect(jane.name == "Roe, Jane")
        #expect(jane.privatePIN == "2468")
        #expect(jane.residence?.floor == "3")
        #expect(jane.plates.map(\.text) == ["AB123"])
        #expect(jane.authorisations == [Authorisation(timezone: 7, doors: DoorMask([1, 2]))])
        let weekdays = try #require(await fixture.site.timezones.first { $0.id == 7 })
        #expect(weekdays.weekdays.map(\.count) == [0, 1, 1, 1, 1, 1, 0])
        // Thursday 10:00: Jane's card opens door 2.
        #expect(await fixture.site.present(.card(CardNumber(5552)), at: 2).isGranted)
    }

    @Test("Akuvox userdata.xml as the E18C exports it")
    func akuvoxXML() async throws {
        let fixture = try Fixture()
        let xml = """
            <?xml version="1.0" encoding="UTF-8" ?>
            <UserData>
              <Data ID="1" UserID="1" Name="Ann &amp; Co" WebRelay="0" Floor="0" Phone="100" Group="" PriorityOfCall="0" DialAccount="0" Schedule-Relay="1001-1;" Schedule-SRelay="">
                <Pin Code="13579" />
              </Data>
              <Data ID="2" UserID="2" Name="Ben" WebRelay="0" Floor="0" Phone="" Group="" PriorityOfCall="0" DialAccount="0" Schedule-Relay="1002-12;" Schedule-SRelay="">
                <Pin Code="" />
                <Card Code="998877" Type="" />
              </Data>
              <Data ID="3" Name="No id" />
              <Data ID="4" UserID="4" Schedule-Relay="1001-8;" />
            </UserData>
            """
        try await withServer(Self.router(fixture)) { (client: HTTPClient) async throws -> Void in
            let rejected = try await client.post("/api/v1/users/import?format=akuvox-xml", xml)
            #expect(rejected.status == 422)
            let rows = try #require(rejected.json["rows"] as? [[String: Any]])
            #expect(rows.map { $0["row"] as? Int } == [10, 11])
            #expect(rows.map { $0["field"] as? String } == ["UserID", "Schedule-Relay"])
            #expect(await fixture.site.userCount == 0)

            let fixed = xml.replacingOccurrences(of: "  <Data ID=\"3\" Name=\"No id\" />\n  <Data ID=\"4\" UserID=\"4\" Schedule-Relay=\"1001-8;\" />\n", with: "")
            let accepted = try await client.post("/api/v1/users/import?format=akuvox-xml", fixed)
            #expect(accepted.status == 200, "\(accepted.text)")
        }
        #expect(await fixture.site.user("1")?.name == "Ann & Co")
        #expect(await fixture.site.user("1")?.privatePIN == "13579")
        #expect(await fixture.site.user("2")?.cards.map(\.number) == [CardNumber(998877)])
        // 1002 is Never: Ben's card is refused.
        #expect(await !fixture.site.present(.card(CardNumber(998877)), at: 1).isGranted)
    }

    @Test("UserData.tgz made by GNU tar and gzip -9 (dynamic Huffman)")
    func realArchive() async throws {
        let fixture = try Fixture()
        let archive = try #require(Data(base64Encoded: TransferFixtures.userDataTGZ))
        try await withServer(Self.router(fixture)) { (client: HTTPClient) async throws -> Void in
            let reply = try await client.send("POST", "/api/v1/users/import?format=akuvox-tgz", data: archive)
            #expect(reply.status == 200, "\(reply.text)")
        }
        #expect(await fixture.site.userCount == 40)
        let user = try #require(await fixture.site.user("5040"))
        #expect(user.name == "Resident 40")
        #expect(user.privatePIN == "100280")
        #expect(user.cards.map(\.number) == [CardNumber(700520)])
        #expect(await fixture.site.timezones.contains { $0.id == 7 && $0.weekdays[1].count == 1 && $0.weekdays[0].isEmpty })
    }

    @Test("gzip and tar: fixed-Huffman stream, our own writer, damaged input")
    func archives() throws {
        let small = try TarGzip.untar(try TarGzip.gunzip(Array(try #require(Data(base64Encoded: TransferFixtures.smallTGZ))), maxOutput: 1 << 20))
        #expect(small.map(\.name) == ["s.txt"])
        #expect(small.first.map { String(decoding: $0.contents, as: UTF8.self) } == "small")

        let big = [UInt8]((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let packed = TarGzip.gzip(TarGzip.tar([("a.bin", big), ("empty", [])], modified: Date(timeIntervalSince1970: 0)))
        let files = try TarGzip.untar(try TarGzip.gunzip(packed, maxOutput: 1 << 20))
        #expect(files.map(\.name) == ["a.bin", "empty"])
        #expect(files.first?.contents == big)

        var damaged = packed
        damaged[damaged.count / 2] ^= 0xFF
        #expect(throws: TarGzip.Failure.self) { try TarGzip.gunzip(damaged, maxOutput: 1 << 20) }
        #expect(throws: TarGzip.Failure.self) { try TarGzip.gunzip(Array(packed.prefix(100)), maxOutput: 1 << 20) }
        #expect(throws: TarGzip.Failure.self) { try TarGzip.gunzip(packed, maxOutput: 1000) }
        #expect(throws: TarGzip.Failure.self) { try TarGzip.gunzip([1, 2, 3], maxOutput: 1000) }
        // A decompression bomb (64 MiB of zeros in about 64 KiB) is refused at the bound, not after inflating it all.
        let bomb = TarGzip.gzip([UInt8](repeating: 0, count: 64 << 20))
        #expect(bomb.count < 128 << 10)
        #expect(throws: TarGzip.Failure(message: "the archive inflates to more than 1048576 bytes")) {
            try TarGzip.gunzip(bomb, maxOutput: 1 << 20)
        }
        // Real compression now (zlib): the writer's output is smaller than its input for text.
        let text = [UInt8](String(repeating: "<Data ID=\"1\" Name=\"x\"/>\n", count: 1000).utf8)
        #expect(TarGzip.gzip(text).count < text.count / 10)
        #expect(TarGzip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        // FEXTRA and FNAME header fields are skipped.
        var extra: [UInt8] = [0x1F, 0x8B, 8, 4 | 8, 0, 0, 0, 0, 0, 0xFF, 3, 0, 0xAA, 0xBB, 0xCC] + Array("name.tar".utf8) + [0]
        extra += packed[10...]
        #expect(try TarGzip.untar(try TarGzip.gunzip(extra, maxOutput: 1 << 20)).map(\.name) == ["a.bin", "empty"])
    }

    @Test("format is required and checked; a broken archive is a row-0 error")
    func badRequests() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture)) { (client: HTTPClient) async throws -> Void in
            let missing = try await client.get("/api/v1/users/export")
            #expect(missing.status == 400)
            #expect(missing.json["field"] as? String == "format")
            #expect(try await client.get("/api/v1/users/export?format=xls").status == 400)
            let broken = try await client.post("/api/v1/users/import?format=akuvox-tgz", "not gzip")
            #expect(broken.status == 422)
            let json = try await client.post("/api/v1/users/import?format=json", #"[{"pin":"1","cards":[{"number":"x"}]}, {"name":"no pin"}]"#)
            #expect(json.status == 422)
            let rows = try #require(json.json["rows"] as? [[String: Any]])
            #expect(rows.map { $0["row"] as? Int } == [1, 2])
            // The native user routes still work beside /users/import and /users/export.
            #expect(try await client.get("/api/v1/users/1001").status == 404)
        }
    }
}
