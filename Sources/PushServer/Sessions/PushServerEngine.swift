import Archives
import Foundation
import Logging
import PushCrypto
import PushProtocol
import Synchronization

/// One HTTP request as the adapter hands it over.
public struct PushHTTPRequest: Sendable {
    public var method: String
    /// Path and query as sent (`/iclock/cdata?SN=…&table=rtlog`).
    public var target: String
    public var cookie: String?
    public var body: [UInt8]
    public var remoteAddress: String?

    public init(method: String, target: String, cookie: String? = nil, body: [UInt8] = [], remoteAddress: String? = nil) {
        self.method = method
        self.target = target
        self.cookie = cookie
        self.body = body
        self.remoteAddress = remoteAddress
    }
}

/// The reply the adapter writes.
public struct PushHTTPResponse: Sendable, Hashable {
    public var status: Int
    public var body: [UInt8]
    /// `text/plain;charset=UTF-8`, or `application/octet-stream` for an encrypted envelope.
    public var contentType: String

    public init(status: Int, body: [UInt8], contentType: String = "text/plain;charset=UTF-8") {
        self.status = status
        self.body = body
        self.contentType = contentType
    }

    public init(_ reply: ServerReply) { self.init(status: 200, body: reply.body) }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// The ADMS role: performs the `SessionStep` of each request against the store and renders the reply with the codec.
///
/// Thread-safe without an actor: all mutable state is in SQLite behind GRDB's pool, so requests from many devices
/// proceed in parallel (reads concurrent, writes serialised by SQLite).
public final class PushServer: Sendable {
    public let store: PushServerStore
    public let configuration: PushServerConfiguration
    let identifier: (any RemoteIdentifier)?
    let sink: (any DeviceEventSink)?
    let now: @Sendable () -> Date
    let logger: Logger
    /// The server's RSA key pair for the encryption exchange (one per process, made on first use).
    let keys = ServerKeyPair()
    /// Groups concurrent ingestion and delivery writes into shared transactions.
    let committer: GroupCommitter
    /// When a device refused for `push.max_pending_devices` was last logged: a flood is one line a minute.
    let pendingLimitLogged = Mutex<Date?>(nil)

    /// A device waiting for approval polls every few seconds; its row (last seen, address, options) is refreshed
    /// at most this often, so waiting devices do not make the server write on every poll.
    static let pendingRefreshInterval: TimeInterval = 60

    public init(
        store: PushServerStore, configuration: PushServerConfiguration, identifier: (any RemoteIdentifier)? = nil,
        sink: (any DeviceEventSink)? = nil, logger: Logger = Logger(label: "gatehouse.push.server"),
        now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.committer = GroupCommitter(writer: store.writer, deferredSync: store.deferredSync)
        self.configuration = configuration
        self.identifier = identifier
        self.sink = sink
        self.logger = logger
        self.now = now
    }

    /// The default MaxPackageSize when a device did not announce one (the reference example's value).
    static let defaultPackageSize = 2_048_000

    public func handle(_ http: PushHTTPRequest) async -> PushHTTPResponse {
        let pathPart = String(http.target.prefix(while: { $0 != "?" }))
        guard let endpoint = PushEndpoint(path: pathPart.trimmingCharacters(in: .whitespaces)) else {
            return PushHTTPResponse(status: 404, body: Array("not a PUSH endpoint".utf8))
        }
        // The serial number comes from the query alone, so the device (and its session key) is known before the
        // body is read: an encrypted body is opened before it is parsed.
        let queryPart = http.target.firstIndex(of: "?").map { http.target[http.target.index(after: $0)...] } ?? ""
        let query: PushQuery
        do {
            query = try PushQuery.parse(queryPart)
        } catch {
            logger.warning("unparsable PUSH request", metadata: ["target": "\(http.target.prefix(200))", "error": "\(error)"])
            return PushHTTPResponse(status: 400, body: Array("\(error)".utf8))
        }
        guard let serialNumber = query.serialNumber?.trimmingCharacters(in: .whitespaces), !serialNumber.isEmpty else {
            return PushHTTPResponse(status: 400, body: Array("SN is missing from the query".utf8))
        }
        let context: PushDeviceContext?
        do {
            context = try await store.deviceContext(serialNumber)
        } catch {
            logger.error("PUSH registry read failed", metadata: ["sn": "\(serialNumber)", "error": "\(error)"])
            return PushHTTPResponse(status: 503, body: Array("server error".utf8))
        }
        // Encryption applies to everything after the exchange, except the exchange itself.
        let sessionKey = endpoint == .exchange ? nil : context?.sessionKey.flatMap { try? PushSessionKey(bytes: $0) }
        var body = http.body
        if sessionKey == nil, endpoint != .exchange, PushSessionKey.isEnvelope(body) {
            // Encrypted for a connection this server no longer has: end the session so the device reconnects.
            return PushHTTPResponse(status: 401, body: Array("no encryption was negotiated on this connection; reconnect".utf8))
        }
        if let sessionKey, !body.isEmpty {
            guard PushSessionKey.isEnvelope(body) else {
                return PushHTTPResponse(
                    status: 400, body: Array("encryption was negotiated on this connection: a plain body is refused".utf8))
            }
            do {
                body = try sessionKey.open(body, direction: .deviceToServer, serialNumber: serialNumber, endpoint: endpoint.path)
            } catch {
                logger.warning("encrypted PUSH body refused", metadata: ["sn": "\(serialNumber)", "error": "\(error)"])
                return PushHTTPResponse(status: 400, body: Array("\(error)".utf8))
            }
        }
        let request: PushRequest
        do {
            request = try PushRequest.parse(method: http.method, target: http.target, body: body)
        } catch {
            // The device keeps its data (no 200) and the log says what was wrong.
            logger.warning("unparsable PUSH request", metadata: ["target": "\(http.target.prefix(200))", "error": "\(error)"])
            return PushHTTPResponse(status: 400, body: Array("\(error)".utf8))
        }
        let reply: PushHTTPResponse
        do {
            reply = try await perform(request, serialNumber: serialNumber, http: http, device: context?.record)
        } catch {
            logger.error("PUSH request failed", metadata: ["sn": "\(serialNumber)", "error": "\(error)"])
            // Not acknowledged: the device will resend.
            return PushHTTPResponse(status: 503, body: Array("server error".utf8))
        }
        // A handshake starts a new connection in plain text; errors stay readable.
        guard let sessionKey, reply.status == 200, request.message != .initialization else { return reply }
        do {
            let sealed = try sessionKey.seal(
                reply.body, direction: .serverToDevice, serialNumber: serialNumber, endpoint: endpoint.path)
            return PushHTTPResponse(status: 200, body: sealed, contentType: "application/octet-stream")
        } catch {
            logger.error("PUSH reply encryption failed", metadata: ["sn": "\(serialNumber)", "error": "\(error)"])
            return PushHTTPResponse(status: 503, body: Array("server error".utf8))
        }
    }

    /// Keeps a device that is not approved listed as pending: written when new, or when its row is older than
    /// ``pendingRefreshInterval`` or its address changed; a new one only while fewer than
    /// `push.max_pending_devices` wait.
    func notePending(_ serialNumber: String, known: PushDeviceRecord?, address: String?, now: Date) async throws {
        if let known, Self.isFresh(known, address: address, now: now) { return }
        do {
            try await store.notePending(
                serialNumber, address: address, now: now, pendingLimit: configuration.maximumPendingDevices)
        } catch PushServerStoreError.pendingLimitReached(let limit) {
            notePendingLimit(serialNumber, limit: limit, address: address, now: now)
        }
    }

    static func isFresh(_ device: PushDeviceRecord, address: String?, now: Date) -> Bool {
        (address == nil || address == device.ipAddress) && now.timeIntervalSince(device.lastSeen) < pendingRefreshInterval
    }

    /// Logs, at most once a minute, that an unknown device was not listed because too many wait for approval.
    func notePendingLimit(_ serialNumber: String, limit: Int, address: String?, now: Date) {
        let due = pendingLimitLogged.withLock { last -> Bool in
            guard last.map({ now.timeIntervalSince($0) >= 60 }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        logger.warning(
            "unknown device not listed: too many devices wait for approval",
            metadata: [
                "sn": "\(serialNumber.prefix(64))", "ip": "\(address ?? "-")", "limit": "\(limit)",
                "setting": "push.max_pending_devices",
            ])
    }

    func perform(
        _ request: PushRequest, serialNumber: String, http: PushHTTPRequest, device: PushDeviceRecord?
    ) async throws -> PushHTTPResponse {
        let now = now()
        let step = PushServerSession.step(for: request, device: device, cookie: http.cookie)
        switch step {
        case .handshake:
            // Unregistered or still pending: `OK` sends the device to /iclock/registry (§4.1), and it stays listed.
            guard let device, device.status == .approved else {
                try await notePending(serialNumber, known: device, address: http.remoteAddress, now: now)
                return PushHTTPResponse(.ok("OK"))
            }
            guard let started = try await store.beginSession(serialNumber, address: http.remoteAddress, now: now),
                started.status == .approved
            else {
                // Deleted or no longer approved since its row was read.
                try await notePending(serialNumber, known: nil, address: http.remoteAddress, now: now)
                return PushHTTPResponse(.ok("OK"))
            }
            return PushHTTPResponse(.registration(serverConfiguration(for: started, registered: true)))

        case .register(let options):
            let autoApprove = configuration.registration.admitsAutomatically(
                serialNumber: serialNumber, address: http.remoteAddress)
            if !autoApprove, let device, device.status != .approved, device.registryOptions == options.text,
                Self.isFresh(device, address: http.remoteAddress, now: now)
            {
                // The same registration again from a device that waits: nothing to write.
                return PushHTTPResponse(.registrationRefused)
            }
            let registered: PushDeviceRecord
            do {
                registered = try await store.register(
                    serialNumber, options: options, address: http.remoteAddress, autoApprove: autoApprove, now: now,
                    pendingLimit: configuration.maximumPendingDevices)
            } catch PushServerStoreError.pendingLimitReached(let limit) {
                notePendingLimit(serialNumber, limit: limit, address: http.remoteAddress, now: now)
                return PushHTTPResponse(.registrationRefused)
            }
            guard registered.status == .approved, let code = registered.registryCode else {
                logger.notice(
                    "device waits for approval", metadata: ["sn": "\(serialNumber)", "ip": "\(http.remoteAddress ?? "-")"])
                return PushHTTPResponse(.registrationRefused)
            }
            try await synchronizeClock(serialNumber, options: options, now: now)
            return PushHTTPResponse(.registryCode(code))

        case .configuration:
            guard var current = device else { return unauthorized }
            if current.sessionID == nil,
                let started = try await store.beginSession(
                    serialNumber, address: http.remoteAddress, now: now, resetEncryption: false)
            {
                current = started
            } else {
                try await store.touch(serialNumber, address: http.remoteAddress, now: now)
            }
            return PushHTTPResponse(.configuration(serverConfiguration(for: current, registered: false)))

        case .refuse:
            return unauthorized

        case .exchangePublicKey(let text):
            return try await exchangePublicKey(text, serialNumber: serialNumber)

        case .exchangeFactors(let text):
            return try await exchangeFactors(text, serialNumber: serialNumber, now: now)

        case .poll:
            notePresence(serialNumber, address: http.remoteAddress, now: now)
            // Most polls find nothing: a read answers them without the writer.
            let timeout = configuration.redeliveryTimeout
            guard try await store.hasDeliverable(serialNumber, redeliveryTimeout: timeout, now: now) else {
                return PushHTTPResponse(.ok("OK"))
            }
            let budget = device?.maxPackageSize.map { max(1024, $0) } ?? Self.defaultPackageSize
            let maximumCount = configuration.maximumCommandsPerReply
            let commands = try await committer.write { db in
                try PushServerStore.deliver(
                    db, serialNumber, byteBudget: budget, maximumCount: maximumCount, redeliveryTimeout: timeout, now: now)
            }
            return PushHTTPResponse(commands.isEmpty ? .ok("OK") : .commands(commands))

        case .ping:
            notePresence(serialNumber, address: http.remoteAddress, now: now)
            return PushHTTPResponse(.ok("OK"))

        case .time:
            notePresence(serialNumber, address: http.remoteAddress, now: now)
            guard let seconds = localDateTime(now).encodedSeconds else {
                return PushHTTPResponse(status: 500, body: Array("server clock outside the protocol's range".utf8))
            }
            return PushHTTPResponse(.time(dateTime: seconds, serverTimeZone: configuration.serverTimeZoneText(at: now)))

        case .results(let results):
            let recorded = try await committer.write { db in
                try PushServerStore.recordResults(db, serialNumber, results: results, now: now)
            }
            if recorded < results.count {
                logger.debug("command results for unknown or finished commands", metadata: ["sn": "\(serialNumber)"])
            }
            return PushHTTPResponse(.ok("OK"))

        case .identify(let events):
            try await store.storeUpload(
                serialNumber, kind: "authtype-device", query: request.query.text, commandID: nil,
                body: request.body, now: now)
            guard let event = events.first else {
                return PushHTTPResponse(status: 400, body: Array("remote identification without an event record".utf8))
            }
            let outcome =
                await identifier?.identify(serialNumber: serialNumber, event: event)
                ?? RemoteIdentificationOutcome(result: .failed, tips: "No identification service")
            var reply = RemoteIdentificationReply(result: outcome.result.rawValue, event: event, tips: outcome.tips)
            if outcome.result == .success, let door = outcome.door ?? event.eventAddress {
                reply.control = ControlDeviceCommand(
                    action: .output(
                        door: door, target: ControlAction.lockTarget, duration: .seconds(outcome.openSeconds)))
            }
            return PushHTTPResponse(.remoteIdentification(reply))

        case .fileNotHosted:
            return PushHTTPResponse(status: 404, body: Array("no firmware file is hosted here".utf8))

        case .ingest(let message):
            return try await ingest(message, request: request, serialNumber: serialNumber, now: now)
        }
    }

    var unauthorized: PushHTTPResponse { PushHTTPResponse(status: 401, body: Array("Unauthorized".utf8)) }

    func ingest(_ message: PushRequestMessage, request: PushRequest, serialNumber: String, now: Date) async throws
        -> PushHTTPResponse
    {
        let commandID = request.query["cmdid"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        switch message {
        case .realtimeLog(let rows):
            return try await ingestRealtime(rows, serialNumber: serialNumber, now: now)
        case .realtimeState(let states):
            return try await ingestRealtime(states.map { RealtimeRow.state($0) }, serialNumber: serialNumber, now: now)
        case .tableData(let table, let records):
            let name = table.text
            _ = try await committer.write { db in
                try PushServerStore.storeTableRows(db, serialNumber, table: name, records: records, commandID: nil, now: now)
            }
            return PushHTTPResponse(.received(table: table.text, count: records.count))
        case .queryRows(let records):
            let table = request.query["tablename"] ?? "unknown"
            _ = try await committer.write { db in
                try PushServerStore.storeTableRows(
                    db, serialNumber, table: table, records: records, commandID: commandID, now: now)
            }
            notePresence(serialNumber, address: nil, now: now)
            return PushHTTPResponse(.received(table: table, count: records.count))
        case .tableRows(let table, let records):
            _ = try await committer.write { db in
                try PushServerStore.storeTableRows(db, serialNumber, table: table, records: records, commandID: nil, now: now)
            }
            return PushHTTPResponse(.ok("OK"))
        case .deviceOptions(let options):
            try await store.storeUpload(
                serialNumber, kind: Self.kind(of: message), query: request.query.text,
                commandID: commandID, body: request.body, now: now)
            try await synchronizeClock(serialNumber, options: options, now: now)
            return PushHTTPResponse(.ok("OK"))
        case .packedData(let packed):
            // Kept raw first (nothing acknowledged is lost), then unpacked into rows (§9.2.1: `transaction=N`).
            try await store.storeUpload(
                serialNumber, kind: Self.kind(of: message), query: request.query.text,
                commandID: commandID, body: request.body, now: now)
            let table = request.query["tablename"] ?? "transaction"
            guard let archive = packed.archive else {
                return PushHTTPResponse(status: 400, body: Array("datafmt=3 data is not base64".utf8))
            }
            let records: [PushRecord]
            do { records = try Self.archiveRecords(archive) } catch {
                return PushHTTPResponse(status: 400, body: Array("\(error)".utf8))
            }
            try await store.storeTableRows(serialNumber, table: table, records: records, commandID: commandID, now: now)
            return PushHTTPResponse(.received(table: table, count: records.count))
        case .fileUpload(let bytes) where (request.query["contenttype"] ?? "").lowercased() == "tgz":
            // ACCOUNT on controllers (§9.2.2): each `file` part is a transaction.tgz.
            try await store.storeUpload(
                serialNumber, kind: Self.kind(of: message), query: request.query.text,
                commandID: commandID, body: request.body, now: now)
            let records: [PushRecord]
            do { records = try Self.archiveRecords(bytes) } catch {
                return PushHTTPResponse(status: 400, body: Array("\(error)".utf8))
            }
            try await store.storeTableRows(
                serialNumber, table: request.query["table"] ?? "transaction", records: records,
                commandID: commandID, now: now)
            return PushHTTPResponse(.ok("OK"))
        default:
            try await store.storeUpload(
                serialNumber, kind: Self.kind(of: message), query: request.query.text,
                commandID: commandID, body: request.body, now: now)
            return PushHTTPResponse(.ok("OK"))
        }
    }

    /// Presence is buffered (see `PresenceBuffer`); a due batch is written in the background.
    func notePresence(_ serialNumber: String, address: String?, now: Date) {
        guard let batch = store.presence.note(serialNumber, address: address, now: now) else { return }
        let committer = committer
        let presence = store.presence
        let logger = logger
        Task {
            do {
                try await committer.write { db in try PresenceBuffer.write(db, batch) }
                presence.written(batch)
            } catch {
                logger.warning("device presence not written", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Stores realtime rows, hands them to the sink, and answers once they are on disk. The sink journals them (and
    /// waits for its own sync) while the rows' sync runs, so the two usually share one.
    func ingestRealtime(_ rows: [RealtimeRow], serialNumber: String, now: Date) async throws -> PushHTTPResponse {
        let (stored, ticket) = try await committer.writeCommitted { db in
            try PushServerStore.storeRealtime(db, serialNumber, rows: rows, now: now)
        }
        await publish(stored)
        try await committer.durable(ticket)
        return PushHTTPResponse(.ok("OK"))
    }

    func publish(_ events: [DeviceEvent]) async {
        guard !events.isEmpty, let sink else { return }
        await sink.deviceEventsStored(events)
    }

    static func kind(of message: PushRequestMessage) -> String {
        switch message {
        case .deviceOptions: "options"
        case .accountOverview: "account-overview"
        case .enrollmentData: "enrollment"
        case .queryCount: "query-count"
        case .queryOptions: "query-options"
        case .packedData: "packed-data"
        case .fileUpload: "file-part"
        default: "other"
        }
    }

    /// The handshake (§4.1, `registered`) or configuration (§4.5) block for a device.
    func serverConfiguration(for device: PushDeviceRecord, registered: Bool) -> ServerConfiguration {
        ServerConfiguration(
            registered: registered, registryCode: registered ? device.registryCode : nil,
            serverVersion: configuration.serverVersion, serverName: configuration.serverName,
            pushProtocolVersion: "3.1.2", errorDelay: configuration.errorDelay, requestDelay: configuration.requestDelay,
            transTimes: configuration.transTimes, transInterval: configuration.transInterval,
            transTables: configuration.transTables, realtime: configuration.realtime, sessionID: device.sessionID,
            timeoutSeconds: configuration.timeoutSeconds)
    }

    /// The server's wall-clock time in its configured zone, as the protocol's date-time value.
    func localDateTime(_ date: Date) -> PushDateTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return PushDateTime(
            year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
            minute: parts.minute ?? 0, second: parts.second ?? 0)
    }
}
