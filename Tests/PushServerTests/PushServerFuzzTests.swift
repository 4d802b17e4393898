import Foundation
import PushProtocol
import TestSupport
import Testing

@testable import PushServer

/// Devices are the server's largest untrusted input: the parsers are fuzzed with libFuzzer (`scripts/fuzz-push`),
/// and this drives damaged requests through the whole server (query, registration, SQLite store) over HTTP. Every
/// reply must be an answer, not a server error, and the server must go on serving devices afterwards.
@Suite("PUSH server fuzz")
struct PushServerFuzzTests {
    /// Requests as devices send them (the reference's examples and the research captures), for serial `FZ1`.
    static let seeds: [(method: String, target: String, body: String)] = [
        ("GET", "/iclock/cdata?SN=FZ1&pushver=3.1.2&options=all", ""),
        (
            "POST", "/iclock/registry?SN=FZ1",
            "DeviceType=acc,~DeviceName=F20/M,FirmVer=Ver 8.0.1.3,VerifyStyles=ff7f0000,EventTypes=BF0FE03D30000100"
        ),
        ("POST", "/iclock/push?SN=FZ1", ""),
        ("GET", "/iclock/getrequest?SN=FZ1", ""),
        ("GET", "/iclock/ping?SN=FZ1", ""),
        (
            "POST", "/iclock/cdata?SN=FZ1&table=rtlog",
            "time=2017-01-10 11:49:32\tpin=0\tcardno=0\teventaddr=1\tevent=27\tinoutstatus=1\tverifytype=0\tindex=21"
        ),
        ("POST", "/iclock/cdata?SN=FZ1&table=rtstate", "time=2017-01-10 15:42:40\tsensor=00\trelay=00\talarm=0200000000000000"),
        (
            "POST", "/iclock/cdata?SN=FZ1&table=tabledata&tablename=user&count=1",
            "user uid=5\tcardno=[15CD5B07]\tpin=4\tpassword=\tgroup=1\tstarttime=0\tendtime=0\tname=Ann\tprivilege=0\tdisable=0\tverify=0"
        ),
        (
            "POST", "/iclock/cdata?SN=FZ1&table=tabledata&tablename=transaction&count=1",
            "transaction cardno=0\tpin=1\tverified=4\tdoorid=1\teventtype=0\tinoutstate=0\ttime_second=594612001\tindex=7"
        ),
        (
            "POST", "/iclock/devicecmd?SN=FZ1",
            "ID=1&Return=0&CMD=DATA UPDATE\nID=2&return=-1004&CMD=DATA\nID=3&Return=0&CMD=GET OPTIONS\n~DeviceName=F20\nMAC=00:17:61:11:ad:4f"
        ),
        (
            "POST", "/iclock/querydata?SN=FZ1&type=tabledata&cmdid=291&tablename=user&count=1&packcnt=1&packidx=1",
            "user uid=1\tpin=1\tname=B"
        ),
        ("POST", "/iclock/querydata?SN=FZ1&type=count&cmdid=292&tablename=user", "user=12"),
        (
            "POST", "/iclock/querydata?SN=FZ1&type=tabledata&cmdid=293&tablename=transaction&count=41&datafmt=3&Stamp=9999",
            "name=transaction.tgz\nsize=636\ndatacode=base64\ndatatype=tgz H4sIAAECAAAAAAAA"
        ),
        ("POST", "/iclock/cdata?SN=FZ1&table=options", "~DeviceName=F20,FirmVer=1,IPAddress=192.168.1.201"),
        ("POST", "/iclock/exchange?SN=FZ2&type=publickey", "PublicKey=00112233"),
        ("GET", "/iclock/rtdata?SN=FZ1&type=time", ""),
    ]

    static let queryFragments = [
        "&SN=FZ1", "&SN=", "&SN=FZ2", "&table=rtlog", "&table=x", "&tablename=user", "&count=99999999999999999999", "&count=-1",
        "&cmdid=abc", "&Stamp=-5", "&packcnt=0", "&packidx=7", "&datafmt=3", "&type=tabledata", "%00", "%FF", "%20", "&&",
        "=", "&options=all", "&pushver=9",
    ]
    static let bodyFragments = [
        "\t", "\n", "\r\n", "=", "==", "&", "~", ",", "[", "]", " ", "event=", "pin=", "index=", "time=2017-02-30 25:61:61",
        "99999999999999999999", "-1", "\u{0}", "\u{FFFD}", "ID=", "CMD=", "Return=", "user ", "transaction ", "H4sI", "%",
    ].map { Array($0.utf8) }

    @Test(
        "damaged device requests get answers, never a server error; devices are served afterwards", arguments: [1, 2] as [UInt64])
    func damagedRequests(seed: UInt64) async throws {
        try await withServer(configuration: PushServerConfiguration(registration: .open)) {
            (running: RunningServer) async throws in
            for (method, target, body) in Self.seeds.prefix(2) { _ = try await running.send(method, target, body: body) }
            var random = SplitMix64(seed: seed)
            var statuses: [Int: Int] = [:]
            for attempt in 0..<400 {
                let (method, target, body) = Self.seeds.randomElement(using: &random)!
                var damagedTarget = target
                if Int.random(in: 0..<3, using: &random) == 0 {
                    damagedTarget += Self.queryFragments.randomElement(using: &random)!
                }
                let damagedBody =
                    body.isEmpty || Int.random(in: 0..<5, using: &random) == 0
                    ? Array(body.utf8) : random.damage(Array(body.utf8), edits: 1...4, fragments: Self.bodyFragments)
                let reply = try await running.send(method, damagedTarget, bytes: damagedBody)
                statuses[reply.status, default: 0] += 1
                #expect(
                    reply.status < 500,
                    "seed \(seed) attempt \(attempt): \(method) \(damagedTarget) \(String(decoding: damagedBody.prefix(300), as: UTF8.self).debugDescription) → \(reply.status) \(String(decoding: reply.body.prefix(300), as: UTF8.self))"
                )
            }
            #expect(statuses[200, default: 0] >= 40 && statuses[400, default: 0] >= 10, "seed \(seed): \(statuses)")
            // A device that registers now is served as usual.
            let handshake = try await running.send("GET", "/iclock/cdata?SN=AFTER&pushver=3.1.2&options=all")
            #expect(handshake.status == 200)
            _ = try await running.send("POST", "/iclock/registry?SN=AFTER", body: "DeviceType=acc,~DeviceName=After")
            let upload = try await running.send(
                "POST", "/iclock/cdata?SN=AFTER&table=rtlog",
                body: "time=2026-11-21 10:00:00\tpin=7\tcardno=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=1\tindex=1")
            #expect(upload.status == 200)
            #expect(try running.server.store.events("AFTER").count == 1)
        }
    }
}
