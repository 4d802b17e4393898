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
