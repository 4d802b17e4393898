import AccessControl
import Foundation
import GRDB
import Logging
import PushProtocol

/// N virtual Gatehouse controllers in one process (`gatehouse simulate-device`): each is the full device role over
/// its own in-memory door model (a site with `doors` doors, readers entering and leaving, timezone 1 "always") and
/// its own in-memory cursor database. Card swipes are generated at `eventsPerSecond` in total, spread over the
/// devices; half the cards belong to enrolled users, half are unknown, so the server sees grants and denials.
public struct DeviceSimulation: Sendable {
    public var serverURL: String
    public var serialNumber: String
    public var doors: Int
    public var count: Int
    public var eventsPerSecond: Double
    /// Stop after this many seconds (nil: until cancelled).
    public var duration: Double?
    /// The HTTP client all virtual devices share (default: one `HTTPPushTransport` for `serverURL`).
    public var transport: (any PushTransport)?

    public init(
        serverURL: String, serialNumber: String, doors: Int = 4, count: Int = 1, eventsPerSecond: Double = 0,
        duration: Double? = nil, transport: (any PushTransport)? = nil
    ) {
        self.transport = transport
        self.serverURL = serverURL
        self.serialNumber = serialNumber
        self.doors = doors
        self.count = count
        self.eventsPerSecond = eventsPerSecond
        self.duration = duration
    }

    public enum SimulationError: Error, CustomStringConvertible {
        case invalid(String)

        public var description: String {
            switch self { case .invalid(let text): text }
        }
    }

    /// Totals of a run.
    public struct Summary: Sendable {
        public var devices: Int
        public var swipes: Int
        public var rounds: Int
        public var failedRounds: Int
    }

    /// The serial number of virtual device `index` (0-based): the given serial for one device, else
    /// `<serial>-0001`, `<serial>-0002`, …
    public func serial(at index: Int) -> String {
        count == 1 ? serialNumber : serialNumber + "-" + String(format: "%04d", index + 1)
    }

    /// The virtual panel: `doors` doors with a 5 s monostable relay each, entry readers 1…n, exit readers n+1…2n.
    public static func siteConfiguration(doors: Int) -> SiteConfiguration {
        let ids = 1...doors
        return SiteConfiguration(
            settings: SiteSettings(timeZoneIdentifier: "UTC"),
            doors: ids.map { Door(id: DoorID($0), relay: RelayID($0)) },
            readers: ids.map { Reader(id: ReaderID($0), door: DoorID($0), direction: .entry) }
                + ids.map { Reader(id: ReaderID($0 + doors), door: DoorID($0), direction: .exit) },
            relays: ids.map { Relay(id: RelayID($0), mode: .monostable, holdDelay: 5) },
            timezones: [.always(id: .always)])
    }

    public func run(logger: Logger = Logger(label: "gatehouse.simulate-device")) async throws -> Summary {
        guard count >= 1, count <= 100_000 else { throw SimulationError.invalid("--count must be between 1 and 100000") }
        guard doors >= 1, doors <= 64 else { throw SimulationError.invalid("--doors must be between 1 and 64") }
        guard eventsPerSecond >= 0, eventsPerSecond.isFinite else { throw SimulationError.invalid("--events-per-second must be 0 or more") }
        let transport = try self.transport ?? HTTPPushTransport(baseURL: serverURL)
        let clock = SystemClock()
        var devices: [(PushDeviceClient, Site)] = []
        for index in 0..<count {
            let site = try Site(configuration: Self.siteConfiguration(doors: doors), clock: clock)
            for pin in 1...10 {
                try await site.upsert(User(
                    pin: UserPIN(String(pin)), name: "Simulated \(pin)", cards: [Card(number: CardNumber(UInt64(100_000 + pin)))],
                    authorisations: [Authorisation(timezone: .always, doors: .all)]))
            }
            let queue = try DatabaseQueue()
            var migrator = DatabaseMigrator()
            PushDeviceMigrations.register(in: &migrator)
            try migrator.migrate(queue)
            let identity = DeviceIdentity(serialNumber: serial(at: index), deviceName: "Gatehouse simulator", lockCount: doors, readerCount: doors * 2)
            let client = PushDeviceClient(
                identity: identity, transport: transport, site: site,
                cursor: PushDeviceCursorStore(writer: queue, upstream: serverURL), logger: logger)
            devices.append((client, site))
        }
        let deadline = duration.map { Date().addingTimeInterval($0) }
        let swipes = SimulationCounter()
        let rounds = SimulationCounter()
        let failures = SimulationCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (offset, (client, _)) in devices.enumerated() {
                group.addTask {
                    // Spread the first polls over a second so N devices do not arrive at once.
                    try await Task.sleep(nanoseconds: UInt64(offset % 1000) * 1_000_000)
                    while !Task.isCancelled {
                        if let deadline, Date() >= deadline { return }
                        var delay = 2.0
                        do {
                            let report = try await client.runRound()
                            await rounds.add(1)
                            delay = report.executedCommands.isEmpty ? Double(await client.session.settings.requestDelay) : 0
                        } catch {
                            await failures.add(1)
                            logger.warning("simulated device round failed", metadata: ["sn": "\(client.identity.serialNumber)", "error": "\(error)"])
                            if let deviceError = error as? PushDeviceError, case .notOnline(_, let retry) = deviceError { delay = Double(retry) } else { delay = Double(await client.session.settings.errorDelay) }
                        }
                        try await Task.sleep(nanoseconds: UInt64(max(0.05, delay) * 1_000_000_000))
                    }
                }
            }
            if eventsPerSecond > 0 {
                let sites = devices.map(\.1)
                let doorCount = doors
                group.addTask {
                    var generator = SystemRandomNumberGenerator()
                    let interval = 1 / eventsPerSecond
                    var next = Date()
                    while !Task.isCancelled {
                        if let deadline, Date() >= deadline { return }
                        let site = sites[Int(generator.next(upperBound: UInt64(sites.count)))]
                        let card = 100_000 + Int(generator.next(upperBound: UInt64(20))) + 1  // 1–10 enrolled, 11–20 unknown
                        let reader = Int(generator.next(upperBound: UInt64(doorCount * 2))) + 1
                        _ = await site.present(.card(CardNumber(UInt64(card))), at: ReaderID(reader))
                        await swipes.add(1)
                        next = next.addingTimeInterval(interval)
                        let wait = next.timeIntervalSinceNow
                        if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        return Summary(devices: count, swipes: await swipes.value, rounds: await rounds.value, failedRounds: await failures.value)
    }
}

actor SimulationCounter {
    private(set) var value = 0
    func add(_ amount: Int) { value += amount }
}
