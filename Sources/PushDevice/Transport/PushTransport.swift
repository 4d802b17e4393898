import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

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

/// HTTP/1.1 through AsyncHTTPClient (SwiftNIO): keep-alive connection reuse, per-request deadlines, TLS through
/// NIOSSL. Cookies are sent explicitly (the session token), never stored.
///
/// Not URLSession: on Linux, FoundationNetworking wraps libcurl's sockets in dispatch sources, and a refused or timed
/// out connection can race their teardown and crash the whole process in `_dispatch_event_loop_drain`
/// (swift-corelibs-foundation #4791 and its family). A door controller whose upstream server is down must not crash.
public final class HTTPPushTransport: PushTransport {
    /// Replies are read into memory (an UPGRADE download is the largest); a bigger one is refused, not truncated.
    public static let maximumReplyBytes = 64 << 20

    let baseURL: String
    let defaultTimeout: TimeAmount
    let client: HTTPClient

    /// `baseURL` is `http(s)://host[:port]` (a trailing slash is ignored). `maximumConnections` bounds the keep-alive
    /// connections to the server (a simulator sharing one transport across many devices raises it).
    public init(baseURL: String, timeout: Double = 10, maximumConnections: Int = 4) throws(PushTransportError) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw .invalidURL(baseURL)
        }
        self.baseURL = trimmed
        defaultTimeout = Self.amount(seconds: timeout)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: defaultTimeout, read: nil),
            connectionPool: .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maximumConnections)),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        // A refused connection fails the request at once: the device loop retries on the protocol's own ErrorDelay
        // with backoff, and a request should not sit out its whole timeout against a server that is down.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        // The client lives until its shutdown completes: the callback holds it.
        let client = self.client
        client.shutdown { _ in _ = client }
    }

    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8]) async throws(PushTransportError)
        -> PushTransportReply
    {
        try await send(method: method, target: target, headers: headers, body: body, deadline: .now() + defaultTimeout)
    }

    public func send(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double)
        async throws(PushTransportError) -> PushTransportReply
    {
        let amount = timeout > 0 ? Self.amount(seconds: timeout) : defaultTimeout
        return try await send(method: method, target: target, headers: headers, body: body, deadline: .now() + amount)
    }

    /// `target` is a path on the server (`/iclock/…`) or an absolute `http(s)://` URL (UPGRADE method 3 downloads).
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8], deadline: NIODeadline)
        async throws(PushTransportError) -> PushTransportReply
    {
        let lowered = target.lowercased()
        let text = lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? target : baseURL + target
        guard URL(string: text) != nil else { throw .invalidURL(text) }
        var request = HTTPClientRequest(url: text)
        request.method = HTTPMethod(rawValue: method.uppercased())
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method.uppercased() != "GET" {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, deadline: deadline)
            let buffer = try await response.body.collect(upTo: Self.maximumReplyBytes)
            return PushTransportReply(status: Int(response.status.code), body: Array(buffer.readableBytesView))
        } catch let error as NIOTooManyBytesError {
            throw .unreachable(url: text, reason: "the reply is larger than \(Self.maximumReplyBytes >> 20) MiB (\(error))")
        } catch {
            throw .unreachable(url: text, reason: Self.describe(error))
        }
    }

    static func amount(seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(min(max(seconds, 0.001), 86_400) * 1e9))
    }

    /// A reason an operator can act on ("connection refused", "timed out"), not a type dump.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            "timed out"
        case let error as HTTPClientError where error == .connectTimeout:
            "timed out connecting"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            "the server closed the connection"
        case let error as IOError:
            // "connection refused", not NIO's "connection reset (error set): Connection refused) (errno: 111)".
            String(cString: strerror(error.errnoCode)).lowercased()
        default:
            String(describing: error)
        }
    }
}
