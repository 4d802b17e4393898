import Digests
import Foundation
import PushProtocol

/// Who this device is to the upstream server.
public struct DeviceIdentity: Sendable, Hashable {
    public var serialNumber: String
    public var deviceName: String
    public var firmwareVersion: String
    public var lockCount: Int
    public var readerCount: Int
    /// The most bytes the device accepts in one getrequest reply.
    public var maxPackageSize: Int

    public init(
        serialNumber: String, deviceName: String = "Gatehouse", firmwareVersion: String = "Gatehouse 1.0",
        lockCount: Int = 4, readerCount: Int = 8, maxPackageSize: Int = 2_048_000
    ) {
        self.serialNumber = serialNumber
        self.deviceName = deviceName
        self.firmwareVersion = firmwareVersion
        self.lockCount = lockCount
        self.readerCount = readerCount
        self.maxPackageSize = maxPackageSize
    }

    /// The registry body (§4.4): an acc device with the functions Gatehouse implements.
    public var registryOptions: PushOptionList {
        PushOptionList(fields: [
            PushField("DeviceType", "acc"), PushField("~DeviceName", deviceName),
            PushField("FirmVer", firmwareVersion), PushField("PushVersion", PushDeviceSession.pushVersion),
            PushField("CommType", "ethernet"), PushField("MaxPackageSize", String(maxPackageSize)),
            PushField("LockCount", String(lockCount)), PushField("ReaderCount", String(readerCount)),
            PushField("AuxInCount", "0"), PushField("AuxOutCount", "0"), PushField("MachineType", "101"),
            PushField("~MaxUserCount", "100000"), PushField("SimpleEventType", "1"),
            PushField("DateFmtFunOn", "1"), PushField("UserNameFunOn", "1"), PushField("StringPinFunOn", "1"),
            PushField("MaxLockCount", String(lockCount)), PushField("MulCardUserFunOn", "1"),
        ])
    }
}

/// What the server configured (§4.1, §4.5), with the reference's defaults where the server is silent.
public struct DeviceSettings: Sendable, Hashable {
    public var requestDelay = 30
    public var errorDelay = 30
    public var timeoutSeconds = 10
    public var transInterval = 2
    public var transTimes: [String] = ["12:30", "14:30"]
    public var realtime = true

    public init() {}

    mutating func apply(_ configuration: ServerConfiguration) {
        if let value = configuration.requestDelay, value > 0 { requestDelay = value }
        if let value = configuration.errorDelay, value > 0 { errorDelay = value }
        if let value = configuration.timeoutSeconds, value > 0 { timeoutSeconds = value }
        if let value = configuration.transInterval, value > 0 { transInterval = value }
        if !configuration.transTimes.isEmpty { transTimes = configuration.transTimes }
        if let value = configuration.realtime { realtime = value }
    }

    /// The attendance-style block: `Delay` stands for `RequestDelay`.
    mutating func apply(_ lines: PushKeyValueLines) {
        let configuration = ServerConfiguration(lines: lines)
        apply(configuration)
        if configuration.requestDelay == nil, let delay = lines["Delay"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), delay > 0 {
            requestDelay = delay
        }
    }
}

/// The connection state machine of the device role (sans-I/O): it says which request comes next and turns each
/// reply into a transition. The reference is followed exactly on what is sent; replies are read leniently
/// (bare `OK`, the attendance-style `GET OPTION FROM:` block, `registry=ok` for unknown devices), and each departure
/// is noted once per session in `departures`.
public struct PushDeviceSession: Sendable {
    public static let pushVersion = "3.1.2"

    public enum Phase: Sendable, Hashable {
        case handshake
        case registering
        case configuring
        case online
    }

    public enum Transition: Sendable, Hashable {
        /// Send `nextRequest()`.
        case proceed
        /// Online: start uploading and polling.
        case online
        /// Wait this many seconds, then start over with the handshake.
        case retry(afterSeconds: Int, reason: String)
    }

    public let identity: DeviceIdentity
    public private(set) var phase: Phase = .handshake
    public private(set) var registryCode: String?
    public private(set) var sessionID: String?
    public private(set) var settings = DeviceSettings()
    public private(set) var departures: [String] = []

    public init(identity: DeviceIdentity, registryCode: String? = nil) {
        self.identity = identity
        self.registryCode = registryCode
    }

    /// The `Cookie` header once a session exists (§4.5: MD5 of RegistryCode + SN + SessionID).
    public var cookie: String? {
        guard let registryCode, let sessionID else { return nil }
        return "token=" + SessionToken.compute(registryCode: registryCode, serialNumber: identity.serialNumber, sessionID: sessionID)
    }

    var serialQuery: PushField { PushField("SN", identity.serialNumber) }

    /// The request for the current handshake phase (nil once online).
    public func nextRequest() -> PushRequest? {
        switch phase {
        case .handshake:
            return PushRequest(
                method: .get, endpoint: .cdata,
                query: PushQuery(items: [serialQuery, PushField("options", "all"), PushField("pushver", Self.pushVersion)]),
                message: .initialization)
        case .registering:
            return PushRequest(method: .post, endpoint: .registry, query: PushQuery(items: [serialQuery]),
                               message: .registration(identity.registryOptions))
        case .configuring:
            return PushRequest(method: .post, endpoint: .push, query: PushQuery(items: [serialQuery]),
                               message: .configurationRequest([]))
        case .online:
            return nil
        }
    }

    /// Feeds the reply to `nextRequest()`.
    public mutating func receive(status: Int, body: [UInt8]) -> Transition {
        guard let request = nextRequest() else { return .online }
        if status != 200 {
            if phase == .configuring {
                // Servers without /iclock/push exist; the handshake already carried the configuration.
                note("the server answered \(status) to /iclock/push; using the handshake's configuration")
                phase = .online
                return .online
            }
            return fail("HTTP \(status) on \(request.endpoint.path)")
        }
        let reply: ServerReply
        do {
            reply = try ServerReply.parse(body, endpoint: request.endpoint, query: request.query)
        } catch {
            return fail("unreadable reply on \(request.endpoint.path): \(error)")
        }
        switch phase {
        case .handshake:
            switch reply {
            case .registration(let configuration) where configuration.registryCode != nil || configuration.isRegistered:
                if let code = configuration.registryCode { registryCode = code }
                sessionID = configuration.sessionID ?? sessionID
                settings.apply(configuration)
                if registryCode == nil {
                    note("registry=ok without a RegistryCode")
                    phase = .registering
                    return .proceed
                }
                phase = .configuring
                return .proceed
            case .ok:
                phase = .registering
                return .proceed
            case .attendanceOptions(_, let lines):
                note("attendance-style handshake (GET OPTION FROM:)")
                settings.apply(lines)
                phase = registryCode == nil ? .registering : .online
                return phase == .online ? .online : .proceed
            default:
                return fail("unexpected handshake reply `\(String(decoding: body.prefix(60), as: UTF8.self))`")
            }
        case .registering:
            switch reply {
            case .registryCode(let code):
                registryCode = code
                phase = .configuring
                return .proceed
            case .registration(let configuration):
                registryCode = configuration.registryCode ?? registryCode
                sessionID = configuration.sessionID ?? sessionID
                settings.apply(configuration)
                phase = .configuring
                return .proceed
            case .registrationRefused:
                phase = .handshake
                return .retry(afterSeconds: settings.errorDelay, reason: "registration refused (406): waiting for approval")
            case .ok:
                note("registry answered OK without a RegistryCode")
                phase = .configuring
                return .proceed
            default:
                return fail("unexpected registry reply `\(String(decoding: body.prefix(60), as: UTF8.self))`")
            }
        case .configuring:
            if case .configuration(let configuration) = reply {
                sessionID = configuration.sessionID ?? sessionID
                settings.apply(configuration)
            } else {
                note("unexpected /iclock/push reply; keeping the handshake's configuration")
            }
            phase = .online
            return .online
        case .online:
            return .online
        }
    }

    /// The server refused a data request (401): the session is over; start again with the handshake.
    public mutating func sessionEnded() {
        phase = .handshake
        sessionID = nil
    }

    mutating func fail(_ reason: String) -> Transition {
        phase = .handshake
        return .retry(afterSeconds: settings.errorDelay, reason: reason)
    }

    mutating func note(_ departure: String) {
        if !departures.contains(departure) { departures.append(departure) }
    }
}
