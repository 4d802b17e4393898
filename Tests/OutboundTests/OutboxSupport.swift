import Foundation
import GRDB
import Synchronization

@testable import Outbound

/// A clock the test moves by hand: the outbox's retry schedule is driven without sleeping.
final class ManualClock: OutboxClock {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Input levels as the door engine would report them; a real in-memory implementation of the seam.
final class InputPanel: InputStateReader {
    private let triggered: Mutex<Set<String>> = Mutex([])
    func set(_ input: String, triggered isTriggered: Bool) {
        triggered.withLock { if isTriggered { $0.insert(input) } else { $0.remove(input) } }
    }
    func isTriggered(input: String) async -> Bool { triggered.withLock { $0.contains(input) } }
}

/// A real SQLite file in a temporary directory with the outbox migrations applied.
func makeOutboxDatabase(at file: URL? = nil) throws -> (DatabaseQueue, URL) {
    let path = try file ?? TestEnvironment.temporaryDirectory("outbox").appendingPathComponent("gatehouse.sqlite")
    let queue = try DatabaseQueue(path: path.path)
    var migrator = DatabaseMigrator()
    OutboxMigrations.register(in: &migrator)
    try migrator.migrate(queue)
    return (queue, path)
}

/// An HTTP server that is down: its port refuses connections until `listen()`, and no other server can take it
/// meanwhile.
func downHTTPPeer() async throws -> Peer {
    try await Peer.launch("http_peer.py", ["--listen-later"])
}
