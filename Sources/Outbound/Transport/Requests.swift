import Foundation

/// Limits and TLS settings shared by every transfer.
public struct TransportOptions: Sendable, Codable, Equatable {
    /// Time allowed to establish the connection (TCP and TLS).
    public var connectTimeoutMilliseconds: Int
    /// Time allowed for the whole transfer, connection included.
    public var totalTimeoutMilliseconds: Int
    /// Verify the peer's certificate and host name. On by default; turning it off is a site decision.
    public var verifyTLS: Bool
    /// A PEM bundle to trust instead of the system store (a site's own CA, a device's self-signed cert).
    public var caFile: String?
    /// Larger responses fail with `responseTooLarge` instead of filling memory.
    public var maxResponseBytes: Int

    public init(
        connectTimeoutMilliseconds: Int = 5_000, totalTimeoutMilliseconds: Int = 30_000,
        verifyTLS: Bool = true, caFile: String? = nil, maxResponseBytes: Int = 16 << 20
    ) {
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.totalTimeoutMilliseconds = totalTimeoutMilliseconds
        self.verifyTLS = verifyTLS
        self.caFile = caFile
        self.maxResponseBytes = maxResponseBytes
    }
}

/// Credentials for HTTP authentication.
public struct HTTPAuthentication: Sendable, Codable, Equatable {
    public enum Scheme: String, Sendable, Codable, Equatable {
        /// RFC 7617 Basic.
        case basic
        /// RFC 7616 Digest; libcurl answers MD5 and SHA-256 (Shelly Gen2) challenges alike.
        case digest
        /// Whatever the server offers, Basic or Digest, at the cost of one extra round trip.
        case any
    }
    public var scheme: Scheme
    public var user: String
    public var password: String

    public init(_ scheme: Scheme, user: String, password: String) {
        self.scheme = scheme
        self.user = user
        self.password = password
    }
}

/// One header line; order and repetition are kept as given.
public struct HTTPHeader: Sendable, Codable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `headers` and nothing libcurl would add of its own: no form `Content-Type` on a POST body and no
    /// `Expect: 100-continue` wait (a second per request against servers that never answer it). An empty header
    /// removes libcurl's; one the caller names stays.
    public static func onlyThese(_ headers: [HTTPHeader]) -> [HTTPHeader] {
        let named = Set(headers.map { $0.name.lowercased() })
        var result = headers
        for name in ["Content-Type", "Expect"] where !named.contains(name.lowercased()) { result.append(HTTPHeader(name, "")) }
        return result
    }
}

public struct HTTPRequest: Sendable, Codable, Equatable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: Data
    public var authentication: HTTPAuthentication?
    /// Off by default: a relay command that silently lands somewhere else is worse than an error.
    public var followRedirects: Bool
    public var options: TransportOptions

    public init(
        method: String = "GET", url: String, headers: [HTTPHeader] = [], body: Data = Data(),
        authentication: HTTPAuthentication? = nil, followRedirects: Bool = false,
        options: TransportOptions = TransportOptions()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.authentication = authentication
        self.followRedirects = followRedirects
        self.options = options
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: Data

    public init(status: Int, headers: [HTTPHeader], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header of that name, compared case-insensitively.
    public func header(named name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Throws unless the status is 2xx; 401 and 407 become `authenticationFailed`.
    public func requireSuccess(url: String) throws(TransportError) {
        switch status {
        case 200...299: return
        case 401, 407: throw .authenticationFailed(url: redacted(url), status: status)
        default:
            let snippet = String(decoding: body.prefix(200), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw .remoteStatus(url: redacted(url), status: status, detail: snippet)
        }
    }
}

/// How FTP protects the session.
public enum FTPSecurity: String, Sendable, Codable, Equatable {
    /// Plain FTP.
    case none
    /// `AUTH TLS` on the control connection and protected data (explicit FTPS); fails if refused.
    case explicitTLS
    /// TLS from the first byte (`ftps://`, usually port 990).
    case implicitTLS
}

/// An upload to `ftp://`, `ftps://` or `tftp://`. Credentials may be in the URL or given apart.
public struct FileUpload: Sendable, Codable, Equatable {
    public var url: String
    public var data: Data
    public var user: String?
    public var password: String?
    /// FTP only; `ftps://` URLs imply `.implicitTLS`.
    public var security: FTPSecurity
    /// FTP only: `MKD` each missing directory of the path.
    public var createMissingDirectories: Bool
    public var options: TransportOptions

    public init(
        url: String, data: Data, user: String? = nil, password: String? = nil,
        security: FTPSecurity = .none, createMissingDirectories: Bool = true,
        options: TransportOptions = TransportOptions()
    ) {
        self.url = url
        self.data = data
        self.user = user
        self.password = password
        self.security = security
        self.createMissingDirectories = createMissingDirectories
        self.options = options
    }
}

/// How SMTP protects the session.
public enum MailSecurity: String, Sendable, Codable, Equatable {
    case none
    /// `STARTTLS` after the greeting, required: the message is never sent in clear if the server refuses.
    case startTLS
    /// TLS from the first byte (`smtps://`, usually port 465).
    case implicitTLS
}

public struct MailAttachment: Sendable, Codable, Equatable {
    public var name: String
    public var contentType: String
    public var data: Data
    public init(name: String, contentType: String, data: Data) {
        self.name = name
        self.contentType = contentType
        self.data = data
    }
}

public struct MailMessage: Sendable, Codable, Equatable {
    /// `smtp://host:port` or `smtps://host:port`.
    public var server: String
    public var security: MailSecurity
    public var user: String?
    public var password: String?
    public var from: String
    public var to: [String]
    public var subject: String
    public var body: String
    public var attachments: [MailAttachment]
    public var options: TransportOptions

    public init(
        server: String, security: MailSecurity = .none, user: String? = nil, password: String? = nil,
        from: String, to: [String], subject: String, body: String, attachments: [MailAttachment] = [],
        options: TransportOptions = TransportOptions()
    ) {
        self.server = server
        self.security = security
        self.user = user
        self.password = password
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.attachments = attachments
        self.options = options
    }
}

// Outbox rows store actions as JSON; writing only what differs from the defaults keeps a typical row at a third of
// its size (fewer SQLite pages per action, so less page cache). Decoding accepts the full form too, so rows written
// before stay readable.
extension TransportOptions {
    private enum CodingKeys: String, CodingKey {
        case connectTimeoutMilliseconds, totalTimeoutMilliseconds, verifyTLS, caFile, maxResponseBytes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TransportOptions()
        self.init(
            connectTimeoutMilliseconds: try container.decodeIfPresent(Int.self, forKey: .connectTimeoutMilliseconds)
                ?? defaults.connectTimeoutMilliseconds,
            totalTimeoutMilliseconds: try container.decodeIfPresent(Int.self, forKey: .totalTimeoutMilliseconds)
                ?? defaults.totalTimeoutMilliseconds,
            verifyTLS: try container.decodeIfPresent(Bool.self, forKey: .verifyTLS) ?? defaults.verifyTLS,
            caFile: try container.decodeIfPresent(String.self, forKey: .caFile),
            maxResponseBytes: try container.decodeIfPresent(Int.self, forKey: .maxResponseBytes) ?? defaults.maxResponseBytes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let defaults = TransportOptions()
        if connectTimeoutMilliseconds != defaults.connectTimeoutMilliseconds {
            try container.encode(connectTimeoutMilliseconds, forKey: .connectTimeoutMilliseconds)
        }
        if totalTimeoutMilliseconds != defaults.totalTimeoutMilliseconds {
            try container.encode(totalTimeoutMilliseconds, forKey: .totalTimeoutMilliseconds)
        }
        if verifyTLS != defaults.verifyTLS { try container.encode(verifyTLS, forKey: .verifyTLS) }
        try container.encodeIfPresent(caFile, forKey: .caFile)
        if maxResponseBytes != defaults.maxResponseBytes { try container.encode(maxResponseBytes, forKey: .maxResponseBytes) }
    }
}

extension HTTPRequest {
    private enum CodingKeys: String, CodingKey {
        case method, url, headers, body, authentication, followRedirects, options
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            method: try container.decodeIfPresent(String.self, forKey: .method) ?? "GET",
            url: try container.decode(String.self, forKey: .url),
            headers: try container.decodeIfPresent([HTTPHeader].self, forKey: .headers) ?? [],
            body: try container.decodeIfPresent(Data.self, forKey: .body) ?? Data(),
            authentication: try container.decodeIfPresent(HTTPAuthentication.self, forKey: .authentication),
            followRedirects: try container.decodeIfPresent(Bool.self, forKey: .followRedirects) ?? false,
            options: try container.decodeIfPresent(TransportOptions.self, forKey: .options) ?? TransportOptions())
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if method != "GET" { try container.encode(method, forKey: .method) }
        try container.encode(url, forKey: .url)
        if !headers.isEmpty { try container.encode(headers, forKey: .headers) }
        if !body.isEmpty { try container.encode(body, forKey: .body) }
        try container.encodeIfPresent(authentication, forKey: .authentication)
        if followRedirects { try container.encode(followRedirects, forKey: .followRedirects) }
        if options != TransportOptions() { try container.encode(options, forKey: .options) }
    }
}
