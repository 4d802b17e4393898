import AccessControl
import Foundation
import PushProtocol

/// What executing one server command produced: uploads that must reach the server first (querydata answers of
/// DATA COUNT / DATA QUERY / GET OPTIONS, ACCOUNT summaries and files), then the devicecmd result.
public struct CommandOutcome: Sendable, Hashable {
    public var uploads: [PushRequest]
    public var result: CommandResult
}

/// Downloads a command needs (UPGRADE), through the device's connection to the server.
public protocol CommandFileFetcher: Sendable {
    /// `target` is `/iclock/file?…` or an absolute URL.
    func get(target: String) async throws(PushDeviceError) -> PushTransportReply
}

/// Options the server set with SET OPTIONS (and the ones GET OPTIONS reads), owned by one actor.
public actor DeviceOptions {
    private var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public func set(_ list: PushOptionList) {
        for field in list.fields { values[field.key.hasPrefix("~") ? String(field.key.dropFirst()) : field.key] = field.value ?? "" }
    }

    public func value(_ name: String) -> String? {
        values[name.hasPrefix("~") ? String(name.dropFirst()) : name]
    }
}

/// Runs server commands against the door engine.
///
/// Tables the door model holds — `user`, `extuser`, `mulcarduser`, `userauthorize`, `timezone`, `holiday`,
/// `firstcard`, `multimcard`, `DSTSetting`, and `transaction` (the journal) for COUNT/QUERY — are executed with
/// UPDATE, DELETE, COUNT and QUERY. Tables of the protocol it does not hold (biometrics, linkage, Wiegand formats,
/// auxiliary I/O …) answer -1004 (not supported) and names that are no table at all -629 (incorrect table name),
/// never silence. Door numbers and masks are the upstream ones, translated through `view`.
public struct DeviceCommandExecutor: Sendable {
    public let site: Site
    public let identity: DeviceIdentity
    public let options: DeviceOptions
    public let view: UpstreamView
    /// `CONTROL DEVICE 03…` (restart): Gatehouse reloads its scripts instead; nil answers -1004.
    public let restart: (@Sendable () async -> Bool)?
    /// Opens a TCP connection for `Test Host` (address `host:port`); nil answers -1004.
    public let hostProbe: (@Sendable (String) async -> Bool)?
    /// Rows per querydata package.
    public var rowsPerPackage = 500

    public init(
        site: Site, identity: DeviceIdentity, options: DeviceOptions = DeviceOptions(), view: UpstreamView? = nil,
        restart: (@Sendable () async -> Bool)? = nil, hostProbe: (@Sendable (String) async -> Bool)? = TCPProbe.connect
    ) {
        self.site = site
        self.identity = identity
        self.options = options
        self.view = view ?? UpstreamView.identity(doors: identity.lockCount)
        self.restart = restart
        self.hostProbe = hostProbe
    }

    /// The tables this executor holds.
    public static let heldTables: Set<PushTable> = [
        .user, .extuser, .mulcarduser, .userauthorize, .timezone, .holiday, .firstcard, .multimcard, .dstSetting,
    ]

    public func execute(_ command: ServerCommand) async -> CommandOutcome {
        await execute(command, transport: nil)
    }

    public func execute(_ command: ServerCommand, transport: (any CommandFileFetcher)?) async -> CommandOutcome {
        let echo = Self.echo(command.kind)
        func result(_ code: PushReturnCode, payload: [String] = []) -> CommandOutcome {
            CommandOutcome(uploads: [], result: CommandResult(id: command.id, returnCode: code, command: echo, payload: payload))
        }
        switch command.kind {
        case .dataUpdate(let table, let records):
            guard let known = held(table) else { return result(Self.refusal(for: table)) }
            var code = PushReturnCode.success
            for record in records {
                do {
                    try await update(known, record)
                } catch {
                    code = Self.code(for: error)
                }
            }
            return result(code)
        case .dataDelete(let table, let condition):
            if table == .known(.transaction) { return result(.notSupported) }  // the journal is append-only
            guard let known = held(table) else { return result(Self.refusal(for: table)) }
            do {
                try await delete(known, condition)
                return result(.success)
            } catch {
                return result(Self.code(for: error))
            }
        case .dataCount(let table, let condition):
            guard table == .known(.transaction) || held(table) != nil else { return result(Self.refusal(for: table)) }
            let count = await rows(of: table, matching: Self.filter(condition)).count
            let upload = PushRequest(
                method: .post, endpoint: .querydata,
                query: PushQuery(items: [
                    PushField("SN", identity.serialNumber), PushField("type", "count"), PushField("cmdid", command.id),
                    PushField("tablename", table.text), PushField("count", "1"), PushField("packcnt", "1"), PushField("packidx", "1"),
                ]),
                message: .queryCount([PushField(table.text, String(count))]))
            return CommandOutcome(uploads: [upload], result: CommandResult(id: command.id, returnCode: PushReturnCode(count), command: echo))
        case .dataQuery(let query):
            guard query.table == .known(.transaction) || held(query.table) != nil else { return result(Self.refusal(for: query.table)) }
            let found = await rows(of: query.table, matching: query.filterConditions)
            let uploads = packages(of: found, table: query.table.text, commandID: command.id, type: "tabledata")
            return CommandOutcome(uploads: uploads, result: CommandResult(id: command.id, returnCode: PushReturnCode(found.count), command: echo))
        case .controlDevice(let control):
            return result(await self.control(control.action))
        case .setOptions(let list):
            return result(await setOptions(list))
        case .getOptions(let names):
            var fields: [PushField] = []
            for name in names {
                if let value = await optionValue(name) { fields.append(PushField(name, value)) }
            }
            let upload = PushRequest(
                method: .post, endpoint: .querydata,
                query: PushQuery(items: [
                    PushField("SN", identity.serialNumber), PushField("type", "options"), PushField("cmdid", command.id),
                    PushField("tablename", "options"), PushField("count", "1"), PushField("packcnt", "1"), PushField("packidx", "1"),
                ]),
                message: .queryOptions(PushOptionList(fields: fields)))
            return CommandOutcome(
                uploads: fields.isEmpty ? [] : [upload],
                result: CommandResult(id: command.id, returnCode: .success, command: echo, payload: fields.map(\.text)))
        case .enrollInfo, .enrollBio:
            // Gatehouse has no biometric sensor or enrolment screen.
            return result(.notSupported)
        case .upgrade(let upgrade):
            return result(await self.upgrade(upgrade, transport: transport))
        case .account(let account):
            return await self.account(account, commandID: command.id, echo: echo)
        case .testHost(let address):
            guard let hostProbe else { return result(.notSupported) }
            let target = Self.testHostAddress(address)
            guard !target.isEmpty else { return result(PushReturnCode(-11)) }
            return result(await hostProbe(target) ? .success : PushReturnCode(-1))
        case .setAdscreenOptions:
            return result(.notSupported)  // channel controllers only
        case .other:
            return result(.invalidCommandSyntax)
        }
    }

    /// `CMD=` as the reference's examples write it: the first two words for DATA/CONTROL/SET/GET/Test, else the first.
    static func echo(_ kind: CommandKind) -> String {
        let words = kind.text.split(separator: " ", maxSplits: 2)
        guard let first = words.first else { return "" }
        if ["DATA", "CONTROL", "SET", "GET", "TEST"].contains(first.uppercased()), words.count > 1 {
            return first + " " + words[1]
        }
        return String(first)
    }

    func held(_ table: PushTableName) -> PushTable? {
        if case .known(let known) = table, Self.heldTables.contains(known) { return known }
        return nil
    }

    static func refusal(for table: PushTableName) -> PushReturnCode {
        switch table {
        case .known: .notSupported
        case .other: .incorrectTableName
        }
    }

    /// Bad data is -11 (incorrect data parameter); anything else (the store failed) -12 (execution error).
    static func code(for error: any Error) -> PushReturnCode {
        error is ModelError ? PushReturnCode(-11) : PushReturnCode(-12)
    }

    static func filter(_ condition: DataCondition) -> PushRecord? {
        if case .fields(let record) = condition { return record }
        return nil
    }

    /// `Address=10.0.0.1:8092` (or the bare address).
    static func testHostAddress(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let equals = trimmed.firstIndex(of: "="), trimmed[..<equals].lowercased() == "address" {
            return String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        }
        return trimmed
    }

    func packages(of found: [PushRecord], table: String, commandID: String, type: String) -> [PushRequest] {
        let size = max(1, rowsPerPackage)
        let chunks = stride(from: 0, to: max(found.count, 1), by: size).map { start in
            Array(found[start..<min(found.count, start + size)])
        }
        return chunks.enumerated().map { index, rows in
            PushRequest(
                method: .post, endpoint: .querydata,
                query: PushQuery(items: [
                    PushField("SN", identity.serialNumber), PushField("type", type), PushField("cmdid", commandID),
                    PushField("tablename", table), PushField("count", String(rows.count)),
                    PushField("packcnt", String(chunks.count)), PushField("packidx", String(index + 1)),
                ]),
                message: .queryRows(rows))
        }
    }

    func optionValue(_ name: String) async -> String? {
        if let value = await doorOption(name) { return value }
        if let value = await options.value(name) { return value }
        switch name.hasPrefix("~") ? String(name.dropFirst()) : name {
        case "DeviceName": return identity.deviceName
        case "SerialNumber": return identity.serialNumber
        case "FirmVer": return identity.firmwareVersion
        case "LockCount": return String(view.doors.count)
        case "ReaderCount": return String(identity.readerCount)
        case "MaxPackageSize": return String(identity.maxPackageSize)
        case "UserCount": return String(await site.userCount)
        case "DeviceType": return "acc"
        case "PushVersion": return PushDeviceSession.pushVersion
        default: return nil
        }
    }
}
