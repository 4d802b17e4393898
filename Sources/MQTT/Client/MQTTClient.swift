import CMosquitto
import Foundation
import Synchronization

/// One MQTT message, to send or as received.
public struct MQTTMessage: Sendable, Equatable, Codable {
    public var topic: String
    public var payload: Data
    public var qos: Int
    public var retain: Bool

    public init(topic: String, payload: Data, qos: Int = 1, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }

    public init(topic: String, text: String, qos: Int = 1, retain: Bool = false) {
        self.init(topic: topic, payload: Data(text.utf8), qos: qos, retain: retain)
    }

    public var text: String { String(decoding: payload, as: UTF8.self) }
}

/// A message the broker delivered to us.
public struct MQTTIncoming: Sendable, Equatable {
    public var topic: String
    public var payload: Data
    public var qos: Int
    /// Set when the broker sent a retained message (at subscribe time): never a fresh command.
    public var retain: Bool
    /// The broker's packet id for QoS 1/2 (repeated when it redelivers the same message).
    public var packetID: Int32
}

/// Where and how to connect (`[mqtt]` in the configuration).
public struct MQTTEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var tls: Bool
    /// PEM file of the CA that signed the broker's certificate; nil: the system's trust store.
    public var caFile: String?
    public var clientID: String
    public var username: String?
    public var password: String?
    public var keepAliveSeconds: Int
    /// Published by the broker when the connection is lost without a clean disconnect (the host crashed).
    public var will: MQTTMessage?
    /// Reconnect backoff: the n-th retry waits up to `min × 2^n`, capped at `max`, with jitter.
    public var reconnectMinimumSeconds: Double
    public var reconnectMaximumSeconds: Double

    public init(
        host: String, port: Int, tls: Bool = false, caFile: String? = nil, clientID: String, username: String? = nil,
        password: String? = nil, keepAliveSeconds: Int = 30, will: MQTTMessage? = nil, reconnectMinimumSeconds: Double = 0.5,
        reconnectMaximumSeconds: Double = 15
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.caFile = caFile
        self.clientID = clientID
        self.username = username
        self.password = password
        self.keepAliveSeconds = keepAliveSeconds
        self.will = will
        self.reconnectMinimumSeconds = reconnectMinimumSeconds
        self.reconnectMaximumSeconds = reconnectMaximumSeconds
    }
}

public enum MQTTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection to the broker right now.
    case notConnected
    /// The broker did not acknowledge within the time given.
    case timedOut
    case invalidTopic(String)
    /// libmosquitto refused the call; its own words.
    case library(String)

    public var description: String {
        switch self {
        case .notConnected: "not connected to the MQTT broker"
        case .timedOut: "the MQTT broker did not acknowledge in time"
        case .invalidTopic(let topic): "invalid MQTT topic '\(topic)'"
        case .library(let reason): "MQTT: \(reason)"
        }
    }
}

/// What happens on the connection, in order, for one follower.
public enum MQTTClientEvent: Sendable {
    /// The broker accepted the connection (CONNACK 0): subscribe and publish state now.
    case connected
    /// The connection was refused or lost. `unacknowledged`: QoS 1 messages published directly that the broker had
    /// not acknowledged, oldest first; libmosquitto may resend them too, so delivery is at least once.
    case disconnected(reason: String, unacknowledged: [MQTTMessage])
    case message(MQTTIncoming)
}

/// An MQTT client on libmosquitto, with its own network thread.
///
/// The thread runs `mosquitto_loop` and reconnects with exponential backoff and jitter (libmosquitto's own
/// reconnect has no jitter, and a fleet of hosts restarting with a broker should not reconnect in lockstep). Clean
/// sessions only: a command published while the host was away is never delivered late.
///
/// `@unchecked Sendable`: the libmosquitto handle is used from the network thread and from callers' threads, which
/// libmosquitto supports once `mosquitto_threaded_set` is on (it guards each handle's queues with its own
/// mutexes); everything of ours that both sides touch is in `state`, a `Mutex`, never held across a libmosquitto
/// call (its callbacks, which run inside those calls on the network thread, take it too).
public final class MQTTClient: @unchecked Sendable {
    public let endpoint: MQTTEndpoint
    /// The connection's events; one follower.
    public let events: AsyncStream<MQTTClientEvent>

    private let handle: OpaquePointer
    private let continuation: AsyncStream<MQTTClientEvent>.Continuation
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    struct State {
        var connected = false
        var stopping = false
        var started = false
        var lastReason: String?
        var nextOrder: UInt64 = 0
        /// Direct QoS ≥ 1 publishes the broker has not acknowledged yet, by packet id.
        var inFlight: [Int32: (order: UInt64, message: MQTTMessage)] = [:]
        /// Publishers waiting for the broker's acknowledgement.
        var waiters: [Int32: CheckedContinuation<Void, any Error>] = [:]
        /// Acknowledgements that arrived before the publisher recorded the id (the network thread can be that quick).
        var earlyAcks: [Int32: UInt64] = [:]
        var reconnectAttempt = 0
        var connectedCount = 0
    }

    private static let libraryReady: Bool = {
        mosquitto_lib_init()
        return true
    }()

    public init(endpoint: MQTTEndpoint) throws(MQTTError) {
        _ = Self.libraryReady
        self.endpoint = endpoint
        (events, continuation) = AsyncStream<MQTTClientEvent>.makeStream()
        guard let handle = mosquitto_new(endpoint.clientID, true, nil) else {
            throw .library("cannot create a client (\(String(cString: strerror(errno))))")
        }
        self.handle = handle
        mosquitto_threaded_set(handle, true)
        _ = mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, Int32(MQTT_PROTOCOL_V311))
        do {
            try configure()
        } catch {
            mosquitto_destroy(handle)
            throw error
        }
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_callback_set(handle) { _, context, code in
            guard let context else { return }
            Unmanaged<MQTTClient>.fromOpaque(context).takeUnretainedValue().didConnect(code)
        }
        mosquitto_disconnect_callback_set(handle) { _, context, code in
            guard let context else { return }
            Unmanaged<MQTTClient>.fromOpaque(context).takeUnretainedValue().didDisconnect(code)
        }
        mosquitto_publish_callback_set(handle) { _, context, packetID in
            guard let context else { return }
            Unmanaged<MQTTClient>.fromOpaque(context).takeUnretainedValue().didAcknowledge(packetID)
        }
        mosquitto_message_callback_set(handle) { _, context, message in
            guard let context, let message else { return }
            Unmanaged<MQTTClient>.fromOpaque(context).takeUnretainedValue().didReceive(message.pointee)
        }
    }

    deinit {
        mosquitto_destroy(handle)
    }

    private func configure() throws(MQTTError) {
        if let username = endpoint.username {
            try check(mosquitto_username_pw_set(handle, username, endpoint.password), "username/password")
        }
        if endpoint.tls {
            try check(mosquitto_tls_set(handle, endpoint.caFile, endpoint.caFile == nil ? "/etc/ssl/certs" : nil, nil, nil, nil), "tls_ca")
        }
        if let will = endpoint.will {
            let code = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set(handle, will.topic, Int32(bytes.count), bytes.baseAddress, Int32(will.qos), will.retain)
            }
            try check(code, "last will")
        }
    }

    private func check(_ code: Int32, _ what: String) throws(MQTTError) {
        guard code == MOSQ_ERR_SUCCESS.rawValue else {
            throw .library("\(what): \(String(cString: mosquitto_strerror(code)))")
        }
    }

    // MARK: Life cycle

    /// Starts the network thread; it connects, and reconnects until `stop()`.
    public func start() {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "gatehouse-mqtt"
        thread.start()
    }

    /// Disconnects cleanly (the broker does not publish the will) and ends the thread, waiting at most `timeout`.
    public func stop(timeout: Double = 3) {
        let started = state.withLock { state -> Bool in
            state.stopping = true
            return state.started
        }
        // A clean DISCONNECT: sent by the network thread's next loop pass, which then returns.
        mosquitto_disconnect(handle)
        wake.signal()
        if started { _ = finished.wait(timeout: .now() + timeout) }
        failWaiters(MQTTError.notConnected)
        continuation.finish()
    }

    public var isConnected: Bool { state.withLock { $0.connected } }

    /// How many times the broker has accepted the connection so far (tests, metrics).
    public var connectionCount: Int { state.withLock { $0.connectedCount } }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func run() {
        var socketOpen = false
        var calledConnect = false
        while !isStopping {
            if !socketOpen {
                let code =
                    calledConnect
                    ? mosquitto_reconnect(handle)
                    : mosquitto_connect(handle, endpoint.host, Int32(endpoint.port), Int32(endpoint.keepAliveSeconds))
                calledConnect = true
                guard code == MOSQ_ERR_SUCCESS.rawValue else {
                    let reason = code == MOSQ_ERR_ERRNO.rawValue
                        ? String(cString: strerror(errno)) : String(cString: mosquitto_strerror(code))
                    noteDown("cannot connect to \(endpoint.host):\(endpoint.port): \(reason)")
                    backOff()
                    continue
                }
                socketOpen = true
            }
            let code = mosquitto_loop(handle, 100, 1)
            if code != MOSQ_ERR_SUCCESS.rawValue {
                socketOpen = false
                if isStopping { break }
                let reason = code == MOSQ_ERR_ERRNO.rawValue
                    ? String(cString: strerror(errno)) : String(cString: mosquitto_strerror(code))
                noteDown("connection lost: \(reason)")
                backOff()
            }
        }
        // Let the DISCONNECT out before the thread ends.
        if socketOpen { _ = mosquitto_loop(handle, 50, 1) }
        state.withLock { $0.connected = false }
    }

    /// Waits before the next connection attempt: up to `min × 2^attempt` (capped), at least half of it (jitter).
    private func backOff() {
        let attempt = state.withLock { state -> Int in
            defer { state.reconnectAttempt += 1 }
            return state.reconnectAttempt
        }
        let ceiling = min(endpoint.reconnectMaximumSeconds, endpoint.reconnectMinimumSeconds * pow(2, Double(min(attempt, 30))))
        let delay = ceiling * Double.random(in: 0.5...1.0)
        _ = wake.wait(timeout: .now() + delay)
    }

    // MARK: Publishing

    /// Publishes without waiting. QoS ≥ 1 messages are tracked until the broker acknowledges them; a disconnect
    /// hands the unacknowledged ones back in `.disconnected`.
    public func publish(_ message: MQTTMessage) throws(MQTTError) {
        let packetID = try send(message)
        guard message.qos > 0 else { return }
        state.withLock { state in
            if state.earlyAcks.removeValue(forKey: packetID) != nil { return }
            state.nextOrder += 1
            state.inFlight[packetID] = (state.nextOrder, message)
        }
    }

    /// Publishes at QoS ≥ 1 and returns once the broker acknowledged it (PUBACK/PUBCOMP).
    public func publishAndWait(_ message: MQTTMessage, timeout: Duration = .seconds(10)) async throws {
        var message = message
        message.qos = max(1, message.qos)
        let packetID = try send(message)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                    enum Registration { case acknowledged, waiting, down }
                    let registration = self.state.withLock { state -> Registration in
                        if state.earlyAcks.removeValue(forKey: packetID) != nil { return .acknowledged }
                        guard state.connected else { return .down }
                        state.waiters[packetID] = waiter
                        return .waiting
                    }
                    switch registration {
                    case .acknowledged: waiter.resume()
                    case .down: waiter.resume(throwing: MQTTError.notConnected)
                    case .waiting: break
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw MQTTError.timedOut
            }
            defer { group.cancelAll() }
            do {
                try await group.next()
            } catch {
                if let waiter = state.withLock({ $0.waiters.removeValue(forKey: packetID) }) {
                    waiter.resume(throwing: error)
                }
                throw error
            }
        }
    }

    private func send(_ message: MQTTMessage) throws(MQTTError) -> Int32 {
        guard isConnected else { throw .notConnected }
        guard mosquitto_pub_topic_check(message.topic) == MOSQ_ERR_SUCCESS.rawValue else {
            throw .invalidTopic(message.topic)
        }
        var packetID: Int32 = 0
        let code = message.payload.withUnsafeBytes { bytes in
            mosquitto_publish(
                handle, &packetID, message.topic, Int32(bytes.count), bytes.baseAddress, Int32(min(max(message.qos, 0), 2)),
                message.retain)
        }
        switch code {
        case MOSQ_ERR_SUCCESS.rawValue: return packetID
        case MOSQ_ERR_NO_CONN.rawValue: throw .notConnected
        default: throw .library(String(cString: mosquitto_strerror(code)))
        }
    }

    /// Subscribes (QoS 1). Subscriptions end with the connection: subscribe again on `.connected`.
    public func subscribe(_ pattern: String, qos: Int = 1) throws(MQTTError) {
        guard mosquitto_sub_topic_check(pattern) == MOSQ_ERR_SUCCESS.rawValue else { throw .invalidTopic(pattern) }
        let code = mosquitto_subscribe(handle, nil, pattern, Int32(qos))
        guard code == MOSQ_ERR_SUCCESS.rawValue else {
            throw code == MOSQ_ERR_NO_CONN.rawValue ? .notConnected : .library(String(cString: mosquitto_strerror(code)))
        }
    }

    /// Whether `topic` matches the subscription `pattern` (`+` and `#` wildcards), as the broker decides.
    public static func topic(_ topic: String, matches pattern: String) -> Bool {
        var result = false
        return mosquitto_topic_matches_sub(pattern, topic, &result) == MOSQ_ERR_SUCCESS.rawValue && result
    }

    /// Whether `pattern` is a valid subscription (wildcards only as whole levels, `#` last).
    public static func isValidSubscription(_ pattern: String) -> Bool {
        mosquitto_sub_topic_check(pattern) == MOSQ_ERR_SUCCESS.rawValue
    }

    /// Whether `topic` is a valid topic to publish to (no wildcards, not empty).
    public static func isValidTopic(_ topic: String) -> Bool {
        mosquitto_pub_topic_check(topic) == MOSQ_ERR_SUCCESS.rawValue
    }

    // MARK: Callbacks (network thread)

    private func didConnect(_ code: Int32) {
        guard code == 0 else {
            noteDown("the broker refused the connection: \(String(cString: mosquitto_connack_string(code)))")
            return
        }
        state.withLock { state in
            state.connected = true
            state.reconnectAttempt = 0
            state.lastReason = nil
            state.connectedCount += 1
        }
        continuation.yield(.connected)
    }

    private func didDisconnect(_ code: Int32) {
        noteDown(code == 0 ? "disconnected" : "connection lost: \(String(cString: mosquitto_strerror(code)))")
    }

    /// Marks the connection down once per outage, failing the waiters and handing back what was in flight.
    private func noteDown(_ reason: String) {
        let (wasConnected, first, unacknowledged, waiters) = state.withLock {
            state -> (Bool, Bool, [MQTTMessage], [CheckedContinuation<Void, any Error>]) in
            let wasConnected = state.connected
            let first = wasConnected || state.lastReason == nil
            state.connected = false
            state.lastReason = reason
            let pending = state.inFlight.values.sorted { $0.order < $1.order }.map(\.message)
            state.inFlight = [:]
            state.earlyAcks = [:]
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return (wasConnected, first, pending, waiters)
        }
        for waiter in waiters { waiter.resume(throwing: MQTTError.notConnected) }
        if wasConnected || first {
            continuation.yield(.disconnected(reason: reason, unacknowledged: unacknowledged))
        }
    }

    private func failWaiters(_ error: MQTTError) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    private func didAcknowledge(_ packetID: Int32) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.inFlight.removeValue(forKey: packetID) != nil { return nil }
            if let waiter = state.waiters.removeValue(forKey: packetID) { return waiter }
            // Not recorded yet (or a QoS 0 message, whose "acknowledgement" is its sending): remembered briefly.
            state.nextOrder += 1
            state.earlyAcks[packetID] = state.nextOrder
            if state.earlyAcks.count > 256 {
                let cutoff = state.nextOrder - 128
                state.earlyAcks = state.earlyAcks.filter { $0.value > cutoff }
            }
            return nil
        }
        waiter?.resume()
    }

    private func didReceive(_ message: mosquitto_message) {
        guard let topic = message.topic else { return }
        let payload =
            message.payloadlen > 0 && message.payload != nil
            ? Data(bytes: message.payload, count: Int(message.payloadlen)) : Data()
        continuation.yield(
            .message(
                MQTTIncoming(
                    topic: String(cString: topic), payload: payload, qos: Int(message.qos), retain: message.retain,
                    packetID: message.mid)))
    }
}
