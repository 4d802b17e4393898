/// The decoding entry points of `gatehouse push decode`: each reads one captured piece and returns its JSON view,
/// or throws a `PushParseError` (`line N, field F: what is wrong`).
public enum PushDecode {
    /// A raw HTTP request as captured (request line, headers, blank line, body).
    public static func request(capture: [UInt8]) throws(PushParseError) -> JSONValue {
        let capture = try HTTPCapture.parse(capture)
        let request = try PushRequest.parse(capture: capture)
        guard case .object(var members) = request.json else { return request.json }
        if let cookie = capture.header("Cookie") {
            members.append(("token", JSONValue.optional(SessionToken.fromCookie(cookie))))
        }
        members.insert(("headers", fieldsJSON(capture.headers)), at: 3)
        return .object(members)
    }

    /// A request given as its target (`/iclock/cdata?SN=…&table=rtlog`) and body; GET when the body is empty and
    /// the endpoint is polled with GET, POST otherwise.
    public static func request(target: String, body: [UInt8]) throws(PushParseError) -> JSONValue {
        let endpoint = PushEndpoint(path: target)
        let isGet = body.isEmpty && (endpoint == .getrequest || endpoint == .ping || endpoint == .rtdata
            || (endpoint == .cdata && target.lowercased().contains("options=all")) || (endpoint == .file && target.contains("url=")))
        return try PushRequest.parse(method: isGet ? "GET" : "POST", target: target, body: body).json
    }

    /// One command line (`C:…`), or several separated by line breaks.
    public static func command(_ text: String) throws(PushParseError) -> JSONValue {
        let commands = try ServerCommand.parseAll(Array(text.utf8))
        guard !commands.isEmpty else {
            throw PushParseError(line: 1, field: "C", problem: "no command given")
        }
        return commands.count == 1 ? commands[0].json : .array(commands.map(\.json))
    }

    /// A server reply to a request on `target`.
    public static func reply(target: String, body: [UInt8]) throws(PushParseError) -> JSONValue {
        guard let endpoint = PushEndpoint(path: target) else {
            throw PushParseError(line: 1, field: "path", problem: "`\(target.prefix(80))` is not a PUSH endpoint")
        }
        let queryText = target.firstIndex(of: "?").map { target[target.index(after: $0)...] } ?? ""
        return try ServerReply.parse(body, endpoint: endpoint, query: try PushQuery.parse(queryText)).json
    }
}
