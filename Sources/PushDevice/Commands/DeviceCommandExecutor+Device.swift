import AccessControl
import Archives
import Digests
import Foundation
import PushProtocol
#if canImport(Glibc)
import Glibc
#endif

/// CONTROL DEVICE (§9.4), UPGRADE (§9.4.1), ACCOUNT (§9.2.2) and Test Host (§9.3).
extension DeviceCommandExecutor {
    // MARK: CONTROL DEVICE

    func control(_ action: ControlAction) async -> PushReturnCode {
        let source = JournalSource.push(deviceSN: identity.serialNumber)
        /// Door 0 means every exposed door; a door the server was not given is bad data.
        func doors(_ number: Int) -> [DoorID]? {
            if number == 0 { return view.doors }
            return view.localDoor(number).map { [$0] }
        }
        do {
            switch action {
            case .output(let door, let target, let duration):
                guard target == ControlAction.lockTarget else { return .notSupported }  // no auxiliary outputs
                guard let ids = doors(door) else { return PushReturnCode(-11) }
                for id in ids {
                    switch duration {
                    case .off: _ = try await site.close(door: id, by: source)
                    case .normallyOpen: _ = try await site.setNormalOpen(door: id, by: source)
                    case .seconds(let seconds): _ = try await site.open(door: id, seconds: seconds, by: source)
                    }
                }
                return .success
            case .cancelAlarm(let door):
                guard let ids = doors(door) else { return PushReturnCode(-11) }
                for id in ids { _ = try await site.clearAlarm(door: id, by: source) }
                return .success
            case .normalOpen(let door, let enabled):
                guard let ids = doors(door) else { return PushReturnCode(-11) }
                for id in ids {
                    _ = enabled ? try await site.setNormalOpen(door: id, by: source) : try await site.close(door: id, by: source)
                }
                return .success
            case .lock(let door, let locked):
                guard let ids = doors(door) else { return PushReturnCode(-11) }
                for id in ids { try await site.setLocked(locked, door: id) }
                return .success
            case .restart(let slave):
                // Gatehouse does not reboot on a server's word; "restart" reloads the site scripts.
                guard slave == 0, let restart else { return .notSupported }
                return await restart() ? .success : PushReturnCode(-615)
            default:
                return .notSupported
            }
        } catch {
            return Self.code(for: error)
        }
    }

    // MARK: UPGRADE

    /// Downloads the package the server names (methods 1 and 2 through `/iclock/file?url=`, method 3 from the URL
    /// itself, relative URLs against the server), checks its size and MD5, and reports. Gatehouse never installs a
    /// ZKTeco firmware image: a package that arrives intact is answered -22 ("firmware platform not the local
    /// platform"), one that does not with -19 (checksum), -20 (length) or -1/-17 (download failed).
    func upgrade(_ command: UpgradeCommand, transport: (any CommandFileFetcher)?) async -> PushReturnCode {
        guard let transport else { return .notSupported }
        guard let url = command.url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else { return PushReturnCode(-618) }
        let target: String
        switch command.method {
        case .convertedFile, .directFile:
            target = "/iclock/file?SN=\(Self.percentEncoded(identity.serialNumber))&url=\(Self.percentEncoded(url))"
        case .rangedDownload:
            target = url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") ? url : (url.hasPrefix("/") ? url : "/" + url)
        }
        let reply: PushTransportReply
        do {
            reply = try await transport.get(target: target)
        } catch {
            return PushReturnCode(-1)
        }
        guard reply.status == 200 else { return PushReturnCode(reply.status == 404 ? -17 : -1) }
        var candidates = [reply.body]
        if command.method == .convertedFile, let decoded = Data(base64Encoded: Data(reply.body), options: .ignoreUnknownCharacters) {
            candidates.insert(Array(decoded), at: 0)  // method 1 packages travel base64-encoded
        }
        let expected = command.checksum?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard let package = candidates.first(where: { Hex.encode(Digest.md5($0)) == expected }) else {
            return PushReturnCode(-19)
        }
        if let size = command.size, size != package.count, size != reply.body.count { return PushReturnCode(-20) }
        return PushReturnCode(-22)
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: ACCOUNT

    /// The controller forms of §9.2.2: the summary (`desc=overview`), then the matching journal entries as one
    /// `transaction.tgz` file part, then the result with the number of records. The PULL SDK form is answered
    /// -1004 (Gatehouse is a controller).
    func account(_ command: AccountCommand, commandID: String, echo: String) async -> CommandOutcome {
        func result(_ code: PushReturnCode) -> CommandOutcome {
            CommandOutcome(uploads: [], result: CommandResult(id: commandID, returnCode: code, command: echo))
        }
        guard command.table.lowercased() == "transaction" else { return result(Self.refusal(for: PushTableName(command.table))) }
        let parameters = command.parameters
        let next = await site.nextJournalIndex
        guard next > 1 else { return upload(entries: [], commandID: commandID, echo: echo) }
        var range: ClosedRange<UInt64> = 1...(next - 1)
        var timeFilter: ((String) -> Bool)?
        switch command.form {
        case .maxIndex:
            let maximum = UInt64(parameters["MaxIndex"] ?? "0") ?? 0
            guard maximum + 1 <= next - 1 else { return upload(entries: [], commandID: commandID, echo: echo) }
            range = (maximum + 1)...(next - 1)
        case .indexRange:
            let start = max(1, UInt64(parameters["StartIndex"] ?? "1") ?? 1)
            let end = min(next - 1, UInt64(parameters["EndIndex"] ?? "") ?? (next - 1))
            guard start <= end else { return upload(entries: [], commandID: commandID, echo: echo) }
            range = start...end
        case .timeRange:
            let start = parameters["StartTime"] ?? ""
            let end = parameters["EndTime"] ?? ""
            timeFilter = { time in (start.isEmpty || time >= start) && (end.isEmpty || time <= end) }
        case .pullSDK, .unknown:
            return result(.notSupported)
        }
        let entries: [JournalEntry]
        do {
            entries = try await site.journal(indices: range, limit: 1_000_000)
        } catch {
            return result(PushReturnCode(-16))
        }
        let selected = entries.filter { view.uploads($0, serialNumber: identity.serialNumber) && (timeFilter?($0.localTime) ?? true) }
        return upload(entries: selected.map(view.upstreamEntry), commandID: commandID, echo: echo)
    }

    func upload(entries: [JournalEntry], commandID: String, echo: String) -> CommandOutcome {
        let lines = entries.map { entry -> String in
            let seconds = PushDateTime(text: entry.localTime)?.encodedSeconds ?? 0
            return [
                "cardno=\(entry.card ?? "0")", "pin=\(entry.pin?.rawValue ?? "0")", "verified=\(entry.verifyMode)",
                "doorid=\(entry.door?.rawValue ?? 0)", "eventtype=\(entry.event)", "inoutstate=\(entry.direction?.rawValue ?? 2)",
                "time_second=\(seconds)", "index=\(entry.index)",
            ].joined(separator: "\t")
        }
        let text = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
        let archive = TarGzip.gzip(
            TarGzip.tar([("transaction.txt", Array(text.utf8))], modified: Date(timeIntervalSince1970: 0)))
        let serial = PushField("SN", identity.serialNumber)
        let overview = PushRequest(
            method: .post, endpoint: .cdata,
            query: PushQuery(items: [serial, PushField("cmdid", commandID), PushField("desc", "overview")]),
            message: .accountOverview(PushKeyValueLines(fields: [
                PushField("SumCount", String(entries.count)), PushField("FileName", "transaction.tgz"),
                PushField("ContentType", "tgz"), PushField("FileCount", "1"),
            ])))
        let file = PushRequest(
            method: .post, endpoint: .file,
            query: PushQuery(items: [
                serial, PushField("cmdid", commandID), PushField("fileseq", "1"), PushField("contenttype", "tgz"),
                PushField("table", "transaction"), PushField("count", String(entries.count)),
            ]),
            message: .fileUpload(archive))
        return CommandOutcome(
            uploads: [overview, file], result: CommandResult(id: commandID, returnCode: PushReturnCode(entries.count), command: echo))
    }
}

/// `Test Host`: whether a TCP connection to `host:port` opens within three seconds.
public enum TCPProbe {
    public static let connect: @Sendable (String) async -> Bool = { address in
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: probe(address, timeoutMilliseconds: 3000)) }
        }
    }

    static func probe(_ address: String, timeoutMilliseconds: Int32) -> Bool {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else { return false }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            let started = Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
            if started == 0 { return true }
            guard errno == EINPROGRESS else { continue }
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&descriptor, 1, timeoutMilliseconds) == 1 else { continue }
            var problem: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(fd, SOL_SOCKET, SO_ERROR, &problem, &length) == 0, problem == 0 { return true }
        }
        return false
    }
}
