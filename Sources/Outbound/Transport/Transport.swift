import CCurl
import Foundation

/// Sends HTTP requests, uploads files over FTP/FTPS/TFTP and mails messages over SMTP, all through
/// one libcurl multi handle on a dedicated thread (see `CurlEngine`): callers suspend, never block.
public struct Transport: Sendable {
    private let engine: CurlEngine

    public init() throws(TransportError) {
        engine = try CurlEngine.shared.get()
    }

    /// Performs the request and returns whatever status the server gave; call
    /// `HTTPResponse.requireSuccess` when only 2xx counts.
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let url = try validated(request.url, schemes: ["http", "https"])
        let method = request.method.uppercased()
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter }) else {
            throw .invalidURL(redacted(url), reason: "HTTP method \"\(request.method)\" is not a token")
        }
        var plan = TransferPlan(url: url, protocols: "http,https", options: request.options)
        plan.followRedirects = request.followRedirects
        plan.authentication = request.authentication
        for header in request.headers {
            guard !header.name.contains(where: { $0 == ":" || $0.isNewline }), !header.value.contains(where: \.isNewline) else {
                throw .invalidURL(redacted(url), reason: "header \"\(header.name)\" contains a line break or colon")
            }
            plan.headers.append("\(header.name): \(header.value)")
        }
        switch method {
        case "GET" where request.body.isEmpty: break
        case "HEAD": plan.headOnly = true
        case "POST": plan.requestBody = request.body
        default:
            plan.customMethod = method
            if !request.body.isEmpty { plan.requestBody = request.body }
        }
        let outcome = try await run(plan)
        let (status, headers) = parseHeaders(outcome.headerLines)
        return HTTPResponse(status: status ?? outcome.responseCode, headers: headers, body: outcome.body)
    }

    /// Uploads `upload.data` to an `ftp://`, `ftps://` or `tftp://` URL. FTP uses passive mode
    /// (libcurl's default, EPSV then PASV) and creates missing directories unless told not to.
    public func upload(_ upload: FileUpload) async throws(TransportError) {
        var url = try validated(upload.url, schemes: ["ftp", "ftps", "tftp"])
        var scheme = URLComponents(string: url)?.scheme?.lowercased() ?? ""
        if upload.security == .implicitTLS, scheme == "ftp" {
            // Implicit TLS is what the ftps:// scheme means to libcurl.
            url = "ftps" + url.dropFirst(3)
            scheme = "ftps"
        }
        guard !url.hasSuffix("/") else {
            throw .invalidURL(redacted(url), reason: "the upload URL must end in a file name")
        }
        var plan = TransferPlan(url: url, protocols: scheme, options: upload.options)
        plan.upload = upload.data
        if scheme != "tftp" {
            plan.createMissingDirectories = upload.createMissingDirectories
            if let user = upload.user { plan.login = (user, upload.password ?? "") }
            if upload.security == .explicitTLS { plan.useTLS = Int(CURLUSESSL_ALL.rawValue) }
        }
        let outcome = try await run(plan)
        if scheme != "tftp", outcome.responseCode >= 400 {
            throw .remoteStatus(url: redacted(url), status: outcome.responseCode, detail: outcome.errorText)
        }
    }

    /// Sends the message as MIME (`MIMEMessage`) to every recipient.
    public func send(_ message: MailMessage, date: Date = Date()) async throws(TransportError) {
        let server = try validated(message.server, schemes: ["smtp", "smtps"])
        guard !message.to.isEmpty else { throw .invalidURL(redacted(server), reason: "the message has no recipient") }
        for address in [message.from] + message.to {
            guard MIMEMessage.isPlausibleAddress(address) else {
                throw .invalidURL(redacted(server), reason: "\"\(address)\" is not an e-mail address")
            }
        }
        var url = server
        var scheme = URLComponents(string: server)?.scheme?.lowercased() ?? "smtp"
        if message.security == .implicitTLS, scheme == "smtp" {
            url = "smtps" + server.dropFirst(4)
            scheme = "smtps"
        }
        var plan = TransferPlan(url: url, protocols: scheme, options: message.options)
        plan.mailFrom = "<\(message.from)>"
        plan.mailRecipients = message.to.map { "<\($0)>" }
        plan.upload = MIMEMessage(message, date: date).bytes
        if message.security == .startTLS { plan.useTLS = Int(CURLUSESSL_ALL.rawValue) }
        if let user = message.user { plan.login = (user, message.password ?? "") }
        _ = try await run(plan)
    }

    /// Fetches a snapshot (or anything) and requires a 2xx answer with a body.
    public func fetch(_ request: HTTPRequest) async throws(TransportError) -> Data {
        let response = try await send(request)
        try response.requireSuccess(url: request.url)
        return response.body
    }

    private func run(_ plan: TransferPlan) async throws(TransportError) -> TransferOutcome {
        let transfer = try Transfer(plan: plan)
        let outcome = await engine.perform(transfer)
        try check(outcome, plan: plan)
        return outcome
    }

    private func validated(_ url: String, schemes: Set<String>) throws(TransportError) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw .invalidURL(redacted(url), reason: "not a URL")
        }
        guard schemes.contains(scheme) else {
            throw .invalidURL(redacted(url), reason: "scheme \(scheme) is not one of \(schemes.sorted().joined(separator: ", "))")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidURL(redacted(url), reason: "no host") }
        return url
    }

    private func check(_ outcome: TransferOutcome, plan: TransferPlan) throws(TransportError) {
        let url = redacted(plan.url)
        let host = URLComponents(string: plan.url)?.host ?? url
        let detail = outcome.errorText.isEmpty ? Curl.description(of: outcome.code) : outcome.errorText
        switch outcome.code {
        case CURLE_OK: return
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: throw .invalidURL(url, reason: detail)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: throw .hostNotFound(host: host)
        case CURLE_COULDNT_CONNECT:
            // The socket's own reason ("connection refused", "no route to host") before libcurl's wording.
            let reason = outcome.osErrno != 0 ? String(cString: strerror(Int32(outcome.osErrno))).lowercased() + ": " : ""
            throw .connectionFailed(host: host, detail: reason + detail)
        case CURLE_OPERATION_TIMEDOUT:
            throw .timedOut(url: url, afterMilliseconds: plan.options.totalTimeoutMilliseconds)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            throw .tls(host: host, detail: detail)
        case CURLE_SSL_CACERT_BADFILE:
            throw .localFile(path: plan.options.caFile ?? "system CA bundle", detail: detail)
        case CURLE_LOGIN_DENIED:
            throw .authenticationFailed(url: url, status: outcome.responseCode)
        case CURLE_WRITE_ERROR where outcome.overflowed:
            throw .responseTooLarge(url: url, limit: plan.options.maxResponseBytes)
        case CURLE_ABORTED_BY_CALLBACK: throw .cancelled(url: url)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
            if outcome.responseCode >= 400 {
                throw .remoteStatus(url: url, status: outcome.responseCode, detail: detail)
            }
            throw .connectionLost(url: url, detail: detail)
        case CURLE_REMOTE_ACCESS_DENIED, CURLE_UPLOAD_FAILED, CURLE_QUOTE_ERROR, CURLE_REMOTE_DISK_FULL,
            CURLE_REMOTE_FILE_NOT_FOUND, CURLE_TFTP_NOTFOUND, CURLE_TFTP_PERM, CURLE_TFTP_ILLEGAL,
            CURLE_TFTP_UNKNOWNID, CURLE_REMOTE_FILE_EXISTS, CURLE_TFTP_NOSUCHUSER, CURLE_FTP_COULDNT_RETR_FILE,
            CURLE_FTP_ACCEPT_FAILED, CURLE_WEIRD_SERVER_REPLY:
            // 550 (no permission) and friends; 0 when the protocol has no numeric replies (TFTP).
            throw .remoteStatus(url: url, status: outcome.responseCode == 0 ? 550 : outcome.responseCode, detail: detail)
        default:
            throw .transfer(url: url, curlCode: Int(outcome.code.rawValue), detail: detail)
        }
    }

    /// The status and headers of the last response (after a Digest 401 or a redirect libcurl
    /// reports every response's header block).
    private func parseHeaders(_ lines: [String]) -> (Int?, [HTTPHeader]) {
        var headers: [HTTPHeader] = []
        var status: Int?
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("HTTP/") {
                headers.removeAll()
                let fields = trimmed.split(separator: " ", maxSplits: 2)
                status = fields.count >= 2 ? Int(fields[1]) : nil
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let name = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeader(name, value))
        }
        return (status, headers)
    }
}
