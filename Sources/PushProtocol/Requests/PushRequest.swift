import Foundation

/// HTTP methods the protocol uses.
public enum PushMethod: String, Sendable, Codable {
    case get = "GET"
    case post = "POST"
}

/// Every device → server request, as a typed value: the endpoint and query as sent, and the body read according to
/// both. `parse` reads what arrives; `emit` produces the request target and body bytes (the device role uses it,
/// tests use both for identity).
public struct PushRequest: Sendable, Hashable {
    public var method: PushMethod
    public var endpoint: PushEndpoint
    public var query: PushQuery
    public var message: PushRequestMessage

    public init(method: PushMethod, endpoint: PushEndpoint, query: PushQuery, message: PushRequestMessage) {
        self.method = method
        self.endpoint = endpoint
        self.query = query
        self.message = message
    }

    public var serialNumber: String? { query.serialNumber }

    /// `/iclock/<endpoint>?<query>`.
    public var target: String {
        let queryText = query.text
        return queryText.isEmpty ? endpoint.path : endpoint.path + "?" + queryText
    }

    /// Parses a request from its method, target (`/iclock/cdata?SN=…`) and body.
    public static func parse(method: String, target: String, body: [UInt8]) throws(PushParseError) -> PushRequest {
        let pathPart: Substring
        let queryPart: Substring
        if let question = target.firstIndex(of: "?") {
            pathPart = target[..<question]
            queryPart = target[target.index(after: question)...]
        } else {
            pathPart = target[...]
            queryPart = ""
        }
        guard let endpoint = PushEndpoint(path: String(pathPart).trimmingSpaces) else {
            throw PushParseError(line: 1, field: "path", problem: "`\(pathPart.prefix(80))` is not a PUSH endpoint (/iclock/cdata, registry, push, exchange, getrequest, ping, devicecmd, querydata, rtdata, file)")
        }
        guard let pushMethod = PushMethod(rawValue: method.uppercased()) else {
            throw PushParseError(line: 1, field: "method", problem: "`\(method.prefix(20))` is not GET or POST")
        }
        let query = try PushQuery.parse(queryPart)
        let message = try PushRequestMessage.parse(method: pushMethod, endpoint: endpoint, query: query, body: body)
        return PushRequest(method: pushMethod, endpoint: endpoint, query: query, message: message)
    }

    /// Parses a captured raw HTTP request.
    public static func parse(capture: HTTPCapture) throws(PushParseError) -> PushRequest {
        try parse(method: capture.method, target: capture.target, body: capture.body)
    }

    /// The body bytes for this request.
    public var body: [UInt8] { message.body }
}

/// What a request says, by endpoint and query.
public enum PushRequestMessage: Sendable, Hashable {
    /// `GET cdata?SN=…&options=all[&pushver=…][&…]`: the handshake (§4.1). Everything is in the query.
    case initialization
    /// `POST cdata?table=rtlog`: events, and door-state rows on firmware that mixes them in.
    case realtimeLog([RealtimeRow])
    /// `POST cdata?table=rtstate`.
    case realtimeState([RealtimeState])
    /// `POST cdata?table=options`: device parameters (§4.6).
    case deviceOptions(PushOptionList)
    /// `POST cdata?table=tabledata&tablename=…&count=…` (§7.5–§7.12, and §5 DeviceAuthorize).
    case tableData(table: PushTableName, records: [PushRecord])
    /// `POST cdata?table=<other>` (testdata, irstate, unknown tables): rows carried through.
    case tableRows(table: String, records: [PushRecord])
    /// `POST cdata?AuthType=device`: remote identification (§10).
    case remoteIdentification([RealtimeEvent])
    /// `POST cdata?cmdid=…&desc=overview`: ACCOUNT summary (§9.2.2).
    case accountOverview(PushKeyValueLines)
    /// `POST cdata?type=EnrollInfoData|BioData`: remote registration data (§9.6).
    case enrollmentData(kind: String, records: [PushRecord])
    /// `POST registry`: device capabilities (§4.4).
    case registration(PushOptionList)
    /// `POST push`: configuration request (§4.5); body normally empty.
    case configurationRequest([UInt8])
    /// `POST exchange?type=publickey` (§4.2).
    case publicKey(String)
    /// `POST exchange?type=factors` (§4.3).
    case factors(String)
    /// `GET getrequest` (§8.1).
    case commandPoll
    /// `GET/POST ping` (§6).
    case ping
    /// `POST devicecmd` — or results POSTed to getrequest by old firmware (§7.4).
    case commandResults([CommandResult])
    /// `POST querydata?type=count`: `table=N` lines.
    case queryCount([PushField])
    /// `POST querydata?type=tabledata|vmtable` without datafmt: rows.
    case queryRows([PushRecord])
    /// `POST querydata?type=options`: GET OPTIONS answer.
    case queryOptions(PushOptionList)
    /// `POST querydata?…&datafmt=3`: a packed (tgz, base64) upload with its NUL-terminated header.
    case packedData(PackedData)
    /// `GET rtdata?type=time` (§9.5.1).
    case timeRequest
    /// `GET file?url=…`: firmware download (§9.4.1).
    case fileDownload(url: String)
    /// `POST file?cmdid=…&fileseq=…`: an ACCOUNT part upload, raw bytes (§9.2.2).
    case fileUpload([UInt8])

    static func parse(method: PushMethod, endpoint: PushEndpoint, query: PushQuery, body: [UInt8]) throws(PushParseError) -> PushRequestMessage {
        guard body.count <= PushLimits.maximumBodyBytes else {
            throw PushParseError(line: 1, field: "body", problem: "body of \(body.count) bytes exceeds the \(PushLimits.maximumBodyBytes)-byte limit")
        }
        switch endpoint {
        case .cdata:
            if query["AuthType"]?.lowercased() == "device" {
                return .remoteIdentification(try RecordBody.parse(body, allowTag: false).map(RealtimeEvent.init(record:)))
            }
            if query["desc"]?.lowercased() == "overview" {
                return .accountOverview(try PushKeyValueLines.parse(body))
            }
            if let table = query["table"] {
                switch table.lowercased() {
                case "rtlog": return .realtimeLog(try RecordBody.parse(body, allowTag: false).map(RealtimeRow.init(record:)))
                case "rtstate": return .realtimeState(try RecordBody.parse(body, allowTag: false).map(RealtimeState.init(record:)))
                case "options": return .deviceOptions(try optionList(body))
                case "tabledata":
                    return .tableData(table: PushTableName(query["tablename"] ?? ""), records: try RecordBody.parse(body))
                default: return .tableRows(table: table, records: try RecordBody.parse(body))
                }
            }
            if let type = query["type"], ["enrollinfodata", "biodata"].contains(type.lowercased()) {
                return .enrollmentData(kind: type, records: try RecordBody.parse(body, allowTag: false))
            }
            if method == .get || query["options"] != nil { return .initialization }
            throw PushParseError(line: 1, field: "table", problem: "cdata POST without table=, AuthType= or desc=")
        case .registry:
            return .registration(try optionList(body))
        case .push:
            return .configurationRequest(body)
        case .exchange:
            let text = PushTextEncoding.decode(body).text
            let value = Self.valueAfterEquals(text, key: query["type"]?.lowercased() == "factors" ? "Factors" : "PublicKey")
            switch query["type"]?.lowercased() {
            case "publickey": return .publicKey(value)
            case "factors": return .factors(value)
            default: throw PushParseError(line: 1, field: "type", problem: "exchange needs type=publickey or type=factors")
            }
        case .getrequest:
            if method == .post, !body.isEmpty { return .commandResults(try CommandResult.parseAll(body)) }
            return .commandPoll
        case .ping:
            return .ping
        case .devicecmd:
            return .commandResults(try CommandResult.parseAll(body))
        case .querydata:
            if query["datafmt"] == "3" { return .packedData(try PackedData.parse(body)) }
            switch query["type"]?.lowercased() {
            case "count":
                return .queryCount(try PushKeyValueLines.parse(body).fields)
            case "options":
                return .queryOptions(try optionList(body))
            case "tabledata", "vmtable", nil:
                return .queryRows(try RecordBody.parse(body))
            default:
                return .queryRows(try RecordBody.parse(body))
            }
        case .rtdata:
            return .timeRequest
        case .file:
            if method == .get { return .fileDownload(url: query["url"] ?? "") }
            return .fileUpload(body)
        }
    }

    /// Option-list bodies may arrive on several lines (a CRLF at the end, a wrapped capture): the lines are joined
    /// with `,` and read as one list, so the emitted single line reads back the same.
    static func optionList(_ body: [UInt8]) throws(PushParseError) -> PushOptionList {
        let lines = try body.pushLines()
        let text = lines.map { PushTextEncoding.decode($0.bytes).text }.joined(separator: ",")
        return try PushOptionList.parse(text, lineNumber: lines.first?.number ?? 1)
    }

    static func valueAfterEquals(_ text: String, key: String) -> String {
        var trimmed = text
        while let last = trimmed.last, last.isNewline { trimmed.removeLast() }
        if trimmed.lowercased().hasPrefix(key.lowercased() + "=") {
            return String(trimmed.dropFirst(key.count + 1))
        }
        return trimmed
    }

    /// The body bytes of this message.
    public var body: [UInt8] {
        switch self {
        case .initialization, .commandPoll, .ping, .timeRequest, .fileDownload:
            return []
        case .realtimeLog(let rows):
            return RecordBody.emit(rows.map(\.record))
        case .realtimeState(let states):
            return RecordBody.emit(states.map(\.record))
        case .deviceOptions(let list), .registration(let list), .queryOptions(let list):
            return Array(list.text.utf8)
        case .tableData(_, let records), .tableRows(_, let records), .enrollmentData(_, let records), .queryRows(let records):
            return RecordBody.emit(records)
        case .remoteIdentification(let events):
            return RecordBody.emit(events.map(\.record))
        case .accountOverview(let lines):
            return Array(lines.text.utf8)
        case .configurationRequest(let bytes), .fileUpload(let bytes):
            return bytes
        case .publicKey(let key):
            return Array("PublicKey=\(key)".utf8)
        case .factors(let value):
            return Array("Factors=\(value)".utf8)
        case .commandResults(let results):
            return CommandResult.emitAll(results)
        case .queryCount(let fields):
            return Array(fields.map { $0.text + "\n" }.joined().utf8)
        case .packedData(let packed):
            return packed.bytes
        }
    }
}

/// A `datafmt=3` upload: `name=…`, `size=…`, `datacode=base64`, `datatype=tgz` header lines, a NUL, then the
/// base64 text of a tgz archive. The archive is decoded from base64 here; unpacking the tgz is left to the outer
/// ring (this module has no zlib).
public struct PackedData: Sendable, Hashable {
    public var header: PushKeyValueLines
    /// The base64 text as sent.
    public var payloadText: String

    public init(header: PushKeyValueLines, payloadText: String) {
        self.header = header
        self.payloadText = payloadText
    }

    public var name: String? { header["name"] }
    public var size: Int? { header["size"].flatMap { Int($0) } }
    public var dataCode: String? { header["datacode"] }
    public var dataType: String? { header["datatype"] }

    /// The archive bytes, nil when the payload is not base64.
    public var archive: [UInt8]? {
        Data(base64Encoded: payloadText, options: .ignoreUnknownCharacters).map { Array($0) }
    }

    public static func parse(_ body: [UInt8]) throws(PushParseError) -> PackedData {
        guard let nul = body.firstIndex(of: ASCII.nul) else {
            throw PushParseError(line: 1, field: "datatype", problem: "datafmt=3 body has no NUL between its header and the data")
        }
        let header = try PushKeyValueLines.parse(Array(body[..<nul]))
        var payload = body[(nul + 1)...]
        while let first = payload.first, first == ASCII.space { payload = payload.dropFirst() }
        return PackedData(header: header, payloadText: PushTextEncoding.decode(payload).text)
    }

    public var bytes: [UInt8] {
        var text = header.text
        if let last = text.last, last.isNewline { text.removeLast() }
        return Array(text.utf8) + [ASCII.nul] + Array(payloadText.utf8)
    }
}
