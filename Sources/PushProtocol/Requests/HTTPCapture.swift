/// A raw HTTP/1.x request as captured (request line, headers, blank line, body), split into its parts.
///
/// This is not an HTTP server: it reads a capture (Wireshark "Follow HTTP stream", a test fixture) for
/// `gatehouse push decode` and tests. Chunked bodies are de-chunked; `Content-Length` limits the body when shorter.
public struct HTTPCapture: Sendable, Hashable {
    public var method: String
    public var target: String
    public var version: String
    public var headers: [PushField]
    public var body: [UInt8]

    public init(method: String, target: String, version: String = "HTTP/1.1", headers: [PushField] = [], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first(where: { $0.key.lowercased() == lowered }).flatMap(\.value)
    }

    public static func parse(_ raw: [UInt8]) throws(PushParseError) -> HTTPCapture {
        guard raw.count <= PushLimits.maximumBodyBytes + 64 * 1024 else {
            throw PushParseError(line: 1, field: "request", problem: "capture of \(raw.count) bytes exceeds the size limit")
        }
        // Find the end of the head: CRLFCRLF or LFLF.
        var headEnd = raw.endIndex
        var bodyStart = raw.endIndex
        var index = raw.startIndex
        while index < raw.endIndex {
            if raw[index] == ASCII.lineFeed {
                if index + 1 < raw.endIndex, raw[index + 1] == ASCII.lineFeed {
                    headEnd = index
                    bodyStart = index + 2
                    break
                }
                if index + 2 < raw.endIndex, raw[index + 1] == ASCII.carriageReturn, raw[index + 2] == ASCII.lineFeed {
                    headEnd = index
                    bodyStart = index + 3
                    break
                }
            }
            index += 1
        }
        let head = Array(raw[raw.startIndex..<headEnd])
        let lines = try head.pushLines()
        guard let requestLine = lines.first else {
            throw PushParseError(line: 1, field: "request line", problem: "the capture is empty")
        }
        let requestText = PushTextEncoding.decode(requestLine.bytes).text
        var parts = requestText.split(separator: " ", omittingEmptySubsequences: true)
        // `POST/iclock/cdata?…` (the reference's rendering drops the space after the method).
        if let first = parts.first, let slash = first.firstIndex(of: "/"), slash > first.startIndex,
           ["GET", "POST"].contains(first[..<slash].uppercased()) {
            parts.replaceSubrange(0...0, with: [first[..<slash], first[slash...]])
        }
        guard parts.count >= 2 else {
            throw PushParseError(line: requestLine.number, field: "request line", problem: "expected `METHOD /path HTTP/1.1`, found `\(requestText.prefix(60))`")
        }
        let method = String(parts[0]).uppercased()
        guard ["GET", "POST", "PUT", "HEAD"].contains(method) else {
            throw PushParseError(line: requestLine.number, field: "method", problem: "unknown HTTP method `\(parts[0].prefix(20))`")
        }
        let hasVersion = parts.count >= 3 && (parts.last?.hasPrefix("HTTP/") ?? false)
        let version = hasVersion ? String(parts[parts.count - 1]) : "HTTP/1.1"
        let targetParts = hasVersion ? parts[1..<(parts.count - 1)] : parts[1...]
        let target = targetParts.joined()
        var headers: [PushField] = []
        for line in lines.dropFirst() {
            let text = PushTextEncoding.decode(line.bytes).text
            guard let colon = text.firstIndex(of: ":") else {
                throw PushParseError(line: line.number, field: "header", problem: "expected `Name: value`, found `\(text.prefix(40))`")
            }
            headers.append(PushField(String(text[..<colon]).trimmingSpaces, String(text[text.index(after: colon)...]).trimmingSpaces))
        }
        var capture = HTTPCapture(method: method, target: target, version: version, headers: headers,
                                  body: bodyStart < raw.endIndex ? Array(raw[bodyStart...]) : [])
        if capture.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            capture.body = try dechunk(capture.body, firstLine: lines.count + 2)
        } else if let lengthText = capture.header("Content-Length"), let length = Int(lengthText), length >= 0, length < capture.body.count {
            capture.body = Array(capture.body[0..<length])
        }
        return capture
    }

    /// The request as bytes: request line, headers, blank line, body (CRLF line ends).
    public var bytes: [UInt8] {
        var out = "\(method) \(target) \(version)\r\n"
        for header in headers { out += "\(header.key): \(header.value ?? "")\r\n" }
        out += "\r\n"
        return Array(out.utf8) + body
    }

    private static func dechunk(_ body: [UInt8], firstLine: Int) throws(PushParseError) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        var line = firstLine
        while index < body.count {
            guard let lineEnd = body[index...].firstIndex(of: ASCII.lineFeed) else {
                throw PushParseError(line: line, field: "chunk size", problem: "chunk size line is not terminated")
            }
            var sizeText = String(decoding: body[index..<lineEnd], as: UTF8.self)
            if sizeText.hasSuffix("\r") { sizeText.removeLast() }
            if let semicolon = sizeText.firstIndex(of: ";") { sizeText = String(sizeText[..<semicolon]) }
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0 else {
                throw PushParseError(line: line, field: "chunk size", problem: "`\(sizeText.prefix(20))` is not a hexadecimal chunk size")
            }
            index = lineEnd + 1
            line += 1
            if size == 0 { break }
            guard size <= body.count - index else {
                throw PushParseError(line: line, field: "chunk", problem: "chunk of \(size) bytes runs past the end of the capture")
            }
            out.append(contentsOf: body[index..<(index + size)])
            index += size
            if index < body.count, body[index] == ASCII.carriageReturn { index += 1 }
            if index < body.count, body[index] == ASCII.lineFeed { index += 1 }
        }
        return out
    }
}
