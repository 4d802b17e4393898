import Digests
import AccessControl
import Foundation
import PushDevice
import PushProtocol
import PushServer
import Testing

/// Gatehouse device ↔ Gatehouse server over loopback HTTP: the whole protocol between two real implementations.
@Suite struct DeviceServerTests {
    @Test func registerSyncUsersOpenDoorAndUploadCardEvents() async throws {
        let clock = AccessControl.TestClock()
        try await withGatehouseServer(clock: clock) { (live: LiveServer) async throws in
            let (client, site, _) = try makeDevice(serial: "GH0001", url: live.url, clock: clock)
            let store = live.server.store

            // Register: handshake → registry → configuration.
            try await client.connect()
            #expect(await client.isOnline)
            let device = try #require(try store.device("GH0001"))
            #expect(device.status == .approved)
            #expect(device.deviceType == "acc")
            #expect(device.lockCount == 4)

            // Sync 1,000 users with cards and authorisations (multi-record DATA UPDATE, 100 per command).
            for batch in 0..<10 {
                let users = (1...100).map { offset -> PushRecord in
                    let pin = batch * 100 + offset
                    return PushRecord(fields: [
                        PushField("CardNo", String(1_000_000 + pin)), PushField("Pin", String(pin)),
                        PushField("Password", ""), PushField("Group", "1"), PushField("StartTime", "0"),
                        PushField("EndTime", "0"), PushField("Name", "User \(pin)"), PushField("Privilege", "0"),
                    ])
                }
                let authorisations = (1...100).map { offset -> PushRecord in
                    PushRecord(fields: [
                        PushField("Pin", String(batch * 100 + offset)), PushField("AuthorizeTimezoneId", "1"),
                        PushField("AuthorizeDoorId", "15"),
                    ])
                }
                _ = try await store.enqueue(
                    "GH0001", command: CommandKind.dataUpdate(table: .known(.user), records: users).text,
                    timeToLive: 3600, now: clock.now)
                _ = try await store.enqueue(
                    "GH0001", command: CommandKind.dataUpdate(table: .known(.userauthorize), records: authorisations).text,
                    timeToLive: 3600, now: clock.now)
            }
            var executed: [CommandResult] = []
            for _ in 0..<50 {
                let results = try await client.poll()
                if results.isEmpty { break }
                executed += results
            }
            #expect(executed.count == 20)
            #expect(executed.allSatisfy { $0.returnCode == .success })
            #expect(await site.userCount == 1000)
            let user = try #require(await site.user(UserPIN("500")))
            #expect(user.cards.map(\.number) == [CardNumber(1_000_500)])
            #expect(user.authorisations.first?.doors == DoorMask(rawValue: 15))
            #expect(try store.commands("GH0001").allSatisfy { $0.state == .succeeded })

            // DATA COUNT and DATA QUERY travel back through querydata.
            let count = try await store.enqueue("GH0001", command: "DATA COUNT user", timeToLive: 3600, now: clock.now)
            let query = try await store.enqueue(
                "GH0001", command: "DATA QUERY tablename=user,fielddesc=*,filter=*", timeToLive: 3600, now: clock.now)
            _ = try await client.poll()
            #expect(try store.command("GH0001", id: count.id)?.returnCode == 1000)
            let queried = try #require(try store.command("GH0001", id: query.id))
            #expect(queried.returnCode == 1000)
            #expect(queried.uploadedRows == 1000)

            // Open door 2 remotely for 5 s.
            let open = try await store.enqueue("GH0001", command: "CONTROL DEVICE 01020105", timeToLive: 3600, now: clock.now)
            _ = try await client.poll()
            #expect(try store.command("GH0001", id: open.id)?.state == .succeeded)
            #expect(try await site.status(of: DoorID(2)).isRelayActive)

            // A card presented on the device appears on the server.
            let decision = await site.present(.card(CardNumber(1_000_500)), at: ReaderID(1))
            #expect(decision.isGranted)
            let denied = await site.present(.card(CardNumber(42)), at: ReaderID(3))
            #expect(!denied.isGranted)
            let uploaded = try await client.uploadPending()
            #expect(uploaded >= 3)
            let events = try store.events("GH0001")
            let granted = try #require(events.first { $0.card == "1000500" })
            #expect(granted.pin == "500")
            #expect(granted.door == 1)
            #expect(granted.eventCode == decision.event.rawValue)
            #expect(events.contains { $0.card == "42" && $0.eventCode == denied.event.rawValue })
            #expect(events.contains { $0.door == 2 && $0.eventCode == 8 })  // remote open

            // Nothing is uploaded twice.
            #expect(try await client.uploadPending() == 0)
            #expect(try store.events("GH0001").count == events.count)
        }
    }

    @Test func cursorSurvivesARestartOfTheDevice() async throws {
        let clock = AccessControl.TestClock()
        try await withGatehouseServer(clock: clock) { (live: LiveServer) async throws in
            let (first, site, database) = try makeDevice(serial: "GH0002", url: live.url, clock: clock)
            try await site.upsert(
                User(pin: "1", cards: [Card(number: CardNumber(77))], authorisations: [Authorisation(timezone: 1, doors: .all)]))
            try await first.connect()
            _ = await site.present(.card(CardNumber(77)), at: ReaderID(1))
            #expect(try await first.uploadPending() == 1)
            _ = await site.present(.card(CardNumber(77)), at: ReaderID(2))
            // The device restarts: a new client over the same database and journal.
            let (second, _, _) = try makeDevice(serial: "GH0002", url: live.url, clock: clock, database: database, site: site)
            try await second.connect()
            #expect(try await second.uploadPending() == 1)
            #expect(try live.server.store.events("GH0002").count == 2)
        }
    }

    @Test func onlyThisControllersEventsGoUpAndTheCursorMovesPastTheRest() async throws {
        let clock = AccessControl.TestClock()
        try await withGatehouseServer(clock: clock) { (live: LiveServer) async throws in
            let (client, site, _) = try makeDevice(serial: "GH0005", url: live.url, clock: clock)
            try await client.connect()
            // A Gatehouse site event (code 1000) and an event another PUSH device uploaded to this host.
            await site.recordSiteEvent("script.reloaded", source: .script("main.lua"))
            await site.recordDeviceEvent(
                serialNumber: "OTHER1", event: 0, verifyMode: 4, door: 1, pin: "9", card: "99", time: nil)
            _ = await site.present(.card(CardNumber(4242)), at: ReaderID(1))
            #expect(try await client.uploadPending() == 1)
            let events = try live.server.store.events("GH0005")
            #expect(events.map(\.card) == ["4242"])
            // Skipped entries are behind the cursor too: nothing is pending.
            await site.recordSiteEvent("script.reloaded", source: .script("main.lua"))
            #expect(try await client.uploadPending() == 0)
            // Door states go up as rtstate, once per change.
            #expect(try await client.uploadDoorStates())
            #expect(try await !client.uploadDoorStates())
        }
    }

    @Test func usersRegisteredLocallyGoUpOnceAndServerUsersNeverEchoBack() async throws {
        let clock = AccessControl.TestClock()
        try await withGatehouseServer(clock: clock) { (live: LiveServer) async throws in
            let (client, site, _) = try makeDevice(serial: "GH0007", url: live.url, clock: clock)
            let store = live.server.store
            try await client.connect()
            try await site.upsert(User(pin: "L1", name: "Local", cards: [Card(number: CardNumber(555))]))
            _ = try await store.enqueue(
                "GH0007", command: "DATA UPDATE user Pin=S1\tName=From server\tCardNo=777", timeToLive: 60, now: clock.now)
            _ = try await client.poll()
            #expect(await site.user("S1") != nil)
            #expect(try await client.uploadChangedUsers() == 1)
            let rows = try store.tableRows("GH0007", table: "user")
            #expect(rows.count == 1)
            #expect(rows.first?.contains("pin=L1") == true && rows.first?.contains("cardno=555") == true)
            // Unchanged: nothing more; changed locally: once more.
            #expect(try await client.uploadChangedUsers() == 0)
            var local = try #require(await site.user("L1"))
            local.name = "Local, renamed"
            try await site.upsert(local)
            #expect(try await client.uploadChangedUsers() == 1)
            #expect(try await client.uploadChangedUsers() == 0)
        }
    }

    @Test func testHostReportsWhetherTheAddressAnswers() async throws {
        let clock = AccessControl.TestClock()
        try await withGatehouseServer(clock: clock) { (live: LiveServer) async throws in
            let (client, _, _) = try makeDevice(serial: "GH0006", url: live.url, clock: clock)
            try await client.connect()
            let address = live.url.replacingOccurrences(of: "http://", with: "")
            let open = try await live.server.store.enqueue(
                "GH0006", command: "Test Host Address=\(address)", timeToLive: 60, now: clock.now)
            let closed = try await live.server.store.enqueue(
                "GH0006", command: "Test Host Address=127.0.0.1:9", timeToLive: 60, now: clock.now)
            _ = try await client.poll()
            #expect(try live.server.store.command("GH0006", id: open.id)?.returnCode == 0)
            #expect(try live.server.store.command("GH0006", id: closed.id)?.returnCode == -1)
        }
    }

    @Test func unsupportedTablesAndCommandsAnswerWithNegativeCodes() async throws {
        let clock = AccessControl.TestClock()
        try await withGatehouseServer(clock: clock) { (live: LiveServer) async throws in
            let (client, _, _) = try makeDevice(serial: "GH0003", url: live.url, clock: clock)
            try await client.connect()
            let store = live.server.store
            let commands = [
                ("DATA UPDATE inoutfun Index=1\tEventType=204\tInAddr=0\tOutType=0\tOutAddr=1\tOutTime=0", -1004),
                ("DATA UPDATE USERINFO PIN=1", -629),
                ("ENROLL_INFO TYPE=1\tPIN=1\tRETRY=3", -1004),
                ("USER ADD PIN=1", -1002),
                ("SET OPTIONS DeviceName=Porch", 0),
                ("GET OPTIONS DeviceName,LockCount", 0),
            ]
            var ids: [Int64] = []
            for (text, _) in commands {
                ids.append(try await store.enqueue("GH0003", command: text, timeToLive: 60, now: clock.now).id)
            }
            _ = try await client.poll()
            for (index, (_, code)) in commands.enumerated() {
                #expect(try store.command("GH0003", id: ids[index])?.returnCode == code, "\(commands[index].0)")
            }
            #expect(try store.command("GH0003", id: ids[5])?.payload == ["DeviceName=Porch", "LockCount=4"])
        }
    }

    @Test func waitsForApprovalThenRegisters() async throws {
        let clock = AccessControl.TestClock()
        try await withGatehouseServer(configuration: PushServerConfiguration(registration: .approve), clock: clock) {
            (live: LiveServer) async throws in
            let (client, _, _) = try makeDevice(serial: "GH0004", url: live.url, clock: clock)
            await #expect(throws: PushDeviceError.self) { try await client.connect() }
            #expect(try live.server.store.device("GH0004")?.status == .pending)
            try await live.server.store.approve("GH0004", now: clock.now)
            try await client.connect()
            #expect(await client.isOnline)
        }
    }
}

/// The device role reading the ways real servers answer (push-real-world.md, "What servers answer").
@Suite struct LenientServerReplyTests {
    let identity = DeviceIdentity(serialNumber: "GH9")

    @Test func attendanceStyleHandshakeThenRegistryCode() {
        var session = PushDeviceSession(identity: identity)
        let first = session.receive(
            status: 200,
            body: Array("GET OPTION FROM: GH9\nATTLOGStamp=None\nTransFlag=TransData AttLog\nRealtime=1\nDelay=10\n".utf8))
        #expect(first == .proceed)
        #expect(session.phase == .registering)
        #expect(session.receive(status: 200, body: Array("RegistryCode=abc123".utf8)) == .proceed)
        #expect(session.receive(status: 404, body: []) == .online)
        #expect(session.registryCode == "abc123")
        #expect(session.departures.count == 2)
    }

    @Test func referenceHandshakeWithTabsInTransTimes() {
        var session = PushDeviceSession(identity: identity, registryCode: "R1")
        let body =
            "registry=ok\nRegistryCode=R1\nServerVersion=3.0.1\nErrorDelay=60\nRequestDelay=5\nTransTimes=00:00\t14:00\nTransInterval=1\nRealtime=1\nSessionID=S1\nTimeoutSec=10\n"
        #expect(session.receive(status: 200, body: Array(body.utf8)) == .proceed)
        #expect(session.phase == .configuring)
        #expect(session.settings.requestDelay == 5)
        #expect(session.settings.transTimes == ["00:00", "14:00"])
        #expect(session.cookie == "token=" + SessionToken.compute(registryCode: "R1", serialNumber: "GH9", sessionID: "S1"))
    }

    @Test func bareOKThenRefusedRegistration() {
        var session = PushDeviceSession(identity: identity)
        #expect(session.receive(status: 200, body: Array("ok".utf8)) == .proceed)
        #expect(
            session.receive(status: 200, body: Array("406".utf8))
                == .retry(afterSeconds: 30, reason: "registration refused (406): waiting for approval"))
        #expect(session.phase == .handshake)
    }

    @Test func serverErrorsRetryAfterErrorDelay() {
        var session = PushDeviceSession(identity: identity)
        if case .retry(let seconds, _) = session.receive(status: 500, body: []) {
            #expect(seconds == 30)
        } else {
            Issue.record("expected a retry")
        }
    }
}
