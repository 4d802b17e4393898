import Foundation
import Logging

/// What a VM's host functions reach outside Lua. The composition root fills
/// it with the production seams; tests and `gatehouse test` use the in-memory ones.
public struct ScriptServices: Sendable {
    public var logger: Logger
    /// Time for timers, `sleep`, kv TTLs, rate limits and the decision deadline.
    public var clock: any ScriptClock
    /// Host-owned storage behind `kv.*`; survives reloads (and restarts when SQLite-backed).
    public var keyValueStore: any ScriptKeyValueStore
    /// HTTP/FTP/TFTP/mail/snapshot; nil until the outbound module is wired: those calls return `nil, "not configured"`.
    public var outbound: (any ScriptOutbound)?
    /// Relay/door/alarm/journal commands; nil: those calls return `nil, "not configured"`.
    public var actions: (any ScriptActions)?
    /// The site's time zone, for `cron` expressions, `schedule.active` and `os`-less local time.
    public var timeZone: TimeZone
    /// The site's users behind `users.find`; nil: it returns `nil, "not configured"`.
    public var userDirectory: (any ScriptUserDirectory)?
    /// The world behind `sim.*` under `gatehouse test` and `gatehouse replay`: the real door engine. nil in the
    /// live host.
    public var simulator: (any ScriptSimulator)?

    public init(
        logger: Logger, clock: any ScriptClock = SystemScriptClock(),
        keyValueStore: any ScriptKeyValueStore = InMemoryKeyValueStore(), outbound: (any ScriptOutbound)? = nil,
        actions: (any ScriptActions)? = nil, timeZone: TimeZone = .current,
        userDirectory: (any ScriptUserDirectory)? = nil, simulator: (any ScriptSimulator)? = nil
    ) {
        self.simulator = simulator
        self.logger = logger
        self.clock = clock
        self.keyValueStore = keyValueStore
        self.outbound = outbound
        self.actions = actions
        self.timeZone = timeZone
        self.userDirectory = userDirectory
    }
}

// MARK: - Clock

/// Wall time for scripts. Injected so tests and `gatehouse test` drive time by hand.
public protocol ScriptClock: Sendable {
    var now: Date { get }
    /// Returns at or after `deadline`; throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

public struct SystemScriptClock: ScriptClock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400 * 365) * 1e9)) }
    }
}

/// A clock that moves only when told to. Sleepers wake when `advance` passes their deadline.
public final class ManualScriptClock: ScriptClock, @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [(deadline: Date, id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    public init(now: Date = Date(timeIntervalSince1970: 1_767_225_600)) { current = now }  // 2026-01-01T00:00:00Z

    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func advance(by seconds: TimeInterval) { set(now.addingTimeInterval(seconds)) }

    public func set(_ date: Date) {
        lock.lock()
        current = max(current, date)
        let due = sleepers.filter { $0.deadline <= current }
        sleepers.removeAll { $0.deadline <= current }
        lock.unlock()
        for sleeper in due { sleeper.continuation.resume() }
    }

    public func sleep(until deadline: Date) async throws {
        let id = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if deadline <= current || Task.isCancelled {
                    let cancelled = Task.isCancelled
                    lock.unlock()
                    if cancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                    return
                }
                sleepers.append((deadline, id, continuation))
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            let cancelled = sleepers.filter { $0.id == id }
            sleepers.removeAll { $0.id == id }
            lock.unlock()
            for sleeper in cancelled { sleeper.continuation.resume(throwing: CancellationError()) }
        }
    }
}

// MARK: - Key/value storage

/// A value `kv.*` can store: scalars only, so the store needs no Lua knowledge.
public enum ScriptStoredValue: Sendable, Equatable, Codable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case boolean(Bool)
}

/// Host-owned storage for `kv.get/set/incr/del`. Called synchronously on the
/// script thread, so implementations must be quick (SQLite on local disk is).
public protocol ScriptKeyValueStore: Sendable {
    /// The value unless absent or expired at `now`.
    func value(for key: String, now: Date) throws -> ScriptStoredValue?
    /// Stores `value`; `expiresAt` nil keeps it until deleted.
    func set(_ value: ScriptStoredValue, for key: String, expiresAt: Date?) throws
    /// Adds `delta` to an integer (absent or expired counts as 0) and returns the result. `expiresAt` applies
    /// only when the key is created, so a counter with a TTL is a fixed window. Fails on a non-integer value.
    func increment(_ key: String, by delta: Int64, expiresAt: Date?, now: Date) throws -> Int64
    func removeValue(for key: String) throws
}

/// Why a kv operation failed (the script sees `nil, message`).
public enum ScriptKeyValueError: Error, Equatable, CustomStringConvertible, Sendable {
    case notAnInteger(String)
    case overflow(String)
    case storage(String)

    public var description: String {
        switch self {
        case .notAnInteger(let key): "value of '\(key)' is not an integer"
        case .overflow(let key): "counter '\(key)' would overflow"
        case .storage(let why): "storage error: \(why)"
        }
    }
}

/// A real in-memory store (tests, `gatehouse test`, and hosts without a database).
public final class InMemoryKeyValueStore: ScriptKeyValueStore, @unchecked Sendable {
    // @unchecked: `entries` is guarded by `lock`.
    private let lock = NSLock()
    private var entries: [String: (value: ScriptStoredValue, expiresAt: Date?)] = [:]

    public init() {}

    public func value(for key: String, now: Date) throws -> ScriptStoredValue? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[key] else { return nil }
        if let expiry = entry.expiresAt, expiry <= now {
            entries[key] = nil
            return nil
        }
        return entry.value
    }

    public func set(_ value: ScriptStoredValue, for key: String, expiresAt: Date?) throws {
        lock.lock()
        entries[key] = (value, expiresAt)
        lock.unlock()
    }

    public func increment(_ key: String, by delta: Int64, expiresAt: Date?, now: Date) throws -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        var current: Int64 = 0
        var expiry = expiresAt
        if let entry = entries[key], entry.expiresAt.map({ $0 > now }) ?? true {
            guard case .integer(let value) = entry.value else { throw ScriptKeyValueError.notAnInteger(key) }
            current = value
            expiry = entry.expiresAt
        }
        let (sum, overflow) = current.addingReportingOverflow(delta)
        if overflow { throw ScriptKeyValueError.overflow(key) }
        entries[key] = (.integer(sum), expiry)
        return sum
    }

    public func removeValue(for key: String) throws {
        lock.lock()
        entries[key] = nil
        lock.unlock()
    }
}

// MARK: - Outbound I/O

/// An I/O request a script makes; performed by the outbound module.
public enum ScriptOutboundRequest: Sendable, Equatable, Codable {
    case http(method: String, url: String, headers: [String: String], body: String?, timeout: Double, auth: ScriptAuth?)
    /// `durable`: hand it to the outbox (persisted, retried) instead of one attempt.
    case ftpPut(url: String, data: String, auth: ScriptAuth?, timeout: Double, durable: Bool)
    case tftpPut(url: String, data: String, timeout: Double, durable: Bool)
    /// `server`/`from` nil: the host's configured SMTP relay and sender. `attachments` are `snapshot()` refs.
    case mail(
        server: String?, from: String?, to: [String], subject: String, body: String, attachments: [String], startTLS: Bool,
        durable: Bool)
    /// A camera snapshot; the result table carries a `ref` usable as a mail attachment.
    case snapshot(camera: String?)
    /// Fires a configured web relay (always through the outbox).
    case webRelay(id: Int64)
    /// Publishes on the host's MQTT connection (`[mqtt]`).
    case mqttPublish(topic: String, payload: String, qos: Int, retain: Bool)
}

public struct ScriptAuth: Sendable, Equatable, Codable {
    public var kind: String  // "basic" or "digest"
    public var user: String
    public var password: String
    public init(kind: String, user: String, password: String) {
        self.kind = kind
        self.user = user
        self.password = password
    }
}

/// What an outbound request produced: a result table for Lua, or an error message (`nil, err`).
public enum ScriptOutboundResult: Sendable, Equatable {
    /// Fields of the result table (`status`, `body`, `headers` for HTTP; `ref` for a snapshot …).
    case success([String: LuaValue])
    case failure(String)
}

public protocol ScriptOutbound: Sendable {
    func perform(_ request: ScriptOutboundRequest) async -> ScriptOutboundResult
}

// MARK: - Door actions

/// A fire-and-forget command from a script to the door engine or the journal.
public enum ScriptAction: Sendable, Equatable, Codable {
    case openRelay(id: Int64, seconds: Double?)
    case setRelay(id: Int64, active: Bool)
    case openDoor(id: Int64, seconds: Double?)
    case lockDoor(id: Int64)
    case raiseAlarm(name: String, detail: String?)
    case clearAlarm(name: String)
    /// A site-defined journal event (`journal.emit`).
    case journal(event: String, fields: [String: String])
}

/// The composition root adapts this to the door engine and the journal.
public protocol ScriptActions: Sendable {
    /// Performs the action; a thrown error is logged with the script position (the script already moved on).
    func perform(_ action: ScriptAction) async throws
}

/// An operation a yielding host call waits for.
enum PendingOperation: Sendable, Equatable {
    case sleep(Duration)
    case outbound(ScriptOutboundRequest)
    /// `users.find`: the user directory is an actor away.
    case findUser(ScriptUserQuery)
    /// `gatehouse test` only: a `sim.*` call the simulated world answers (`event`, `advance`, `users`,
    /// `configure`, `state`), resumed with its result once the engine and the handlers have settled.
    case simulate(String, [LuaValue])
}

// MARK: - Simulation

/// The world `gatehouse test` and `gatehouse replay` run a site in: the real door engine behind the `sim.*` calls
/// that yield (`sim.event`, `sim.advance`, `sim.users`, `sim.configure`, `sim.state`). An answer is the values the
/// Lua call returns: `result` or `nil, err` (the test sees `err` raised at its line).
public protocol ScriptSimulator: Sendable {
    func perform(_ call: String, _ arguments: [LuaValue]) async -> [LuaValue]
}
