import AccessControl
import Foundation
import PushProtocol

/// Users registered or changed locally (REST, Lua, the Akuvox API) go up as `tabledata` user rows (§7.5), as a
/// panel uploads users enrolled at its keypad. The journal does not record user changes, so the device compares
/// each user's row with the one the server is known to hold (`push_upstream_user`, persisted): changed rows go up,
/// and a row is recorded as known only after the server's 200. Users the server itself sent (DATA UPDATE/DELETE)
/// are recorded as known when the command runs, so they never echo back.
extension PushDeviceClient {
    /// Scans at most every 30 s: the comparison reads every user.
    func userScanIsDue() -> Bool {
        guard let lastUserScan else { return true }
        return now().timeIntervalSince(lastUserScan) >= 30
    }

    /// Uploads the users whose rows differ from what the server holds; returns how many went up.
    @discardableResult
    public func uploadChangedUsers() async throws(PushDeviceError) -> Int {
        let known: [String: String]
        do { known = try cursor.knownUserRows() } catch { throw .journal("\(error)") }
        var changed: [(pin: String, record: PushRecord, key: String)] = []
        for (offset, user) in await executor.allUsers().enumerated() {
            let key = DeviceCommandExecutor.userKey(user)
            if known[user.pin.rawValue] != key {
                changed.append((user.pin.rawValue, DeviceCommandExecutor.userRow(user, uid: offset + 1), key))
            }
        }
        var sent = 0
        for start in stride(from: 0, to: changed.count, by: max(1, uploadBatchSize)) {
            let batch = Array(changed[start..<min(changed.count, start + max(1, uploadBatchSize))])
            let request = PushRequest(
                method: .post, endpoint: .cdata,
                query: PushQuery(items: [
                    PushField("SN", identity.serialNumber), PushField("table", "tabledata"), PushField("tablename", "user"),
                    PushField("count", String(batch.count)),
                ]),
                message: .tableData(table: .known(.user), records: batch.map(\.record)))
            let reply = try await send(request)
            guard reply.status == 200 else {
                if reply.status == 401 { session.sessionEnded() }
                throw .refused(endpoint: "/iclock/cdata?table=tabledata", status: reply.status)
            }
            do { try cursor.setKnownUserRows(batch.map { ($0.pin, Optional($0.key)) }) } catch { throw .journal("\(error)") }
            sent += batch.count
        }
        lastUserScan = now()
        return sent
    }

    /// Records the users a server command wrote or deleted as known to the server.
    func noteServerUserChanges(_ command: ServerCommand) async {
        var pins: [String] = []
        var forgetAll = false
        switch command.kind {
        case .dataUpdate(let table, let records) where [.known(.user), .known(.mulcarduser), .known(.extuser)].contains(table):
            pins = records.compactMap { $0["Pin"]?.trimmingCharacters(in: .whitespaces) }
        case .dataDelete(let table, let condition) where [.known(.user), .known(.mulcarduser), .known(.extuser)].contains(table):
            if case .fields(let record) = condition, let pin = record["Pin"] {
                pins = [pin.trimmingCharacters(in: .whitespaces)]
            } else {
                forgetAll = table == .known(.user)
                if !forgetAll { pins = await executor.allUsers().map(\.pin.rawValue) }
            }
        default:
            return
        }
        var rows: [(pin: String, row: String?)] = []
        if forgetAll {
            rows = ((try? cursor.knownUserRows()) ?? [:]).keys.map { ($0, nil) }
        }
        for pin in pins where !pin.isEmpty {
            rows.append((pin, await site.user(UserPIN(pin)).map(DeviceCommandExecutor.userKey)))
        }
        do {
            try cursor.setKnownUserRows(rows)
        } catch {
            logger.warning("cannot record users the server sent", metadata: ["error": "\(error)"])
        }
    }
}
