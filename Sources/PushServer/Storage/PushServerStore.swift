import Foundation
import GRDB
import PushProtocol
import Storage

/// The PUSH server's durable state on GRDB: device registry, event ledger, uploads, command queue.
///
/// Every method is one write (or read) transaction, so what a method returns is committed: the server replies only
/// after the method returns. Writes on request paths are asynchronous: the commit, and its sync under
/// `data.sync = full`, run on GRDB's writer queue, never on the event loop that serves other requests.
///
/// Make one store per database and share it (copies share its `cache` and `presence`): the registry cache is kept
/// current by this store's own writes.
public struct PushServerStore: Sendable {
    public let writer: any DatabaseWriter
    /// Presence (last seen, address) of polling devices, written at most once a second; reads overlay it.
    public let presence: PresenceBuffer
    /// Registry rows and open-command flags for the hot paths; kept current by this store's writes.
    public let cache: RegistryCache

    /// When set, group commits (ingestion, delivery, results) commit without a sync and wait for this syncer before
    /// they answer, so the writer is free for the next group while the disk syncs (see `WALSyncer`).
    public let deferredSync: WALSyncer?

    public init(writer: any DatabaseWriter, deferredSync: WALSyncer? = nil) {
        self.writer = writer
        self.deferredSync = deferredSync
        self.presence = PresenceBuffer()
        self.cache = RegistryCache()
    }

    // MARK: Registry

    public func device(_ serialNumber: String) throws -> PushDeviceRecord? {
        try writer.read { db in try Self.fetchDevice(db, serialNumber) }.map(presence.overlay)
    }

    public func devices() throws -> [PushDeviceRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM push_device ORDER BY sn").map(Self.device(from:))
        }.map(presence.overlay)
    }

    /// The handshake (§4.1) of a device: refreshes last-seen and address, and for an approved device starts a new
    /// session. A new session is a reconnect, so commands delivered but not acknowledged go back to the queue.
    /// `resetEncryption`: a handshake (a reconnect) drops the connection's encryption keys; a session started by
    /// `/iclock/push` (no handshake before it) keeps the keys just negotiated.
    public func beginSession(
        _ serialNumber: String, address: String?, now: Date, resetEncryption: Bool = true
    ) async throws -> PushDeviceRecord? {
        defer { cache.invalidate(serialNumber) }
        return try await writer.write { db in
            guard var device = try Self.fetchDevice(db, serialNumber) else { return nil }
            device.lastSeen = now
            if let address { device.ipAddress = address }
            if device.status == .approved {
                if device.registryCode == nil { device.registryCode = Self.randomToken(length: 16) }
                device.sessionID = Self.randomToken(length: 32)
                try db.execute(
                    sql: "UPDATE push_command SET state = 'queued' WHERE sn = ? AND state = 'delivered'",
                    arguments: [serialNumber])
            }
            // A reconnect starts in plain text: encryption keys are made fresh per connection (Appendix 16 (a)).
            if resetEncryption {
                try db.execute(sql: "DELETE FROM push_device_crypto WHERE sn = ?", arguments: [serialNumber])
            }
            try db.execute(
                sql: "UPDATE push_device SET last_seen = ?, ip = ?, registry_code = ?, session_id = ? WHERE sn = ?",
                arguments: [now.timeIntervalSince1970, device.ipAddress, device.registryCode, device.sessionID, serialNumber])
            return device
        }
    }

    /// Registration (§4.4): records (or refreshes) the device with its options. A new device is approved at once
    /// when `autoApprove` says so, otherwise it is listed as pending, unless `pendingLimit` devices already wait
    /// (``PushServerStoreError/pendingLimitReached(limit:)``). An approved device gets a RegistryCode.
    public func register(
        _ serialNumber: String, options: PushOptionList, address: String?, autoApprove: Bool, now: Date,
        pendingLimit: Int = .max
    ) async throws -> PushDeviceRecord {
        defer { cache.invalidate(serialNumber) }
        return try await writer.write { db in
            let existing = try Self.fetchDevice(db, serialNumber)
            if existing == nil && !autoApprove { try Self.admitPending(db, limit: pendingLimit) }
            var device =
                existing
                ?? PushDeviceRecord(
                    serialNumber: serialNumber, status: .pending, registryCode: nil, sessionID: nil, registryOptions: "",
                    deviceType: nil, deviceName: nil, firmware: nil, pushVersion: nil, maxPackageSize: nil, lockCount: nil,
                    readerCount: nil, ipAddress: address, firstSeen: now, lastSeen: now, approvedAt: nil)
            device.registryOptions = options.text
            device.deviceType = options["DeviceType"]
            device.deviceName = options["DeviceName"]
            device.firmware = options["FirmVer"]
            device.pushVersion = options["PushVersion"]
            device.maxPackageSize = options["MaxPackageSize"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            device.lockCount = options["LockCount"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            device.readerCount = options["ReaderCount"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            device.lastSeen = now
            if let address { device.ipAddress = address }
            if device.status == .pending && autoApprove {
                device.status = .approved
                device.approvedAt = now
            }
            if device.status == .approved && device.registryCode == nil {
                device.registryCode = Self.randomToken(length: 16)
            }
            try Self.save(db, device)
            return device
        }
    }

    /// A device first seen through its handshake, before it registers: listed as pending so an operator sees it,
    /// unless `pendingLimit` devices already wait (``PushServerStoreError/pendingLimitReached(limit:)``).
    public func notePending(_ serialNumber: String, address: String?, now: Date, pendingLimit: Int = .max) async throws {
        defer { cache.invalidate(serialNumber) }
        try await writer.write { db in
            if try Self.fetchDevice(db, serialNumber) == nil { try Self.admitPending(db, limit: pendingLimit) }
            try db.execute(
                sql: """
                    INSERT INTO push_device (sn, status, ip, first_seen, last_seen) VALUES (?, 'pending', ?, ?, ?)
                    ON CONFLICT(sn) DO UPDATE SET last_seen = excluded.last_seen, ip = coalesce(excluded.ip, ip)
                    """,
                arguments: [serialNumber, address, now.timeIntervalSince1970, now.timeIntervalSince1970])
        }
    }

    /// Throws unless fewer than `limit` devices wait for approval: anyone who reaches the PUSH listener can make
    /// up serial numbers, and each would otherwise be a row and a write.
    static func admitPending(_ db: Database, limit: Int) throws {
        let waiting = try Int.fetchOne(db, sql: "SELECT count(*) FROM push_device WHERE status = 'pending'") ?? 0
        guard waiting < limit else { throw PushServerStoreError.pendingLimitReached(limit: limit) }
    }

    /// Removes a device that waits for approval, with anything queued for it: how an operator clears devices they
    /// do not know (and makes room under `push.max_pending_devices`). An approved device is refused
    /// (``PushServerStoreError/approvedDevice(_:)``): its events and commands are the site's history.
    public func deletePending(_ serialNumber: String) async throws {
        defer { cache.invalidate(serialNumber) }
        try await writer.write { db in
            guard let device = try Self.fetchDevice(db, serialNumber) else {
                throw PushServerStoreError.unknownDevice(serialNumber)
            }
            guard device.status != .approved else { throw PushServerStoreError.approvedDevice(serialNumber) }
            for table in ["push_command", "push_upload", "push_table_row", "push_event", "push_device_crypto", "push_device"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE sn = ?", arguments: [serialNumber])
            }
        }
    }

    /// Operator approval. The device gets its RegistryCode on its next handshake or registration.
    @discardableResult
    public func approve(_ serialNumber: String, now: Date) async throws -> PushDeviceRecord {
        defer { cache.invalidate(serialNumber) }
        return try await writer.write { db in
            guard var device = try Self.fetchDevice(db, serialNumber) else {
                throw PushServerStoreError.unknownDevice(serialNumber)
            }
            if device.status != .approved {
                device.status = .approved
                device.approvedAt = now
            }
            if device.registryCode == nil { device.registryCode = Self.randomToken(length: 16) }
            try Self.save(db, device)
            return device
        }
    }

    /// Records a request from a known device (last seen, address).
    public func touch(_ serialNumber: String, address: String?, now: Date) async throws {
        defer { cache.invalidate(serialNumber) }
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE push_device SET last_seen = ?, ip = coalesce(?, ip) WHERE sn = ?",
                arguments: [now.timeIntervalSince1970, address, serialNumber])
        }
    }

    // MARK: Ingestion

    /// Stores rtlog/rtstate rows; returns the rows that were new (replays are skipped).
    public func storeRealtime(_ serialNumber: String, rows: [RealtimeRow], now: Date) throws -> [DeviceEvent] {
        try writer.write { db in try Self.storeRealtime(db, serialNumber, rows: rows, now: now) }
    }

    /// `storeRealtime` inside a transaction the caller owns (the server's group commit).
    static func storeRealtime(_ db: Database, _ serialNumber: String, rows: [RealtimeRow], now: Date) throws -> [DeviceEvent] {
        var stored: [DeviceEvent] = []
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO push_event (sn, kind, dedupe_key, device_index, time_text, time_valid, event_code, pin, card,
                    door, raw, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(sn, kind, dedupe_key) DO NOTHING
                """)
        for row in rows {
            let raw = row.record.text
            switch row {
            case .event(let event):
                let identity = event.identity(serialNumber: serialNumber)
                // Without an index, the whole row is the identity (still stable across replays).
                let key = identity.index.isEmpty ? "raw\t" + raw : identity.index + "\t" + identity.time
                try statement.execute(arguments: [
                    serialNumber, "event", key, event.record["index"], identity.time,
                    event.time.dateTime != nil, event.eventCode, event.pin, event.cardNumberText,
                    event.eventAddress, raw, now.timeIntervalSince1970,
                ])
            case .state(let state):
                try statement.execute(arguments: [
                    serialNumber, "state", raw, nil, state.time.text, state.time.dateTime != nil, nil, nil, nil,
                    state.door.flatMap { Int($0) }, raw, now.timeIntervalSince1970,
                ])
            }
            if db.changesCount > 0 {
                stored.append(DeviceEvent(serialNumber: serialNumber, id: db.lastInsertedRowID, row: row))
            }
        }
        return stored
    }

    /// Stores table rows (tabledata uploads, querydata answers); returns how many were new.
    @discardableResult
    public func storeTableRows(
        _ serialNumber: String, table: String, records: [PushRecord], commandID: Int64?, now: Date
    ) async throws -> Int {
        try await writer.write { db in
            try Self.storeTableRows(db, serialNumber, table: table, records: records, commandID: commandID, now: now)
        }
    }

    /// `storeTableRows` inside a transaction the caller owns (the server's group commit).
    static func storeTableRows(
        _ db: Database, _ serialNumber: String, table: String, records: [PushRecord], commandID: Int64?, now: Date
    ) throws -> Int {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO push_table_row (sn, table_name, command_id, raw, received_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(sn, table_name, raw) DO UPDATE SET command_id = coalesce(excluded.command_id, command_id),
                    received_at = excluded.received_at
                """)
        var inserted = 0
        for record in records {
            try statement.execute(arguments: [serialNumber, table, commandID, record.text, now.timeIntervalSince1970])
            inserted += db.changesCount
        }
        return inserted
    }

    /// Stores any other upload, raw.
    public func storeUpload(
        _ serialNumber: String, kind: String, query: String, commandID: Int64?, body: [UInt8], now: Date
    ) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO push_upload (sn, kind, query, command_id, body, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [serialNumber, kind, query, commandID, Data(body), now.timeIntervalSince1970])
        }
    }

    /// Stored events of a device, oldest first.
    public func events(_ serialNumber: String, after id: Int64 = 0, limit: Int = 1000) throws -> [StoredDeviceEvent] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM push_event WHERE sn = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [serialNumber, id, limit]
            ).map { row in
                StoredDeviceEvent(
                    id: row["id"], serialNumber: row["sn"], kind: row["kind"], deviceIndex: row["device_index"],
                    timeText: row["time_text"], timeIsValid: row["time_valid"], eventCode: row["event_code"],
                    pin: row["pin"], card: row["card"], door: row["door"], raw: row["raw"])
            }
        }
    }

    /// Stored table rows of a device for one table, oldest first (raw record text).
    public func tableRows(_ serialNumber: String, table: String) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT raw FROM push_table_row WHERE sn = ? AND table_name = ? ORDER BY id",
                arguments: [serialNumber, table])
        }
    }

    /// Number of raw uploads of a kind.
    public func uploadCount(_ serialNumber: String, kind: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM push_upload WHERE sn = ? AND kind = ?", arguments: [serialNumber, kind]) ?? 0
        }
    }

    // MARK: Commands

    /// Queues a command. With an idempotency key already used for this device, the existing command is returned
    /// and nothing is queued twice.
    public func enqueue(
        _ serialNumber: String, command: String, idempotencyKey: String? = nil, timeToLive: TimeInterval, now: Date
    ) async throws -> PushCommandRecord {
        let text = try Self.validatedCommand(command)
        defer { cache.commandQueued(serialNumber) }
        return try await writer.write { db in
            guard try Self.fetchDevice(db, serialNumber) != nil else {
                throw PushServerStoreError.unknownDevice(serialNumber)
            }
            if let idempotencyKey,
                let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM push_command WHERE sn = ? AND idempotency_key = ?",
                    arguments: [serialNumber, idempotencyKey]),
                let existing = try Self.fetchCommand(db, serialNumber, id)
            {
                return existing
            }
            try db.execute(
                sql: """
                    INSERT INTO push_command (sn, command, state, idempotency_key, created_at, expires_at)
                    VALUES (?, ?, 'queued', ?, ?, ?)
                    """,
                arguments: [
                    serialNumber, text, idempotencyKey, now.timeIntervalSince1970,
                    now.addingTimeInterval(timeToLive).timeIntervalSince1970,
                ])
            let id = db.lastInsertedRowID
            guard let record = try Self.fetchCommand(db, serialNumber, id) else {
                throw PushServerStoreError.commandNotFound(serialNumber: serialNumber, id: id)
            }
            return record
        }
    }

    /// Picks the commands for one getrequest reply and marks them delivered, in one transaction: expired commands
    /// are closed first; then queued commands and delivered ones older than `redeliveryTimeout`, in ID order,
    /// while they fit in `byteBudget` and `maximumCount`.
    public func deliver(
        _ serialNumber: String, byteBudget: Int, maximumCount: Int, redeliveryTimeout: TimeInterval, now: Date
    ) throws -> [ServerCommand] {
        try writer.write { db in
            try Self.deliver(
                db, serialNumber, byteBudget: byteBudget, maximumCount: maximumCount, redeliveryTimeout: redeliveryTimeout,
                now: now)
        }
    }

    /// `deliver` inside a transaction the caller owns (the server's group commit).
    static func deliver(
        _ db: Database, _ serialNumber: String, byteBudget: Int, maximumCount: Int, redeliveryTimeout: TimeInterval, now: Date
    ) throws -> [ServerCommand] {
        let nowSeconds = now.timeIntervalSince1970
        try db.execute(
            sql: "UPDATE push_device SET last_seen = ? WHERE sn = ?", arguments: [nowSeconds, serialNumber])
        try db.execute(
            sql: """
                UPDATE push_command SET state = 'expired', completed_at = ?
                WHERE sn = ? AND state IN ('queued', 'delivered') AND expires_at <= ?
                """,
            arguments: [nowSeconds, serialNumber, nowSeconds])
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, command FROM push_command
                WHERE sn = ? AND (state = 'queued' OR (state = 'delivered' AND delivered_at <= ?))
                ORDER BY id LIMIT ?
                """,
            arguments: [serialNumber, nowSeconds - redeliveryTimeout, maximumCount])
        var commands: [ServerCommand] = []
        var used = 0
        for row in rows {
            let id: Int64 = row["id"]
            let text: String = row["command"]
            let command: ServerCommand
            do {
                command = try ServerCommand(id: Int(id), kind: Self.parseKind(text))
            } catch {
                // Validated on enqueue; a row that no longer parses (codec changed) fails visibly.
                try db.execute(
                    sql: "UPDATE push_command SET state = 'failed', completed_at = ?, return_text = ? WHERE id = ?",
                    arguments: [nowSeconds, "not deliverable: \(error)", id])
                continue
            }
            let size = command.text.utf8.count + 1
            if !commands.isEmpty && used + size > byteBudget { break }
            used += size
            commands.append(command)
            try db.execute(
                sql: """
                    UPDATE push_command SET state = 'delivered', delivered_at = ?, delivery_count = delivery_count + 1
                    WHERE id = ?
                    """,
                arguments: [nowSeconds, id])
        }
        return commands
    }

    /// Records devicecmd results. A result for a command already acknowledged (a replay) changes nothing; a result
    /// for an unknown ID is ignored (returned count excludes it).
    @discardableResult
    public func recordResults(_ serialNumber: String, results: [CommandResult], now: Date) throws -> Int {
        try writer.write { db in try Self.recordResults(db, serialNumber, results: results, now: now) }
    }

    /// `recordResults` inside a transaction the caller owns (the server's group commit).
    static func recordResults(_ db: Database, _ serialNumber: String, results: [CommandResult], now: Date) throws -> Int {
        var recorded = 0
        for result in results {
            guard let id = Int64(result.id.trimmingCharacters(in: .whitespaces)) else { continue }
            let code = result.returnCode?.rawValue
            let state: CommandState = (code ?? -1) >= 0 ? .succeeded : .failed
            try db.execute(
                sql: """
                    UPDATE push_command SET state = ?, completed_at = ?, return_code = ?, return_text = ?,
                        result_command = ?, payload = ?
                    WHERE sn = ? AND id = ? AND state IN ('queued', 'delivered')
                    """,
                arguments: [
                    state.rawValue, now.timeIntervalSince1970, code, result.returnText, result.command,
                    result.payload.joined(separator: "\n"), serialNumber, id,
                ])
            recorded += db.changesCount
        }
        return recorded
    }

    public func command(_ serialNumber: String, id: Int64) throws -> PushCommandRecord? {
        try writer.read { db in try Self.fetchCommand(db, serialNumber, id) }
    }

    public func commands(_ serialNumber: String) throws -> [PushCommandRecord] {
        try writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM push_command WHERE sn = ? ORDER BY id", arguments: [serialNumber])
                .compactMap { try Self.fetchCommand(db, serialNumber, $0) }
        }
    }

    // MARK: Helpers

    /// Checks that the text is one PUSH command the codec understands, and returns it trimmed.
    static func validatedCommand(_ text: String) throws(PushServerStoreError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidCommand(text, reason: "it is empty") }
        do {
            _ = try parseKind(trimmed)
        } catch {
            throw .invalidCommand(text, reason: "\(error)")
        }
        return trimmed
    }

    /// The codec parses commands in their wire form `C:<id>:<text>`; the ID is a placeholder here.
    static func parseKind(_ text: String) throws -> CommandKind {
        try ServerCommand.parse("C:0:" + text).kind
    }

    static func randomToken(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    static func fetchDevice(_ db: Database, _ serialNumber: String) throws -> PushDeviceRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM push_device WHERE sn = ?", arguments: [serialNumber]).map(device(from:))
    }

    static func device(from row: Row) -> PushDeviceRecord {
        PushDeviceRecord(
            serialNumber: row["sn"], status: DeviceStatus(rawValue: row["status"]) ?? .pending,
            registryCode: row["registry_code"], sessionID: row["session_id"], registryOptions: row["registry_options"],
            deviceType: row["device_type"], deviceName: row["device_name"], firmware: row["firmware"],
            pushVersion: row["push_version"], maxPackageSize: row["max_package_size"], lockCount: row["lock_count"],
            readerCount: row["reader_count"], ipAddress: row["ip"],
            firstSeen: Date(timeIntervalSince1970: row["first_seen"]),
            lastSeen: Date(timeIntervalSince1970: row["last_seen"]),
            approvedAt: (row["approved_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }

    static func save(_ db: Database, _ device: PushDeviceRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO push_device (sn, status, registry_code, session_id, registry_options, device_type, device_name,
                    firmware, push_version, max_package_size, lock_count, reader_count, ip, first_seen, last_seen, approved_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(sn) DO UPDATE SET status = excluded.status, registry_code = excluded.registry_code,
                    session_id = excluded.session_id, registry_options = excluded.registry_options,
                    device_type = excluded.device_type, device_name = excluded.device_name, firmware = excluded.firmware,
                    push_version = excluded.push_version, max_package_size = excluded.max_package_size,
                    lock_count = excluded.lock_count, reader_count = excluded.reader_count, ip = excluded.ip,
                    last_seen = excluded.last_seen, approved_at = excluded.approved_at
                """,
            arguments: [
                device.serialNumber, device.status.rawValue, device.registryCode, device.sessionID, device.registryOptions,
                device.deviceType, device.deviceName, device.firmware, device.pushVersion, device.maxPackageSize,
                device.lockCount, device.readerCount, device.ipAddress, device.firstSeen.timeIntervalSince1970,
                device.lastSeen.timeIntervalSince1970, device.approvedAt?.timeIntervalSince1970,
            ])
    }

    static func fetchCommand(_ db: Database, _ serialNumber: String, _ id: Int64) throws -> PushCommandRecord? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM push_command WHERE sn = ? AND id = ?", arguments: [serialNumber, id])
        else { return nil }
        let uploaded =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM push_table_row WHERE sn = ? AND command_id = ?", arguments: [serialNumber, id])
            ?? 0
        let payloadText: String = row["payload"]
        return PushCommandRecord(
            id: row["id"], serialNumber: row["sn"], command: row["command"],
            state: CommandState(rawValue: row["state"]) ?? .failed, idempotencyKey: row["idempotency_key"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: Date(timeIntervalSince1970: row["expires_at"]),
            deliveredAt: (row["delivered_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
            deliveryCount: row["delivery_count"],
            completedAt: (row["completed_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
            returnCode: row["return_code"], returnText: row["return_text"], resultCommand: row["result_command"],
            payload: payloadText.isEmpty ? [] : payloadText.components(separatedBy: "\n"), uploadedRows: uploaded)
    }
}
