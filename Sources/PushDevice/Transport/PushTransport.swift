import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP exchange with the upstream server, as plain values.
public struct PushTransportReply: Sendable, Hashable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

public enum PushTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidURL(String)
    case unreachable(url: String, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "`\(url)` is not a valid server URL"
        case .unreachable(let url, let reason): "cannot reach \(url): \(reason)"
        }
    }
}

/// How the device role talks HTTP. The production implementation is `URLSessionPushTransport`; the protocol lets
/// the simulator and tests share one implementation per process.
public protocol PushTransport: Sendable {
    /// Sends `method target` (target = `/iclock/…?…`) with the headers and body; returns status and body.
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) async throws(PushTransportError) -> PushTransportReply
    /// The same with a per-request timeout in seconds (the server's `TimeoutSec`).
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double) async throws(PushTransportError) -> PushTransportReply
}

extension PushTransport {
    /// Transports without their own timeout handling use their default.
    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double) async throws(PushTransportError) -> PushTransportReply {
        try await send(method: method, target: target, headers: headers, body: body)
    }
}

/// HTTP/1.1 through Foundation's URLSession (FoundationNetworking on Linux, backed by libcurl): no extra package to
/// build, keep-alive connection reuse, TLS through the system's libcurl. Cookies are sent explicitly (the session
/// token), never stored by the session.
public final class URLSessionPushTransport: PushTransport {
    let baseURL: String
    let session: URLSession

    /// `baseURL` is `http://host:port` (a trailing slash is ignored). `maximumConnections` bounds the keep-alive
    /// connections to the server (a simulator sharing one transport across many devices raises it).
    public init(baseURL: String, timeout: TimeInterval = 10, maximumConnections: Int = 4) throws(PushTransportError) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw .invalidURL(baseURL)
        }
        self.baseURL = trimmed
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = max(1, maximumConnections)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) async throws(PushTransportError) -> PushTransportReply {
        try await send(method: method, target: target, headers: headers, body: body, timeout: nil)
    }

    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double) async throws(PushTransportError) -> PushTransportReply {
        try await send(method: method, target: target, headers: headers, body: body, timeout: Optional(timeout))
    }

    /// `target` is a path on the server (`/iclock/…`) or an absolute `http(s)://` URL (UPGRADE method 3 downloads).
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double?) async throws(PushTransportError) -> PushTransportReply {
        let lowered = target.lowercased()
        let text = lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? target : baseURL + target
        guard let url = URL(string: text) else { throw .invalidURL(text) }
        var request = URLRequest(url: url)
        if let timeout, timeout > 0 { request.timeoutInterval = timeout }
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if method != "GET" { request.httpBody = Data(body) }
        do {
            let (data, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return PushTransportReply(status: status, body: Array(data))
        } catch {
            throw .unreachable(url: text, reason: error.localizedDescription)
        }
    }
}
