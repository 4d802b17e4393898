import Foundation
import GRDB

/// A device as one request needs it: its registry record and, when it negotiated encryption on this connection,
/// its session key. Read in one statement so the hot paths (getrequest, rtlog) cost one read.
public struct PushDeviceContext: Sendable {
    public var record: PushDeviceRecord
    /// The AES-256-GCM session key (32 bytes), nil while the device speaks plain text.
    public var sessionKey: [UInt8]?
}

extension PushServerStore {
    public func deviceContext(_ serialNumber: String) async throws -> PushDeviceContext? {
        let (cached, generation) = cache.context(serialNumber)
        if let cached { return PushDeviceContext(record: presence.overlay(cached.record), sessionKey: cached.sessionKey) }
        let context = try await writer.read { db -> PushDeviceContext? in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT push_device.*, push_device_crypto.session_key AS crypto_session_key
                    FROM push_device LEFT JOIN push_device_crypto ON push_device_crypto.sn = push_device.sn
                    WHERE push_device.sn = ?
                    """,
                arguments: [serialNumber])
            else { return nil }
            let key: Data? = row["crypto_session_key"]
            return PushDeviceContext(record: Self.device(from: row), sessionKey: key.map { Array($0) })
        }
        if let context { cache.remember(context, readAt: generation) }
        return context.map { PushDeviceContext(record: presence.overlay($0.record), sessionKey: $0.sessionKey) }
    }

    /// Whether a getrequest has anything to hand over (queued, due for redelivery, or to expire): a read, so idle
    /// polls never wait for the writer.
    public func hasDeliverable(_ serialNumber: String, redeliveryTimeout: TimeInterval, now: Date) async throws -> Bool {
        let (known, generation) = cache.mayHaveOpenCommands(serialNumber)
        if known == false { return false }
        if known == nil {
            let open = try await writer.read { db in
                try String.fetchSet(db, sql: "SELECT DISTINCT sn FROM push_command WHERE state IN ('queued', 'delivered')")
            }
            cache.loadOpenCommands(open, readAt: generation)
            if !open.contains(serialNumber) { return false }
        }
        let nowSeconds = now.timeIntervalSince1970
        let (deliverable, anyOpen) = try await writer.read { db -> (Bool, Bool) in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM push_command WHERE sn = ? AND (state = 'queued'
                        OR (state = 'delivered' AND (delivered_at <= ? OR expires_at <= ?)))) AS deliverable,
                        EXISTS (SELECT 1 FROM push_command WHERE sn = ? AND state IN ('queued', 'delivered')) AS open
                    """,
                arguments: [serialNumber, nowSeconds - redeliveryTimeout, nowSeconds, serialNumber])
            return (row?["deliverable"] ?? false, row?["open"] ?? true)
        }
        if !anyOpen { cache.noOpenCommands(serialNumber, readAt: generation) }
        return deliverable
    }

    /// `exchange?type=publickey`: keeps the device's public key (DER) and forgets any earlier session key.
    public func setDevicePublicKey(_ serialNumber: String, derBytes: [UInt8]) throws {
        defer { cache.invalidate(serialNumber) }
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO push_device_crypto (sn, device_public_key, session_key, negotiated_at) VALUES (?, ?, NULL, NULL)
                    ON CONFLICT(sn) DO UPDATE SET device_public_key = excluded.device_public_key, session_key = NULL,
                        negotiated_at = NULL
                    """,
                arguments: [serialNumber, Data(derBytes)])
        }
    }

    /// The public key the device sent on this connection, if any.
    public func devicePublicKey(_ serialNumber: String) throws -> [UInt8]? {
        try writer.read { db in
            try Data.fetchOne(db, sql: "SELECT device_public_key FROM push_device_crypto WHERE sn = ?", arguments: [serialNumber])
                .map { Array($0) }
        }
    }

    /// `exchange?type=factors`: the session key both sides derived. Returns false when the device reconnected
    /// (its public key row is gone) in the meantime.
    @discardableResult
    public func setSessionKey(_ serialNumber: String, key: [UInt8], now: Date) throws -> Bool {
        defer { cache.invalidate(serialNumber) }
        return try writer.write { db in
            try db.execute(
                sql: "UPDATE push_device_crypto SET session_key = ?, negotiated_at = ? WHERE sn = ?",
                arguments: [Data(key), now.timeIntervalSince1970, serialNumber])
            return db.changesCount > 0
        }
    }
}
