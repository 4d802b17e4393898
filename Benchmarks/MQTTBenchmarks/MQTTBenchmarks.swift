import AccessControl
import Benchmark
import Foundation
import Logging
import MQTT
import PushProtocol
import Storage

// The MQTT bridge under the load: 1,000 journal entries a second through a real Mosquitto broker
// (/usr/sbin/mosquitto, started here on a free loopback port), received by a second libmosquitto client.
// Target (release build): a journal entry published ≤ 20 ms after its commit, without the door path slowing.
// Metrics per event: "publish latency" (commit → received by the subscriber) and "decision latency" (present +
// journal commit), the latter also measured with no bridge following, for comparison.

/// A broker for the benchmark's lifetime.
final class Broker: @unchecked Sendable {
    // @unchecked: set once in init, then read only.
    let process: Process
    let port: Int

    init() throws {
        port = Int.random(in: 20_000...40_000)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        process.arguments = ["-p", String(port)]
        // Neither of the benchmark's own pipes: package-benchmark waits for their end of file, which a broker
        // holding them would put off for ever.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
    }

    // SIGKILL: a child started by Foundation's Process has SIGTERM blocked, so terminate() would leave it running.
    deinit { kill(process.processIdentifier, SIGKILL) }
}

/// The events queue is never used while connected; a failing one shows if it were.
struct NoQueue: MQTTEventQueue {
    func enqueue(_ messages: [MQTTMessage]) async throws { fatalError("the broker went away during the benchmark") }
    func pendingCount() async throws -> Int { 0 }
    func deliverNow() async {}
}

/// A site on a real SQLite journal.
func makeSite() async throws -> Site {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-mqtt-bench-\(UUID().uuidString).sqlite")
        .path
    let store = try DoorModelStore.open(path: path)
    try await store.apply(.replace(.fourDoorPanel()))
    return try await Site.load(
        clock: SystemClock(), relayDriver: VirtualRelayDriver(), userDirectory: store, stateStore: store, journalSink: store)
}

/// Receive times of `…/events` messages by journal index.
final class Receipts: @unchecked Sendable {
    // @unchecked: `times` only under `lock`.
    private let lock = NSLock()
    private var times: [Int: ContinuousClock.Instant] = [:]

    func record(_ index: Int, _ time: ContinuousClock.Instant) { lock.withLock { times[index] = time } }
    func time(of index: Int) -> ContinuousClock.Instant? { lock.withLock { times[index] } }
}

func microseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)
}

/// One second of 1,000 card reads, paced at one per millisecond; returns the decision latencies and the journal
/// indices with their commit instants.
func drive(_ site: Site, events: Int = 1_000) async -> (decisions: [Int], commits: [(UInt64, ContinuousClock.Instant)]) {
    var decisions: [Int] = []
    var commits: [(UInt64, ContinuousClock.Instant)] = []
    let clock = ContinuousClock()
    let start = clock.now
    for n in 0..<events {
        try? await clock.sleep(until: start + .milliseconds(n))
        let before = clock.now
        let decision = await site.present(.card(CardNumber(UInt64(5_000_000 + n)), bitLength: 26), at: ReaderID(1 + n % 8))
        try? await site.flush()
        let committed = clock.now
        decisions.append(microseconds(committed - before))
        commits.append((decision.journalIndex, committed))
    }
    return (decisions, commits)
}

let publishLatency = BenchmarkMetric.custom("publish latency (µs)", polarity: .prefersSmaller, useScalingFactor: false)
let decisionLatency = BenchmarkMetric.custom("decision latency (µs)", polarity: .prefersSmaller, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [decisionLatency], timeUnits: .microseconds, warmupIterations: 1,
        maxDuration: .seconds(30), maxIterations: 5)

    Benchmark("Door path, no bridge (1,000 card reads/s)") { benchmark in
        let site = try await makeSite()
        for _ in benchmark.scaledIterations {
            let (decisions, _) = await drive(site)
            for value in decisions { benchmark.measurement(decisionLatency, value) }
        }
    }

    Benchmark(
        "Journal entry to MQTT subscriber (1,000 events/s)",
        configuration: .init(metrics: [publishLatency, decisionLatency])
    ) { benchmark in
        let broker = try Broker()
        let site = try await makeSite()
        let endpoint = MQTTEndpoint(
            host: "127.0.0.1", port: broker.port, clientID: "bench-host", will: MQTTBridge.will(prefix: "bench"))
        let client = try MQTTClient(endpoint: endpoint)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let bridge = MQTTBridge(
            client: client, site: site, prefix: "bench", discovery: nil, queue: NoQueue(), scripts: nil, queueLimit: 10,
            logger: logger)
        let bridging = Task { await bridge.run() }
        defer { bridging.cancel(); client.stop() }

        let subscriber = try MQTTClient(
            endpoint: MQTTEndpoint(host: "127.0.0.1", port: broker.port, clientID: "bench-subscriber"))
        let receipts = Receipts()
        let listening = Task {
            for await event in subscriber.events {
                switch event {
                case .connected: try? subscriber.subscribe("bench/events")
                case .message(let message):
                    let now = ContinuousClock.now
                    if let json = try? JSONSerialization.jsonObject(with: message.payload) as? [String: Any],
                        let index = json["index"] as? Int
                    {
                        receipts.record(index, now)
                    }
                default: break
                }
            }
        }
        subscriber.start()
        defer { listening.cancel(); subscriber.stop() }
        while !client.isConnected || !subscriber.isConnected { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(300))  // the subscription is in place

        for _ in benchmark.scaledIterations {
            let (decisions, commits) = await drive(site)
            for value in decisions { benchmark.measurement(decisionLatency, value) }
            try await Task.sleep(for: .milliseconds(500))  // the last ones arrive
            var missing = 0
            for (index, committed) in commits {
                guard let received = receipts.time(of: Int(index)) else {
                    missing += 1
                    continue
                }
                benchmark.measurement(publishLatency, max(0, microseconds(received - committed)))
            }
            if missing > 0 { print("MQTT benchmark: \(missing) of \(commits.count) events never arrived") }
        }
    }
}
