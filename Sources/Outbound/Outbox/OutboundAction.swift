import Foundation

/// One thing to deliver, as stored in the outbox.
public enum OutboundAction: Sendable, Codable, Equatable {
    case http(HTTPRequest)
    /// FTP, FTPS or TFTP. When the entry has a snapshot camera, the image becomes the data.
    case upload(FileUpload)
    /// When the entry has a snapshot camera, the image is attached as `snapshot.jpg`.
    case mail(MailMessage)
    /// An MQTT message (events waiting out a broker outage, scripts' QoS 1 messages): delivered in order, one at
    /// a time, each once the broker acknowledged it.
    case mqtt(MQTTPublication)

    var kind: String {
        switch self {
        case .http: "http"
        case .upload: "upload"
        case .mail: "mail"
        case .mqtt: "mqtt"
        }
    }

    /// Kinds delivered strictly in the order they were queued: an entry waits while an older one of its kind does.
    static let orderedKinds: Set<String> = ["mqtt"]

    /// A one-line description with passwords removed, for listings and the journal.
    public var summary: String {
        switch self {
        case let .http(request): "\(request.method.uppercased()) \(redacted(request.url))"
        case let .upload(upload): "upload \(redacted(upload.url))"
        case let .mail(message): "mail \(redacted(message.server)) to \(message.to.joined(separator: ", "))"
        case let .mqtt(message): "mqtt \(message.topic)"
        }
    }

    /// The action with the image taken at fire time put in place.
    func withSnapshot(_ image: Data) -> OutboundAction {
        switch self {
        case .http, .mqtt: return self
        case var .upload(upload):
            upload.data = image
            return .upload(upload)
        case var .mail(message):
            message.attachments.append(MailAttachment(name: "snapshot.jpg", contentType: "image/jpeg", data: image))
            return .mail(message)
        }
    }
}

/// An MQTT message as the outbox stores it; the composition root's performer publishes it.
public struct MQTTPublication: Sendable, Codable, Equatable {
    public var topic: String
    public var payload: Data
    public var qos: Int
    public var retain: Bool

    public init(topic: String, payload: Data, qos: Int, retain: Bool) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// Something that must still hold when a delayed action fires.
public enum FireCondition: Sendable, Codable, Equatable {
    /// Akuvox "Execute If Input Still Triggered": checked through the door engine at fire time.
    case inputStillTriggered(input: String)
}

/// What the door engine tells Outbound about inputs; the composition root adapts AccessControl.
public protocol InputStateReader: Sendable {
    /// Whether the input is in its triggered state now (its trigger level already applied).
    func isTriggered(input: String) async -> Bool
}

/// Does the actual delivery of one action; `TransportPerformer` is the real one.
public protocol ActionPerformer: Sendable {
    func perform(_ action: OutboundAction) async throws(TransportError)
}

/// Delivers actions through libcurl; HTTP counts as delivered on 2xx only.
public struct TransportPerformer: ActionPerformer {
    let transport: Transport

    public init(transport: Transport) {
        self.transport = transport
    }

    public func perform(_ action: OutboundAction) async throws(TransportError) {
        switch action {
        case let .http(request):
            let response = try await transport.send(request)
            try response.requireSuccess(url: request.url)
        case let .upload(upload):
            try await transport.upload(upload)
        case let .mail(message):
            try await transport.send(message)
        case .mqtt:
            throw .notConfigured("MQTT is not configured ([mqtt] enabled = false)")
        }
    }
}

/// Wall-clock time for the retry schedule; injected so tests move time instead of sleeping.
public protocol OutboxClock: Sendable {
    func now() -> Date
}

public struct SystemClock: OutboxClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Exponential backoff: the n-th retry waits `initialDelay × multiplier^(n-1)`, capped at `maxDelay`.
public struct RetryPolicy: Sendable, Codable, Equatable {
    /// Attempts in all, the first one included; then the entry is parked dead.
    public var maxAttempts: Int
    public var initialDelaySeconds: Double
    public var multiplier: Double
    public var maxDelaySeconds: Double

    public init(maxAttempts: Int = 6, initialDelaySeconds: Double = 2, multiplier: Double = 2, maxDelaySeconds: Double = 300) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelaySeconds = max(0, initialDelaySeconds)
        self.multiplier = max(1, multiplier)
        self.maxDelaySeconds = max(0, maxDelaySeconds)
    }

    /// Delay before the next attempt after `attempts` failed ones (attempts ≥ 1).
    public func delay(afterAttempts attempts: Int) -> Double {
        let exponent = Double(max(0, attempts - 1))
        return min(maxDelaySeconds, initialDelaySeconds * pow(multiplier, min(exponent, 64)))
    }
}
