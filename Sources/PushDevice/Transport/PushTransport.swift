import Foundation
import Outbound

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

/// How the device role talks HTTP. The production implementation is `HTTPPushTransport`; the protocol lets
/// the simulator and tests share one implementation per process.
public protocol PushTransport: Sendable {
    /// Sends `method target` (target = `/iclock/…?…`) with the headers and body; returns status and body.
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) async throws(PushTransportError)
        -> PushTransportReply
    /// The same with a per-request timeout in seconds (the server's `TimeoutSec`).
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double)
        async throws(PushTransportError) -> PushTransportReply
}

extension PushTransport {
    /// Transports without their own timeout handling use their default.
    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double)
        async throws(PushTransportError) -> PushTransportReply
    {
        try await send(method: method, target: target, headers: headers, body: body)
    }
}

/// HTTP/1.1 through the host's libcurl transport (Outbound's `Transport`: one multi handle on its own thread, keep-alive
/// connection reuse, per-request deadlines, TLS with certificate verification). Cookies are sent explicitly (the
/// session token), never stored; redirects are not followed.
///
/// Not URLSession: on Linux, FoundationNetworking wraps libcurl's sockets in dispatch sources, and a refused or timed
/// out connection can race their teardown and crash the whole process in `_dispatch_event_loop_drain`
/// (swift-corelibs-foundation #4791 and its family). A door controller whose upstream server is down must not crash.
public final class HTTPPushTransport: PushTransport {
    /// Replies are read into memory (an UPGRADE download is the largest); a bigger one is refused, not truncated.
    public static let maximumReplyBytes = 64 << 20

    let baseURL: String
    /// Seconds: the connect timeout, and the whole request's when the caller names none.
    let defaultTimeout: Double
    let transport: Transport

    /// `baseURL` is `http(s)://host[:port]` (a trailing slash is ignored). Connections are reused through libcurl's
    /// shared connection cache, per host.
    public init(baseURL: String, timeout: Double = 10) throws(PushTransportError) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw .invalidURL(baseURL)
        }
        self.baseURL = trimmed
        defaultTimeout = Self.clamped(timeout)
        do {
            transport = try Transport()
        } catch {
            throw .unreachable(url: trimmed, reason: "\(error)")
        }
    }

    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) async throws(PushTransportError)
        -> PushTransportReply
    {
        try await send(method: method, target: target, headers: headers, body: body, timeout: defaultTimeout)
    }

    /// `target` is a path on the server (`/iclock/…`) or an absolute `http(s)://` URL (UPGRADE method 3 downloads).
    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double)
        async throws(PushTransportError) -> PushTransportReply
    {
        let lowered = target.lowercased()
        let text = lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? target : baseURL + target
        guard URL(string: text) != nil else { throw .invalidURL(text) }
        let total = Self.milliseconds(timeout > 0 ? Self.clamped(timeout) : defaultTimeout)
        // Only what the device sends.
        let fields = HTTPHeader.onlyThese(headers.map { HTTPHeader($0.0, $0.1) })
        let upper = method.uppercased()
        let request = HTTPRequest(
            method: upper, url: text, headers: fields, body: upper == "GET" ? Data() : Data(body),
            options: TransportOptions(
                connectTimeoutMilliseconds: min(total, Self.milliseconds(defaultTimeout)), totalTimeoutMilliseconds: total,
                maxResponseBytes: Self.maximumReplyBytes))
        do {
            let response = try await transport.send(request)
            return PushTransportReply(status: response.status, body: [UInt8](response.body))
        } catch {
            throw .unreachable(url: text, reason: Self.describe(error))
        }
    }

    static func clamped(_ seconds: Double) -> Double { min(max(seconds, 0.001), 86_400) }

    static func milliseconds(_ seconds: Double) -> Int { max(1, Int((seconds * 1000).rounded())) }

    /// A reason an operator can act on ("connection refused", "timed out"), not a type dump.
    static func describe(_ error: TransportError) -> String {
        switch error {
        case .timedOut: "timed out"
        case .connectionFailed(_, let detail) where detail.hasPrefix("connection refused"): "connection refused"
        case .connectionFailed(_, let detail): "could not connect: \(detail)"
        case .connectionLost: "the server closed the connection"
        case .responseTooLarge: "the reply is larger than \(maximumReplyBytes >> 20) MiB"
        case .hostNotFound(let host): "host not found: \(host)"
        default: error.description
        }
    }
}
