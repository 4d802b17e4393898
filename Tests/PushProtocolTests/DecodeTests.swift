import Foundation
import Testing
@testable import PushProtocol

/// The JSON entry points behind `gatehouse push decode`.
@Suite struct DecodeTests {
    @Test func decodesACommand() throws {
        let json = try PushDecode.command("C:221:CONTROL DEVICE 01010105").rendered()
        #expect(json.contains("\"summary\": \"open lock of door 1 for 5 s\""))
    }

    @Test func decodesACaptureWithToken() throws {
        let capture = "GET /iclock/getrequest?SN=3383154200002 HTTP/1.1\r\nCookie: token=1637f0b091af92b0cc66b8eede0ae48e\r\nHost: 192.168.213.17:8088\r\n\r\n"
        let json = try PushDecode.request(capture: Array(capture.utf8)).rendered()
        #expect(json.contains("\"kind\": \"commandPoll\""))
        #expect(json.contains("\"token\": \"1637f0b091af92b0cc66b8eede0ae48e\""))
    }

    @Test func decodesAReplyAndEscapesControlCharacters() throws {
        let json = try PushDecode.reply(target: "/iclock/getrequest?SN=1", body: Array("C:1:DATA UPDATE user Pin=1\tName=A \"B\"\n".utf8)).rendered()
        #expect(json.contains("\"Name\": \"A \\\"B\\\"\""))
    }

    @Test func decodeErrorsAreLineAndField() {
        #expect(throws: PushParseError.self) { try PushDecode.reply(target: "/nope", body: []) }
        #expect(throws: PushParseError.self) { try PushDecode.command("") }
    }
}


/// `gatehouse push decode` works on every example: each decodes to JSON that a JSON parser accepts.
@Suite struct DecodeAllExamplesTests {
    func expectValidJSON(_ value: JSONValue, _ context: String) {
        let data = Data(value.rendered().utf8)
        #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(context)")
    }

    @Test func everyCommandExampleDecodes() throws {
        for example in goldenCommands {
            expectValidJSON(try PushDecode.command(example.raw), "line \(example.line)")
        }
    }

    @Test func everyResultExampleDecodes() throws {
        for example in goldenResults {
            expectValidJSON(try PushDecode.request(target: "/iclock/devicecmd?SN=1", body: Array(example.text.utf8)), "line \(example.line)")
        }
    }

    @Test func requestAndReplyExamplesDecode() throws {
        expectValidJSON(try PushDecode.request(target: "/iclock/registry?SN=3383154200002", body: Array(GoldenRequestTests.registryBody.utf8)), "registry")
        for (line, table, body, _, _) in GoldenRequestTests.tableUploads {
            expectValidJSON(try PushDecode.request(target: "/iclock/cdata?SN=1&table=tabledata&tablename=\(table)&count=1", body: Array(body.utf8)), "line \(line)")
        }
        expectValidJSON(try PushDecode.request(target: "/iclock/cdata?SN=1&pushver=3.0.1&options=all", body: []), "handshake")
        expectValidJSON(try PushDecode.request(target: "/iclock/getrequest?SN=1", body: []), "getrequest")
        expectValidJSON(try PushDecode.reply(target: "/iclock/rtdata?SN=1&type=time", body: Array("DateTime=583050990,ServerTZ=+0800".utf8)), "time")
        expectValidJSON(try PushDecode.reply(target: "/iclock/cdata?SN=1&AuthType=device", body: Array("AUTH=SUCCESS\r\ntime=2024-05-01 08:00:00\tpin=7\r\nCONTROL DEVICE 01010105\r\nTIPS=Hi \"there\"".utf8)), "auth")
        let chinese: [UInt8] = Array("user uid=2\tpin=2\tname=".utf8) + [0xD5, 0xC5, 0xC8, 0xFD]
        let json = try PushDecode.request(target: "/iclock/cdata?SN=1&table=tabledata&tablename=user&count=1", body: chinese)
        expectValidJSON(json, "gb18030")
        #expect(json.rendered().contains("张三"))
        #expect(json.rendered().contains("\"encoding\": \"gb18030\""))
    }
}
