extension PushRequest: PushJSONRepresentable {
    public var json: JSONValue {
        .object([
            ("direction", .string("request")),
            ("method", .string(method.rawValue)),
            ("endpoint", .string(endpoint.rawValue)),
            ("serialNumber", JSONValue.optional(serialNumber)),
            ("query", query.json),
            ("message", message.json),
        ])
    }
}

extension PushRequestMessage: PushJSONRepresentable {
    public var json: JSONValue {
        func kind(_ name: String, _ rest: [(String, JSONValue)] = []) -> JSONValue { .object([("kind", .string(name))] + rest) }
        switch self {
        case .initialization: return kind("initialization")
        case .realtimeLog(let rows): return kind("realtimeLog", [("rows", .array(rows.map(\.json)))])
        case .realtimeState(let states): return kind("realtimeState", [("rows", .array(states.map(\.json)))])
        case .deviceOptions(let list): return kind("deviceOptions", [("options", list.json)])
        case .tableData(let table, let records):
            return kind("tableData", [("table", .string(table.text)), ("known", .bool(table.isKnown)), ("records", .array(records.map(\.json)))])
        case .tableRows(let table, let records): return kind("tableRows", [("table", .string(table)), ("records", .array(records.map(\.json)))])
        case .remoteIdentification(let events): return kind("remoteIdentification", [("events", .array(events.map(\.json)))])
        case .accountOverview(let lines): return kind("accountOverview", [("summary", lines.json)])
        case .enrollmentData(let type, let records): return kind("enrollmentData", [("type", .string(type)), ("records", .array(records.map(\.json)))])
        case .registration(let list):
            var members: [(String, JSONValue)] = [("options", list.json)]
            members.append(("capabilities", RegistrationCapabilities(list).json))
            return kind("registration", members)
        case .configurationRequest(let body): return kind("configurationRequest", [("bodyBytes", .int(body.count))])
        case .publicKey(let key): return kind("publicKey", [("publicKey", .string(key))])
        case .factors(let value): return kind("factors", [("factors", .string(value))])
        case .commandPoll: return kind("commandPoll")
        case .ping: return kind("ping")
        case .commandResults(let results): return kind("commandResults", [("results", .array(results.map(\.json)))])
        case .queryCount(let fields): return kind("queryCount", [("counts", fieldsJSON(fields))])
        case .queryRows(let records): return kind("queryRows", [("records", .array(records.map(\.json)))])
        case .queryOptions(let list): return kind("queryOptions", [("options", list.json)])
        case .packedData(let packed):
            return kind("packedData", [
                ("header", packed.header.json), ("payloadBase64Length", .int(packed.payloadText.utf8.count)),
                ("archiveBytes", JSONValue.optional(packed.archive?.count)),
            ])
        case .timeRequest: return kind("timeRequest")
        case .fileDownload(let url): return kind("fileDownload", [("url", .string(url))])
        case .fileUpload(let bytes): return kind("fileUpload", [("bodyBytes", .int(bytes.count))])
        }
    }
}

extension PushTableName {
    public var isKnown: Bool {
        if case .known = self { return true }
        return false
    }
}

/// The named capabilities of a registration body, for display.
struct RegistrationCapabilities {
    var list: PushOptionList
    init(_ list: PushOptionList) { self.list = list }

    var json: JSONValue {
        var members: [(String, JSONValue)] = []
        if let text = list["AccSupportFunList"] {
            members.append(("accSupportFunctions", .array(Capabilities.accSupportFunctions(text).map(JSONValue.string))))
        }
        if let text = list["VerifyStyles"], let styles = Capabilities.verifyStyles(text) {
            members.append(("verifyStyles", .array(styles.modes.map { .string($0.name) })))
        }
        if let text = list["EventTypes"], let codes = Capabilities.eventTypes(text) {
            members.append(("eventTypes", .array(codes.map(JSONValue.int))))
        }
        if let text = list["NewVFStyles"], let factors = Capabilities.verificationFactors(text) {
            members.append(("newVerificationStyles", .array(factors.map { .string("\($0)") })))
        }
        if let text = list["MultiBioDataSupport"] {
            members.append(("multiBioDataSupport", .array(Capabilities.biometricSupport(text).map { .string("\($0)") })))
        }
        if let text = list["MultiBioPhotoSupport"] {
            members.append(("multiBioPhotoSupport", .array(Capabilities.biometricSupport(text).map { .string("\($0)") })))
        }
        return .object(members)
    }
}

extension ServerCommand: PushJSONRepresentable {
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("id", .string(id))]
        if let formatPrefix { members.append(("cmdFormatPrefix", fieldsJSON(formatPrefix))) }
        members.append(("command", kind.json))
        return .object(members)
    }
}

extension CommandKind: PushJSONRepresentable {
    public var json: JSONValue {
        func kind(_ name: String, _ rest: [(String, JSONValue)] = []) -> JSONValue { .object([("kind", .string(name))] + rest) }
        func condition(_ value: DataCondition) -> JSONValue {
            switch value {
            case .none: .string("none")
            case .all: .string("*")
            case .fields(let record): record.json
            }
        }
        switch self {
        case .dataUpdate(let table, let records):
            return kind("dataUpdate", [("table", .string(table.text)), ("known", .bool(table.isKnown)), ("records", .array(records.map(\.json)))])
        case .dataDelete(let table, let value):
            return kind("dataDelete", [("table", .string(table.text)), ("known", .bool(table.isKnown)), ("condition", condition(value))])
        case .dataCount(let table, let value):
            return kind("dataCount", [("table", .string(table.text)), ("known", .bool(table.isKnown)), ("condition", condition(value))])
        case .dataQuery(let query):
            return kind("dataQuery", [
                ("table", .string(query.table.text)), ("fielddesc", .string(query.fieldDescription)),
                ("filter", .string(query.filter)), ("extra", fieldsJSON(query.extra)),
            ])
        case .controlDevice(let command):
            var members: [(String, JSONValue)] = [("hex", .string(command.text)), ("action", .int(Int(command.code)))]
            members.append(("summary", .string(command.action.summary)))
            if let operatorID = command.operatorID { members.append(("operator", .int(Int(operatorID)))) }
            return kind("controlDevice", members)
        case .upgrade(let command):
            return kind("upgrade", [
                ("method", .int(command.method.rawValue)), ("checksum", JSONValue.optional(command.checksum)),
                ("url", JSONValue.optional(command.url)), ("size", JSONValue.optional(command.size)), ("options", command.options.json),
            ])
        case .setOptions(let list): return kind("setOptions", [("options", list.json)])
        case .getOptions(let names): return kind("getOptions", [("names", .array(names.map(JSONValue.string)))])
        case .setAdscreenOptions(let list): return kind("setAdscreenOptions", [("options", list.json)])
        case .account(let command):
            return kind("account", [("table", .string(command.table)), ("form", .string(command.form.rawValue)), ("parameters", command.parameters.json)])
        case .testHost(let address): return kind("testHost", [("address", .string(address))])
        case .enrollInfo(let record): return kind("enrollInfo", [("parameters", record.json)])
        case .enrollBio(let record): return kind("enrollBio", [("parameters", record.json)])
        case .other(let text): return kind("other", [("text", .string(text))])
        }
    }
}

extension ServerReply: PushJSONRepresentable {
    public var json: JSONValue {
        func kind(_ name: String, _ rest: [(String, JSONValue)] = []) -> JSONValue {
            .object([("direction", .string("reply")), ("kind", .string(name))] + rest)
        }
        switch self {
        case .ok(let text): return kind("ok", [("text", .string(text))])
        case .registration(let configuration): return kind("registration", configuration.jsonMembers)
        case .registryCode(let code): return kind("registryCode", [("registryCode", .string(code))])
        case .registrationRefused: return kind("registrationRefused")
        case .configuration(let configuration): return kind("configuration", configuration.jsonMembers)
        case .attendanceOptions(let serial, let lines): return kind("attendanceOptions", [("serialNumber", .string(serial)), ("options", lines.json)])
        case .received(let table, let count): return kind("received", [("table", .string(table)), ("count", .int(count))])
        case .publicKey(let key): return kind("publicKey", [("publicKey", .string(key))])
        case .factors(let value): return kind("factors", [("factors", .string(value))])
        case .time(let seconds, let zone):
            return kind("time", [
                ("dateTime", .int(Int(seconds))), ("decoded", .string(PushDateTime(encodedSeconds: seconds).text)),
                ("serverTZ", .string(zone)),
            ])
        case .commands(let commands): return kind("commands", [("commands", .array(commands.map(\.json)))])
        case .remoteIdentification(let reply):
            return kind("remoteIdentification", [
                ("auth", .string(reply.result)), ("event", reply.event?.json ?? .null),
                ("control", reply.control.map { .string($0.action.summary) } ?? .null),
                ("controlHex", reply.control.map { .string($0.text) } ?? .null), ("tips", JSONValue.optional(reply.tips)),
            ])
        case .text(let text): return kind("text", [("text", .string(text))])
        }
    }
}

extension ServerConfiguration {
    var jsonMembers: [(String, JSONValue)] {
        [
            ("registered", .bool(isRegistered)), ("registryCode", JSONValue.optional(registryCode)),
            ("sessionID", JSONValue.optional(sessionID)),
            ("pushProtVer", JSONValue.optional(pushProtocolVersion?.description)), ("lines", lines.json),
        ]
    }
}
