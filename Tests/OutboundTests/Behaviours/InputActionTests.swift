import Foundation
import Synchronization
import Testing

@testable import Outbound

/// Relays as the door engine would drive them; records what fired.
final class RelayBoard: RelayFirer {
    private let fired: Mutex<[String]> = Mutex([])
    func fire(relay: String) async { fired.withLock { $0.append(relay) } }
    var history: [String] { fired.withLock { $0 } }
}

@Suite("Input actions: exit button sends the snapshot by FTP, e-mail, HTTP and TFTP")
struct InputActionTests {
    @Test(arguments: [true, false])
    func delayedActionsFireOnlyIfTheInputIsStillTriggered(stillTriggered: Bool) async throws {
        let work = try TestEnvironment.temporaryDirectory("input")
        let snapshotFile = work.appendingPathComponent("camera.jpg")
        try TestEnvironment.snapshotBytes.write(to: snapshotFile)
        let camera = try await Peer.launch(
            "http_peer.py", ["--snapshot", snapshotFile.path, "--user", "cam", "--password", "pw"])
        let ftpRoot = work.appendingPathComponent("ftp"), tftpRoot = work.appendingPathComponent("tftp"),
            spool = work.appendingPathComponent("mail")
        for directory in [ftpRoot, tftpRoot, spool] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let ftp = try await Peer.launch("ftp_peer.py", ["--root", ftpRoot.path])
        let tftp = try await Peer.launch("tftp_peer.py", ["--root", tftpRoot.path])
        let smtp = try await Peer.launch("smtp_peer.py", ["--spool", spool.path])
        defer { [camera, ftp, tftp, smtp].forEach { $0.stop() } }

        let transport = try Transport()
        let clock = ManualClock()
        let panel = InputPanel()
        let relays = RelayBoard()
        let (database, _) = try makeOutboxDatabase()
        let snapshots = CameraSnapshots(
            cameras: [
                Camera(
                    name: "door", snapshotURL: "http://127.0.0.1:\(camera.port)/digest/snapshot.jpg",
                    authentication: HTTPAuthentication(.digest, user: "cam", password: "pw"))
            ],
            transport: transport)
        let outbox = Outbox(
            database: database, performer: TransportPerformer(transport: transport), clock: clock,
            snapshots: snapshots, inputs: panel)
        let targets = ActionTargets(
            ftp: .init(url: "ftp://camera:upload@127.0.0.1:\(ftp.port)/events", fileNameTemplate: "$door-$event.jpg"),
            tftp: .init(url: "tftp://127.0.0.1:\(tftp.port)", fileNameTemplate: "$door.jpg"),
            mail: .init(
                server: "smtp://127.0.0.1:\(smtp.port)", from: "door@gatehouse.example", to: ["guard@example.org"],
                subjectTemplate: "Door $door held: $event"),
            camera: "door")
        let settings = InputActionSettings(
            input: "A", door: "lobby", triggerLevel: .low, actions: [.ftp, .email, .http, .tftp],
            httpURL: "127.0.0.1:\(camera.port)/Message=input-$door", delaySeconds: 30, delayMode: .executeIfStillTriggered,
            executeRelay: "A")
        let inputs = InputActions(
            settings: [settings], targets: targets, device: ActionURLContext(time: clock.now()),
            outbox: outbox, relays: relays)

        #expect(await inputs.levelChanged(input: "A", to: .high, at: clock.now()) == nil, "high is not the trigger level")
        panel.set("A", triggered: true)
        let firing = try #require(await inputs.levelChanged(input: "A", to: .low, at: clock.now()))
        #expect(firing.problems.isEmpty)
        #expect(firing.actionIDs.count == 4)
        #expect(firing.relayFired == "A")
        #expect(relays.history == ["A"], "the relay fires at once, not after the delay")
        #expect(try await outbox.runDue().isEmpty, "actions wait for the 30 s delay")

        clock.advance(seconds: 29)
        #expect(try await outbox.runDue().isEmpty)
        panel.set("A", triggered: stillTriggered)
        clock.advance(seconds: 1)
        let attempts = try await outbox.runDue()
        #expect(Set(attempts.map(\.id)) == Set(firing.actionIDs))
        #expect(attempts.allSatisfy { $0.state == (stillTriggered ? .delivered : .skipped) }, "\(attempts)")

        let ftpFile = ftpRoot.appendingPathComponent("events/lobby-input_A_triggered.jpg")
        let tftpFile = tftpRoot.appendingPathComponent("lobby.jpg")
        let mailFile = spool.appendingPathComponent("1.eml")
        if stillTriggered {
            #expect(try Data(contentsOf: ftpFile) == TestEnvironment.snapshotBytes)
            #expect(try Data(contentsOf: tftpFile) == TestEnvironment.snapshotBytes)
            let mail = try await runPythonJSON("mime_check.py", [mailFile.path])
            #expect(mail["subject"] as? String == "Door lobby held: input_A_triggered")
            let parts = mail["parts"] as? [[String: Any]] ?? []
            #expect(parts.last?["sha256"] as? String == sha256Hex(TestEnvironment.snapshotBytes))
            let paths = try await camera.recordedRequests().compactMap { $0["path"] as? String }
            #expect(paths.contains("/Message=input-lobby"))
            #expect(paths.filter { $0 == "/snapshot.jpg" }.count == 3, "one snapshot per image action, taken at fire time")
        } else {
            for file in [ftpFile, tftpFile, mailFile] {
                #expect(!FileManager.default.fileExists(atPath: file.path))
            }
            #expect(try await camera.recordedRequests().isEmpty, "no snapshot taken, no URL called")
        }
    }

    @Test func unconditionalActionsIgnoreTheInputAtFireTime() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let clock = ManualClock()
        let panel = InputPanel()
        let (database, _) = try makeOutboxDatabase()
        let outbox = Outbox(
            database: database, performer: TransportPerformer(transport: try Transport()), clock: clock, inputs: panel)
        let inputs = InputActions(
            settings: [
                InputActionSettings(
                    input: "B", triggerLevel: .high, actions: [.http],
                    httpURL: "http://127.0.0.1:\(peer.port)/exit", delaySeconds: 5)
            ],
            targets: ActionTargets(), device: ActionURLContext(time: clock.now()), outbox: outbox, relays: nil)
        let firing = try #require(await inputs.levelChanged(input: "B", to: .high, at: clock.now()))
        clock.advance(seconds: 5)
        #expect(try await outbox.runDue().map(\.state) == [.delivered])
        #expect(firing.actionIDs.count == 1)
        #expect(try await peer.recordedRequests().first?["path"] as? String == "/exit")
    }

    @Test func missingTargetsAreReportedNotSilentlyDropped() async throws {
        let (database, _) = try makeOutboxDatabase()
        let outbox = Outbox(database: database, performer: TransportPerformer(transport: try Transport()), clock: ManualClock())
        let inputs = InputActions(
            settings: [InputActionSettings(input: "A", actions: [.ftp, .email, .tftp, .http])],
            targets: ActionTargets(), device: ActionURLContext(time: Date()), outbox: outbox, relays: nil)
        let firing = try #require(await inputs.levelChanged(input: "A", to: .low, at: Date()))
        #expect(firing.actionIDs.isEmpty)
        #expect(
            firing.problems == [
                "FTP action without an FTP server", "e-mail action without a mail account", "HTTP action without an HTTP URL",
                "TFTP action without a TFTP server",
            ])
    }

    @Test func receptionButtonFiresRelaysAndCallsItsURL() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let (database, _) = try makeOutboxDatabase()
        let outbox = Outbox(database: database, performer: TransportPerformer(transport: try Transport()), clock: ManualClock())
        let relays = RelayBoard()
        let button = ReceptionButton(
            settings: ReceptionSettings(
                relays: ["A", "B"], httpActionEnabled: true,
                httpURL: "127.0.0.1:\(peer.port)/fcgi/OpenDoor?action=OpenDoor&DoorNum=1", dialAccount: "Account 2"),
            outbox: outbox, relays: relays)
        let press = await button.press()
        #expect(press.relaysFired == ["A", "B"])
        #expect(relays.history == ["A", "B"])
        #expect(press.dialAccount == "Account 2")
        #expect(press.actionID != nil)
        #expect(try await outbox.runDue().map(\.state) == [.delivered])
        #expect(try await peer.recordedRequests().first?["path"] as? String == "/fcgi/OpenDoor?action=OpenDoor&DoorNum=1")
    }
}

@Suite("Script I/O for Lua")
struct ScriptIOTests {
    @Test func requestsUploadsSnapshotsAndDurableDelivery() async throws {
        let work = try TestEnvironment.temporaryDirectory("script")
        let snapshotFile = work.appendingPathComponent("camera.jpg")
        try TestEnvironment.snapshotBytes.write(to: snapshotFile)
        let camera = try await Peer.launch("http_peer.py", ["--snapshot", snapshotFile.path])
        defer { camera.stop() }
        let transport = try Transport()
        let (database, _) = try makeOutboxDatabase()
        let clock = ManualClock()
        let outbox = Outbox(database: database, performer: TransportPerformer(transport: transport), clock: clock)
        let io = ScriptIO(
            transport: transport, outbox: outbox,
            snapshots: CameraSnapshots(
                cameras: [Camera(name: "gate", snapshotURL: "http://127.0.0.1:\(camera.port)/snapshot.jpg")], transport: transport
            ),
            webRelays: nil)

        let response = try await io.httpRequest(HTTPRequest(url: "http://127.0.0.1:\(camera.port)/status/418"))
        #expect(response.status == 418, "a status is a result for scripts, not an error")
        #expect(try await io.snapshot(camera: "gate") == TestEnvironment.snapshotBytes)
        #expect(try await io.snapshot(camera: nil) == TestEnvironment.snapshotBytes, "no name: the first camera")
        await #expect(throws: ScriptIO.Failure.transport(.notConfigured("camera \"porch\""))) {
            _ = try await io.snapshot(camera: "porch")
        }
        await #expect(throws: ScriptIO.Failure.webRelay("web relays are not configured")) { _ = try await io.fireWebRelay(id: 1) }

        // Durable to a server that is down: accepted (pending), then delivered once it is up.
        let server = try await downHTTPPeer()
        defer { server.stop() }
        let port = server.port
        let queued = try await io.deliverDurably(
            .http(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/lua", body: Data("x".utf8))))
        #expect(queued.state == .pending)
        try await server.listen()
        clock.advance(seconds: 2)
        #expect(try await outbox.runDue().map(\.state) == [.delivered])

        // A permanent failure on the first attempt is an error naming the parked action.
        do {
            _ = try await io.deliverDurably(.http(HTTPRequest(url: "http://127.0.0.1:\(port)/status/404")))
            Issue.record("404 must be reported")
        } catch {
            guard case .parked = error else { Issue.record("got \(error)"); return }
            #expect(error.description.contains("404"))
        }
    }

    @Test func mailSecurityFollowsTheLuaArguments() {
        #expect(
            MailMessage.script(server: "smtps://mail:465", from: "a@b", to: ["c@d"], subject: "", body: "").security
                == .implicitTLS)
        #expect(
            MailMessage.script(server: "smtp://mail:587", from: "a@b", to: ["c@d"], subject: "", body: "", startTLS: true)
                .security == .startTLS)
        #expect(
            MailMessage.script(server: "smtp://mail:25", from: "a@b", to: ["c@d"], subject: "", body: "").security
                == MailSecurity.none)
    }
}
