import AccessControl
import Foundation
import Logging
import PushProtocol

/// Waiting between polls and after failures. The live loop uses `TaskSleeper`; tests drive rounds directly.
public protocol DeviceSleeper: Sendable {
    func sleep(seconds: Double) async throws
}

public struct TaskSleeper: DeviceSleeper {
    public init() {}
    public func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}

public enum PushDeviceError: Error, Sendable, Hashable, CustomStringConvertible {
    case transport(PushTransportError)
    /// The handshake did not complete; retry after the delay.
    case notOnline(reason: String, retryAfterSeconds: Int)
    /// The server answered a data request with a non-200 status.
    case refused(endpoint: String, status: Int)
    /// The server's reply could not be read.
    case unreadableReply(endpoint: String, problem: String)
    /// The journal could not be read.
    case journal(String)

    public var description: String {
        switch self {
        case .transport(let error): "\(error)"
        case .notOnline(let reason, let delay): "not registered with the server (\(reason)); retrying in \(delay) s"
        case .refused(let endpoint, let status): "the server answered \(status) to \(endpoint)"
        case .unreadableReply(let endpoint, let problem): "unreadable reply to \(endpoint): \(problem)"
        case .journal(let problem): "cannot read the journal: \(problem)"
        }
    }
}

/// What one round did (for tests, the simulator and logs).
public struct DeviceRoundReport: Sendable, Hashable {
    public var uploadedEvents = 0
    public var executedCommands: [CommandResult] = []
}

/// Wakes the live loop early (a new journal entry in real-time mode) or after a timeout, whichever comes first.
public actor DeviceWakeup {
    private var waiter: CheckedContinuation<Void, Never>?
    private var pending = false
    private var generation = 0

    public init() {}

    /// A new entry is waiting to go up.
    public func signal() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Returns after `seconds`, at a signal, or at once if one arrived since the last wait.
    public func wait(seconds: Double, sleeper: any DeviceSleeper) async {
        if pending {
            pending = false
            return
        }
        generation += 1
        let mine = generation
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await sleeper.sleep(seconds: seconds) }
            group.addTask { await self.park(mine) }
            await group.next()
            group.cancelAll()
            self.release(mine)
        }
    }

    private func park(_ generation: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if pending || Task.isCancelled || generation != self.generation {
                    pending = false
                    continuation.resume()
                } else {
                    waiter = continuation
                }
            }
        } onCancel: {
            Task { await self.release(generation) }
        }
    }

    private func release(_ generation: Int) {
        guard generation == self.generation, let waiter else { return }
        self.waiter = nil
        waiter.resume()
    }
}

/// The device role's loop: connect (handshake → registry → configuration), upload the journal as rtlog from the
/// persisted cursor, poll getrequest, execute commands against the site, post devicecmd results.
public actor PushDeviceClient {
    public let identity: DeviceIdentity
    let transport: any PushTransport
    let site: Site
    let cursor: PushDeviceCursorStore
    let executor: DeviceCommandExecutor
    let sleeper: any DeviceSleeper
    let logger: Logger
    let now: @Sendable () -> Date
    /// Which doors and readers the server sees, and their upstream numbers.
    public let view: UpstreamView
    public internal(set) var session: PushDeviceSession
    var lastUpload: Date?
    var lastUserScan: Date?
    var lastStateRow: String?
    var loggedDepartures: Set<String> = []
    /// Rows per rtlog POST.
    public var uploadBatchSize = 200
    /// The site's zone: `TransTimes` are wall-clock times of the device.
    public var timeZone = TimeZone(identifier: "UTC") ?? .current
    /// The longest wait between attempts after failures (ErrorDelay doubles per consecutive failure up to this).
    public var maximumRetryDelay = 600.0

    public init(
        identity: DeviceIdentity, transport: any PushTransport, site: Site, cursor: PushDeviceCursorStore,
        executor: DeviceCommandExecutor? = nil, view: UpstreamView? = nil, sleeper: any DeviceSleeper = TaskSleeper(),
        logger: Logger = Logger(label: "gatehouse.push.device"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        let view = view ?? executor?.view ?? UpstreamView.identity(doors: identity.lockCount)
        self.identity = identity
        self.transport = transport
        self.site = site
        self.cursor = cursor
        self.view = view
        self.executor = executor ?? DeviceCommandExecutor(site: site, identity: identity, view: view)
        self.sleeper = sleeper
        self.logger = logger
        self.now = now
        self.session = PushDeviceSession(identity: identity, registryCode: try? cursor.registryCode())
    }

    public func configure(timeZone: TimeZone? = nil, maximumRetryDelay: Double? = nil, uploadBatchSize: Int? = nil) {
        if let timeZone { self.timeZone = timeZone }
        if let maximumRetryDelay { self.maximumRetryDelay = max(0.05, maximumRetryDelay) }
        if let uploadBatchSize { self.uploadBatchSize = max(1, uploadBatchSize) }
    }

    public var isOnline: Bool { session.phase == .online }

    /// Runs the handshake until online, or throws `.notOnline` with the server's delay.
    public func connect() async throws(PushDeviceError) {
        var steps = 0
        while let request = session.nextRequest() {
            steps += 1
            if steps > 8 { throw .notOnline(reason: "handshake did not converge", retryAfterSeconds: session.settings.errorDelay) }
            let reply = try await send(request)
            let transition = session.receive(status: reply.status, body: reply.body)
            logDepartures()
            switch transition {
            case .proceed: continue
            case .online:
                if let code = session.registryCode { try? cursor.setRegistryCode(code) }
                lastStateRow = nil  // a new session gets the door states again
                logger.info("registered with the PUSH server", metadata: ["sn": "\(identity.serialNumber)"])
                return
            case .retry(let delay, let reason):
                throw .notOnline(reason: reason, retryAfterSeconds: delay)
            }
        }
    }

    /// Uploads this controller's journal entries after the acknowledged cursor, in batches; the cursor moves only
    /// after the server's 200. Entries that are not this controller's to report (`UpstreamView.uploads`) are
    /// skipped, and the cursor moves past them too. Returns the number of rows the server acknowledged.
    @discardableResult
    public func uploadPending() async throws(PushDeviceError) -> Int {
        var uploaded = 0
        while true {
            let acknowledged: UInt64
            do { acknowledged = try cursor.acknowledgedIndex() } catch { throw .journal("\(error)") }
            let next = await site.nextJournalIndex
            guard next > acknowledged + 1 else { break }
            let entries: [JournalEntry]
            do {
                entries = try await site.journal(indices: (acknowledged + 1)...(next - 1), limit: uploadBatchSize)
            } catch {
                throw .journal("\(error)")
            }
            guard let last = entries.last else { break }
            let serial = identity.serialNumber
            let rows = entries.filter { view.uploads($0, serialNumber: serial) }.map(view.upstreamEntry)
            if !rows.isEmpty {
                let reply = try await send(JournalUpload.request(serialNumber: serial, entries: rows))
                guard reply.status == 200 else {
                    if reply.status == 401 { session.sessionEnded() }
                    throw .refused(endpoint: "/iclock/cdata?table=rtlog", status: reply.status)
                }
            }
            do { try cursor.setAcknowledgedIndex(last.index) } catch { throw .journal("\(error)") }
            uploaded += rows.count
        }
        // TransInterval counts from the last upload pass, whether or not it found anything to send.
        lastUpload = now()
        return uploaded
    }

    /// Sends the door states (§7.3 rtstate) when they differ from what the server last acknowledged.
    @discardableResult
    public func uploadDoorStates() async throws(PushDeviceError) -> Bool {
        let configuration = await site.currentConfiguration
        var snapshots: [(DoorSnapshot, DoorSensorType)] = []
        for door in view.doors {
            guard let snapshot = try? await site.status(of: door) else { continue }
            let type = configuration.doors.first { $0.id == door }?.sensorType ?? .none
            snapshots.append((snapshot, type))
        }
        let row = DoorStateUpload.fields(snapshots)
        let key = row.map(\.text).joined(separator: "\t")
        guard key != lastStateRow else { return false }
        let local = LocalClock.text(now(), in: timeZone)
        let request = DoorStateUpload.request(serialNumber: identity.serialNumber, time: local, fields: row)
        let reply = try await send(request)
        guard reply.status == 200 else {
            if reply.status == 401 { session.sessionEnded() }
            throw .refused(endpoint: "/iclock/cdata?table=rtstate", status: reply.status)
        }
        lastStateRow = key
        return true
    }

    /// One getrequest poll: executes what the server sent and posts the results.
    public func poll() async throws(PushDeviceError) -> [CommandResult] {
        let request = PushRequest(
            method: .get, endpoint: .getrequest, query: PushQuery(items: [PushField("SN", identity.serialNumber)]),
            message: .commandPoll)
        let reply = try await send(request)
        guard reply.status == 200 else {
            if reply.status == 401 { session.sessionEnded() }
            throw .refused(endpoint: "/iclock/getrequest", status: reply.status)
        }
        let commands: [ServerCommand]
        do {
            switch try ServerReply.parse(reply.body, endpoint: .getrequest) {
            case .commands(let list): commands = list
            default: commands = []
            }
        } catch {
            throw .unreadableReply(endpoint: "/iclock/getrequest", problem: "\(error)")
        }
        guard !commands.isEmpty else { return [] }
        var results: [CommandResult] = []
        for command in commands {
            let outcome = await executor.execute(command, transport: DeviceFileFetcher(client: self))
            await noteServerUserChanges(command)
            for upload in outcome.uploads {
                let answer = try await send(upload)
                if answer.status != 200 { throw .refused(endpoint: upload.endpoint.path, status: answer.status) }
            }
            results.append(outcome.result)
        }
        let post = PushRequest(
            method: .post, endpoint: .devicecmd, query: PushQuery(items: [PushField("SN", identity.serialNumber)]),
            message: .commandResults(results))
        let answer = try await send(post)
        guard answer.status == 200 else { throw .refused(endpoint: "/iclock/devicecmd", status: answer.status) }
        return results
    }

    /// Whether rows should go up now: always in real-time mode, else every TransInterval minutes or at a TransTimes
    /// minute (wall-clock time of the site's zone).
    func uploadIsDue() -> Bool {
        let settings = session.settings
        if settings.realtime { return true }
        let current = now()
        guard let lastUpload else { return true }
        if current.timeIntervalSince(lastUpload) >= Double(settings.transInterval * 60) { return true }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: current)
        let minuteText = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        return settings.transTimes.contains { $0.replacingOccurrences(of: " ", with: "") == minuteText }
            && current.timeIntervalSince(lastUpload) >= 60
    }

    /// One round: connect if needed, upload when due, poll and execute.
    public func runRound() async throws(PushDeviceError) -> DeviceRoundReport {
        if !isOnline { try await connect() }
        var report = DeviceRoundReport()
        if uploadIsDue() {
            report.uploadedEvents = try await uploadPending()
            try await uploadDoorStates()
            if userScanIsDue() { try await uploadChangedUsers() }
        }
        report.executedCommands = try await poll()
        return report
    }

    /// The live loop, until the task is cancelled. Polls every RequestDelay seconds (at once again after a poll that
    /// brought commands); in real-time mode a `wakeup` signal (a new journal entry) uploads without waiting for the
    /// poll. After a failure it waits ErrorDelay doubled per consecutive failure, capped at `maximumRetryDelay`,
    /// with ±20 % jitter so a fleet does not return in step.
    public func run(wakeup: DeviceWakeup? = nil) async {
        var failures = 0
        var nextPoll = now()
        while !Task.isCancelled {
            var delay: Double
            do {
                if !isOnline {
                    try await connect()
                    nextPoll = now()
                }
                if uploadIsDue() {
                    _ = try await uploadPending()
                    try await uploadDoorStates()
                    if userScanIsDue() { try await uploadChangedUsers() }
                }
                if now() >= nextPoll {
                    let results = try await poll()
                    nextPoll = now().addingTimeInterval(results.isEmpty ? Double(session.settings.requestDelay) : 0)
                }
                failures = 0
                delay = max(0, nextPoll.timeIntervalSince(now()))
                if !session.settings.realtime { delay = min(delay, 60) }  // re-check TransInterval/TransTimes
            } catch {
                failures += 1
                let base: Int
                if case .notOnline(_, let retry) = error { base = retry } else { base = session.settings.errorDelay }
                let backoff = min(maximumRetryDelay, Double(max(1, base)) * pow(2.0, Double(min(failures - 1, 10))))
                delay = backoff * Double.random(in: 0.8...1.2)
                logger.warning("PUSH round failed", metadata: ["error": "\(error)", "retry_s": "\(String(format: "%.1f", delay))"])
                if case .refused(_, 401) = error { session.sessionEnded() }
                if case .transport = error { session.sessionEnded() }
                nextPoll = now()
            }
            if Task.isCancelled { return }
            if let wakeup, failures == 0, session.settings.realtime {
                await wakeup.wait(seconds: delay, sleeper: sleeper)
            } else {
                do { try await sleeper.sleep(seconds: delay) } catch { return }
            }
        }
    }

    func send(_ request: PushRequest) async throws(PushDeviceError) -> PushTransportReply {
        try await send(method: request.method.rawValue, target: request.target, body: request.body, post: request.method == .post)
    }

    func send(method: String, target: String, body: [UInt8], post: Bool) async throws(PushDeviceError) -> PushTransportReply {
        var headers = [
            ("User-Agent", "iClock Proxy/1.09"), ("Accept", "application/push"), ("Accept-Charset", "UTF-8"),
        ]
        if post { headers.append(("Content-Type", "application/push;charset=UTF-8")) }
        if let cookie = session.cookie { headers.append(("Cookie", cookie)) }
        do {
            return try await transport.send(
                method: method, target: target, headers: headers, body: body,
                timeout: Double(max(1, session.settings.timeoutSeconds)))
        } catch {
            throw .transport(error)
        }
    }

    func logDepartures() {
        for departure in session.departures where !loggedDepartures.contains(departure) {
            loggedDepartures.insert(departure)
            logger.notice("upstream server departs from the reference", metadata: ["detail": "\(departure)"])
        }
    }
}

/// Downloads for commands (UPGRADE), through the client's transport and session cookie.
struct DeviceFileFetcher: CommandFileFetcher {
    let client: PushDeviceClient

    func get(target: String) async throws(PushDeviceError) -> PushTransportReply {
        try await client.send(method: "GET", target: target, body: [], post: false)
    }
}

/// Site-local wall-clock text, `YYYY-MM-DD HH:MM:SS`.
enum LocalClock {
    static func text(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", p.year ?? 2000, p.month ?? 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0)
    }
}
