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
    public private(set) var session: PushDeviceSession
    var lastUpload: Date?
    var loggedDepartures: Set<String> = []
    /// Rows per rtlog POST.
    public var uploadBatchSize = 200

    public init(
        identity: DeviceIdentity, transport: any PushTransport, site: Site, cursor: PushDeviceCursorStore,
        executor: DeviceCommandExecutor? = nil, sleeper: any DeviceSleeper = TaskSleeper(),
        logger: Logger = Logger(label: "gatehouse.push.device"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.identity = identity
        self.transport = transport
        self.site = site
        self.cursor = cursor
        self.executor = executor ?? DeviceCommandExecutor(site: site, identity: identity)
        self.sleeper = sleeper
        self.logger = logger
        self.now = now
        self.session = PushDeviceSession(identity: identity, registryCode: try? cursor.registryCode())
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
                logger.info("registered with the PUSH server", metadata: ["sn": "\(identity.serialNumber)"])
                return
            case .retry(let delay, let reason):
                throw .notOnline(reason: reason, retryAfterSeconds: delay)
            }
        }
    }

    /// Uploads journal entries after the acknowledged cursor, in batches; the cursor moves only after the server's
    /// 200. Returns the number of rows the server acknowledged.
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
            let reply = try await send(JournalUpload.request(serialNumber: identity.serialNumber, entries: entries))
            guard reply.status == 200 else {
                if reply.status == 401 { session.sessionEnded() }
                throw .refused(endpoint: "/iclock/cdata?table=rtlog", status: reply.status)
            }
            do { try cursor.setAcknowledgedIndex(last.index) } catch { throw .journal("\(error)") }
            uploaded += entries.count
            lastUpload = now()
        }
        return uploaded
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
            let outcome = await executor.execute(command)
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
    /// minute (site-local time is not known here, so TransTimes are read in UTC).
    func uploadIsDue() -> Bool {
        let settings = session.settings
        if settings.realtime { return true }
        let current = now()
        guard let lastUpload else { return true }
        if current.timeIntervalSince(lastUpload) >= Double(settings.transInterval * 60) { return true }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.hour, .minute], from: current)
        let minuteText = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        return settings.transTimes.contains { $0.replacingOccurrences(of: " ", with: "") == minuteText }
            && current.timeIntervalSince(lastUpload) >= 60
    }

    /// One round: connect if needed, upload when due, poll and execute.
    public func runRound() async throws(PushDeviceError) -> DeviceRoundReport {
        if !isOnline { try await connect() }
        var report = DeviceRoundReport()
        if uploadIsDue() { report.uploadedEvents = try await uploadPending() }
        report.executedCommands = try await poll()
        return report
    }

    /// The live loop, until the task is cancelled: rounds every RequestDelay seconds; after a failure, ErrorDelay
    /// doubled per consecutive failure (capped at 10 minutes) with ±20 % jitter.
    public func run() async {
        var failures = 0
        while !Task.isCancelled {
            let delay: Double
            do {
                let report = try await runRound()
                failures = 0
                delay = report.executedCommands.isEmpty ? Double(session.settings.requestDelay) : 0
            } catch {
                failures += 1
                let base: Int
                if case .notOnline(_, let retry) = error { base = retry } else { base = session.settings.errorDelay }
                let backoff = min(600.0, Double(base) * pow(2.0, Double(min(failures - 1, 5))))
                delay = backoff * Double.random(in: 0.8...1.2)
                logger.warning("PUSH round failed", metadata: ["error": "\(error)", "retry_s": "\(Int(delay))"])
                if case .refused(_, 401) = error { session.sessionEnded() }
            }
            do { try await sleeper.sleep(seconds: delay) } catch { return }
        }
    }

    func send(_ request: PushRequest) async throws(PushDeviceError) -> PushTransportReply {
        var headers = [
            ("User-Agent", "iClock Proxy/1.09"), ("Accept", "application/push"), ("Accept-Charset", "UTF-8"),
        ]
        if request.method == .post { headers.append(("Content-Type", "application/push;charset=UTF-8")) }
        if let cookie = session.cookie { headers.append(("Cookie", cookie)) }
        do {
            return try await transport.send(method: request.method.rawValue, target: request.target, headers: headers, body: request.body)
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
