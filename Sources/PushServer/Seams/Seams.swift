import PushProtocol

/// The answer to a remote identification (§10).
public struct RemoteIdentificationOutcome: Sendable, Hashable {
    public enum Result: String, Sendable, Hashable {
        case success = "SUCCESS"
        case failed = "FAILED"
        case timeout = "TIMEOUT"
    }

    public var result: Result
    /// The door to open on success (the device's own door number) and for how long.
    public var door: Int?
    public var openSeconds: Int
    /// `TIPS=` shown on the device (UTF-8).
    public var tips: String?

    public init(result: Result, door: Int? = nil, openSeconds: Int = 5, tips: String? = nil) {
        self.result = result
        self.door = door
        self.openSeconds = openSeconds
        self.tips = tips
    }
}

/// Verifies a credential presented on a device that asks the server (`AuthType=device`). The composition root
/// implements it with the door engine and the Lua `credential` hook; it must answer within the device's timeout,
/// so an implementation returns `.timeout` rather than wait on a late script.
public protocol RemoteIdentifier: Sendable {
    func identify(serialNumber: String, event: RealtimeEvent) async -> RemoteIdentificationOutcome
}

/// Receives every newly stored device row after it is durable (never a replay).
public protocol DeviceEventSink: Sendable {
    func deviceEventsStored(_ events: [DeviceEvent]) async
}
