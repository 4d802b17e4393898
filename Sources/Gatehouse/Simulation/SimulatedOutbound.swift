import Foundation
import GRDB
import Logging
import Outbound
import Scripting
import Synchronization

/// The outbound layer of the offline world: the host's real outbox (in an in-memory database, on the fake clock),
/// whose deliveries are recorded for `sim.actions()` instead of leaving the machine. What `actions.toml` makes the
/// live host send (input actions, action URLs, the reception tab, web relays on a grant) therefore shows up in a
/// test next to what the scripts sent, in the order it was sent.
struct SimulatedOutbound {
    let outbox: Outbox
    let recorder: SimulationRecorder

    static func make(clock: ManualScriptClock, inputs: any InputStateReader) throws -> SimulatedOutbound {
        let database = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        OutboxMigrations.register(in: &migrator)
        try migrator.migrate(database)
        let recorder = SimulationRecorder()
        var logger = Logger(label: "gatehouse.test.outbound")
        logger.logLevel = .critical
        let outbox = Outbox(
            database: database, performer: RecordingPerformer(recorder: recorder), clock: FakeOutboxClock(clock: clock),
            snapshots: RecordedSnapshots(recorder: recorder), inputs: inputs, logger: logger)
        return SimulatedOutbound(outbox: outbox, recorder: recorder)
    }
}

/// Where the offline outbox's records go: the scripts' `sim.actions()` list, bound once the script host exists.
final class SimulationRecorder: Sendable {
    private let scripts = Mutex<ScriptHost?>(nil)

    func bind(_ host: ScriptHost) { scripts.withLock { $0 = host } }

    func record(_ fields: [String: String]) async {
        guard let host = scripts.withLock({ $0 }) else { return }
        await host.recordOutboxRequest(fields)
    }
}

/// Every delivery succeeds and is recorded: the live host's failures and retries are the outbox's own tests' concern.
struct RecordingPerformer: ActionPerformer {
    let recorder: SimulationRecorder

    func perform(_ action: OutboundAction) async throws(TransportError) {
        await recorder.record(action.simulationFields)
    }
}

/// Camera snapshots for the outbox's attachments: recorded, with a placeholder image.
struct RecordedSnapshots: SnapshotSource {
    let recorder: SimulationRecorder

    func snapshot(camera: String) async throws(TransportError) -> Data {
        await recorder.record(["kind": "snapshot", "camera": camera, "via": "outbox"])
        return Data("snapshot of \(camera)".utf8)
    }

    func defaultCameraName() async -> String? { nil }
}

struct FakeOutboxClock: OutboxClock {
    let clock: ManualScriptClock
    func now() -> Date { clock.now }
}

extension OutboundAction {
    /// The fields `sim.actions()` shows, named as the scripts' own requests are (`http`, `ftp.put`, `mail.send`), with
    /// `via = "outbox"` telling them apart. Passwords are never shown.
    var simulationFields: [String: String] {
        switch self {
        case .http(let request):
            var fields = ["kind": "http", "method": request.method.uppercased(), "url": request.url, "via": "outbox"]
            if !request.body.isEmpty { fields["body"] = String(decoding: request.body, as: UTF8.self) }
            return fields
        case .upload(let upload):
            let kind = upload.url.lowercased().hasPrefix("tftp:") ? "tftp.put" : "ftp.put"
            return ["kind": kind, "url": upload.url, "bytes": String(upload.data.count), "via": "outbox"]
        case .mail(let message):
            return [
                "kind": "mail.send", "to": message.to.joined(separator: ","), "subject": message.subject,
                "attachments": String(message.attachments.count), "via": "outbox",
            ]
        case .mqtt(let message):
            return [
                "kind": "mqtt.publish", "topic": message.topic, "payload": String(decoding: message.payload, as: UTF8.self),
                "via": "outbox",
            ]
        }
    }
}
