import AccessControl
import Benchmark
import Foundation
import PushProtocol
import Storage

// The door engine at the scale: 1,000,000 users with 2 cards each, 100 timezones, 64 doors.
// Targets (release build): card decision ≤ 20 µs median and ≤ 100 µs p99; cold start from SQLite ≤ 10 s;
// RSS ≤ 400 MB; 20,000 users load well under a second.
// The SQLite files are built on first use under $GATEHOUSE_BENCH_DIR (default: the temporary directory) and reused.

enum Scale {
    static let users = 1_000_000
    static let akuvoxUsers = 20_000

    static var directory: String {
        ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_DIR"] ?? FileManager.default.temporaryDirectory.path
    }

    static func configuration() -> SiteConfiguration {
        var configuration = SiteConfiguration()
        configuration.relays = (1...64).map { Relay(id: RelayID($0)) }
        configuration.doors = (1...64).map { Door(id: DoorID($0), relay: RelayID($0), punchInterval: 0) }
        configuration.readers = (1...64).map { Reader(id: ReaderID($0), door: DoorID($0), direction: .entry) }
            + (1...64).map { Reader(id: ReaderID($0 + 64), door: DoorID($0), direction: .exit) }
        configuration.timezones = (1...100).map {
            Timezone(id: TimezoneID($0), weekdays: Array(repeating: [.wholeDay], count: 7), holidays: [[.wholeDay], [], []])
        }
        configuration.holidays = (1...20).map {
            Holiday(date: CalendarDate(year: 2026, month: $0 % 12 + 1, day: $0), type: 1, recurrence: .yearly)
        }
        return configuration
    }

    static func user(_ n: Int) -> User {
        User(
            pin: UserPIN(String(n)), name: "User \(n)", group: n % 10,
            cards: [Card(number: CardNumber(UInt64(10_000_000 + 2 * n))), Card(number: CardNumber(UInt64(10_000_001 + 2 * n)))],
            authorisations: [Authorisation(timezone: TimezoneID(n % 100 + 1), doors: .all)])
    }

    /// A populated door-model database with `count` users (built once, then reused).
    static func database(users count: Int) async throws -> String {
        let path = "\(directory)/gatehouse-door-bench-\(count).sqlite"
        if FileManager.default.fileExists(atPath: path) {
            let store = try DoorModelStore.open(path: path)
            if try await store.loadConfiguration() != nil { return path }
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try DoorModelStore.open(path: path)
        try await store.apply(.replace(configuration()))
        var batch: [User] = []
        for n in 1...count {
            batch.append(user(n))
            if batch.count == 50_000 {
                try await store.importUsers(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await store.importUsers(batch) }
        return path
    }
}

/// The site the decision benchmark runs against, built once in setup.
actor SiteHolder {
    static let shared = SiteHolder()
    private var site: Site?

    func site(users count: Int) throws -> Site {
        if let site { return site }
        let built = try Site(
            configuration: Scale.configuration(), users: (1...count).map(Scale.user), clock: SystemClock(),
            relayDriver: VirtualRelayDriver())
        site = built
        return built
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Card decision (1M users × 2 cards, 100 timezones, 64 doors)",
        configuration: .init(
            metrics: [.wallClock, .throughput, .peakMemoryResident], timeUnits: .microseconds, warmupIterations: 1000,
            scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 200_000)
    ) { benchmark in
        let site = try await SiteHolder.shared.site(users: Scale.users)
        var n = 0
        for _ in benchmark.scaledIterations {
            n = (n &* 1_103_515_245 &+ 12345) & 0x7FFF_FFFF
            let user = n % Scale.users + 1
            let value = UInt64(10_000_000 + 2 * user + (n & 1))
            blackHole(await site.present(.card(CardNumber(value)), at: ReaderID(n % 128 + 1)))
        }
    }

    Benchmark(
        "Cold start from SQLite to ready (1M users × 2 cards)",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident], timeUnits: .seconds, warmupIterations: 0, maxDuration: .seconds(120),
            maxIterations: 3)
    ) { benchmark in
        let path = try await Scale.database(users: Scale.users)
        benchmark.startMeasurement()
        let store = try DoorModelStore.open(path: path)
        let site = try await Site.load(
            clock: SystemClock(), relayDriver: VirtualRelayDriver(), userDirectory: store, stateStore: store, journalSink: store)
        blackHole(await site.userCount)
        benchmark.stopMeasurement()
    }

    Benchmark(
        "Load 20,000 users from SQLite",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(30),
            maxIterations: 20)
    ) { benchmark in
        let path = try await Scale.database(users: Scale.akuvoxUsers)
        benchmark.startMeasurement()
        let store = try DoorModelStore.open(path: path)
        let site = try await Site.load(
            clock: SystemClock(), relayDriver: VirtualRelayDriver(), userDirectory: store, stateStore: store, journalSink: store)
        blackHole(await site.userCount)
        benchmark.stopMeasurement()
    }
}
