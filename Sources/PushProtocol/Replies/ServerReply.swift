/// Every server → device reply body, typed. Which reading applies depends on the request it answers, so `parse`
/// takes the endpoint and query of that request.
public enum ServerReply: Sendable, Hashable {
    /// `OK` (any case): acknowledgement of uploads, ping, devicecmd, and the handshake of an unregistered device.
    case ok(String)
    /// The handshake reply of a registered device: `registry=ok`, `RegistryCode=…`, `SessionID=…` and the
    /// configuration lines (§4.1).
    case registration(ServerConfiguration)
    /// The registry reply: `RegistryCode=…` (§4.4).
    case registryCode(String)
    /// Registration refused: `406` (§4.4).
    case registrationRefused
    /// The `/push` configuration block (§4.5).
    case configuration(ServerConfiguration)
    /// The attendance-style handshake some servers answer with: `GET OPTION FROM: <SN>` then option lines, no
    /// SessionID.
    case attendanceOptions(serialNumber: String, lines: PushKeyValueLines)
    /// A received-count acknowledgement: `user=1`, `templatev10=2`, `transaction=41` (also written `user: 1`).
    case received(table: String, count: Int)
    /// `PublicKey=…` (§4.2).
    case publicKey(String)
    /// `Factors=…` (§4.3).
    case factors(String)
    /// `DateTime=<Appendix 5 seconds>,ServerTZ=+0800` (§9.5.1).
    case time(dateTime: UInt32, serverTimeZone: String)
    /// The commands of a getrequest reply (§8.1); empty when the server has nothing (it then answers `OK`, which
    /// parses as `.ok`).
    case commands([ServerCommand])
    /// The remote-identification reply (§10).
    case remoteIdentification(RemoteIdentificationReply)
    /// Anything else, verbatim (a server error page, `404` in a 200 reply to ping…).
    case text(String)

    /// The body bytes.
    public var body: [UInt8] {
        switch self {
        case .ok(let text): return Array(text.utf8)
        case .registration(let configuration), .configuration(let configuration): return Array(configuration.lines.text.utf8)
        case .registryCode(let code): return Array("RegistryCode=\(code)".utf8)
        case .registrationRefused: return Array("406".utf8)
        case .attendanceOptions(let serialNumber, let lines): return Array(("GET OPTION FROM: \(serialNumber)\n" + lines.text).utf8)
        case .received(let table, let count): return Array("\(table)=\(count)".utf8)
        case .publicKey(let key): return Array("PublicKey=\(key)".utf8)
        case .factors(let value): return Array("Factors=\(value)".utf8)
        case .time(let dateTime, let zone): return Array("DateTime=\(dateTime),ServerTZ=\(zone)".utf8)
        case .commands(let commands): return ServerCommand.emitAll(commands)
        case .remoteIdentification(let reply): return Array(reply.text.utf8)
        case .text(let text): return Array(text.utf8)
        }
    }

    /// Reads a reply to a request on `endpoint` with `query`.
    public static func parse(_ body: [UInt8], endpoint: PushEndpoint, query: PushQuery = PushQuery()) throws(PushParseError) -> ServerReply {
        guard body.count <= PushLimits.maximumBodyBytes else {
            throw PushParseError(line: 1, field: "body", problem: "reply of \(body.count) bytes exceeds the \(PushLimits.maximumBodyBytes)-byte limit")
        }
        var trimmedBytes = body[...]
        while let first = trimmedBytes.first, first == ASCII.space || first == ASCII.tab || first == ASCII.lineFeed || first == ASCII.carriageReturn { trimmedBytes = trimmedBytes.dropFirst() }
        while let last = trimmedBytes.last, last == ASCII.space || last == ASCII.tab || last == ASCII.lineFeed || last == ASCII.carriageReturn { trimmedBytes = trimmedBytes.dropLast() }
        // The big replies (command lists) are recognised on bytes, before any whole-body string work.
        if endpoint == .getrequest, ServerCommand.isCommandStart(trimmedBytes) {
            return .commands(try ServerCommand.parseAll(body))
        }
        if trimmedBytes.count == 2, trimmedBytes.hasPrefixIgnoringCase("ok") {
            return .ok(String(decoding: trimmedBytes, as: UTF8.self))
        }
        let text = PushTextEncoding.decode(body).text
        let trimmed = text.trimmingWhitespaceAndNewlines
        if trimmedBytes.hasPrefixIgnoringCase("get option from:") {
            let lines = try body.pushLines()
            let header = lines.first.map { PushTextEncoding.decode($0.bytes).text } ?? ""
            let serial = String(header.dropFirst(16)).trimmingWhitespaceAndNewlines
            var rest: [UInt8] = []
            for line in lines.dropFirst() {
                rest += line.bytes
                rest.append(ASCII.lineFeed)
            }
            return .attendanceOptions(serialNumber: serial, lines: try PushKeyValueLines.parse(rest))
        }
        switch endpoint {
        case .cdata:
            if query["AuthType"]?.lowercased() == "device", trimmed.uppercased().hasPrefix("AUTH=") {
                return .remoteIdentification(try RemoteIdentificationReply.parse(body))
            }
            if trimmed.lowercased().hasPrefix("registry=") || trimmed.contains("RegistryCode=") || trimmed.contains("SessionID=") {
                return .registration(ServerConfiguration(lines: try PushKeyValueLines.parse(body)))
            }
        case .registry:
            if trimmed == "406" { return .registrationRefused }
            if trimmed.hasPrefix("RegistryCode=") { return .registryCode(String(trimmed.dropFirst("RegistryCode=".count))) }
            if trimmed.lowercased().hasPrefix("registry=") || trimmed.utf8.contains(ASCII.lineFeed) {
                return .registration(ServerConfiguration(lines: try PushKeyValueLines.parse(body)))
            }
        case .push:
            return .configuration(ServerConfiguration(lines: try PushKeyValueLines.parse(body)))
        case .exchange:
            if trimmed.hasPrefix("PublicKey=") { return .publicKey(String(trimmed.dropFirst(10)).trimmingSpaces) }
            if trimmed.hasPrefix("Factors=") { return .factors(String(trimmed.dropFirst(8)).trimmingSpaces) }
        case .rtdata:
            let list = try PushOptionList.parse(trimmed)
            if let dateText = list["DateTime"] {
                guard let seconds = UInt32(dateText.trimmingSpaces) else {
                    throw PushParseError(line: 1, field: "DateTime", problem: "`\(dateText.prefix(20))` is not Appendix 5 seconds")
                }
                return .time(dateTime: seconds, serverTimeZone: list["ServerTZ"] ?? "")
            }
        default:
            break
        }
        // `table=N` / `table: N` acknowledgements of uploads.
        if !trimmed.utf8.contains(ASCII.lineFeed), let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) {
            let name = trimmed[..<separator].trimmingSpaces
            let countText = trimmed[trimmed.index(after: separator)...].trimmingSpaces
            if !name.isEmpty, name.utf8.allSatisfy(ASCII.isKeyByte), let count = Int(countText) {
                return .received(table: name, count: count)
            }
        }
        return .text(text)
    }
}

/// The key=value lines of the handshake / configuration replies, with typed readings of the known keys.
public struct ServerConfiguration: Sendable, Hashable {
    public var lines: PushKeyValueLines

    public init(lines: PushKeyValueLines) { self.lines = lines }

    /// Builds the reference's reply block in its order; nil values are left out.
    public init(
        registered: Bool, registryCode: String?, serverVersion: String? = nil, serverName: String? = nil,
        pushProtocolVersion: String? = nil, errorDelay: Int? = nil, requestDelay: Int? = nil, transTimes: String? = nil,
        transInterval: Int? = nil, transTables: String? = nil, realtime: Bool? = nil, sessionID: String? = nil,
        timeoutSeconds: Int? = nil, extra: [PushField] = []
    ) {
        var fields: [PushField] = []
        if registered { fields.append(PushField("registry", "ok")) }
        func add(_ key: String, _ value: String?) { if let value { fields.append(PushField(key, value)) } }
        add("RegistryCode", registryCode)
        add("ServerVersion", serverVersion)
        add("ServerName", serverName)
        add("PushProtVer", pushProtocolVersion)
        add("ErrorDelay", errorDelay.map(String.init))
        add("RequestDelay", requestDelay.map(String.init))
        add("TransTimes", transTimes)
        add("TransInterval", transInterval.map(String.init))
        add("TransTables", transTables)
        add("Realtime", realtime.map { $0 ? "1" : "0" })
        add("SessionID", sessionID)
        add("TimeoutSec", timeoutSeconds.map(String.init))
        self.lines = PushKeyValueLines(fields: fields + extra)
    }

    public var isRegistered: Bool { lines["registry"]?.lowercased() == "ok" }
    public var registryCode: String? { lines["RegistryCode"] }
    public var sessionID: String? { lines["SessionID"] }
    public var serverVersion: String? { lines["ServerVersion"] }
    public var pushProtocolVersion: PushProtocolVersion? { lines["PushProtVer"].flatMap { PushProtocolVersion($0) } }
    public var errorDelay: Int? { lines["ErrorDelay"].flatMap { Int($0.trimmingSpaces) } }
    public var requestDelay: Int? { lines["RequestDelay"].flatMap { Int($0.trimmingSpaces) } }
    public var transInterval: Int? { lines["TransInterval"].flatMap { Int($0.trimmingSpaces) } }
    public var timeoutSeconds: Int? { lines["TimeoutSec"].flatMap { Int($0.trimmingSpaces) } }
    public var realtime: Bool? { lines["Realtime"].map { $0.trimmingSpaces == "1" } }
    /// `TransTimes` split on `;` (servers also use TAB or spaces).
    public var transTimes: [String] {
        (lines["TransTimes"] ?? "").split(whereSeparator: { $0 == ";" || $0 == "\t" || $0 == " " }).map(String.init)
    }
    /// `TransTables` split on spaces (servers also use TAB or `;`).
    public var transTables: [String] {
        (lines["TransTables"] ?? "").split(whereSeparator: { $0 == ";" || $0 == "\t" || $0 == " " }).map(String.init)
    }
}

/// The reply to a remote identification (§10): `AUTH=SUCCESS|FAILED|TIMEOUT`, the event echoed, an optional
/// `CONTROL DEVICE` line and an optional `TIPS=` text, CRLF-separated.
public struct RemoteIdentificationReply: Sendable, Hashable {
    public var result: String
    public var event: RealtimeEvent?
    public var control: ControlDeviceCommand?
    public var tips: String?

    public init(result: String, event: RealtimeEvent? = nil, control: ControlDeviceCommand? = nil, tips: String? = nil) {
        self.result = result
        self.event = event
        self.control = control
        self.tips = tips
    }

    public var succeeded: Bool { result.uppercased() == "SUCCESS" }

    public var text: String {
        var lines = ["AUTH=\(result)"]
        if let event { lines.append(event.record.text) }
        if let control { lines.append("CONTROL DEVICE " + control.text) }
        if let tips { lines.append("TIPS=\(tips)") }
        return lines.joined(separator: "\r\n")
    }

    static func parse(_ body: [UInt8]) throws(PushParseError) -> RemoteIdentificationReply {
        var reply = RemoteIdentificationReply(result: "")
        for line in try body.pushLines() {
            let text = PushTextEncoding.decode(line.bytes).text.trimmingLeadingSpaces
            let upper = text.prefix(14).uppercased()
            if upper.hasPrefix("AUTH=") {
                reply.result = String(text.dropFirst(5))
            } else if upper.hasPrefix("CONTROL DEVICE") {
                reply.control = try ControlDeviceCommand(text: String(text.dropFirst(14)).trimmingSpaces, lineNumber: line.number)
            } else if upper.hasPrefix("TIPS=") {
                reply.tips = String(text.dropFirst(5))
            } else {
                let record = try PushRecord.parse(Array(text.utf8)[...], lineNumber: line.number, validUTF8: true, allowTag: false)
                // A line of blanks is not an event.
                if !record.fields.isEmpty { reply.event = RealtimeEvent(record: record) }
            }
        }
        return reply
    }
}

extension StringProtocol {
    var trimmingWhitespaceAndNewlines: String {
        var rest = Substring(self)
        while let first = rest.first, first.isWhitespace { rest = rest.dropFirst() }
        while let last = rest.last, last.isWhitespace { rest = rest.dropLast() }
        return String(rest)
    }
}
