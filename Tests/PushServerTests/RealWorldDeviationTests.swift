import Foundation
import PushProtocol
import Testing

@testable import PushServer

/// One test per behaviour of shared/research/push-real-world.md ("What devices send"), each replayed against the
/// server over real HTTP on loopback.
@Suite struct RealWorldDeviationTests {
    // 1. TAB separators, CRLF or LF, several records per POST, last line without newline, values with spaces.
    @Test(arguments: ["\r\n", "\n"])
    func recordsWithTabsAndEitherLineEnding(lineEnd: String) async throws {
        try await withServer { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "DEV1")
            let body = [
                "time=2017-01-10 11:49:32\tpin=0\tcardno=0\teventaddr=1\tevent=27\tinoutstatus=1\tverifytype=0\tindex=21",
                "time=2017-01-10 11:49:40\tpin=4\tcardno=123456\teventaddr=2\tevent=0\tinoutstatus=0\tverifytype=4\tindex=22",
                "time=2017-01-10 11:49:45\tpin=5\tcardno=99\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=23",
            ].joined(separator: lineEnd)  // no final newline
            let reply = try await running.send("POST", "/iclock/cdata?SN=DEV1&table=rtlog", body: body, cookie: cookie)
            #expect(reply.status == 200)
            #expect(reply.text == "OK")
            let events = try running.server.store.events("DEV1")
            #expect(events.map(\.deviceIndex) == ["21", "22", "23"])
            #expect(events[0].timeText == "2017-01-10 11:49:32")
            #expect(events[1].card == "123456")
            #expect(events[1].door == 2)
        }
    }

    // 2. Door-state rows inside table=rtlog are told apart by their keys.
    @Test func doorStateRowsInsideRealtimeLog() async throws {
        try await withServer { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "DEV2")
            let body =
                "time=2017-01-10 11:49:32\tsensor=01\trelay=00\talarm=0000000000000000\tdoor=01\n"
                + "time=2017-01-10 11:49:33\tpin=1\tcardno=7\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=5\n"
            let reply = try await running.send("POST", "/iclock/cdata?SN=DEV2&table=rtlog", body: body, cookie: cookie)
            #expect(reply.text == "OK")
            let events = try running.server.store.events("DEV2")
            #expect(events.map(\.kind) == ["state", "event"])
            #expect(events[0].door == 1)
        }
    }

    // 3. Extra fields in any order are kept, never an error.
    @Test func extraFieldsAreKept() async throws {
        try await withServer { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "DEV3")
            let body =
                "index=9\ttime=2021-03-01 08:00:00\tpin=7\tcardno=5\tsitecode=12\tlinkid=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=0000100000000000\tmaskflag=1\ttemperature=36.4\tconvtemperature=97.5\tbitcount=26\tvendorfield=x y"
            let reply = try await running.send("POST", "/iclock/cdata?SN=DEV3&table=rtlog", body: body, cookie: cookie)
            #expect(reply.text == "OK")
            let stored = try #require(try running.server.store.events("DEV3").first)
            #expect(stored.raw.contains("temperature=36.4"))
            #expect(stored.raw.contains("vendorfield=x y"))
            #expect(stored.deviceIndex == "9")
        }
    }

    // 4. A broken clock: the record is kept, flagged, raw text stored.
    @Test func brokenClockTimestampIsKept() async throws {
        let sink = CollectingSink()
        try await withServer(sink: sink) { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "DEV4")
            let body =
                "time=1971--10--29 -23:-27:-54\tpin=3\tcardno=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=1\n"
            let reply = try await running.send("POST", "/iclock/cdata?SN=DEV4&table=rtlog", body: body, cookie: cookie)
            #expect(reply.text == "OK")
            let stored = try #require(try running.server.store.events("DEV4").first)
            #expect(stored.timeIsValid == false)
            #expect(stored.timeText == "1971--10--29 -23:-27:-54")
        }
        #expect(await sink.events.count == 1)
    }

    // 5. Registry bodies: `~` keys, values with commas and spaces.
    @Test func registryBodyWithTildeKeysAndCommasInValues() async throws {
        try await withServer { (running: RunningServer) async throws in
            let options =
                "DeviceType=acc,~DeviceName=SpeedFace-V5L,FirmVer=Ver 8.0.1.3-20151229,~OEMVendor=ZKTECO CO., LTD.,MaxPackageSize=2048000,LockCount=2,ReaderCount=4,AccSupportFunList=0101"
            try await register(running, serial: "DEV5", options: options)
            let device = try #require(try running.server.store.device("DEV5"))
            #expect(device.deviceName == "SpeedFace-V5L")
            #expect(device.firmware == "Ver 8.0.1.3-20151229")
            #expect(device.options["OEMVendor"] == "ZKTECO CO., LTD.")
            #expect(device.lockCount == 2)
            #expect(device.supportedFunctions == ["rs485ReaderEncryption", "emergencyDualOpenClose"])
        }
    }

    // 6. The handshake of a registered device carries registry=ok, RegistryCode and SessionID (otherwise firmware
    // re-registers every 15 s and never uploads).
    @Test func registeredHandshakeCarriesRegistryCode() async throws {
        try await withServer { (running: RunningServer) async throws in
            let first = try await running.send("GET", "/iclock/cdata?SN=DEV6&options=all&pushver=3.1.2")
            #expect(first.text == "OK")
            let registry = try await running.send("POST", "/iclock/registry?SN=DEV6", body: "DeviceType=acc,~DeviceName=X")
            guard case .registryCode(let code) = try ServerReply.parse(registry.body, endpoint: .registry) else {
                Issue.record("registry reply `\(registry.text)`")
                return
            }
            let second = try await running.send("GET", "/iclock/cdata?SN=DEV6&options=all&pushver=3.1.2")
            guard case .registration(let configuration) = try ServerReply.parse(second.body, endpoint: .cdata) else {
                Issue.record("handshake reply `\(second.text)`")
                return
            }
            #expect(configuration.isRegistered)
            #expect(configuration.registryCode == code)
            #expect(configuration.sessionID?.isEmpty == false)
            #expect(configuration.requestDelay == 2)
            let push = try await running.send("POST", "/iclock/push?SN=DEV6")
            guard case .configuration(let pushed) = try ServerReply.parse(push.body, endpoint: .push) else {
                Issue.record("push reply `\(push.text)`")
                return
            }
            #expect(pushed.sessionID == configuration.sessionID)
        }
    }

    // 7. Command results: several per POST, `return` lower case, CMD first word only, payload lines, undocumented
    // return codes.
    @Test func commandResultsInEveryFieldSpelling() async throws {
        let clock = TestClock()
        try await withServer(clock: clock) { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "DEV7")
            let store = running.server.store
            let a = try await store.enqueue(
                "DEV7", command: "DATA UPDATE user CardNo=\tPin=1\tName=A", timeToLive: 3600, now: clock.now)
            let b = try await store.enqueue("DEV7", command: "GET OPTIONS DeviceName,MAC", timeToLive: 3600, now: clock.now)
            let c = try await store.enqueue("DEV7", command: "DATA UPDATE USERINFO PIN=1", timeToLive: 3600, now: clock.now)
            let d = try await store.enqueue("DEV7", command: "CONTROL DEVICE 01010105", timeToLive: 3600, now: clock.now)
            let poll = try await running.send("GET", "/iclock/getrequest?SN=DEV7", cookie: cookie)
            guard case .commands(let commands) = try ServerReply.parse(poll.body, endpoint: .getrequest) else {
                Issue.record("poll reply `\(poll.text)`")
                return
            }
            #expect(commands.map(\.numericID) == [a, b, c, d].map { Int($0.id) })
            let body =
                "ID=\(a.id)&return=0&CMD=DATA\r\nID=\(b.id)&Return=0&CMD=GET OPTIONS\n~DeviceName=Front door\nMAC=00:17:61:01:02:03\nID=\(c.id)&Return=-629&CMD=DATA\nID=\(d.id)&Return=-1004&CMD=CONTROL"
            let reply = try await running.send("POST", "/iclock/devicecmd?SN=DEV7", body: body, cookie: cookie)
            #expect(reply.text == "OK")
            let states = try [a, b, c, d].map { try #require(try store.command("DEV7", id: $0.id)) }
            #expect(states.map(\.state) == [.succeeded, .succeeded, .failed, .failed])
            #expect(states[1].payload == ["~DeviceName=Front door", "MAC=00:17:61:01:02:03"])
            #expect(states[2].returnCode == -629)
            #expect(states[3].returnCode == -1004)
            #expect(states[3].resultCommand == "CONTROL")
        }
    }

    // 8. Names in GB2312/GBK are decoded (UTF-8 first, then GB18030), never dropped; empty names are fine.
    @Test func chineseNamesAndEmptyNames() async throws {
        try await withServer { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "DEV8")
            // 张三 in GB2312.
            var body = Array("user uid=1\tcardno=\tpin=1\tpassword=\tgroup=1\tstarttime=0\tendtime=0\tname=".utf8)
            body += [0xD5, 0xC5, 0xC8, 0xFD]
            body += Array(
                "\tprivilege=0\tdisable=0\tverify=0\nuser uid=2\tcardno=\tpin=2\tpassword=\tgroup=1\tstarttime=0\tendtime=0\tname=\tprivilege=0\tdisable=0\tverify=0\n"
                    .utf8)
            let reply = try await running.send(
                "POST", "/iclock/cdata?SN=DEV8&table=tabledata&tablename=user&count=2", bytes: body, cookie: cookie)
            #expect(reply.text == "user=2")
            let rows = try running.server.store.tableRows("DEV8", table: "user")
            #expect(rows.count == 2)
            #expect(rows[0].contains("name=张三"))
        }
    }

    // 9. Headers: a bare token cookie (no `token=`) is accepted; a wrong token is refused with 401.
    @Test func cookieSpellingsAndWrongToken() async throws {
        try await withServer { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "DEV9")
            let bare = String(cookie.dropFirst("token=".count))
            let ok = try await running.send("GET", "/iclock/getrequest?SN=DEV9", cookie: bare)
            #expect(ok.status == 200)
            let withTimestamp = try await running.send(
                "GET", "/iclock/getrequest?SN=DEV9", cookie: cookie + ", timestamp=1484030000")
            #expect(withTimestamp.status == 200)
            let wrong = try await running.send(
                "POST", "/iclock/cdata?SN=DEV9&table=rtlog",
                body: "time=2017-01-10 11:49:32\tevent=0\tindex=1", cookie: "token=0123456789abcdef0123456789abcdef")
            #expect(wrong.status == 401)
            #expect(try running.server.store.events("DEV9").isEmpty)
        }
    }

    // 10. Paths: cdata.aspx, trailing slashes, results POSTed to getrequest.
    @Test func fieldPathsAnswerAsCanonical() async throws {
        let clock = TestClock()
        try await withServer(clock: clock) { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "DEV10")
            let aspx = try await running.send(
                "POST", "/iclock/cdata.aspx?SN=DEV10&table=rtlog",
                body: "time=2017-01-10 11:49:32\tpin=1\tevent=0\teventaddr=1\tindex=1", cookie: cookie)
            #expect(aspx.text == "OK")
            let slash = try await running.send(
                "POST", "/iclock/cdata/?SN=DEV10&table=rtlog",
                body: "time=2017-01-10 11:49:33\tpin=1\tevent=0\teventaddr=1\tindex=2", cookie: cookie)
            #expect(slash.text == "OK")
            #expect(try running.server.store.events("DEV10").count == 2)
            let command = try await running.server.store.enqueue(
                "DEV10", command: "CONTROL DEVICE 01010105", timeToLive: 60, now: clock.now)
            _ = try await running.send("GET", "/iclock/getrequest/?SN=DEV10", cookie: cookie)
            let old = try await running.send(
                "POST", "/iclock/getrequest?SN=DEV10", body: "ID=\(command.id)&Return=0&CMD=CONTROL DEVICE", cookie: cookie)
            #expect(old.text == "OK")
            #expect(try running.server.store.command("DEV10", id: command.id)?.state == .succeeded)
        }
    }

    // 11. Replays after a reconnect are stored once; after a reset the index restarts with new times and is kept;
    // two devices with the same index are distinct.
    @Test func replaysAreDeduplicatedOnSerialIndexAndTime() async throws {
        try await withServer { (running: RunningServer) async throws in
            let cookieA = try await register(running, serial: "DEVA")
            let cookieB = try await register(running, serial: "DEVB")
            let row = "time=2017-01-10 11:49:32\tpin=1\tcardno=1\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=1"
            for _ in 0..<3 {
                let reply = try await running.send("POST", "/iclock/cdata?SN=DEVA&table=rtlog", body: row, cookie: cookieA)
                #expect(reply.text == "OK")
            }
            let afterReset =
                "time=2017-02-01 09:00:00\tpin=1\tcardno=1\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=1"
            _ = try await running.send("POST", "/iclock/cdata?SN=DEVA&table=rtlog", body: afterReset, cookie: cookieA)
            _ = try await running.send("POST", "/iclock/cdata?SN=DEVB&table=rtlog", body: row, cookie: cookieB)
            #expect(try running.server.store.events("DEVA").count == 2)
            #expect(try running.server.store.events("DEVB").count == 1)
        }
    }
}
