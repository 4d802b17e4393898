import Foundation

/// Akuvox "Access Control > Web Relay": which relays a grant drives.
public enum WebRelayType: String, Sendable, Codable, Equatable {
    /// Only the local relay (the web relay is off).
    case disabled
    case webRelayOnly
    /// The local relay first, then the web relay.
    case localThenWebRelay
}

/// One of the (at most 50) web relay action URLs, referenced by users through their web relay id.
public struct WebRelayAction: Sendable, Codable, Equatable {
    /// 1...50; a user's web relay id 0 means "none".
    public var id: Int
    /// Absolute (`http://admin:admin@192.168.1.2/state.xml?relayState=2`, used as is) or relative
    /// (`state.xml?relayState=2`, resolved against the configured address and credentials).
    public var url: String
    public var method: String
    public var body: String?
    public var contentType: String?

    public init(id: Int, url: String, method: String = "GET", body: String? = nil, contentType: String? = nil) {
        self.id = id
        self.url = url
        self.method = method
        self.body = body
        self.contentType = contentType
    }
}

/// How a door opening was asked for, as far as web relay permissions care.
public enum WebRelayTrigger: Sendable, Equatable {
    case card
    case dtmf(code: String)
    /// During a call, from the device identified by IP or SIP account.
    case call(caller: String)
    case pin
    case face
    case qrCode
    case other(String)
}

public enum WebRelayError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooManyActions(count: Int)
    case idOutOfRange(Int)
    case duplicateID(Int)
    case emptyURL(id: Int)
    case noAddress(id: Int)

    public var description: String {
        switch self {
        case let .tooManyActions(count): "web relay: \(count) action URLs configured, at most 50 are allowed"
        case let .idOutOfRange(id): "web relay: action id \(id) is outside 1...50"
        case let .duplicateID(id): "web relay: action id \(id) is configured twice"
        case let .emptyURL(id): "web relay: action \(id) has an empty URL"
        case let .noAddress(id): "web relay: action \(id) is relative but no web relay IP address is configured"
        }
    }
}

/// The web relay page of one device: type, address, credentials, up to 50 actions, key and extension.
public struct WebRelaySettings: Sendable, Codable, Equatable {
    public static let maximumActions = 50

    public var type: WebRelayType
    /// IP or host, optionally with port and scheme (`https://10.0.0.5:8443`); relative URLs resolve here.
    public var address: String
    public var user: String
    /// Blank means no HTTP authentication for relative URLs (Akuvox: "Leaving the Password field blank
    /// indicates non-use of HTTP authentication").
    public var password: String
    /// Basic, Digest or whatever the relay asks for; Shelly Gen2 needs Digest (SHA-256).
    public var authentication: HTTPAuthentication.Scheme
    public var actions: [WebRelayAction]
    /// When set, only card and DTMF (with this code) may fire the web relay.
    public var key: String
    /// When set, during a call only this caller (IP or SIP) may fire it; card and DTMF still may.
    public var callExtension: String
    public var options: TransportOptions

    public init(
        type: WebRelayType = .disabled, address: String = "", user: String = "", password: String = "",
        authentication: HTTPAuthentication.Scheme = .any, actions: [WebRelayAction] = [], key: String = "",
        callExtension: String = "", options: TransportOptions = TransportOptions(totalTimeoutMilliseconds: 10_000)
    ) {
        self.type = type
        self.address = address
        self.user = user
        self.password = password
        self.authentication = authentication
        self.actions = actions
        self.key = key
        self.callExtension = callExtension
        self.options = options
    }

    /// Every problem with the configuration, empty when it is usable.
    public func problems() -> [WebRelayError] {
        var problems: [WebRelayError] = []
        if actions.count > Self.maximumActions { problems.append(.tooManyActions(count: actions.count)) }
        var seen: Set<Int> = []
        for action in actions {
            if !(1...Self.maximumActions).contains(action.id) { problems.append(.idOutOfRange(action.id)) }
            if !seen.insert(action.id).inserted { problems.append(.duplicateID(action.id)) }
            let url = action.url.trimmingCharacters(in: .whitespaces)
            if url.isEmpty { problems.append(.emptyURL(id: action.id)) }
            else if !Self.isAbsolute(url) && address.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.noAddress(id: action.id))
            }
        }
        return problems
    }

    /// Whether a door opening asked for this way may fire the web relay.
    public func permits(_ trigger: WebRelayTrigger) -> Bool {
        if !key.isEmpty {
            switch trigger {
            case .card: return true
            case let .dtmf(code): return code == key
            default: return false
            }
        }
        if !callExtension.isEmpty, case let .call(caller) = trigger {
            return caller == callExtension
        }
        return true
    }

    /// Which relays a grant for a user with this web relay id drives.
    public func plan(userWebRelayID: Int, trigger: WebRelayTrigger) -> (fireLocal: Bool, webAction: Int?) {
        let web = userWebRelayID != 0 && actions.contains { $0.id == userWebRelayID } && permits(trigger)
        switch type {
        case .disabled: return (true, nil)
        case .webRelayOnly: return (false, web ? userWebRelayID : nil)
        case .localThenWebRelay: return (true, web ? userWebRelayID : nil)
        }
    }

    /// The HTTP request for an action id: absolute URLs as given (credentials in the URL become
    /// the request's authentication), relative ones against `address` with the configured user.
    public func request(forAction id: Int) throws(WebRelayError) -> HTTPRequest {
        guard (1...Self.maximumActions).contains(id) else { throw .idOutOfRange(id) }
        guard let action = actions.first(where: { $0.id == id }) else { throw .idOutOfRange(id) }
        let raw = action.url.trimmingCharacters(in: .whitespaces)
        guard !raw.isEmpty else { throw .emptyURL(id: id) }
        var url: String
        var authentication: HTTPAuthentication?
        if Self.isAbsolute(raw) {
            url = raw
            if var components = URLComponents(string: raw), let user = components.user {
                // The configured scheme belongs to the configured address; for another host let libcurl
                // answer whatever challenge comes.
                authentication = HTTPAuthentication(.any, user: user, password: components.password ?? "")
                components.user = nil
                components.password = nil
                url = components.string ?? raw
            }
        } else {
            let base = address.trimmingCharacters(in: .whitespaces)
            guard !base.isEmpty else { throw .noAddress(id: id) }
            let origin = Self.isAbsolute(base) ? base : "http://\(base)"
            url = (origin.hasSuffix("/") ? String(origin.dropLast()) : origin) + (raw.hasPrefix("/") ? raw : "/" + raw)
            if !password.isEmpty {
                authentication = HTTPAuthentication(self.authentication, user: user, password: password)
            }
        }
        var headers: [HTTPHeader] = []
        if let contentType = action.contentType { headers.append(HTTPHeader("Content-Type", contentType)) }
        return HTTPRequest(
            method: action.method, url: url, headers: headers, body: Data((action.body ?? "").utf8),
            authentication: authentication, options: options)
    }

    static func isAbsolute(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }
}
