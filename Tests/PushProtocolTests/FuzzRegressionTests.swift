import Testing
@testable import PushProtocol

/// Inputs the fuzzer (scripts/fuzz-push) found, kept so they stay fixed. Each must parse without crashing and its
/// emission must be a fixpoint (emit → parse → emit gives the same bytes).
@Suite struct FuzzRegressionTests {
    static let commandBodies: [String] = [
        // A first word before `key=` whose key holds a `;`: the TAB and space forms used to disagree on the tag.
        "C:110:DATA UPDATE contact_number_lisC:224:CONTROL Dt Contact;ID=1 N@mType=1 Number=15865742356 Priority=1 PEV2IaCE 090ttC:0000000\n",
        // Single-field records whose value would read differently without a TAB.
        "C:1:DATA UPDATE user uid=5 pin=4\t\n",
        "C:2:DATA DELETE user Name=ab \t\n",
        "C:3:DATA UPDATE user a b c=1\td=2\n",
        // A line that starts with CR before `C:` is a command, not a record line.
        "C:518:DATA UPDATE WGFormat ID=2\n\rC:519:DATA COUNT user\n",
        // A first record on a continuation line that starts with CR.
        "C:501:DATA UPDATE mulcarduser\n\r CardNo=CC9932DD LossCardFlag=0 CardType\n=0\n",
        // A table name followed by CRs (a word never ends in CR).
        "C:33: DATA DELETE firstcard\r\r\t\r\r",
        // A last value that ends in spaces, kept by its final TAB.
        "C:6:DATA UPDATE user a=1\tb=2 \t\n",
        // A filter value that ends in blanks when it is not the last item.
        "C:4:DATA QUERY filter=a ,tablename=t\n",
        // The PULL SDK ACCOUNT form with a value that spaces would split.
        "C:5:ACCOUNT transaction ContentType=tgz\tName=x y=z\n",
    ]

    @Test(arguments: commandBodies)
    func commandEmissionIsAFixpoint(_ body: String) throws {
        let commands = try ServerCommand.parseAll(Array(body.utf8))
        let emitted = ServerCommand.emitAll(commands)
        let again = try ServerCommand.parseAll(emitted)
        #expect(ServerCommand.emitAll(again) == emitted)
        #expect(again == commands)
    }

    @Test(arguments: [
        "uid=5 pin=4\t", "name=ab \t", "user uid=5 pin=4\tx=1", "a b c=1\td=2", "x y\t", "a=1\n \n**=?\n",
        // A multi-word first segment is not a tag in either form; CRCRLF ends a line like CRLF.
        "C:509:DATA UPDATE DevProperty ID=14 Type=0 Mac= I\u{0}\u{0}ess=192.168.223.222", "Transfer-Encoding: chunked\r\r\n\n5",
        // A record line that starts with a TAB, then a tag.
        "\troept y ID=1 DooPOST /ic\n",
        // A last value ending in CR followed by blanks.
        "C:515:DATA UPDATE AuxIn ID=1)      DevID=1  4   \r \n",
    ])
    func recordEmissionIsAFixpoint(_ line: String) throws {
        let records = try RecordBody.parse(Array(line.utf8))
        let emitted = RecordBody.emit(records)
        #expect(try RecordBody.parse(emitted) == records)
    }
}

/// The getrequest fast path and the general parser agree on every example and every property-test command.
@Suite struct FastPathAgreementTests {
    func expectAgreement(_ body: [UInt8]) {
        let fast = Result { () throws(PushParseError) in try ServerCommand.parseAll(body) }
        let general = Result { () throws(PushParseError) in try ServerCommand.parseAllGeneral(body, bodyIsUTF8: true) }
        switch (fast, general) {
        case (.success(let a), .success(let b)): #expect(a == b, "\(String(decoding: body.prefix(120), as: UTF8.self))")
        case (.failure(let a), .failure(let b)): #expect(a == b)
        default: Issue.record("paths disagree on \(String(decoding: body.prefix(120), as: UTF8.self))")
        }
    }

    @Test func examplesAgree() {
        for example in goldenCommands { expectAgreement(Array(example.raw.utf8)) }
        expectAgreement(Array(goldenCommands.map(\.raw).joined(separator: "\r\n").utf8))
        for body in FuzzRegressionTests.commandBodies { expectAgreement(Array(body.utf8)) }
        for odd in ["C:1:DATA UPDATE user\n", "C: 7 :data update user Pin=1 \nPin=2\t\n\n", "C:1:DATA COUNT user   ", "C:1:DATA DELETE user    *  ",
                    "C:2:CONTROL DEVICE 0Z", "C:3:control device 01 01 01 05", "C::DATA COUNT user", "C:4:DATA DELETE Reader*", "x\nC:1:DATA COUNT user",
                    "C:5:DATA DELETE user *\t", "C:6:DATA COUNT user \t * \t", "C:7:DATA DELETE user\r\r\t", "\rC:8:DATA COUNT user",
                    "C:\r9:DATA COUNT user", "C:10:DATA\rUPDATE user\r\r Pin=1"] {
            expectAgreement(Array(odd.utf8))
        }
    }
}

/// Emission fixpoints for requests and replies, on inputs of the kinds the fuzzer explores.
@Suite struct MessageFixpointTests {
    @Test(arguments: ["a=1\n=5", "~DeviceName=X\r\nFirmVer=Ver 1, 2\r\n", "x\ny=1", "a=1,\nb=2"])
    func optionBodies(_ body: String) throws {
        let request = try PushRequest.parse(method: "POST", target: "/iclock/registry?SN=1", body: Array(body.utf8))
        let again = try PushRequest.parse(method: "POST", target: request.target, body: request.body)
        #expect(again == request)
    }

    @Test(arguments: ["AUTH=SUCCESS\r\n AUTH=FAILED\r\n   \r\nTIPS=x", " auth=TIMEOUT\n control device 0101\n time=2024-01-01 00:00:00\tpin=1"])
    func remoteIdentificationReplies(_ body: String) throws {
        let reply = try ServerReply.parse(Array(body.utf8), endpoint: .cdata, query: PushQuery(["AuthType": "device"]))
        let again = try ServerReply.parse(reply.body, endpoint: .cdata, query: PushQuery(["AuthType": "device"]))
        #expect(again == reply)
    }
}
