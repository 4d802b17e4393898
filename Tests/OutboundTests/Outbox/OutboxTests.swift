import Foundation
import GRDB
import Synchronization
import Testing

@testable import Outbound

@Suite("Durable outbox on a real SQLite file")
struct OutboxTests {
    let clock = ManualClock()
    let policy = RetryPolicy(maxAttempts: 4, initialDelaySeconds: 2, multiplier: 2, maxDelaySeconds: 60)

    func outbox(_ database: DatabaseQueue, inputs: (any InputStateReader)? = nil) throws -> Outbox {
        Outbox(
            database: database, performer: TransportPerformer(transport: try Transport()), clock: clock, policy: policy,
            inputs: inputs)
    }

    @Test func persistedBeforeItRunsThenDelivered() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let (database, _) = try makeOutboxDatabase()
        let box = try outbox(database)
        let id = try await box.enqueue(
            .http(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(peer.port)/message", body: Data("door".utf8))),
            source: "input A")
        let pending = try await box.entries(state: .pending)
        #expect(pending.map(\.id) == [id])
        #expect(pending.first?.attempts == 0)
        #expect(pending.first?.summary == "POST http://127.0.0.1:\(peer.port)/message")
        #expect(try await peer.recordedRequests().isEmpty)

        let attempts = try await box.runDue()
        #expect(attempts.map(\.state) == [.delivered], "\(attempts)")
        #expect(try await box.entries(state: .delivered).map(\.id) == [id])
        #expect(try await box.entries(state: .pending).isEmpty)
        let recorded = try await peer.recordedRequests()
        #expect(recorded.count == 1)
        #expect(Data(base64Encoded: recorded.first?["body"] as? String ?? "") == Data("door".utf8))
    }

    @Test("stored actions keep only what differs from the defaults, and rows in the full form still decode")
    func compactPayloads() throws {
        let plain = OutboundAction.http(HTTPRequest(url: "http://10.0.0.5/relay?state=1"))
        #expect(
            String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
                == #"{"http":{"_0":{"url":"http:\/\/10.0.0.5\/relay?state=1"}}}"#)
        let full =
            #"{"http":{"_0":{"method":"PUT","url":"http://h/x","headers":[{"name":"A","value":"b"}],"body":"eA==","followRedirects":true,"options":{"connectTimeoutMilliseconds":5000,"totalTimeoutMilliseconds":1000,"verifyTLS":false,"maxResponseBytes":16777216}}}}"#
        let decoded = try JSONDecoder().decode(OutboundAction.self, from: Data(full.utf8))
        let expected = OutboundAction.http(
            HTTPRequest(
                method: "PUT", url: "http://h/x", headers: [HTTPHeader("A", "b")], body: Data("x".utf8), followRedirects: true,
                options: TransportOptions(totalTimeoutMilliseconds: 1000, verifyTLS: false)))
        #expect(decoded == expected)
        #expect(try JSONDecoder().decode(OutboundAction.self, from: try JSONEncoder().encode(expected)) == expected)
    }

    @Test func serverDownForTheFirstAttemptsStillGetsTheAction() async throws {
        let peer = try await downHTTPPeer()
        defer { peer.stop() }
        let port = peer.port
        let (database, _) = try makeOutboxDatabase()
        let box = try outbox(database)
        let id = try await box.enqueue(.http(HTTPRequest(url: "http://127.0.0.1:\(port)/relaytrigger=1")), source: "action-url")

        var attempt = try await box.runDue()
        #expect(attempt.first?.state == .pending)
        #expect(attempt.first?.attempts == 1)
        #expect(attempt.first?.nextAttemptAt == clock.now().addingTimeInterval(2))
        #expect(try await box.runDue().isEmpty, "not due again before the backoff elapses")

        clock.advance(seconds: 2)
        attempt = try await box.runDue()
        #expect(attempt.first?.attempts == 2)
        #expect(attempt.first?.nextAttemptAt == clock.now().addingTimeInterval(4), "backoff doubles")
        let entry = try #require(try await box.entry(id: id))
        #expect(entry.lastError?.contains("could not connect to 127.0.0.1") == true)

        try await peer.listen()
        clock.advance(seconds: 4)
        attempt = try await box.runDue()
        #expect(attempt.first?.state == .delivered)
        #expect(attempt.first?.attempts == 3)
        #expect(try await peer.recordedRequests().first?["path"] as? String == "/relaytrigger=1")
    }

    @Test func survivesARestartOnTheSameFile() async throws {
        let peer = try await downHTTPPeer()
        defer { peer.stop() }
        let port = peer.port
        let (database, file) = try makeOutboxDatabase()
        do {
            let box = try outbox(database)
            try await box.enqueue(.http(HTTPRequest(url: "http://127.0.0.1:\(port)/after-restart")), source: "lua")
            #expect(try await box.runDue().first?.state == .pending)
        }
        try database.close()

        // A new host process: new connection, new outbox, same file.
        let (reopened, _) = try makeOutboxDatabase(at: file)
        let box = try outbox(reopened)
        try await peer.listen()
        #expect(try await box.entries(state: .pending).count == 1)
        clock.advance(seconds: 2)
        #expect(try await box.runDue().map(\.state) == [.delivered])
        #expect(try await peer.recordedRequests().map { $0["path"] as? String } == ["/after-restart"])
    }

    @Test func parkedDeadAfterMaxAttemptsThenRetriedByHand() async throws {
        let peer = try await downHTTPPeer()
        defer { peer.stop() }
        let port = peer.port
        let (database, _) = try makeOutboxDatabase()
        let box = try outbox(database)
        let id = try await box.enqueue(.http(HTTPRequest(url: "http://127.0.0.1:\(port)/x")), source: "webrelay 1")
        for delay in [0.0, 2, 4, 8] {
            clock.advance(seconds: delay)
            _ = try await box.runDue()
        }
        let dead = try await box.entries(state: .dead)
        #expect(dead.map(\.id) == [id])
        #expect(dead.first?.attempts == 4)
        #expect(dead.first?.lastError?.contains("could not connect") == true)
        clock.advance(seconds: 3_600)
        #expect(try await box.runDue().isEmpty, "dead entries are not attempted")

        try await peer.listen()
        let retried = try await box.retry(id: id)
        #expect(retried.state == .pending)
        #expect(retried.attempts == 0)
        #expect(try await box.runDue().map(\.state) == [.delivered])
    }

    @Test func permanentFailureIsDeadAtOnce() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let (database, _) = try makeOutboxDatabase()
        let box = try outbox(database)
        try await box.enqueue(.http(HTTPRequest(url: "http://127.0.0.1:\(peer.port)/status/404")), source: "test")
        let attempt = try await box.runDue()
        #expect(attempt.first?.state == .dead)
        #expect(attempt.first?.attempts == 1)
        #expect(attempt.first?.error?.contains("404") == true)
    }

    @Test func retryRefusesPendingAndUnknownEntries() async throws {
        let (database, _) = try makeOutboxDatabase()
        let box = try outbox(database)
        let id = try await box.enqueue(
            .http(HTTPRequest(url: "http://127.0.0.1:1/")), source: "t", notBefore: clock.now().addingTimeInterval(60))
        await #expect(throws: OutboxError.notRetryable(id: id, state: .pending)) { try await box.retry(id: id) }
        await #expect(throws: OutboxError.notFound(id: 999)) { try await box.retry(id: 999) }
    }

    @Test(arguments: [true, false])
    func executeIfInputStillTriggered(stillTriggered: Bool) async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let (database, _) = try makeOutboxDatabase()
        let panel = InputPanel()
        panel.set("A", triggered: true)
        let box = try outbox(database, inputs: panel)
        try await box.enqueue(
            .http(HTTPRequest(url: "http://127.0.0.1:\(peer.port)/door-held-open")), source: "input A",
            notBefore: clock.now().addingTimeInterval(10), condition: .inputStillTriggered(input: "A"))
        #expect(try await box.runDue().isEmpty, "the action delay has not elapsed")
        panel.set("A", triggered: stillTriggered)
        clock.advance(seconds: 10)
        let attempt = try await box.runDue()
        #expect(attempt.first?.state == (stillTriggered ? .delivered : .skipped), "\(attempt)")
        #expect(try await peer.recordedRequests().count == (stillTriggered ? 1 : 0))
        if !stillTriggered {
            #expect(try await box.entries(state: .skipped).first?.lastError == "input A no longer triggered at fire time")
        }
    }

    @Test(arguments: [(1, 2.0), (2, 4.0), (3, 8.0), (6, 60.0), (100, 60.0)])
    func backoffGrowsExponentiallyUpToTheCap(attempts: Int, expected: Double) {
        #expect(policy.delay(afterAttempts: attempts) == expected)
    }
    @Test func listingHidesPayloadsAndPurgeRemovesFinishedEntries() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let (database, _) = try makeOutboxDatabase()
        let box = try outbox(database)
        try await box.enqueue(.http(HTTPRequest(url: "http://admin:hunter2@127.0.0.1:\(peer.port)/a")), source: "webrelay 1")
        try await box.runDue()
        let listed = try await box.entries()
        let json = String(decoding: try JSONEncoder().encode(listed), as: UTF8.self)
        #expect(json.contains("\"state\":\"delivered\""))
        #expect(json.contains("webrelay 1"))
        #expect(!json.contains("hunter2"))
        clock.advance(seconds: 10)
        #expect(try await box.purge(finishedBefore: clock.now()) == 1)
        #expect(try await box.entries().isEmpty)
    }
    @Test func runLoopWakesOnEnqueueAndDelivers() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let (database, _) = try makeOutboxDatabase()
        let (attempts, reported) = AsyncStream<OutboxAttempt>.makeStream()
        let box = Outbox(
            database: database, performer: TransportPerformer(transport: try Transport()), clock: clock,
            policy: policy, observer: { reported.yield($0) })
        let loop = Task { await box.run() }
        defer { loop.cancel() }
        var iterator = attempts.makeAsyncIterator()
        // The loop is idle (nothing due); an enqueue must wake it without any clock movement.
        let id = try await box.enqueue(.http(HTTPRequest(url: "http://127.0.0.1:\(peer.port)/woken")), source: "test")
        let attempt = await iterator.next()
        #expect(attempt?.id == id)
        #expect(attempt?.state == .delivered)
    }
}

/// A destination that keeps what it was given, in order, and refuses while down or for chosen payloads: what the
/// outbox must deliver in order to a broker.
final class OrderedDestination: ActionPerformer, Sendable {
    private let state = Mutex<(up: Bool, refuse: Set<String>, received: [String])>((false, [], []))

    func set(up: Bool, refusingOnce refuse: Set<String> = []) { state.withLock { $0.up = up; $0.refuse = refuse } }
    var received: [String] { state.withLock { $0.received } }

    func perform(_ action: OutboundAction) async throws(TransportError) {
        guard case .mqtt(let message) = action else { return }
        let text = String(decoding: message.payload, as: UTF8.self)
        let accepted = state.withLock { state -> Bool in
            guard state.up, state.refuse.remove(text) == nil else { return false }
            state.received.append(text)
            return true
        }
        if !accepted { throw .connectionFailed(host: "broker", detail: "not connected") }
    }
}

@Suite("Ordered kinds (MQTT) are delivered one at a time, in the order queued")
struct OrderedOutboxTests {
    let clock = ManualClock()

    func message(_ text: String) -> OutboundAction {
        .mqtt(MQTTPublication(topic: "gatehouse/site/events", payload: Data(text.utf8), qos: 1, retain: false))
    }

    @Test("younger entries wait behind a failed older one, and all go in order once it is back")
    func waitBehindTheHead() async throws {
        let (database, _) = try makeOutboxDatabase()
        let destination = OrderedDestination()
        let outbox = Outbox(database: database, performer: destination, clock: clock, policy: RetryPolicy(maxAttempts: 1_000))
        try await outbox.enqueue(message("1"), source: "mqtt")
        #expect(try await outbox.runDue().map(\.state) == [.pending])
        for text in ["2", "3", "4", "5"] { try await outbox.enqueue(message(text), source: "mqtt") }
        // An HTTP action is not held by them.
        try await outbox.enqueue(.http(HTTPRequest(url: "http://127.0.0.1:9/x")), source: "action-url")
        let attempted = try await outbox.runDue()
        #expect(attempted.count == 1, "only the HTTP entry: \(attempted)")
        #expect(destination.received.isEmpty)
        #expect(try await outbox.pendingCount(kind: "mqtt") == 5)

        destination.set(up: true)
        try await outbox.expedite(kind: "mqtt")
        _ = try await outbox.runDue()
        #expect(destination.received == ["1", "2", "3", "4", "5"])
        #expect(try await outbox.pendingCount(kind: "mqtt") == 0)
    }

    @Test("a failure in the middle stops the rest of the batch; they follow it, in order")
    func failureInTheMiddle() async throws {
        let (database, _) = try makeOutboxDatabase()
        let destination = OrderedDestination()
        destination.set(up: true, refusingOnce: ["3"])
        let outbox = Outbox(
            database: database, performer: destination, clock: clock,
            policy: RetryPolicy(maxAttempts: 1_000, initialDelaySeconds: 2))
        for text in ["1", "2", "3", "4", "5"] { try await outbox.enqueue(message(text), source: "mqtt") }
        _ = try await outbox.runDue()
        #expect(destination.received == ["1", "2"])
        let waiting = try await outbox.entries(state: .pending).sorted { $0.id < $1.id }
        #expect(waiting.map(\.attempts) == [1, 0, 0], "3 failed once; 4 and 5 were not tried")
        #expect(try await outbox.runDue().isEmpty, "nothing passes the head before its retry")
        clock.advance(seconds: 2)
        _ = try await outbox.runDue()
        #expect(destination.received == ["1", "2", "3", "4", "5"])
    }

    @Test("a retry with no delay does not let younger entries overtake within one pass")
    func zeroDelayRetry() async throws {
        let (database, _) = try makeOutboxDatabase()
        let destination = OrderedDestination()
        destination.set(up: true, refusingOnce: ["1"])
        let outbox = Outbox(
            database: database, performer: destination, clock: clock,
            policy: RetryPolicy(maxAttempts: 1_000, initialDelaySeconds: 0))
        for text in ["1", "2", "3"] { try await outbox.enqueue(message(text), source: "mqtt") }
        _ = try await outbox.runDue()
        #expect(destination.received.isEmpty || destination.received.first == "1", "\(destination.received)")
        _ = try await outbox.runDue()
        #expect(destination.received == ["1", "2", "3"])
    }
}
