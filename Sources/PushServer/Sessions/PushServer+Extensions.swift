import Archives
import Foundation
import GRDB
import PushCrypto
import PushProtocol

/// The server's RSA key pair for `exchange` (Appendix 16 (a)): made on first use and kept for the process, so a
/// device's `publickey` and `factors` steps meet the same key. An actor, so concurrent first exchanges make one.
actor ServerKeyPair {
    private var keys: RSAKeyPair?

    func current() throws(PushCryptoError) -> RSAKeyPair {
        if let keys { return keys }
        let made = try RSAKeyPair.generate()
        keys = made
        return made
    }
}

extension PushServer {
    /// Why an exchange value was refused, and what Gatehouse speaks instead.
    static func exchangeRefusal(_ error: PushCryptoError) -> PushHTTPResponse {
        PushHTTPResponse(
            status: 400,
            body: Array(
                "\(error). Gatehouse speaks its own documented scheme (RSA-2048 OAEP-SHA256 factors, HKDF-SHA256, AES-256-GCM); ZKTeco's proprietary encryption library is not interoperable with it"
                    .utf8))
    }

    /// `exchange?type=publickey` (§4.2): keeps P1, answers P2.
    func exchangePublicKey(_ text: String, serialNumber: String) async throws -> PushHTTPResponse {
        let deviceKey: RSAPublicKey
        do { deviceKey = try RSAPublicKey(wireText: text) } catch { return Self.exchangeRefusal(error) }
        let serverKeys = try await keys.current()
        try store.setDevicePublicKey(serialNumber, derBytes: deviceKey.derBytes)
        return PushHTTPResponse(.publicKey(serverKeys.publicKey.wireText))
    }

    /// `exchange?type=factors` (§4.3): reads R1, draws R2, derives and keeps the session key, answers R2 under P1.
    func exchangeFactors(_ text: String, serialNumber: String, now: Date) async throws -> PushHTTPResponse {
        guard let der = try store.devicePublicKey(serialNumber), let deviceKey = try? RSAPublicKey(derBytes: der) else {
            return PushHTTPResponse(
                status: 400,
                body: Array(
                    "exchange?type=factors needs the device's public key first (exchange?type=publickey on this connection)".utf8)
            )
        }
        let serverKeys = try await keys.current()
        let deviceFactor: [UInt8]
        do { deviceFactor = try PushFactor.read(text, with: serverKeys) } catch { return Self.exchangeRefusal(error) }
        let serverFactor = try PushFactor.generate()
        let sessionKey = try PushSessionKey.derive(
            deviceFactor: deviceFactor, serverFactor: serverFactor, devicePublicKey: deviceKey,
            serverPublicKey: serverKeys.publicKey)
        let reply = try PushFactor.wireText(serverFactor, to: deviceKey)
        guard try store.setSessionKey(serialNumber, key: sessionKey.bytes, now: now) else {
            return PushHTTPResponse(status: 409, body: Array("the device reconnected during the exchange; start again".utf8))
        }
        logger.info("PUSH encryption negotiated", metadata: ["sn": "\(serialNumber)"])
        return PushHTTPResponse(.factors(reply))
    }

    /// The records inside an ACCOUNT tgz (every regular file of the archive, read as PUSH record lines).
    static func archiveRecords(_ archive: [UInt8]) throws -> [PushRecord] {
        let tar = try TarGzip.gunzip(archive, maxOutput: PushLimits.maximumBodyBytes * 8)
        var records: [PushRecord] = []
        for file in try TarGzip.untar(tar) {
            records += try RecordBody.parse(file.contents)
        }
        return records
    }

    /// The device's clock as it reported it (`DateTime=` in the registry or an options upload: Appendix 5
    /// seconds, or `yyyy-MM-dd HH:mm:ss`), read in the server's zone.
    func reportedDeviceClock(_ options: PushOptionList) -> Date? {
        guard let text = options["DateTime"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let value: PushDateTime
        if let seconds = UInt32(text) {
            value = PushDateTime(encodedSeconds: seconds)
        } else if let parsed = PushDateTime(text: text) {
            value = parsed
        } else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.timeZone
        return calendar.date(
            from: DateComponents(
                year: value.year, month: value.month, day: value.day, hour: value.hour, minute: value.minute, second: value.second
            ))
    }

    /// Queues `SET OPTIONS DateTime=<server time>` (§9.5.1) when the device's reported clock is off by more than
    /// `clockTolerance`, unless one is already waiting for that device.
    func synchronizeClock(_ serialNumber: String, options: PushOptionList, now: Date) async throws {
        guard let tolerance = configuration.clockTolerance, let deviceClock = reportedDeviceClock(options) else { return }
        let offset = deviceClock.timeIntervalSince(now)
        guard abs(offset) > tolerance, let seconds = localDateTime(now).encodedSeconds else { return }
        let command = CommandKind.setOptions(PushOptionList(fields: [PushField("DateTime", String(seconds))])).text
        guard try !store.hasPendingClockSync(serialNumber) else { return }
        _ = try await store.enqueue(serialNumber, command: command, timeToLive: configuration.commandTimeToLive, now: now)
        logger.notice("device clock is off; DateTime queued", metadata: ["sn": "\(serialNumber)", "offset_s": "\(Int(offset))"])
    }
}

extension PushServerStore {
    /// Whether a `SET OPTIONS DateTime=` is queued or delivered (not yet answered) for the device.
    func hasPendingClockSync(_ serialNumber: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM push_command WHERE sn = ? AND state IN ('queued', 'delivered')
                        AND command LIKE 'SET OPTIONS DateTime=%')
                    """,
                arguments: [serialNumber]) ?? false
        }
    }
}
