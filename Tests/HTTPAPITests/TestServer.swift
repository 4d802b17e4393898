import Digests
import AccessControl
import Foundation
import Hummingbird
import Logging
import NIOCore
import PushProtocol
import Testing

@testable import HTTPAPI

#if canImport(Glibc)
import Glibc
#endif

/// A request context that knows the client's address, as the allowlist needs.
struct AddressedContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// A real HTTP server on 127.0.0.1 (an ephemeral port) for the duration of `body`, called over a plain socket.
@discardableResult
func withServer<Context: RequestContext, Result: Sendable>(
    _ router: Router<Context>, _ body: @Sendable (HTTPClient) async throws -> Result
) async throws -> Result where Context.Source == ApplicationRequestContextSource {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        },
        logger: quietLogger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        defer { group.cancelAll() }
        return try await body(HTTPClient(port: port))
    }
}

/// Hummingbird logs every start and the cancellation that stops it; tests only want real trouble.
let quietLogger: Logger = {
    var logger = Logger(label: "HTTPAPITests")
    logger.logLevel = .critical
    return logger
}()

/// A reply as a client sees it.
struct Reply: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var retcode: Int? { json["retcode"] as? Int }
    var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    var items: [[String: Any]] { data["item"] as? [[String: Any]] ?? [] }
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// A minimal HTTP/1.1 client over a POSIX socket. URLSession on Linux cannot be used here: given a 401 with a
/// Basic challenge it either hangs or crashes in FoundationNetworking, and these tests need to see that 401.
struct HTTPClient: Sendable {
    let port: Int

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func send(_ method: String, _ target: String, body: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        try await send(method, target, data: body.map { Data($0.utf8) }, headers: headers)
    }

    func send(_ method: String, _ target: String, data body: Data?, headers: [String: String] = [:]) async throws -> Reply {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body?.count ?? 0)\r\n\r\n"
        let request = Array(head.utf8) + Array(body ?? Data())
        let port = self.port
        // Blocking socket calls on a thread of their own: on the cooperative pool (2 threads here) they would starve
        // the site actor the server is waiting for.
        let raw = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            Thread { continuation.resume(with: Result { try Self.exchange(request, port: port) }) }.start()
        }
        return try Self.parse(raw)
    }

    private static func exchange(_ request: [UInt8], port: Int) throws -> [UInt8] {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect() failed") }
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "write() failed") }
            sent += count
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            response += buffer[0..<count]
        }
        return response
    }

    private static func parse(_ raw: [UInt8]) throws -> Reply {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, raw.count - 3)).first(where: { Array(raw[$0..<$0 + 4]) == separator }) else {
            throw Failure(description: "no HTTP header in the reply")
        }
        let lines = String(decoding: raw[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "bad status line") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(raw[(end + 4)...])
        if headers.first(where: { $0.key.lowercased() == "transfer-encoding" })?.value.lowercased() == "chunked" {
            var decoded: [UInt8] = []
            var index = 0
            while index < body.count {
                guard let lineEnd = (index..<body.count - 1).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }),
                    let size = Int(String(decoding: body[index..<lineEnd], as: UTF8.self), radix: 16)
                else { break }
                if size == 0 { break }
                decoded += body[(lineEnd + 2)..<min(body.count, lineEnd + 2 + size)]
                index = lineEnd + 2 + size + 2
            }
            body = decoded
        }
        return Reply(status: status, headers: headers, body: Data(body))
    }

    func get(_ target: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", target, headers: headers)
    }

    func post(_ target: String, _ body: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("POST", target, body: body, headers: headers)
    }
}

/// A site on the four-door panel with in-memory stores and a test clock.
struct Fixture {
    let clock = TestClock()
    let journal = InMemoryJournal()
    let site: Site

    init(configuration: SiteConfiguration = .fourDoorPanel(), users: [User] = []) throws {
        site = try Site(configuration: configuration, users: users, clock: clock, journalSink: journal)
    }

    /// The journal as stored (after a flush).
    func entries() async throws -> [JournalEntry] {
        try await site.flush()
        return await journal.stored
    }
}

func basic(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
}

/// Parses `Digest realm="…", nonce="…"` and answers it as a client would (qop auth, MD5).
func digestAnswer(
    challenge: String, method: String, uri: String, user: String, password: String, nc: String = "00000001",
    cnonce: String = "0a4f113b"
) -> String {
    let fields = AkuvoxAuthenticator.parseAuthParameters(String(challenge.dropFirst("Digest ".count)))
    let realm = fields["realm"] ?? ""
    let nonce = fields["nonce"] ?? ""
    let ha1 = Digest.md5Hex("\(user):\(realm):\(password)")
    let ha2 = Digest.md5Hex("\(method):\(uri)")
    let response = Digest.md5Hex("\(ha1):\(nonce):\(nc):\(cnonce):auth:\(ha2)")
    return """
        Digest username="\(user)", realm="\(realm)", nonce="\(nonce)", uri="\(uri)", qop=auth, nc=\(nc), \
        cnonce="\(cnonce)", response="\(response)", opaque="\(fields["opaque"] ?? "")", algorithm=MD5
        """
}
