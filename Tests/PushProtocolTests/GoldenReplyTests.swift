import Testing
@testable import PushProtocol

/// The server reply examples of §4–§10: parsed for the endpoint they answer, checked, re-emitted byte-exact
/// (after the documented normalisation: the PDF puts the HTTP headers and the body in one block; only the body is
/// used here).
@Suite struct GoldenReplyTests {
    func reply(_ body: String, _ endpoint: PushEndpoint, _ query: PushQuery = PushQuery()) throws -> ServerReply {
        try ServerReply.parse(Array(body.utf8), endpoint: endpoint, query: query)
    }

    func expectByteExact(_ reply: ServerReply, _ body: String) {
        #expect(String(decoding: reply.body, as: UTF8.self) == body)
    }

    @Test func okReplies() throws {
        for (body, endpoint) in [("OK", PushEndpoint.cdata), ("OK", .ping), ("OK", .devicecmd), ("ok", .getrequest), ("OK", .push)] {
            let parsed = try reply(body, endpoint)
            #expect(parsed == .ok(body))
            expectByteExact(parsed, body)
        }
    }

    // §4.1: the registered handshake reply, in the reference's order.
    @Test func registrationBlock() throws {
        let body = "registry=ok\nRegistryCode=Uy47fxftP3\nServerVersion=3.0.1\nServerName=ADMS\nPushProtVer=3.1.2\nErrorDelay=60\nRequestDelay=2\nTransTimes=00:00;14:00\nTransInterval=1\nTransTables=User Transaction\nRealtime=1\nSessionID=30BFB04B2C8AECC72C01C03BFD549D15\nTimeoutSec=10\n"
        let parsed = try reply(body, .cdata, PushQuery(["SN": "3383154200002", "options": "all"]))
        guard case .registration(let configuration) = parsed else {
            Issue.record("expected the registration block")
            return
        }
        #expect(configuration.isRegistered)
        #expect(configuration.registryCode == "Uy47fxftP3")
        #expect(configuration.sessionID == "30BFB04B2C8AECC72C01C03BFD549D15")
        #expect(configuration.pushProtocolVersion == .v3_1_2)
        #expect(configuration.transTimes == ["00:00", "14:00"])
        #expect(configuration.transTables == ["User", "Transaction"])
        #expect(configuration.requestDelay == 2)
        expectByteExact(parsed, body)
        let built = ServerConfiguration(
            registered: true, registryCode: "Uy47fxftP3", serverVersion: "3.0.1", serverName: "ADMS", pushProtocolVersion: "3.1.2",
            errorDelay: 60, requestDelay: 2, transTimes: "00:00;14:00", transInterval: 1, transTables: "User Transaction",
            realtime: true, sessionID: "30BFB04B2C8AECC72C01C03BFD549D15", timeoutSeconds: 10)
        #expect(ServerReply.registration(built) == parsed)
    }

    // §4.4 (line 1062) and the refusal.
    @Test func registryCode() throws {
        let parsed = try reply("RegistryCode=Uy47fxftP3", .registry)
        #expect(parsed == .registryCode("Uy47fxftP3"))
        expectByteExact(parsed, "RegistryCode=Uy47fxftP3")
        #expect(try reply("406", .registry) == .registrationRefused)
    }

    // §4.5 (line 1172): the /push configuration example.
    @Test func configurationBlock() throws {
        let body = "ServerVersion=3.0.1\nServerName=ADMS\nPushVersion=3.0.1\nErrorDelay=60\nRequestDelay=2\nTransTimes=00:0014:00\nTransInterval=1\nTransTables=User Transaction\nRealtime=1\nSessionID=30BFB04B2C8AECC72C01C03BFD549D15\nTimeoutSec=10\n"
        let parsed = try reply(body, .push)
        guard case .configuration(let configuration) = parsed else {
            Issue.record("expected the configuration block")
            return
        }
        #expect(configuration.timeoutSeconds == 10)
        #expect(configuration.realtime == true)
        #expect(configuration.lines["PushVersion"] == "3.0.1")
        expectByteExact(parsed, body)
    }

    // §4.2, §4.3
    @Test func keysAndFactors() throws {
        let key = try reply("PublicKey=DMCvFlzRwiGI4M9TRn/3xEmkddz2lqoZR7zUrOMhOc3FLvhLtpIYu3ZMNS", .exchange)
        #expect(key == .publicKey("DMCvFlzRwiGI4M9TRn/3xEmkddz2lqoZR7zUrOMhOc3FLvhLtpIYu3ZMNS"))
        let factors = try reply("Factors= XQ10e0WiFtslJW5ob221T/WCK42GXGP6mmiBB9yB93rD3Cx1KZo3mavyqfT", .exchange)
        #expect(factors == .factors("XQ10e0WiFtslJW5ob221T/WCK42GXGP6mmiBB9yB93rD3Cx1KZo3mavyqfT"))
        expectByteExact(factors, "Factors=XQ10e0WiFtslJW5ob221T/WCK42GXGP6mmiBB9yB93rD3Cx1KZo3mavyqfT")
    }

    /// Upload acknowledgements: `user=1` (§7.5), `identitycard=1`, `templatev10=2`, `ATTPHOTO=1`, `userpic=1`,
    /// `biodata=1`, `errorlog=1`, `transaction=41`, `APList=3`, `biophoto=1`; and the `user: 1` form of the tables.
    @Test(arguments: ["user=1", "identitycard=1", "templatev10=2", "ATTPHOTO=1", "userpic=1", "biodata=1", "errorlog=1", "transaction=41", "APList=3", "biophoto=1", "user=3"])
    func receivedCounts(_ body: String) throws {
        let parsed = try reply(body, body.hasPrefix("transaction") || body.hasPrefix("APList") || body.hasPrefix("biophoto") ? .querydata : .cdata)
        let parts = body.split(separator: "=")
        #expect(parsed == .received(table: String(parts[0]), count: Int(parts[1])!))
        expectByteExact(parsed, body)
        #expect(try reply(body.replacingOccurrences(of: "=", with: ": "), .cdata) == parsed)
    }

    // §9.5.1: the time reply.
    @Test func timeReply() throws {
        let parsed = try reply("DateTime=583050990,ServerTZ=+0800", .rtdata, PushQuery(["type": "time"]))
        #expect(parsed == .time(dateTime: 583_050_990, serverTimeZone: "+0800"))
        expectByteExact(parsed, "DateTime=583050990,ServerTZ=+0800")
        // Appendix 6 decodes the example's number to 2018-02-22 06:36:30 (the example's HTTP Date header says 2017:
        // the reference's numbers are illustrative; the algorithm is the contract).
        #expect(PushDateTime(encodedSeconds: 583_050_990) == PushDateTime(year: 2018, month: 2, day: 22, hour: 6, minute: 36, second: 30))
    }

    // §8.1 (line 2695): a getrequest reply.
    @Test func getrequestReply() throws {
        let body = "C:223:SET OPTIONS IPAddress=192.168.213.222,GATEIPAddress=192.168.213.1,NetMask=255.255.255.0\n"
        let parsed = try reply(body, .getrequest)
        guard case .commands(let commands) = parsed, let command = commands.first else {
            Issue.record("expected commands")
            return
        }
        if case .setOptions(let list) = command.kind { #expect(list["NetMask"] == "255.255.255.0") }
        expectByteExact(parsed, body)
    }

    // §10: the remote-identification reply with its event echo, control line and tips.
    @Test func remoteIdentificationReply() throws {
        let body = "AUTH=SUCCESS\r\ntime=2024-05-01 08:00:00\tpin=7\tcardno=123456789\taddrtype=2\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\r\nCONTROL DEVICE 01010105\r\nTIPS=Welcome"
        let parsed = try reply(body, .cdata, PushQuery(["SN": "1", "AuthType": "device"]))
        guard case .remoteIdentification(let auth) = parsed else {
            Issue.record("expected an AUTH reply")
            return
        }
        #expect(auth.succeeded)
        #expect(auth.event?.pin == "7")
        #expect(auth.control?.action == .output(door: 1, target: 1, duration: .seconds(5)))
        #expect(auth.tips == "Welcome")
        expectByteExact(parsed, body)
        let failed = try reply("AUTH=FAILED", .cdata, PushQuery(["AuthType": "device"]))
        if case .remoteIdentification(let reply) = failed { #expect(!reply.succeeded) }
    }

    @Test func unknownRepliesAreKeptVerbatim() throws {
        #expect(try reply("Internal Server Error", .cdata) == .text("Internal Server Error"))
    }
}
