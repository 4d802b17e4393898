/// One server command `C:<id>:<command>` as delivered in a getrequest reply (§8.1, §9), optionally wrapped in the
/// `CmdFormat=1` prefix of Appendix 14.
public struct ServerCommand: Sendable, Hashable {
    /// The command ID as sent. Usually digits; kept as text because servers in the field send other IDs.
    public var id: String
    public var kind: CommandKind
    /// The Appendix 14 prefix fields (`DataType`, `SN`, `Priority`, `CmdID`) when the command came in that form.
    public var formatPrefix: [PushField]?

    public init(id: String, kind: CommandKind, formatPrefix: [PushField]? = nil) {
        self.id = id
        self.kind = kind
        self.formatPrefix = formatPrefix
    }

    public init(id: Int, kind: CommandKind) { self.init(id: String(id), kind: kind) }

    /// The command ID as a number, when it is one.
    public var numericID: Int? { Int(id) }

    /// `C:<id>:<command>` (records of a multi-record DATA UPDATE on following lines, LF-separated), with the
    /// Appendix 14 prefix when present. No final line terminator.
    public var text: String {
        let core = "C:\(id):\(kind.text)"
        guard let formatPrefix else { return core }
        return formatPrefix.map(\.text).joined(separator: ", ") + ", CmdDesc=" + core
    }

    /// Parses one command. Continuation lines of a multi-record DATA UPDATE are part of `text` (line-separated).
    public static func parse(_ text: String, lineNumber: Int = 1) throws(PushParseError) -> ServerCommand {
        let lines = try Array(text.utf8).pushLines()
        guard let head = lines.first else {
            throw PushParseError(line: lineNumber, field: "C", problem: "empty command")
        }
        return try parse(head: head.bytes, continuation: lines.dropFirst().map(\.bytes), lineNumber: lineNumber)
    }

    /// Parses a command from its first line and continuation lines, as bytes (valid UTF-8).
    static func parse(
        head: ArraySlice<UInt8>, continuation: [ArraySlice<UInt8>], lineNumber: Int
    ) throws(PushParseError) -> ServerCommand {
        var rest = head
        while let first = rest.first, isWordBlank(first) { rest = rest.dropFirst() }
        var prefix: [PushField]?
        if rest.hasPrefixIgnoringCase("datatype=") {
            let marker = Array("CmdDesc=".utf8)
            guard let markerIndex = rest.firstRange(of: marker)?.lowerBound else {
                throw PushParseError(line: lineNumber, field: "CmdDesc", problem: "CmdFormat=1 command without CmdDesc=")
            }
            let headText = String(decoding: rest[..<markerIndex], as: UTF8.self)
            prefix = headText.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }.map { part in
                if let equals = part.firstIndex(of: "=") {
                    return PushField(String(part[..<equals]), String(part[part.index(after: equals)...]))
                }
                return PushField(part, nil)
            }
            rest = rest[(markerIndex + marker.count)...]
            while let first = rest.first, first == ASCII.space || first == ASCII.tab { rest = rest.dropFirst() }
        }
        guard rest.hasPrefixIgnoringCase("c:") else {
            throw PushParseError(line: lineNumber, field: "C", problem: "a command starts with `C:<id>:`, found `\(String(decoding: rest.prefix(40), as: UTF8.self))`")
        }
        rest = rest.dropFirst(2)
        guard let colon = rest.firstIndex(of: ASCII.colon) else {
            throw PushParseError(line: lineNumber, field: "CmdID", problem: "missing `:` after the command ID")
        }
        let idBytes = rest[..<colon].trimmingSpaceBytes
        guard !idBytes.isEmpty else {
            throw PushParseError(line: lineNumber, field: "CmdID", problem: "the command ID is empty")
        }
        var body = rest[(colon + 1)...]
        while let first = body.first, first == ASCII.space || first == ASCII.tab { body = body.dropFirst() }
        let kind = try CommandKind.parse(head: body, continuation: continuation, lineNumber: lineNumber)
        return ServerCommand(id: String(decoding: idBytes, as: UTF8.self), kind: kind, formatPrefix: prefix)
    }

    /// Parses a getrequest reply body holding several commands. Commands are separated by LF, CRLF or CRLF CRLF;
    /// a line that does not start with `C:` (or the Appendix 14 prefix) continues the previous command (the extra
    /// records of a multi-record DATA UPDATE). A missing final newline is fine.
    public static func parseAll(_ body: [UInt8]) throws(PushParseError) -> [ServerCommand] {
        let bodyIsUTF8 = isValidUTF8(body)
        if bodyIsUTF8, let commands = try CommandFastPath.parseAll(body) { return commands }
        return try parseAllGeneral(body, bodyIsUTF8: bodyIsUTF8)
    }

    /// The general path: any encoding, any command; `CommandFastPath` must agree with it.
    static func parseAllGeneral(_ body: [UInt8], bodyIsUTF8: Bool) throws(PushParseError) -> [ServerCommand] {
        let lines = try body.pushLines()
        var commands: [ServerCommand] = []
        commands.reserveCapacity(lines.count)
        var head: ArraySlice<UInt8>?
        var headLine = 1
        var continuation: [ArraySlice<UInt8>] = []
        for line in lines {
            let bytes = bodyIsUTF8 || isValidUTF8(line.bytes) ? line.bytes : Array(PushTextEncoding.decode(line.bytes).text.utf8)[...]
            if isCommandStart(bytes) {
                if let current = head {
                    commands.append(try parse(head: current, continuation: continuation, lineNumber: headLine))
                }
                head = bytes
                headLine = line.number
                continuation.removeAll(keepingCapacity: true)
            } else if head != nil {
                continuation.append(bytes)
            } else {
                throw PushParseError(line: line.number, field: "C", problem: "expected a command `C:<id>:…`, found `\(String(decoding: bytes.prefix(40), as: UTF8.self))`")
            }
        }
        if let current = head {
            commands.append(try parse(head: current, continuation: continuation, lineNumber: headLine))
        }
        return commands
    }

    /// Commands joined by LF, with a final LF.
    public static func emitAll(_ commands: [ServerCommand]) -> [UInt8] {
        var out: [UInt8] = []
        for command in commands {
            out.append(contentsOf: command.text.utf8)
            out.append(ASCII.lineFeed)
        }
        return out
    }

    static func isCommandStart(_ bytes: ArraySlice<UInt8>) -> Bool {
        // Blanks include CR, as for record lines, so a continuation line never reads as a command after emission.
        var rest = bytes
        while let first = rest.first, isWordBlank(first) { rest = rest.dropFirst() }
        return rest.hasPrefixIgnoringCase("c:") || rest.hasPrefixIgnoringCase("datatype=")
    }
}

extension StringProtocol {
    /// Leading spaces and tabs and trailing spaces removed (a trailing TAB marks a TAB-separated record).
    var trimmingForRecord: String {
        var rest = Substring(self)
        while let first = rest.first, first == " " || first == "\t" || first == "\r" { rest = rest.dropFirst() }
        while let last = rest.last, last == " " { rest = rest.dropLast() }
        return String(rest)
    }

    var trimmingLeadingSpaces: String {
        var rest = Substring(self)
        while let first = rest.first, first == " " || first == "\t" { rest = rest.dropFirst() }
        return String(rest)
    }
}

/// What a server command asks for.
public enum CommandKind: Sendable, Hashable {
    /// `DATA UPDATE <table> <record>[LF<record>…]` (§9.1.1).
    case dataUpdate(table: PushTableName, records: [PushRecord])
    /// `DATA DELETE <table> <cond>` (§9.1.2).
    case dataDelete(table: PushTableName, condition: DataCondition)
    /// `DATA COUNT <table> [<cond>]` (§9.1.3).
    case dataCount(table: PushTableName, condition: DataCondition)
    /// `DATA QUERY tablename=…,fielddesc=…,filter=…` (§9.1.4).
    case dataQuery(DataQuery)
    /// `CONTROL DEVICE AABBCCDDEE` (§9.4).
    case controlDevice(ControlDeviceCommand)
    /// `UPGRADE …` (§9.4.1, three methods).
    case upgrade(UpgradeCommand)
    /// `SET OPTIONS k=v,k=v` (§9.5.1).
    case setOptions(PushOptionList)
    /// `GET OPTIONS name,name` (§9.5.2).
    case getOptions([String])
    /// `SET ADSCREEN_OPTIONS k=v,…` (§9.5.3).
    case setAdscreenOptions(PushOptionList)
    /// `ACCOUNT transaction …` (§9.2, PULL SDK and controller forms).
    case account(AccountCommand)
    /// `Test Host Address=ip:port` (§9.3).
    case testHost(address: String)
    /// `ENROLL_INFO TYPE=…<HT>PIN=…` (§9.6.1).
    case enrollInfo(PushRecord)
    /// `ENROLL_BIO TYPE=…<HT>NO=…` (§9.6.2).
    case enrollBio(PushRecord)
    /// Any other command (attendance-style `USER ADD`, vendor extensions), carried through verbatim.
    case other(String)

    /// The command text after `C:<id>:`.
    public var text: String {
        switch self {
        case .dataUpdate(let table, let records):
            return "DATA UPDATE \(table.text) " + records.map(\.text).joined(separator: "\n")
        case .dataDelete(let table, let condition):
            let conditionText = condition.text
            return conditionText.isEmpty ? "DATA DELETE \(table.text)" : "DATA DELETE \(table.text) \(conditionText)"
        case .dataCount(let table, let condition):
            let conditionText = condition.text
            return conditionText.isEmpty ? "DATA COUNT \(table.text)" : "DATA COUNT \(table.text) \(conditionText)"
        case .dataQuery(let query):
            return "DATA QUERY " + query.text
        case .controlDevice(let command):
            return "CONTROL DEVICE " + command.text
        case .upgrade(let command):
            return "UPGRADE " + command.options.text
        case .setOptions(let list):
            return "SET OPTIONS " + list.text
        case .getOptions(let names):
            return "GET OPTIONS " + names.joined(separator: ",")
        case .setAdscreenOptions(let list):
            return "SET ADSCREEN_OPTIONS " + list.text
        case .account(let command):
            return "ACCOUNT " + command.text
        case .testHost(let address):
            return "Test Host Address=" + address
        case .enrollInfo(let record):
            return "ENROLL_INFO " + record.text
        case .enrollBio(let record):
            return "ENROLL_BIO " + record.text
        case .other(let text):
            return text
        }
    }

    /// The first word, as devices echo it in `CMD=` (`DATA`, `CONTROL`, `SET`…).
    public var verb: String { String(text.split(separator: " ").first ?? "") }

    /// The fast path for the commands that dominate getrequest replies (DATA UPDATE/DELETE/COUNT, CONTROL
    /// DEVICE); everything else goes through the text path below.
    static func parse(
        head: ArraySlice<UInt8>, continuation: [ArraySlice<UInt8>], lineNumber: Int
    ) throws(PushParseError) -> CommandKind {
        let (first, afterFirst) = head.splittingFirstWord()
        if first.count == 4, first.hasPrefixIgnoringCase("data") {
            let (second, afterSecond) = afterFirst.splittingFirstWord()
            if second.count == 6, second.hasPrefixIgnoringCase("update") {
                var (tableToken, afterTable) = afterSecond.splittingFirstWord()
                var firstRecord = afterTable
                if let equals = tableToken.firstIndex(of: ASCII.equals) {
                    // `DATA UPDATE ExtBoardID=1 DevID=1…`: the key names the table and starts the record.
                    firstRecord = afterSecond
                    tableToken = tableToken[..<equals]
                }
                guard !tableToken.isEmpty else {
                    throw PushParseError(line: lineNumber, field: "table", problem: "DATA UPDATE without a table name")
                }
                var records: [PushRecord] = []
                var number = lineNumber
                for line in CollectionOfOne(firstRecord) + continuation {
                    let trimmed = line.trimmingForRecord
                    if !trimmed.trimmingSpaceBytes.isEmpty {
                        records.append(try PushRecord.parse(trimmed, lineNumber: number, validUTF8: true, allowTag: true).withoutTag)
                    }
                    number += 1
                }
                return .dataUpdate(table: PushTableName(String(decoding: tableToken, as: UTF8.self)), records: records)
            }
        }
        if continuation.isEmpty, first.count == 4, first.hasPrefixIgnoringCase("data") {
            let (second, afterSecond) = afterFirst.splittingFirstWord()
            let isDelete = second.count == 6 && second.hasPrefixIgnoringCase("delete")
            let isCount = second.count == 5 && second.hasPrefixIgnoringCase("count")
            if isDelete || isCount {
                var (tableToken, condition) = afterSecond.splittingFirstWord()
                if tableToken.contains(ASCII.equals) {
                    // Fall through to the text path, which reports or reads this form.
                } else {
                    guard !tableToken.isEmpty else {
                        throw PushParseError(line: lineNumber, field: "table", problem: "DATA \(isDelete ? "DELETE" : "COUNT") without a table name")
                    }
                    // `DATA DELETE ReaderProperty*` (no space before the `*`), as one reference example writes it.
                    if tableToken.count > 1, tableToken.last == 0x2A, condition.trimmingSpaceBytes.isEmpty {
                        tableToken = tableToken.dropLast()
                        condition = Array("*".utf8)[...]
                    }
                    let table = PushTableName(String(decoding: tableToken, as: UTF8.self))
                    let trimmed = condition.trimmingForRecord
                    let value: DataCondition
                    if trimmed.trimmingSpaceBytes.isEmpty {
                        value = .none
                    } else if trimmed.trimmingSpaceBytes.elementsEqual([0x2A]) {
                        value = .all
                    } else {
                        value = .fields(try PushRecord.parse(trimmed, lineNumber: lineNumber, validUTF8: true, allowTag: true).withoutTag)
                    }
                    return isDelete ? .dataDelete(table: table, condition: value) : .dataCount(table: table, condition: value)
                }
            }
        }
        if continuation.isEmpty, first.count == 7, first.hasPrefixIgnoringCase("control") {
            let (second, arguments) = afterFirst.splittingFirstWord()
            if second.count == 6, second.hasPrefixIgnoringCase("device") {
                return .controlDevice(try ControlDeviceCommand(hex: arguments, lineNumber: lineNumber))
            }
        }
        var text = String(decoding: head, as: UTF8.self)
        for line in continuation {
            text += "\n"
            text += String(decoding: line, as: UTF8.self)
        }
        return try parse(text, lineNumber: lineNumber)
    }

    static func parse(_ text: String, lineNumber: Int) throws(PushParseError) -> CommandKind {
        let (first, afterFirst) = splitWord(Substring(text))
        switch first.uppercased() {
        case "DATA":
            let (second, afterSecond) = splitWord(afterFirst)
            switch second.uppercased() {
            case "UPDATE":
                let (table, records) = try tableAndRecords(afterSecond, lineNumber: lineNumber)
                return .dataUpdate(table: table, records: records)
            case "DELETE":
                let (table, condition) = try tableAndCondition(afterSecond, lineNumber: lineNumber, verb: "DELETE")
                return .dataDelete(table: table, condition: condition)
            case "COUNT":
                let (table, condition) = try tableAndCondition(afterSecond, lineNumber: lineNumber, verb: "COUNT")
                return .dataCount(table: table, condition: condition)
            case "QUERY":
                return .dataQuery(try DataQuery.parse(afterSecond.trimmingLeadingSpaces, lineNumber: lineNumber))
            default:
                throw PushParseError(line: lineNumber, field: "DATA", problem: "unknown DATA sub-command `\(second.prefix(20))` (expected UPDATE, DELETE, COUNT or QUERY)")
            }
        case "CONTROL":
            let (second, arguments) = splitWord(afterFirst)
            guard second.uppercased() == "DEVICE" else { return .other(text) }
            return .controlDevice(try ControlDeviceCommand(text: arguments.trimmingSpaces, lineNumber: lineNumber))
        case "UPGRADE":
            let joined = afterFirst.split(whereSeparator: { $0.isNewline }).map { $0.trimmingSpaces }.joined()
            return .upgrade(UpgradeCommand(options: try PushOptionList.parse(joined, lineNumber: lineNumber)))
        case "SET":
            let (second, arguments) = splitWord(afterFirst)
            let joined = arguments.split(whereSeparator: { $0.isNewline }).map { $0.trimmingSpaces }.joined()
            switch second.uppercased() {
            case "OPTIONS": return .setOptions(try PushOptionList.parse(joined, lineNumber: lineNumber))
            case "ADSCREEN_OPTIONS": return .setAdscreenOptions(try PushOptionList.parse(joined, lineNumber: lineNumber))
            default: return .other(text)
            }
        case "GET":
            let (second, arguments) = splitWord(afterFirst)
            guard second.uppercased() == "OPTIONS" else { return .other(text) }
            let names = arguments.split(whereSeparator: { $0 == "," || $0.isNewline }).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            return .getOptions(names)
        case "ACCOUNT":
            return .account(try AccountCommand.parse(afterFirst, lineNumber: lineNumber))
        case "TEST":
            let (second, arguments) = splitWord(afterFirst)
            guard second.uppercased() == "HOST" else { return .other(text) }
            let argument = arguments.trimmingSpaces
            guard argument.lowercased().hasPrefix("address=") else {
                throw PushParseError(line: lineNumber, field: "Address", problem: "Test Host needs `Address=<ip>:<port>`")
            }
            return .testHost(address: String(argument.dropFirst(8)))
        case "ENROLL_INFO":
            return .enrollInfo(try PushRecord.parse(afterFirst.trimmingForRecord, lineNumber: lineNumber))
        case "ENROLL_BIO":
            return .enrollBio(try PushRecord.parse(afterFirst.replacingNewlines.trimmingForRecord, lineNumber: lineNumber))
        default:
            return .other(text)
        }
    }

    /// Splits off the first word (ending at a run of spaces, tabs or a line break).
    static func splitWord(_ text: Substring) -> (String, Substring) {
        var rest = text
        while let first = rest.first, first == " " || first == "\t" || first.isNewline { rest = rest.dropFirst() }
        guard let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" || $0.isNewline }) else { return (String(rest), "") }
        var after = rest[end...]
        while let first = after.first, first == " " || first == "\t" || first.isNewline { after = after.dropFirst() }
        return (String(rest[..<end]), after)
    }

    /// `<table> <record>[LF<record>…]`. A table token that itself contains `=` (the reference's expansion board
    /// example, `DATA UPDATE ExtBoardID=1 DevID=1…`) names the table by its key and starts the record.
    static func tableAndRecords(_ text: Substring, lineNumber: Int) throws(PushParseError) -> (PushTableName, [PushRecord]) {
        let (table, rest) = splitTableToken(text)
        guard !table.isEmpty else {
            throw PushParseError(line: lineNumber, field: "table", problem: "DATA UPDATE without a table name")
        }
        var records: [PushRecord] = []
        var number = lineNumber
        for line in rest.split(whereSeparator: { $0.isNewline }) {
            var lineText = String(line)
            if lineText.hasSuffix("\r") { lineText.removeLast() }
            if lineText.trimmingForRecord.isEmpty { continue }
            records.append(try PushRecord.parse(lineText.trimmingForRecord, lineNumber: number).withoutTag)
            number += 1
        }
        return (PushTableName(table), records)
    }

    static func splitTableToken(_ text: Substring) -> (String, Substring) {
        var rest = text
        while let first = rest.first, first == " " || first == "\t" { rest = rest.dropFirst() }
        let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" || $0.isNewline }) ?? rest.endIndex
        let token = rest[..<end]
        if let equals = token.firstIndex(of: "=") {
            return (String(token[..<equals]), rest)
        }
        var after = rest[end...]
        while let first = after.first, first == " " || first == "\t" { after = after.dropFirst() }
        return (String(token), after)
    }

    static func tableAndCondition(_ text: Substring, lineNumber: Int, verb: String) throws(PushParseError) -> (PushTableName, DataCondition) {
        var (table, rest) = splitTableToken(text)
        // `DATA DELETE ReaderProperty*` (no space before the `*`), as one reference example writes it.
        if table.count > 1, table.hasSuffix("*"), rest.trimmingSpaces.isEmpty {
            table.removeLast()
            rest = "*"
        }
        guard !table.isEmpty else {
            throw PushParseError(line: lineNumber, field: "table", problem: "DATA \(verb) without a table name")
        }
        return (PushTableName(table), try DataCondition.parse(rest.replacingNewlines.trimmingForRecord, lineNumber: lineNumber))
    }
}

extension StringProtocol {
    var replacingNewlines: String {
        String(self.map { $0.isNewline ? " " : $0 })
    }
}

extension PushRecord {
    /// A DATA UPDATE record has no leading tag; a first word is folded back as a bare field.
    var withoutTag: PushRecord {
        guard let tag else { return self }
        var copy = self
        copy.tag = nil
        copy.fields.insert(PushField(tag, nil), at: 0)
        return copy
    }
}

/// The condition of DATA DELETE / COUNT: everything (`*`), nothing given (COUNT of the whole table), or fields
/// that must all match (AND).
public enum DataCondition: Sendable, Hashable {
    case none
    case all
    case fields(PushRecord)

    public var text: String {
        switch self {
        case .none: ""
        case .all: "*"
        case .fields(let record): record.text
        }
    }

    static func parse(_ text: String, lineNumber: Int) throws(PushParseError) -> DataCondition {
        if text.trimmingSpaces.isEmpty { return .none }
        if text.trimmingSpaces == "*" { return .all }
        return .fields(try PushRecord.parse(text, lineNumber: lineNumber).withoutTag)
    }
}

/// `DATA QUERY tablename=<t>,fielddesc=<f>,filter=<c>` (§9.1.4). The filter may hold several TAB-separated
/// conditions (`Type=9<HT>Pin=1`).
public struct DataQuery: Sendable, Hashable {
    /// The table name as written (some tables are bracketed, `[APList]`).
    public var tableText: String
    public var fieldDescription: String
    public var filter: String
    /// Any further items, kept in order.
    public var extra: [PushField]

    public init(table: PushTableName, fieldDescription: String = "*", filter: String = "*", extra: [PushField] = []) {
        self.tableText = table.text
        self.fieldDescription = fieldDescription
        self.filter = filter
        self.extra = extra
    }

    init(tableText: String, fieldDescription: String, filter: String, extra: [PushField]) {
        self.tableText = tableText
        self.fieldDescription = fieldDescription
        self.filter = filter
        self.extra = extra
    }

    /// The table, brackets removed.
    public var table: PushTableName {
        var name = tableText
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        return PushTableName(name)
    }

    /// The filter conditions, nil for `*`.
    public var filterConditions: PushRecord? {
        filter == "*" || filter.isEmpty ? nil : try? PushRecord.parse(filter)
    }

    public var text: String {
        ([PushField("tablename", tableText), PushField("fielddesc", fieldDescription), PushField("filter", filter)] + extra)
            .map(\.text).joined(separator: ",")
    }

    static func parse(_ text: String, lineNumber: Int) throws(PushParseError) -> DataQuery {
        let list = try PushOptionList.parse(text, lineNumber: lineNumber)
        // A line break before a comma belongs to the command's layout, not to the value it follows; the first
        // occurrence of each known key is the query, later repeats are carried through in order, never dropped.
        var known: [String: String?] = [:]
        var extra: [PushField] = []
        for field in list.fields {
            let value = field.value.map { value -> String in
                var trimmed = Substring(value)
                while let last = trimmed.last, last == "\n" || last == "\r" || last == "\r\n" { trimmed = trimmed.dropLast() }
                return String(trimmed)
            }
            let key = field.key.lowercased()
            if ["tablename", "fielddesc", "filter"].contains(key), known[key] == nil {
                known[key] = .some(value)
            } else {
                extra.append(PushField(field.key, value))
            }
        }
        guard let tableValue = known["tablename"], let table = tableValue else {
            throw PushParseError(line: lineNumber, field: "tablename", problem: "DATA QUERY without tablename=")
        }
        return DataQuery(
            tableText: table, fieldDescription: (known["fielddesc"] ?? nil) ?? "*", filter: (known["filter"] ?? nil) ?? "*",
            extra: extra)
    }
}

/// `UPGRADE` arguments (§9.4.1): method 1 (`checksum,url,size`, server-converted base64 file), method 2
/// (`type=1,…`, file fetched as is), method 3 (`…,supportsubcontracting=`, fetched in HTTP ranges).
public struct UpgradeCommand: Sendable, Hashable {
    public enum Method: Int, Sendable, Codable {
        case convertedFile = 1
        case directFile = 2
        case rangedDownload = 3
    }

    public var options: PushOptionList

    public init(options: PushOptionList) { self.options = options }

    public init(method: Method, checksum: String, url: String, size: Int, supportsSubcontracting: Bool = true) {
        switch method {
        case .convertedFile:
            options = PushOptionList(["checksum": checksum, "url": url, "size": String(size)])
        case .directFile:
            options = PushOptionList(["type": "1", "checksum": checksum, "size": String(size), "url": url])
        case .rangedDownload:
            options = PushOptionList([
                "checksum": checksum, "size": String(size), "url": url,
                "supportsubcontracting": supportsSubcontracting ? "1" : "0",
            ])
        }
    }

    public var method: Method {
        if options["supportsubcontracting"] != nil { return .rangedDownload }
        if options["type"] == "1" { return .directFile }
        return .convertedFile
    }

    public var checksum: String? { options["checksum"] }
    public var url: String? { options["url"] }
    public var size: Int? { options["size"].flatMap { Int($0) } }
}

/// `ACCOUNT transaction …` (§9.2): the PULL SDK form (`ContentType=tgz MaxIndex=0`) and the three controller
/// forms (`MaxIndex=`, `StartIndex=`/`EndIndex=`, `StartTime=`/`EndTime=`).
public struct AccountCommand: Sendable, Hashable {
    public enum Form: String, Sendable, Codable {
        case pullSDK
        case maxIndex
        case indexRange
        case timeRange
        case unknown
    }

    public var table: String
    public var parameters: PushRecord

    public init(table: String = "transaction", parameters: PushRecord) {
        self.table = table
        self.parameters = parameters
    }

    public var form: Form {
        if parameters["ContentType"] != nil { return .pullSDK }
        if parameters["StartIndex"] != nil || parameters["EndIndex"] != nil { return .indexRange }
        if parameters["StartTime"] != nil || parameters["EndTime"] != nil { return .timeRange }
        if parameters["MaxIndex"] != nil { return .maxIndex }
        return .unknown
    }

    /// The PULL SDK form is space-separated in the reference; the controller forms use TAB. Spaces are used only
    /// when they read back the same (a value with ` key=` inside needs TABs).
    public var text: String {
        if form == .pullSDK {
            let spaced = parameters.fields.map(\.text).joined(separator: " ")
            if let reread = try? PushRecord.parse(spaced).withoutTag, reread.fields == parameters.fields {
                return table + " " + spaced
            }
        }
        return parameters.fields.isEmpty ? table : table + " " + parameters.text
    }

    static func parse(_ text: Substring, lineNumber: Int) throws(PushParseError) -> AccountCommand {
        let (table, rest) = CommandKind.splitWord(text)
        guard !table.isEmpty else {
            throw PushParseError(line: lineNumber, field: "table", problem: "ACCOUNT without a table name")
        }
        let trimmed = rest.replacingNewlines.trimmingForRecord
        let parameters = trimmed.trimmingSpaces.isEmpty ? PushRecord(fields: []) : try PushRecord.parse(trimmed, lineNumber: lineNumber).withoutTag
        return AccountCommand(table: table, parameters: parameters)
    }
}
