/// The `/iclock/…` endpoints of the protocol.
public enum PushEndpoint: String, Sendable, Codable, CaseIterable {
    case cdata
    case registry
    case push
    case exchange
    case getrequest
    case ping
    case devicecmd
    case querydata
    case rtdata
    case file

    /// Recognises a request path, accepting what servers see in the field: `/iclock/cdata.aspx`, trailing slashes,
    /// a missing `/iclock` prefix, any case. Returns nil for paths outside the protocol.
    public init?(path: String) {
        var trimmed = Substring(path)
        if let question = trimmed.firstIndex(of: "?") { trimmed = trimmed[..<question] }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        var last = trimmed.split(separator: "/").last.map(String.init) ?? ""
        if last.lowercased().hasSuffix(".aspx") { last = String(last.dropLast(5)) }
        let lowered = last.lowercased()
        guard let endpoint = PushEndpoint(rawValue: lowered) else { return nil }
        self = endpoint
    }

    /// The canonical path.
    public var path: String { "/iclock/" + rawValue }
}
