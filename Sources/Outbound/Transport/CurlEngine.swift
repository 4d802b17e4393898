import CCurl
import Foundation
import Synchronization

/// What one transfer needs libcurl to do, in plain values.
struct TransferPlan: Sendable {
    var url: String
    /// `CURLOPT_PROTOCOLS_STR`: a script asking for `http.request{url="file:///etc/shadow"}` must fail.
    var protocols: String
    var customMethod: String?
    var headOnly = false
    var headers: [String] = []
    /// Sent as the request body (HTTP).
    var requestBody: Data?
    /// Sent through the read callback (`CURLOPT_UPLOAD`: FTP, TFTP, SMTP).
    var upload: Data?
    var authentication: HTTPAuthentication?
    var login: (user: String, password: String)?
    var followRedirects = false
    var useTLS: Int?
    var createMissingDirectories = false
    var mailFrom: String?
    var mailRecipients: [String] = []
    var options: TransportOptions
}

/// What libcurl reported at the end of a transfer.
struct TransferOutcome: Sendable {
    var code: CURLcode
    var responseCode: Int
    var headerLines: [String]
    var body: Data
    var errorText: String
    var overflowed: Bool
    /// The socket error behind a failed connect (`ECONNREFUSED` …), 0 when there is none.
    var osErrno: Int = 0
}

/// One easy handle and the buffers its callbacks use.
///
/// `@unchecked Sendable`: a transfer is built on the submitting task, handed to the engine under
/// its mutex, and from then on touched only by the engine thread (callbacks run inside
/// `curl_multi_perform` on that thread) until `finish` resumes the continuation exactly once.
final class Transfer: @unchecked Sendable {
    let id: Int
    let easy: UnsafeMutableRawPointer
    private var slists: [UnsafeMutablePointer<curl_slist>] = []
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var requestBody: UnsafeMutableRawBufferPointer?
    fileprivate var upload = Data()
    fileprivate var uploadOffset = 0
    fileprivate var body = Data()
    fileprivate var headerLines: [String] = []
    fileprivate var maxBytes = 0
    fileprivate var overflowed = false
    private var continuation: CheckedContinuation<TransferOutcome, Never>?

    private static let counter = Atomic<Int>(0)

    init(plan: TransferPlan) throws(TransportError) {
        try Curl.ensureInitialised()
        guard let easy = curl_easy_init() else { throw .unavailable("curl_easy_init returned NULL") }
        self.id = Transfer.counter.add(1, ordering: .relaxed).newValue
        self.easy = easy
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        do {
            try configure(plan)
        } catch {
            release()
            throw error
        }
    }

    private func check(_ code: CURLcode, _ what: String, url: String) throws(TransportError) {
        guard code == CURLE_OK else {
            if code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT {
                throw .invalidURL(redacted(url), reason: Curl.description(of: code))
            }
            throw .transfer(url: redacted(url), curlCode: Int(code.rawValue), detail: "\(what): \(Curl.description(of: code))")
        }
    }

    private func configure(_ plan: TransferPlan) throws(TransportError) {
        let url = plan.url
        let options = plan.options
        maxBytes = options.maxResponseBytes
        try check(Curl.set(easy, CURLOPT_URL, url), "URL", url: url)
        try check(Curl.set(easy, CURLOPT_PROTOCOLS_STR, plan.protocols), "protocols", url: url)
        try check(Curl.set(easy, CURLOPT_REDIR_PROTOCOLS_STR, plan.protocols), "redirect protocols", url: url)
        // No signals: libcurl runs on our own thread; SIGALRM-based DNS timeouts are not thread-safe.
        _ = Curl.set(easy, CURLOPT_NOSIGNAL, true)
        _ = Curl.set(easy, CURLOPT_ERRORBUFFER, pointer: UnsafeRawPointer(errorBuffer))
        _ = Curl.set(easy, CURLOPT_CONNECTTIMEOUT_MS, max(1, options.connectTimeoutMilliseconds))
        _ = Curl.set(easy, CURLOPT_TIMEOUT_MS, max(1, options.totalTimeoutMilliseconds))
        _ = Curl.set(easy, CURLOPT_SSL_VERIFYPEER, options.verifyTLS)
        _ = Curl.set(easy, CURLOPT_SSL_VERIFYHOST, options.verifyTLS ? 2 : 0)
        if let caFile = options.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw .localFile(path: caFile, detail: "CA file is missing or unreadable")
            }
            try check(Curl.set(easy, CURLOPT_CAINFO, caFile), "CA file", url: url)
        }
        _ = Curl.set(easy, CURLOPT_FOLLOWLOCATION, plan.followRedirects)
        if plan.followRedirects { _ = Curl.set(easy, CURLOPT_MAXREDIRS, 5) }

        let context = UnsafeMutableRawPointer(Unmanaged.passUnretained(self).toOpaque())
        _ = Curl.set(easy, CURLOPT_WRITEFUNCTION, callback: writeCallback)
        _ = Curl.set(easy, CURLOPT_WRITEDATA, pointer: UnsafeRawPointer(context))
        _ = Curl.set(easy, CURLOPT_HEADERFUNCTION, callback: headerCallback)
        _ = Curl.set(easy, CURLOPT_HEADERDATA, pointer: UnsafeRawPointer(context))

        if let method = plan.customMethod {
            try check(Curl.set(easy, CURLOPT_CUSTOMREQUEST, method), "method", url: url)
        }
        if plan.headOnly { _ = Curl.set(easy, CURLOPT_NOBODY, true) }
        if !plan.headers.isEmpty {
            var list: UnsafeMutablePointer<curl_slist>?
            for line in plan.headers {
                guard let appended = curl_slist_append(list, line) else {
                    throw .unavailable("out of memory building headers")
                }
                list = appended
            }
            if let list {
                slists.append(list)
                _ = Curl.set(easy, CURLOPT_HTTPHEADER, pointer: UnsafeRawPointer(list))
            }
        }
        if let requestBody = plan.requestBody {
            // POSTFIELDS is not copied by libcurl: keep our own copy alive until `release`.
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, requestBody.count), alignment: 1)
            _ = requestBody.copyBytes(to: buffer.bindMemory(to: UInt8.self))
            self.requestBody = buffer
            _ = Curl.set(easy, CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(requestBody.count))
            _ = Curl.set(easy, CURLOPT_POSTFIELDS, pointer: UnsafeRawPointer(buffer.baseAddress))
        }
        if let upload = plan.upload {
            self.upload = upload
            _ = Curl.set(easy, CURLOPT_UPLOAD, true)
            _ = Curl.set(easy, CURLOPT_INFILESIZE_LARGE, offset: Int64(upload.count))
            _ = Curl.set(easy, CURLOPT_READFUNCTION, callback: readCallback)
            _ = Curl.set(easy, CURLOPT_READDATA, pointer: UnsafeRawPointer(context))
        }
        if let authentication = plan.authentication {
            let mask =
                switch authentication.scheme {
                case .basic: CurlAuth.basic
                case .digest: CurlAuth.digest
                case .any: CurlAuth.any
                }
            _ = Curl.set(easy, CURLOPT_HTTPAUTH, mask)
            _ = Curl.set(easy, CURLOPT_USERNAME, authentication.user)
            _ = Curl.set(easy, CURLOPT_PASSWORD, authentication.password)
        }
        if let login = plan.login {
            _ = Curl.set(easy, CURLOPT_USERNAME, login.user)
            _ = Curl.set(easy, CURLOPT_PASSWORD, login.password)
        }
        if let useTLS = plan.useTLS { _ = Curl.set(easy, CURLOPT_USE_SSL, useTLS) }
        if !plan.protocols.hasPrefix("http") {
            // FTP and SMTP connections are closed (QUIT) with their own transfer. Left in the shared
            // cache, libcurl would later close them while driving some other handle and store the
            // "221 Bye" reply as *that* handle's response code.
            _ = Curl.set(easy, CURLOPT_FORBID_REUSE, true)
        }
        if plan.createMissingDirectories {
            _ = Curl.set(easy, CURLOPT_FTP_CREATE_MISSING_DIRS, Int(CURLFTP_CREATE_DIR.rawValue))
        }
        if let from = plan.mailFrom {
            _ = Curl.set(easy, CURLOPT_MAIL_FROM, from)
            var list: UnsafeMutablePointer<curl_slist>?
            for recipient in plan.mailRecipients {
                guard let appended = curl_slist_append(list, recipient) else {
                    throw .unavailable("out of memory building recipients")
                }
                list = appended
            }
            if let list {
                slists.append(list)
                _ = Curl.set(easy, CURLOPT_MAIL_RCPT, pointer: UnsafeRawPointer(list))
            }
        }
    }

    func attach(_ continuation: CheckedContinuation<TransferOutcome, Never>) {
        self.continuation = continuation
    }

    /// Resumes the waiting task (once) and frees the handle. Engine thread only.
    func finish(code: CURLcode) {
        let outcome = TransferOutcome(
            code: code, responseCode: Curl.responseCode(easy), headerLines: headerLines, body: body,
            errorText: String(cString: errorBuffer), overflowed: overflowed, osErrno: Curl.osErrno(easy))
        release()
        continuation?.resume(returning: outcome)
        continuation = nil
    }

    private func release() {
        curl_easy_cleanup(easy)
        for list in slists { curl_slist_free_all(list) }
        slists.removeAll()
        requestBody?.deallocate()
        requestBody = nil
        errorBuffer.deallocate()
    }
}

private let writeCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if transfer.body.count + length > transfer.maxBytes {
        transfer.overflowed = true
        return 0  // makes libcurl abort with CURLE_WRITE_ERROR
    }
    transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
    return length
}

private let headerCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    transfer.headerLines.append(line)
    return length
}

private let readCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let remaining = transfer.upload.count - transfer.uploadOffset
    let length = min(size * count, remaining)
    guard length > 0 else { return 0 }
    let start = transfer.upload.startIndex + transfer.uploadOffset
    transfer.upload.copyBytes(
        to: UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self), from: start..<(start + length))
    transfer.uploadOffset += length
    return length
}

/// The one thread that drives every transfer through a libcurl multi handle.
///
/// Tasks never block: they hand a `Transfer` over and suspend on a continuation; this thread sleeps
/// in `curl_multi_poll` (woken by `curl_multi_wakeup` when work arrives) and resumes each
/// continuation when its transfer completes. Thousands of transfers share one thread and one
/// connection cache.
final class CurlEngine: @unchecked Sendable {
    // @unchecked: `multi` and `active` are touched only by the engine thread; `inbox` is a Mutex.
    private struct Inbox {
        var incoming: [Transfer] = []
        var cancelled: Set<Int> = []
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    static let shared: Result<CurlEngine, TransportError> = {
        do throws(TransportError) {
            try Curl.ensureInitialised()
        } catch {
            return .failure(error)
        }
        guard let multi = curl_multi_init() else { return .failure(.unavailable("curl_multi_init returned NULL")) }
        let engine = CurlEngine(multi: multi)
        let thread = Thread { engine.run() }
        thread.name = "gatehouse.curl"
        thread.start()
        return .success(engine)
    }()

    private init(multi: UnsafeMutableRawPointer) {
        self.multi = multi
    }

    func perform(_ transfer: Transfer) async -> TransferOutcome {
        let id = transfer.id
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.attach(continuation)
                inbox.withLock { $0.incoming.append(transfer) }
                curl_multi_wakeup(multi)
            }
        } onCancel: {
            inbox.withLock { _ = $0.cancelled.insert(id) }
            curl_multi_wakeup(multi)
        }
    }

    private func run() {
        while true {
            let (incoming, cancelled) = inbox.withLock { box in
                let taken = (box.incoming, box.cancelled)
                box.incoming.removeAll()
                box.cancelled.removeAll()
                return taken
            }
            for transfer in incoming {
                if cancelled.contains(transfer.id) {
                    transfer.finish(code: CURLE_ABORTED_BY_CALLBACK)
                    continue
                }
                let added = curl_multi_add_handle(multi, transfer.easy)
                if added != CURLM_OK {
                    transfer.finish(code: CURLE_FAILED_INIT)
                    continue
                }
                active[transfer.easy] = transfer
            }
            if !cancelled.isEmpty {
                for (easy, transfer) in active where cancelled.contains(transfer.id) {
                    curl_multi_remove_handle(multi, easy)
                    active[easy] = nil
                    transfer.finish(code: CURLE_ABORTED_BY_CALLBACK)
                }
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var pending: Int32 = 0
            while let message = curl_multi_info_read(multi, &pending) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                if let transfer = active.removeValue(forKey: easy) {
                    transfer.finish(code: code)
                }
            }
            // Sleeps until a socket is ready, a libcurl timer is due, or `curl_multi_wakeup`.
            curl_multi_poll(multi, nil, 0, 1_000, nil)
        }
    }
}
