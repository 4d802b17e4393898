import Digests
import Foundation
import PushProtocol

/// Where a device stands with the registry.
public enum DeviceStatus: String, Sendable, Codable, Hashable {
    /// Known but waiting for an operator (or refused by the allowlist): its data is not accepted.
    case pending
    case approved
}

/// One device of the registry.
public struct PushDeviceRecord: Sendable, Hashable, Codable {
    public var serialNumber: String
    public var status: DeviceStatus
    public var registryCode: String?
    public var sessionID: String?
    /// The registry body as sent (§4.4), the source of every capability below.
    public var registryOptions: String
    public var deviceType: String?
    public var deviceName: String?
    public var firmware: String?
    public var pushVersion: String?
    public var maxPackageSize: Int?
    public var lockCount: Int?
    public var readerCount: Int?
    public var ipAddress: String?
    public var firstSeen: Date
    public var lastSeen: Date
    public var approvedAt: Date?

    /// The registry options, parsed.
    public var options: PushOptionList {
        (try? PushOptionList.parse(registryOptions)) ?? PushOptionList(fields: [])
    }

    /// The functions `AccSupportFunList` says the device supports (Capabilities of the codec).
    public var supportedFunctions: [String] {
        options["AccSupportFunList"].map { Capabilities.accSupportFunctions($0) } ?? []
    }

    /// Online when it polled within three poll intervals (at least a minute).
    public func isOnline(at now: Date, requestDelay: Int) -> Bool {
        now.timeIntervalSince(lastSeen) <= Double(max(60, 3 * requestDelay))
    }

    /// The session token the device must present once it has a session (§4.5).
    public var expectedToken: String? {
        guard let registryCode, let sessionID else { return nil }
        return SessionToken.compute(registryCode: registryCode, serialNumber: serialNumber, sessionID: sessionID)
    }
}

/// The states of a queued command.
public enum CommandState: String, Sendable, Codable, Hashable, CaseIterable {
    case queued, delivered, succeeded, failed, expired

    public var isFinal: Bool { self == .succeeded || self == .failed || self == .expired }
}

/// One command of the durable queue.
public struct PushCommandRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var serialNumber: String
    /// The command text after `C:<id>:` (`CONTROL DEVICE 01010105`, `DATA UPDATE user …`).
    public var command: String
    public var state: CommandState
    public var idempotencyKey: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var deliveredAt: Date?
    public var deliveryCount: Int
    public var completedAt: Date?
    /// The device's `Return=` value.
    public var returnCode: Int?
    public var returnText: String?
    /// `CMD=` as the device echoed it.
    public var resultCommand: String?
    /// Payload lines that followed the result (GET OPTIONS answers, `~DeviceName=…`).
    public var payload: [String]
    /// Rows the device uploaded to `querydata` for this command (DATA QUERY / COUNT answers).
    public var uploadedRows: Int
}

/// A newly stored rtlog/rtstate row, handed to the `DeviceEventSink` after it is durable.
public struct DeviceEvent: Sendable, Hashable {
    public var serialNumber: String
    /// The row's ID in `push_event` (monotonic).
    public var id: Int64
    public var row: RealtimeRow

    public init(serialNumber: String, id: Int64, row: RealtimeRow) {
        self.serialNumber = serialNumber
        self.id = id
        self.row = row
    }
}

/// A stored rtlog/rtstate row as the registry reads it back.
public struct StoredDeviceEvent: Sendable, Hashable, Codable {
    public var id: Int64
    public var serialNumber: String
    public var kind: String
    public var deviceIndex: String?
    public var timeText: String
    /// False when the device clock sent something like `1971--10--29 -23:-27:-54`; the raw text is kept.
    public var timeIsValid: Bool
    public var eventCode: Int?
    public var pin: String?
    public var card: String?
    public var door: Int?
    public var raw: String
}

/// Errors of the store that a caller can act on.
public enum PushServerStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownDevice(String)
    case invalidCommand(String, reason: String)
    case commandNotFound(serialNumber: String, id: Int64)
    /// `limit` devices already wait for approval: a new one is not listed until the operator approves or deletes some.
    case pendingLimitReached(limit: Int)
    /// Only a device that waits for approval can be deleted: an approved one keeps its history.
    case approvedDevice(String)

    public var description: String {
        switch self {
        case .unknownDevice(let sn): "no device with serial number \(sn) is registered"
        case .invalidCommand(let text, let reason): "command `\(text.prefix(80))` is not a PUSH command: \(reason)"
        case .commandNotFound(let sn, let id): "device \(sn) has no command \(id)"
        case .approvedDevice(let sn): "device \(sn) is approved; only devices that wait for approval can be deleted"
        case .pendingLimitReached(let limit):
            "\(limit) devices already wait for approval (push.max_pending_devices); approve or delete some first"
        }
    }
}
