import Foundation

/// Everything that can go wrong delivering something to the outside world, each case naming what
/// and where so that the journal and `nil, err` in Lua read as a sentence.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL could not be used (bad syntax, a scheme this operation does not allow).
    case invalidURL(String, reason: String)
    /// The host name did not resolve.
    case hostNotFound(host: String)
    /// Nothing accepted the connection (refused, unreachable).
    case connectionFailed(host: String, detail: String)
    /// The connect or total timeout elapsed.
    case timedOut(url: String, afterMilliseconds: Int)
    /// TLS could not be established or the peer failed verification.
    case tls(host: String, detail: String)
    /// The server refused the credentials (HTTP 401/407, FTP 530, SMTP 535).
    case authenticationFailed(url: String, status: Int)
    /// The server answered with an error status (HTTP ≥ 400, or an FTP/SMTP/TFTP error reply).
    case remoteStatus(url: String, status: Int, detail: String)
    /// The connection broke mid-transfer or the server sent nothing.
    case connectionLost(url: String, detail: String)
    /// The response was larger than the configured limit.
    case responseTooLarge(url: String, limit: Int)
    /// A file the request names (CA bundle) could not be read.
    case localFile(path: String, detail: String)
    /// The task awaiting the transfer was cancelled.
    case cancelled(url: String)
    /// libcurl itself is not usable.
    case unavailable(String)
    /// The action names something the site did not configure (a camera, a web relay id).
    case notConfigured(String)
    /// Any other libcurl failure, with its code and libcurl's own message.
    case transfer(url: String, curlCode: Int, detail: String)

    public var description: String {
        switch self {
        case let .invalidURL(url, reason): "invalid URL \(url): \(reason)"
        case let .hostNotFound(host): "host not found: \(host)"
        case let .connectionFailed(host, detail): "could not connect to \(host): \(detail)"
        case let .timedOut(url, ms): "timed out after \(ms) ms: \(url)"
        case let .tls(host, detail): "TLS failure with \(host): \(detail)"
        case let .authenticationFailed(url, status): "authentication failed (\(status)) at \(url)"
        case let .remoteStatus(url, status, detail):
            detail.isEmpty ? "server answered \(status) at \(url)" : "server answered \(status) at \(url): \(detail)"
        case let .connectionLost(url, detail): "connection lost with \(url): \(detail)"
        case let .responseTooLarge(url, limit): "response from \(url) exceeds \(limit) bytes"
        case let .localFile(path, detail): "cannot use \(path): \(detail)"
        case let .cancelled(url): "cancelled: \(url)"
        case let .unavailable(detail): "transport unavailable: \(detail)"
        case let .notConfigured(what): "not configured: \(what)"
        case let .transfer(url, code, detail): "transfer to \(url) failed (curl \(code)): \(detail)"
        }
    }

    /// Whether trying again later may succeed: the network or the server may come back, but bad
    /// credentials, a bad URL or a certificate that fails verification will not fix themselves.
    public var isTransient: Bool {
        switch self {
        case .hostNotFound, .connectionFailed, .timedOut, .connectionLost, .transfer: true
        case let .remoteStatus(url, status, _):
            if url.lowercased().hasPrefix("http") {
                status == 408 || status == 425 || status == 429 || (500...599).contains(status)
            } else {
                // FTP and SMTP: 4xx is a "transient negative completion" reply, 5xx is permanent.
                (400...499).contains(status)
            }
        case .invalidURL, .tls, .authenticationFailed, .responseTooLarge, .localFile, .cancelled, .unavailable,
            .notConfigured:
            false
        }
    }
}

/// URL text safe for logs and journals: the password in `user:pass@` is replaced.
func redacted(_ url: String) -> String {
    guard let components = URLComponents(string: url), components.password != nil else { return url }
    var copy = components
    copy.password = "***"
    return copy.string ?? url
}
