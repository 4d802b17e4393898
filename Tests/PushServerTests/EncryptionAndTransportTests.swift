import Archives
import Foundation
import Logging
import PushCrypto
import PushDevice
import PushProtocol
import TestSupport
import Testing

@testable import PushServer

/// Runs a command-line tool to completion, off the cooperative pool; returns its exit status and standard output.
func run(_ tool: String, _ arguments: [String], in directory: URL? = nil) async throws -> (status: Int32, output: String) {
    let result = try await runToEnd(URL(fileURLWithPath: tool), arguments, in: directory, quiet: true)
    return (result.status, String(decoding: result.output, as: UTF8.self))
}

func temporaryDirectory(_ name: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

@Suite struct EncryptionTests {
    static let registry = "DeviceType=acc,~DeviceName=Enc,FirmVer=Ver 8.0.1.3-20151229,MaxPackageSize=2048000,LockCount=4"
    static let row = "time=2017-01-10 11:49:32\tpin=7\tcardno=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=1"

    @Test func gatehouseDeviceAndServerNegotiateAndEncryptEveryBody() async throws {
        try await withServer { (running: RunningServer) async throws in
            let device = EncryptedPushTransport(wrapping: running.transport, serialNumber: "ENC1")
            func send(_ method: String, _ target: String, _ body: String = "") async throws -> PushTransportReply {
                try await device.send(
                    method: method, target: target, headers: [("User-Agent", "iClock Proxy/1.09")], body: Array(body.utf8))
            }
            // First connection of an unknown device: plain handshake, then registry; the RegistryCode reply admits
            // it, so the exchange follows at once.
            #expect(try await send("GET", "/iclock/cdata?SN=ENC1&options=all&pushver=3.1.2").text == "OK")
            #expect(await device.isEncrypting == false)
            #expect(try await send("POST", "/iclock/registry?SN=ENC1", Self.registry).text.hasPrefix("RegistryCode="))
            #expect(await device.isEncrypting)
            #expect(try await running.server.store.deviceContext("ENC1")?.sessionKey?.count == 32)

            // Bodies both ways are envelopes on the wire; the wrapper hands plain text to the device role.
            let upload = try await send("POST", "/iclock/cdata?SN=ENC1&table=rtlog", Self.row)
            #expect(upload.status == 200)
            #expect(upload.text == "OK")
            #expect(try running.server.store.events("ENC1").map(\.pin) == ["7"])
            let wire = try await running.send("GET", "/iclock/getrequest?SN=ENC1")
            #expect(wire.status == 200)
            #expect(PushSessionKey.isEnvelope(wire.body))
            #expect(!wire.text.contains("OK"))
            // A plain body for a device that negotiated is refused, and nothing is stored.
            let plain = try await running.send(
                "POST", "/iclock/cdata?SN=ENC1&table=rtlog", body: Self.row.replacingOccurrences(of: "index=1", with: "index=2"))
            #expect(plain.status == 400)
            #expect(try running.server.store.events("ENC1").count == 1)
            // Queued commands travel encrypted and read back as commands.
            _ = try await running.server.store.enqueue(
                "ENC1", command: "CONTROL DEVICE 01010105", timeToLive: 60, now: Date(timeIntervalSince1970: 1_763_700_000))
            let poll = try await send("GET", "/iclock/getrequest?SN=ENC1")
            guard case .commands(let commands) = try ServerReply.parse(poll.body, endpoint: .getrequest) else {
                throw TestFailure("getrequest answered `\(poll.text)`")
            }
            #expect(commands.map(\.kind.text) == ["CONTROL DEVICE 01010105"])

            // A reconnect starts in plain text; the registered handshake names PushProtVer 3.1.2, so the device
            // negotiates a new key straight away.
            let before = try await running.server.store.deviceContext("ENC1")?.sessionKey
            let handshake = try await send("GET", "/iclock/cdata?SN=ENC1&options=all&pushver=3.1.2")
            #expect(handshake.text.contains("PushProtVer=3.1.2"))
            #expect(await device.isEncrypting)
            let after = try await running.server.store.deviceContext("ENC1")?.sessionKey
            #expect(after != nil && after != before)
            #expect(try await send("POST", "/iclock/push?SN=ENC1").text.contains("SessionID="))
        }
    }

    @Test func aDeviceOnPush301StaysInPlainText() async throws {
        try await withServer { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "OLD1")
            let device = EncryptedPushTransport(wrapping: running.transport, serialNumber: "OLD1")
            let handshake = try await device.send(
                method: "GET", target: "/iclock/cdata?SN=OLD1&options=all&pushver=3.0.1", headers: [("Cookie", cookie)], body: [])
            #expect(handshake.text.contains("registry=ok"))
            #expect(await device.isEncrypting == false)
            #expect(try await running.server.store.deviceContext("OLD1")?.sessionKey == nil)
            let upload = try await device.send(
                method: "POST", target: "/iclock/cdata?SN=OLD1&table=rtlog", headers: [], body: Array(Self.row.utf8))
            #expect(upload.text == "OK")
        }
    }

    @Test func exchangeRefusals() async throws {
        try await withServer { (running: RunningServer) async throws in
            // An unknown device learns nothing.
            let unknown = try await running.send("POST", "/iclock/exchange?SN=NOBODY&type=publickey", body: "PublicKey=AAAA")
            #expect(unknown.status == 401)
            try await register(running, serial: "ZK1")
            // The reference's example key (ZKTeco's proprietary library) is not a key of Gatehouse's scheme: the
            // refusal says so.
            let zkteco = try await running.send(
                "POST", "/iclock/exchange?SN=ZK1&type=publickey",
                body:
                    "PublicKey=DMCtRl3RwiGI4M9TRn/3xEmkddz2lqoZR7zUrOMhOc3FLvhLtpIWs3 REOSaKT4A9WO0ONt3V+mVb0W3Ka3NeCTWLj f9LplVlEyJIoZwXspGroPMTEWitLE"
            )
            #expect(zkteco.status == 400)
            #expect(zkteco.text.contains("not interoperable"))
            // Factors before a public key on this connection.
            let early = try await running.send("POST", "/iclock/exchange?SN=ZK1&type=factors", body: "Factors=AAAA")
            #expect(early.status == 400)
            // A factor that is not under the server's key.
            let keys = try RSAKeyPair.generate()
            let accepted = try await running.send(
                "POST", "/iclock/exchange?SN=ZK1&type=publickey", body: "PublicKey=" + keys.publicKey.wireText)
            guard case .publicKey(let serverKeyText) = try ServerReply.parse(accepted.body, endpoint: .exchange) else {
                throw TestFailure("publickey answered `\(accepted.text)`")
            }
            #expect(try RSAPublicKey(wireText: serverKeyText).bits == 2048)
            let wrong = try PushFactor.wireText(try PushFactor.generate(), to: keys.publicKey)
            #expect(
                try await running.send("POST", "/iclock/exchange?SN=ZK1&type=factors", body: "Factors=" + wrong).status == 400)
            #expect(try await running.server.store.deviceContext("ZK1")?.sessionKey == nil)
            // A tampered envelope after a good exchange is refused, not stored.
            let device = EncryptedPushTransport(wrapping: running.transport, serialNumber: "ZK1")
            _ = try await device.send(
                method: "GET", target: "/iclock/cdata?SN=ZK1&options=all&pushver=3.1.2", headers: [], body: [])
            #expect(await device.isEncrypting)
            let key = try PushSessionKey(bytes: try #require(try await running.server.store.deviceContext("ZK1")?.sessionKey))
            var envelope = try key.seal(
                Array(Self.row.utf8), direction: .deviceToServer, serialNumber: "ZK1", endpoint: "/iclock/cdata")
            envelope[20] ^= 1
            let tampered = try await running.send("POST", "/iclock/cdata?SN=ZK1&table=rtlog", bytes: envelope)
            #expect(tampered.status == 400)
            // Sealed for another endpoint: refused too.
            let moved = try key.seal(
                Array(Self.row.utf8), direction: .deviceToServer, serialNumber: "ZK1", endpoint: "/iclock/devicecmd")
            #expect(try await running.send("POST", "/iclock/cdata?SN=ZK1&table=rtlog", bytes: moved).status == 400)
            #expect(try running.server.store.events("ZK1").isEmpty)
        }
    }
}

@Suite struct ClockSynchronisationTests {
    /// Offsets of the device clock from the server's, in seconds, and whether `SET OPTIONS DateTime=` is queued
    /// under the default 60 s tolerance.
    @Test(arguments: [(-3600.0, true), (30.0, false), (-59.0, false), (61.0, true), (86_400.0 * 400, true)])
    func registrationQueuesDateTimeWhenTheClockIsOff(offset: Double, queued: Bool) async throws {
        let clock = TestClock()
        try await withServer(clock: clock) { (running: RunningServer) async throws in
            let server = running.server
            let deviceClock = try #require(server.localDateTime(clock.now.addingTimeInterval(offset)).encodedSeconds)
            let body = "DeviceType=acc,~DeviceName=Clock,DateTime=\(deviceClock),LockCount=1"
            #expect(try await running.send("POST", "/iclock/registry?SN=CLK1", body: body).text.hasPrefix("RegistryCode="))
            let expected = "SET OPTIONS DateTime=\(try #require(server.localDateTime(clock.now).encodedSeconds))"
            #expect(try server.store.commands("CLK1").map(\.command) == (queued ? [expected] : []))
            // Registering again while the correction waits does not queue a second one.
            _ = try await running.send("POST", "/iclock/registry?SN=CLK1", body: body)
            #expect(try server.store.commands("CLK1").count == (queued ? 1 : 0))
            // It is delivered on getrequest like any command.
            let poll = try await running.send("GET", "/iclock/getrequest?SN=CLK1")
            #expect(poll.text.contains("DateTime=") == queued)
        }
    }

    @Test func optionsUploadWithAWrongClockAndTheTextForm() async throws {
        let clock = TestClock()
        try await withServer(clock: clock) { (running: RunningServer) async throws in
            try await register(running, serial: "CLK2")
            #expect(try running.server.store.commands("CLK2").isEmpty)  // no DateTime in the registry: nothing known
            let wrong = running.server.localDateTime(clock.now.addingTimeInterval(-7200)).text
            #expect(
                try await running.send(
                    "POST", "/iclock/cdata?SN=CLK2&table=options", body: "DateTime=\(wrong),IPAddress=10.0.0.9"
                ).text == "OK")
            #expect(try running.server.store.commands("CLK2").map(\.command).first?.hasPrefix("SET OPTIONS DateTime=") == true)
        }
    }

    @Test func toleranceOffNeverCorrects() async throws {
        let clock = TestClock()
        try await withServer(configuration: PushServerConfiguration(registration: .open, clockTolerance: nil), clock: clock) {
            (running: RunningServer) async throws in
            let deviceClock = try #require(running.server.localDateTime(clock.now.addingTimeInterval(-3600)).encodedSeconds)
            _ = try await running.send("POST", "/iclock/registry?SN=CLK3", body: "DeviceType=acc,DateTime=\(deviceClock)")
            #expect(try running.server.store.commands("CLK3").isEmpty)
        }
    }
}

@Suite struct AccountArchiveTests {
    static let records = [
        "cardno=0\tpin=0\tverified=200\tdoorid=1\teventtype=100\tinoutstate=2\ttime_second=548003687\tindex=92",
        "cardno=0\tpin=0\tverified=200\tdoorid=1\teventtype=100\tinoutstate=2\ttime_second=548003688\tindex=93",
        "cardno=123\tpin=5\tverified=1\tdoorid=2\teventtype=0\tinoutstate=0\ttime_second=548003689\tindex=94",
    ]

    /// transaction.tgz made by the system's tar and gzip (real deflate, not stored blocks).
    static func systemTGZ() async throws -> [UInt8] {
        let directory = try temporaryDirectory("account-tgz")
        let text = records.joined(separator: "\r\n\r\n") + "\r\n"
        try Data(text.utf8).write(to: directory.appendingPathComponent("transaction.txt"))
        let result = try await run("/usr/bin/tar", ["czf", "transaction.tgz", "transaction.txt"], in: directory)
        #expect(result.status == 0)
        return Array(try Data(contentsOf: directory.appendingPathComponent("transaction.tgz")))
    }

    @Test func pullSDKFormBase64TGZIsIngested() async throws {
        try await withServer { (running: RunningServer) async throws in
            try await register(running, serial: "ACC1")
            let archive = try await Self.systemTGZ()
            var body = Array("name=transaction.tgz\nsize=\(archive.count)\ndatacode=base64\ndatatype=tgz".utf8)
            body.append(0)
            body += Array(Data(archive).base64EncodedString().utf8)
            let reply = try await running.send(
                "POST", "/iclock/querydata?SN=ACC1&type=tabledata&cmdid=291&tablename=transaction&count=3&datafmt=3&Stamp=9999",
                bytes: body)
            #expect(reply.text == "transaction=3")
            #expect(try running.server.store.tableRows("ACC1", table: "transaction") == Self.records)
            // A replay stores nothing twice.
            _ = try await running.send(
                "POST", "/iclock/querydata?SN=ACC1&type=tabledata&cmdid=291&tablename=transaction&count=3&datafmt=3&Stamp=9999",
                bytes: body)
            #expect(try running.server.store.tableRows("ACC1", table: "transaction").count == 3)
        }
    }

    @Test func controllerFilePartIsIngested() async throws {
        try await withServer { (running: RunningServer) async throws in
            try await register(running, serial: "ACC2")
            let reply = try await running.send(
                "POST", "/iclock/file?SN=ACC2&cmdid=12&fileseq=1&contenttype=tgz&table=transaction&count=3",
                bytes: try await Self.systemTGZ())
            #expect(reply.text == "OK")
            #expect(try running.server.store.tableRows("ACC2", table: "transaction").count == 3)
        }
    }

    @Test func aBrokenArchiveIsRefusedButKeptRaw() async throws {
        try await withServer { (running: RunningServer) async throws in
            try await register(running, serial: "ACC3")
            var archive = TarGzip.gzip(
                TarGzip.tar([("transaction.txt", Array(Self.records[0].utf8))], modified: Date(timeIntervalSince1970: 0)))
            archive[archive.count - 6] ^= 0xFF  // the CRC no longer matches
            var body = Array("name=transaction.tgz\ndatacode=base64\ndatatype=tgz".utf8)
            body.append(0)
            body += Array(Data(archive).base64EncodedString().utf8)
            let reply = try await running.send(
                "POST", "/iclock/querydata?SN=ACC3&type=tabledata&cmdid=5&tablename=transaction&count=1&datafmt=3", bytes: body)
            #expect(reply.status == 400)
            #expect(try running.server.store.tableRows("ACC3", table: "transaction").isEmpty)
            #expect(try running.server.store.uploadCount("ACC3", kind: "packed-data") == 1)
        }
    }
}

@Suite struct DeviceSessionOverEncryptionTests {
    /// Drives the device role's own connection state machine through the encrypting transport until online.
    static func connect(_ session: inout PushDeviceSession, over device: EncryptedPushTransport) async throws {
        for _ in 0..<8 {
            guard let request = session.nextRequest() else { return }
            let headers = session.cookie.map { [("Cookie", $0)] } ?? []
            let reply = try await device.send(
                method: request.method.rawValue, target: request.target, headers: headers, body: request.body)
            switch session.receive(status: reply.status, body: reply.body) {
            case .online: return
            case .proceed: continue
            case .retry(_, let reason): throw TestFailure(reason)
            }
        }
    }

    @Test func theDeviceRoleRegistersAndReconnectsEncrypted() async throws {
        try await withServer { (running: RunningServer) async throws in
            var session = PushDeviceSession(identity: DeviceIdentity(serialNumber: "SES1"))
            let device = running.transport.encrypting(serialNumber: "SES1")
            // First connection: handshake (OK), registry, exchange, then /iclock/push starts the session encrypted.
            try await Self.connect(&session, over: device)
            #expect(session.phase == .online)
            #expect(await device.isEncrypting)
            #expect(try await running.server.store.deviceContext("SES1")?.sessionKey != nil)
            let row = "time=2017-01-10 11:49:32\tpin=9\tevent=0\teventaddr=1\tindex=5"
            let upload = try await device.send(
                method: "POST", target: "/iclock/cdata?SN=SES1&table=rtlog",
                headers: session.cookie.map { [("Cookie", $0)] } ?? [], body: Array(row.utf8))
            #expect(upload.text == "OK")
            // A reconnect with the session token: handshake, exchange, configuration — encrypted again.
            session.sessionEnded()
            try await Self.connect(&session, over: device)
            #expect(session.phase == .online)
            #expect(await device.isEncrypting)
            #expect(try running.server.store.events("SES1").map(\.pin) == ["9"])
        }
    }

    @Test func anEnvelopeForAForgottenConnectionEndsTheSession() async throws {
        try await withServer { (running: RunningServer) async throws in
            try await register(running, serial: "LOST1")
            let key = try PushSessionKey(bytes: SecureRandom.bytes(32))
            let envelope = try key.seal(
                Array("time=2017-01-10 11:49:32\tevent=0\tindex=1".utf8), direction: .deviceToServer, serialNumber: "LOST1",
                endpoint: "/iclock/cdata")
            #expect(try await running.send("POST", "/iclock/cdata?SN=LOST1&table=rtlog", bytes: envelope).status == 401)
            #expect(try running.server.store.events("LOST1").isEmpty)
        }
    }
}
