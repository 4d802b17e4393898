import Foundation

/// The `[mqtt]` section: which broker, as whom, and under which topics.
public struct MQTTSettings: Sendable, Equatable {
    public var enabled = false
    /// `mqtt://host[:port]` (1883) or `mqtts://host[:port]` (8883).
    public var broker: String?
    /// Default `gatehouse-<site>`.
    public var clientID: String?
    public var username: String?
    public var password: String?
    /// PEM CA file for `mqtts://`; default the system's trust store.
    public var tlsCA: String?
    /// Default `gatehouse/<site>`.
    public var topicPrefix: String?
    public var discovery = true
    public var discoveryPrefix = "homeassistant"
    /// Events kept in the outbox while the broker is away; past it new events are dropped, loudly.
    public var queueLimit = 10_000
    public var keepAliveSeconds = 30

    public init() {}

    /// The site's name in topics and ids: the site directory's name, else `gatehouse`.
    public static func siteName(siteDirectory: URL?) -> String {
        let name = siteDirectory?.lastPathComponent ?? ""
        let cleaned = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return cleaned.isEmpty ? "gatehouse" : cleaned
    }

    public func prefix(site: String) -> String { topicPrefix ?? "gatehouse/\(site)" }

    /// The endpoint to connect to, or why the settings do not make one: `(key, reason)`.
    public func endpoint(site: String, will: MQTTMessage?) -> Result<MQTTEndpoint, MQTTSettingsError> {
        guard let broker, !broker.isEmpty else {
            return .failure(.init(key: "broker", reason: "required when mqtt.enabled is true (mqtt://host:port or mqtts://host:port)"))
        }
        guard let url = URLComponents(string: broker), let scheme = url.scheme?.lowercased(),
            scheme == "mqtt" || scheme == "mqtts", let host = url.host, !host.isEmpty
        else {
            return .failure(.init(key: "broker", reason: "'\(broker)' is not mqtt://host[:port] or mqtts://host[:port]"))
        }
        if url.path != "" && url.path != "/" {
            return .failure(.init(key: "broker", reason: "'\(broker)' has a path; only mqtt://host[:port] is accepted"))
        }
        if url.user != nil || url.password != nil {
            return .failure(.init(key: "broker", reason: "put the user and password in mqtt.username / mqtt.password, not in the URL"))
        }
        let tls = scheme == "mqtts"
        let port = url.port ?? (tls ? 8883 : 1883)
        guard (1...65535).contains(port) else { return .failure(.init(key: "broker", reason: "port \(port) out of range")) }
        if let tlsCA {
            guard tls else { return .failure(.init(key: "tls_ca", reason: "set, but the broker is not mqtts://")) }
            guard FileManager.default.isReadableFile(atPath: tlsCA) else {
                return .failure(.init(key: "tls_ca", reason: "cannot read '\(tlsCA)'"))
            }
        }
        if password != nil && username == nil {
            return .failure(.init(key: "password", reason: "set without mqtt.username"))
        }
        let prefix = self.prefix(site: site)
        guard MQTTClient.isValidTopic(prefix + "/events"), !prefix.hasSuffix("/") else {
            return .failure(.init(key: "topic_prefix", reason: "'\(prefix)' is not a valid topic (no +, #, or trailing /)"))
        }
        guard MQTTClient.isValidTopic(discoveryPrefix + "/x") else {
            return .failure(.init(key: "discovery_prefix", reason: "'\(discoveryPrefix)' is not a valid topic"))
        }
        let id = clientID ?? "gatehouse-\(site)"
        guard !id.isEmpty, id.utf8.count <= 65535 else { return .failure(.init(key: "client_id", reason: "must be 1 to 65535 bytes")) }
        return .success(
            MQTTEndpoint(
                host: host, port: port, tls: tls, caFile: tlsCA, clientID: id, username: username, password: password,
                keepAliveSeconds: keepAliveSeconds, will: will))
    }
}

public struct MQTTSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key under `[mqtt]`.
    public var key: String
    public var reason: String
    public var description: String { "mqtt.\(key): \(reason)" }
}
