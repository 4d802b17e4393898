import AccessControl
import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import HTTPAPI

/// Imports are files people edit by hand or get from other systems. Damaged copies of real exports, in every format,
/// must each be imported or refused with a report, never a 5xx, and a refused import must leave the users as they were.
@Suite("User import fuzz")
struct TransferFuzzTests {
    static let fragments: [[UInt8]] = [
        ",", ";", "\"", "\n", "\r\n", "<", ">", "&amp;", "&#0;", "<Data ID=\"9\" UserID=\"9\"/>", "</UserData>", "\u{0}", "é",
        "{", "}", "[", "]", "null", "99999999999999999999", "-1", "1001", "Schedule-Relay", "1001-1;", "77-9;",
    ].map { Array($0.utf8) }

    static func notUTF8(_ before: String, _ bytes: [UInt8], _ after: String) -> [UInt8] {
        Array(before.utf8) + bytes + Array(after.utf8)
    }

    /// Each of these once ended the test process: Foundation's XMLParser force-unwraps names decoded as UTF-8.
    @Test(
        "XML that is not UTF-8 is refused with its line, in names, comments and values alike",
        arguments: [
            notUTF8("<UserData>\n<Data ID=\"1\" User", [0xC8], "D=\"1001\"/>\n</UserData>"),
            notUTF8("<UserData>\n<!-- ", [0xFF, 0xFE], " -->\n</UserData>"),
            notUTF8("<UserData>\n<Da", [0xE2, 0x82], "ta UserID=\"1\"/>\n</UserData>"),
            notUTF8("<UserData>\n<Data UserID=\"1\" Name=\"", [0xC0, 0xAF], "\"/>\n</UserData>"),
        ])
    func xmlNotUTF8(body: [UInt8]) async throws {
        let fixture = try Fixture()
        try await withServer(TransferTests.router(fixture)) { (client: HTTPClient) async throws -> Void in
            let reply = try await client.send("POST", "/api/v1/users/import?format=akuvox-xml", data: Data(body))
            #expect(reply.status == 422, "\(reply.text)")
            let rows = reply.json["rows"] as? [[String: Any]] ?? []
            #expect(rows.first?["row"] as? Int == 2, "\(reply.text)")
            #expect((rows.first?["message"] as? String)?.contains("line 2 is not UTF-8") == true, "\(reply.text)")
        }
        #expect(await fixture.site.users(offset: 0, limit: 10).isEmpty)
    }

    /// A sound archive of damaged files: damage to the archive itself mostly stops at its CRC.
    static func damageInside(_ archive: [UInt8], _ random: inout SplitMix64) throws -> [UInt8] {
        var files = try TarGzip.untar(try TarGzip.gunzip(archive, maxOutput: 1 << 20))
        let index = Int.random(in: 0..<files.count, using: &random)
        files[index].contents = random.damage(files[index].contents, edits: 1...3, fragments: fragments)
        return TarGzip.gzip(TarGzip.tar(files, modified: Date(timeIntervalSince1970: 0)))
    }

    @Test(
        "a CSV saved as Latin-1 is refused with the line, not imported with damaged names",
        arguments: [UserTransfer.Format.csv, .akuvoxCSV])
    func csvNotUTF8(format: UserTransfer.Format) async throws {
        let source = try Fixture(users: TransferTests.people)
        let target = try Fixture()
        let utf8 = try await withServer(TransferTests.router(source)) { (client: HTTPClient) async throws -> [UInt8] in
            Array(try await client.get("/api/v1/users/export?format=\(format.rawValue)").body)
        }
        // "Zoë" as a spreadsheet saves it in Latin-1: ë is the one byte 0xEB instead of 0xC3 0xAB.
        let at = try #require((0..<utf8.count - 1).first { utf8[$0] == 0xC3 && utf8[$0 + 1] == 0xAB })
        let latin1 = Array(utf8[..<at]) + [0xEB] + Array(utf8[(at + 2)...])
        let line = 1 + utf8[..<at].filter { $0 == 0x0A }.count
        try await withServer(TransferTests.router(target)) { (client: HTTPClient) async throws -> Void in
            let reply = try await client.send("POST", "/api/v1/users/import?format=\(format.rawValue)", data: Data(latin1))
            #expect(reply.status == 422, "\(reply.text)")
            let rows = reply.json["rows"] as? [[String: Any]] ?? []
            #expect(rows.first?["row"] as? Int == line, "\(reply.text)")
            #expect(rows.first?["message"] as? String == "line \(line) is not UTF-8; save the file as UTF-8", "\(reply.text)")
        }
        #expect(await target.site.users(offset: 0, limit: 10).isEmpty)
    }

    static func laughs() -> String {
        var text = "<!DOCTYPE UserData [\n<!ENTITY l0 \"lollollollollollollollollollol\">\n"
        for level in 1...10 { text += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">\n" }
        return text + "]>\n<UserData>\n<Data ID=\"1\" UserID=\"1\" Name=\"&l10;\"/>\n</UserData>\n"
    }

    /// libxml2 recovers from most of these, and Foundation's `parse()` then returns true with elements dropped: an
    /// import would have taken what was left. Each is refused with its first error, in words, on its line.
    @Test(
        "malformed XML is refused with its first error, named, on its line",
        arguments: [
            (
                "<UserData>\n<Data UserID=\"1\"/>\n</UserData>junk", 3,
                "the document does not end where it should (cut short, or text after its root element)"
            ),
            ("<UserData>\n\u{1}</UserData>", 2, "a character that XML does not allow"),
            ("<UserData>\n&x;</UserData>", 2, "an entity that is not declared"),
            ("<UserData>\n<Data UserID=1001/>\n</UserData>", 2, "an attribute value without quotes"),
            ("<UserData>\n<Data UserID></Data>\n</UserData>", 2, "an attribute without a value"),
            ("<UserData>\n<Data ID=\"1\" ID=\"2\"/>\n</UserData>", 2, "an attribute given twice in one element"),
            ("<UserData>\n<1Data/>\n</UserData>", 2, "a name expected"),
            ("<UserData>\n<Data ID=\"1\"\n</UserData>", 3, "a name expected"),
            ("<UserData>\n<Data></Date>\n</UserData>", 2, "an end tag that does not match its start tag"),
            (
                "<UserData>\n<Data UserID=\"1\"/>\n<Data UserID=\"2\">\n</UserData>", 4,
                "an end tag that does not match its start tag"
            ),
            ("<UserData>\n<Data>", 2, "the document does not end where it should (cut short, or text after its root element)"),
            ("<UserData>\n<!-- a -- b -->\n</UserData>", 2, "'--' inside a comment"),
        ])
    func malformedXML(text: String, line: Int, message: String) async throws {
        let batch = UserTransfer.parse(Array(text.utf8), format: .akuvoxXML)
        #expect(batch.users.isEmpty)
        #expect(batch.errors.map(\.row) == [line], "\(batch.errors)")
        #expect(batch.errors.map(\.message) == ["XML error: line \(line): \(message)"], "\(text.debugDescription)")
    }

    @Test("a billion laughs is refused at once, not expanded")
    func billionLaughs() {
        let batch = UserTransfer.parse(Array(Self.laughs().utf8), format: .akuvoxXML)
        #expect(batch.users.isEmpty)
        #expect(
            batch.errors.first?.message.hasSuffix("entities that expand too far (an entity loop or an amplification attack)")
                == true, "\(batch.errors)")
    }

    @Test(
        "damaged exports: imported or refused with rows, never a 5xx; a refusal changes nothing",
        arguments: UserTransfer.Format.allCases)
    func damagedExports(format: UserTransfer.Format) async throws {
        let fixture = try Fixture(users: TransferTests.people)
        try await withServer(TransferTests.router(fixture)) { (client: HTTPClient) async throws -> Void in
            let export = try await client.get("/api/v1/users/export?format=\(format.rawValue)")
            #expect(export.status == 200)
            let original = Array(export.body)
            var random = SplitMix64(seed: UInt64(format.rawValue.utf8.count))
            var outcomes: [Int: Int] = [:]
            for attempt in 0..<120 {
                let body =
                    format == .akuvoxTGZ && attempt.isMultiple(of: 2)
                    ? try Self.damageInside(original, &random) : random.damage(original, edits: 1...3, fragments: Self.fragments)
                let before = await fixture.site.users(offset: 0, limit: 10_000)
                let reply = try await client.send("POST", "/api/v1/users/import?format=\(format.rawValue)", data: Data(body))
                outcomes[reply.status, default: 0] += 1
                let what =
                    "\(format.rawValue) attempt \(attempt): \(String(decoding: body.prefix(400), as: UTF8.self).debugDescription)"
                #expect(reply.status == 200 || reply.status == 422, "\(what) → \(reply.status) \(reply.text.prefix(300))")
                if reply.status != 200 {
                    #expect(
                        !(reply.json["rows"] as? [Any] ?? []).isEmpty,
                        "\(what) → a refusal without rows: \(reply.text.prefix(300))")
                    #expect(
                        await fixture.site.users(offset: 0, limit: 10_000) == before, "\(what) was refused yet changed the users")
                }
            }
            // Both outcomes occur, or the damage is too mild or too wild to test anything.
            #expect(outcomes[422, default: 0] > 0 && outcomes[200, default: 0] > 0, "\(format.rawValue): \(outcomes)")
        }
    }
}
