import Foundation
import PushProtocol
import Testing

@testable import PushServer

@Suite struct RegistrationPolicyTests {
    @Test func approvePolicyKeepsUnknownDevicesWaitingUntilApproved() async throws {
        let clock = TestClock()
        try await withServer(configuration: PushServerConfiguration(registration: .approve), clock: clock) {
            (running: RunningServer) async throws in
            let handshake = try await running.send("GET", "/iclock/cdata?SN=NEW1&options=all")
            #expect(handshake.text == "OK")
            let registry = try await running.send("POST", "/iclock/registry?SN=NEW1", body: "DeviceType=acc,~DeviceName=Gate")
            #expect(registry.text == "406")
            #expect(try running.server.store.device("NEW1")?.status == .pending)
            // Data from a pending device is refused without saying why; nothing is stored.
            let upload = try await running.send(
                "POST", "/iclock/cdata?SN=NEW1&table=rtlog", body: "time=2017-01-10 11:49:32\tevent=0\tindex=1")
            #expect(upload.status == 401)
            let unknown = try await running.send(
                "POST", "/iclock/cdata?SN=NOBODY&table=rtlog", body: "time=2017-01-10 11:49:32\tevent=0\tindex=1")
            #expect(unknown.status == upload.status)
            #expect(unknown.text == upload.text)
            #expect(try running.server.store.events("NEW1").isEmpty)

            try await running.server.store.approve("NEW1", now: clock.now)
            let again = try await running.send("POST", "/iclock/registry?SN=NEW1", body: "DeviceType=acc,~DeviceName=Gate")
            #expect(again.text.hasPrefix("RegistryCode="))
            let accepted = try await running.send(
                "POST", "/iclock/cdata?SN=NEW1&table=rtlog", body: "time=2017-01-10 11:49:32\tevent=0\tindex=1")
            #expect(accepted.text == "OK")
        }
    }

    @Test func waitingDevicesAreCappedAndNotWrittenOnEveryPoll() async throws {
        let clock = TestClock()
        let configuration = PushServerConfiguration(registration: .approve, maximumPendingDevices: 2)
        try await withServer(configuration: configuration, clock: clock) { (running: RunningServer) async throws in
            for serial in ["W1", "W2", "W3"] {
                let reply = try await running.send("GET", "/iclock/cdata?SN=\(serial)&options=all")
                #expect(reply.text == "OK", "\(serial) is told to register, listed or not")
            }
            let waiting = try running.server.store.devices().filter { $0.status == .pending }.map(\.serialNumber)
            #expect(waiting.sorted() == ["W1", "W2"])
            // Registering does not list the third either: it is refused like any device that waits.
            let refused = try await running.send("POST", "/iclock/registry?SN=W3", body: "DeviceType=acc")
            #expect(refused.text == "406")
            #expect(try running.server.store.device("W3") == nil)

            // A waiting device's row is refreshed at most once a minute, not on every poll.
            let first = try #require(try running.server.store.device("W1")).lastSeen
            clock.advance(30)
            _ = try await running.send("GET", "/iclock/cdata?SN=W1&options=all")
            #expect(try running.server.store.device("W1")?.lastSeen == first)
            clock.advance(31)
            _ = try await running.send("GET", "/iclock/cdata?SN=W1&options=all")
            #expect(try running.server.store.device("W1")?.lastSeen == clock.now)

            // Once the operator approves one, there is room for the third.
            try await running.server.store.approve("W1", now: clock.now)
            let listed = try await running.send("GET", "/iclock/cdata?SN=W3&options=all")
            #expect(listed.text == "OK")
            #expect(try running.server.store.device("W3")?.status == .pending)
        }
    }

    @Test(arguments: [
        ("ALLOWED", true),
        ("OTHER", true),  // 127.0.0.1 is in the allowed network
    ])
    func allowlistBySerialOrNetwork(serial: String, accepted: Bool) async throws {
        let policy = try RegistrationPolicy(name: "allowlist", serials: ["ALLOWED"], networks: ["127.0.0.0/8"])
        try await withServer(configuration: PushServerConfiguration(registration: policy)) {
            (running: RunningServer) async throws in
            let registry = try await running.send("POST", "/iclock/registry?SN=\(serial)", body: "DeviceType=acc")
            #expect(registry.text.hasPrefix("RegistryCode=") == accepted)
        }
    }

    @Test func allowlistRefusesOthers() async throws {
        let policy = try RegistrationPolicy(name: "allowlist", serials: ["ALLOWED"], networks: ["10.0.0.0/8"])
        try await withServer(configuration: PushServerConfiguration(registration: policy)) {
            (running: RunningServer) async throws in
            #expect(
                try await running.send("POST", "/iclock/registry?SN=ALLOWED", body: "DeviceType=acc").text.hasPrefix(
                    "RegistryCode="))
            #expect(try await running.send("POST", "/iclock/registry?SN=STRANGER", body: "DeviceType=acc").text == "406")
        }
    }

    @Test(arguments: [
        ("192.168.1.0/24", "192.168.1.77", true), ("192.168.1.0/24", "192.168.2.1", false),
        ("10.0.0.0/8", "::ffff:10.1.2.3", true), ("fd00::/8", "fd12::1", true), ("fd00::/8", "fe80::1", false),
        ("127.0.0.1", "127.0.0.1", true),
    ])
    func networks(block: String, address: String, inside: Bool) throws {
        let network = try #require(IPNetwork(block))
        #expect(network.contains(address) == inside)
    }

    @Test(arguments: ["10.0.0.0/33", "nonsense", "1.2.3.4/x"])
    func invalidNetworksAreRejected(text: String) {
        #expect(throws: PushServerConfigurationError.invalidNetwork(text)) {
            try RegistrationPolicy(name: "allowlist", networks: [text])
        }
    }
}

@Suite struct CommandQueueTests {
    @Test func deliveredOnceAcknowledgedNeverAgain() async throws {
        let clock = TestClock()
        try await withServer(clock: clock) { (running: RunningServer) async throws in
            let cookie = try await register(running, serial: "Q1")
            let store = running.server.store
            let command = try await store.enqueue("Q1", command: "CONTROL DEVICE 01010105", timeToLive: 3600, now: clock.now)
            #expect(command.state == .queued)
            let first = try await running.send("GET", "/iclock/getrequest?SN=Q1", cookie: cookie)
            #expect(first.text == "C:\(command.id):CONTROL DEVICE 01010105\n")
            #expect(try store.command("Q1", id: command.id)?.state == .delivered)
            // Polled again before the redelivery timeout: nothing.
            #expect(try await running.send("GET", "/iclock/getrequest?SN=Q1", cookie: cookie).text == "OK")
            _ = try await running.send(
                "POST", "/iclock/devicecmd?SN=Q1", body: "ID=\(command.id)&Return=0&CMD=CONTROL", cookie: cookie)
            clock.advance(3600)
            _ = try await running.send("GET", "/iclock/cdata?SN=Q1&options=all")
            #expect(try await running.send("GET", "/iclock/getrequest?SN=Q1").text == "OK")
            // A replayed result does not change the recorded outcome.
            _ = try await running.send("POST", "/iclock/devicecmd?SN=Q1", body: "ID=\(command.id)&Return=-12&CMD=CONTROL")
            #expect(try store.command("Q1", id: command.id)?.returnCode == 0)
        }
    }

    @Test func unacknowledgedCommandIsRedeliveredAfterReconnectAndAfterTimeout() async throws {
        let clock = TestClock()
        let configuration = PushServerConfiguration(registration: .open, redeliveryTimeout: 120)
        try await withServer(configuration: configuration, clock: clock) { (running: RunningServer) async throws in
            try await register(running, serial: "Q2")
            let store = running.server.store
            let command = try await store.enqueue("Q2", command: "DATA DELETE user Pin=7", timeToLive: 3600, now: clock.now)
            #expect(try await running.send("GET", "/iclock/getrequest?SN=Q2").text.hasPrefix("C:\(command.id):"))
            // Reconnect: a new handshake puts it back.
            _ = try await running.send("GET", "/iclock/cdata?SN=Q2&options=all")
            #expect(try await running.send("GET", "/iclock/getrequest?SN=Q2").text.hasPrefix("C:\(command.id):"))
            // Timeout without a result.
            clock.advance(121)
            #expect(try await running.send("GET", "/iclock/getrequest?SN=Q2").text.hasPrefix("C:\(command.id):"))
            #expect(try store.command("Q2", id: command.id)?.deliveryCount == 3)
        }
    }

    @Test func commandsExpireAfterTheirTimeToLive() async throws {
        let clock = TestClock()
        try await withServer(clock: clock) { (running: RunningServer) async throws in
            try await register(running, serial: "Q3")
            let store = running.server.store
            let command = try await store.enqueue("Q3", command: "CONTROL DEVICE 01010105", timeToLive: 30, now: clock.now)
            clock.advance(31)
            #expect(try await running.send("GET", "/iclock/getrequest?SN=Q3").text == "OK")
            #expect(try store.command("Q3", id: command.id)?.state == .expired)
        }
    }

    @Test func idempotencyKeysAndMonotonicIDs() async throws {
        let (store, _, _) = try makeStore()
        let now = Date(timeIntervalSince1970: 1_763_700_000)
        _ = try await store.register("Q4", options: PushOptionList(fields: []), address: nil, autoApprove: true, now: now)
        let a = try await store.enqueue("Q4", command: "CONTROL DEVICE 01010105", idempotencyKey: "k1", timeToLive: 60, now: now)
        let again = try await store.enqueue(
            "Q4", command: "CONTROL DEVICE 01010105", idempotencyKey: "k1", timeToLive: 60, now: now)
        let b = try await store.enqueue("Q4", command: "CONTROL DEVICE 01020105", timeToLive: 60, now: now)
        #expect(a.id == again.id)
        #expect(b.id > a.id)
        #expect(try store.commands("Q4").count == 2)
        await #expect(throws: PushServerStoreError.self) {
            try await store.enqueue("Q4", command: "", timeToLive: 60, now: now)
        }
        await #expect(throws: PushServerStoreError.unknownDevice("NOPE")) {
            try await store.enqueue("NOPE", command: "CONTROL DEVICE 01010105", timeToLive: 60, now: now)
        }
    }

    @Test func replyStaysWithinMaxPackageSize() async throws {
        let clock = TestClock()
        try await withServer(clock: clock) { (running: RunningServer) async throws in
            try await register(running, serial: "Q5", options: "DeviceType=acc,MaxPackageSize=1024")
            let store = running.server.store
            let name = String(repeating: "N", count: 200)
            for pin in 1...10 {
                _ = try await store.enqueue(
                    "Q5", command: "DATA UPDATE user CardNo=\tPin=\(pin)\tName=\(name)", timeToLive: 60, now: clock.now)
            }
            let first = try await running.send("GET", "/iclock/getrequest?SN=Q5")
            #expect(first.body.count <= 1024)
            guard case .commands(let commands) = try ServerReply.parse(first.body, endpoint: .getrequest) else {
                Issue.record("reply `\(first.text.prefix(80))`")
                return
            }
            #expect(commands.count == 4)
            guard
                case .commands(let rest) = try ServerReply.parse(
                    try await running.send("GET", "/iclock/getrequest?SN=Q5").body, endpoint: .getrequest)
            else {
                Issue.record("second poll")
                return
            }
            #expect(rest.first?.numericID == (commands.last?.numericID ?? 0) + 1)
        }
    }
}

struct DoorOpeningIdentifier: RemoteIdentifier {
    func identify(serialNumber: String, event: RealtimeEvent) async -> RemoteIdentificationOutcome {
        event.cardNumberText == "123456"
            ? RemoteIdentificationOutcome(result: .success, door: event.eventAddress, openSeconds: 5, tips: "Welcome")
            : RemoteIdentificationOutcome(result: .failed, tips: "Unknown card")
    }
}

@Suite struct IngestionRepliesTests {
    @Test func remoteIdentificationRepliesWithControlLine() async throws {
        try await withServer(identifier: DoorOpeningIdentifier()) { (running: RunningServer) async throws in
            try await register(running, serial: "ID1")
            let body =
                "time=2024-05-01 10:00:00\tpin=0\tcardno=123456\taddrtype=2\teventaddr=2\tevent=0\tinoutstatus=0\tverifytype=4"
            let reply = try await running.send("POST", "/iclock/cdata?SN=ID1&AuthType=device", body: body)
            guard
                case .remoteIdentification(let answer) = try ServerReply.parse(
                    reply.body, endpoint: .cdata, query: PushQuery(["AuthType": "device"]))
            else {
                Issue.record("reply `\(reply.text)`")
                return
            }
            #expect(answer.succeeded)
            #expect(answer.control?.text == "01020105")  // open door 2 (lock) for 5 s
            #expect(answer.tips == "Welcome")
            #expect(answer.event?.cardNumberText == "123456")
            let refused = try await running.send(
                "POST", "/iclock/cdata?SN=ID1&AuthType=device", body: body.replacingOccurrences(of: "123456", with: "1"))
            #expect(refused.text.hasPrefix("AUTH=FAILED"))
        }
    }

    @Test func timeRequestAnswersWithServerZone() async throws {
        let configuration = PushServerConfiguration(registration: .open, timeZone: TimeZone(secondsFromGMT: 8 * 3600)!)
        let clock = TestClock(Date(timeIntervalSince1970: 1_484_029_772))  // 2017-01-10 06:29:32 UTC
        try await withServer(configuration: configuration, clock: clock) { (running: RunningServer) async throws in
            try await register(running, serial: "T1")
            let reply = try await running.send("GET", "/iclock/rtdata?SN=T1&type=time")
            guard case .time(let seconds, let zone) = try ServerReply.parse(reply.body, endpoint: .rtdata) else {
                Issue.record("reply `\(reply.text)`")
                return
            }
            #expect(zone == "+0800")
            #expect(PushDateTime(encodedSeconds: seconds).text == "2017-01-10 14:29:32")
        }
    }

    @Test func uploadsOfEveryOtherKindAreStoredAndAcknowledged() async throws {
        try await withServer { (running: RunningServer) async throws in
            try await register(running, serial: "U1")
            #expect(
                try await running.send("POST", "/iclock/cdata?SN=U1&table=options", body: "~DeviceName=Gate,IPAddress=10.0.0.5")
                    .text == "OK")
            #expect(
                try await running.send(
                    "POST", "/iclock/querydata?SN=U1&type=count&cmdid=288&tablename=user&count=1&packcnt=1&packidx=1",
                    body: "user=5"
                ).text == "OK")
            #expect(
                try await running.send(
                    "POST", "/iclock/querydata?SN=U1&type=tabledata&cmdid=415&tablename=user&count=2&packcnt=2&packidx=1",
                    body: "user uid=1\tpin=1\tname=\nuser uid=2\tpin=2\tname="
                ).text == "user=2")
            #expect(
                try await running.send(
                    "POST", "/iclock/querydata?SN=U1&type=tabledata&cmdid=415&tablename=user&count=1&packcnt=2&packidx=2",
                    body: "user uid=3\tpin=3\tname="
                ).text == "user=1")
            #expect(
                try await running.send(
                    "POST", "/iclock/cdata?SN=U1&table=rtstate",
                    body: "time=2017-01-10 11:49:32\tsensor=01\trelay=00\talarm=0000000000000000"
                ).text == "OK")
            #expect(
                try await running.send(
                    "POST", "/iclock/cdata?SN=U1&table=tabledata&tablename=biophoto&count=1",
                    body: "biophoto pin=1\tfilename=1.jpg\ttype=9\tsize=4\tcontent=AAAA"
                ).text == "biophoto=1")
            #expect(try await running.send("GET", "/iclock/ping?SN=U1").text == "OK")
            #expect(try running.server.store.uploadCount("U1", kind: "options") == 1)
            #expect(try running.server.store.uploadCount("U1", kind: "query-count") == 1)
            #expect(try running.server.store.tableRows("U1", table: "user").count == 3)
            #expect(try running.server.store.events("U1").map(\.kind) == ["state"])
        }
    }

    @Test func unknownPathsAndMissingSerial() async throws {
        try await withServer { (running: RunningServer) async throws in
            #expect(try await running.send("GET", "/favicon.ico").status == 404)
            #expect(try await running.send("GET", "/iclock/getrequest").status == 400)
        }
    }
}
