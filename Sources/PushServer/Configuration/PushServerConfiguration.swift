import Foundation

/// How unknown devices are treated when they register (config key `push.registration`).
public enum RegistrationPolicy: Sendable, Hashable {
    /// The default: unknown devices are listed as pending and wait until an operator approves them.
    case approve
    /// Every device is accepted (for a lab).
    case open
    /// Devices whose serial number is listed, or whose address falls in one of the networks, are accepted; the
    /// others wait as pending, as under `approve`.
    case allowlist(serials: Set<String>, networks: [IPNetwork])

    /// Reads the configuration value (`approve`, `open`, `allowlist`).
    public init(name: String, serials: [String] = [], networks: [String] = []) throws(PushServerConfigurationError) {
        switch name.lowercased() {
        case "approve": self = .approve
        case "open": self = .open
        case "allowlist":
            var parsed: [IPNetwork] = []
            for text in networks {
                guard let network = IPNetwork(text) else { throw .invalidNetwork(text) }
                parsed.append(network)
            }
            self = .allowlist(serials: Set(serials), networks: parsed)
        default:
            throw .unknownRegistrationPolicy(name)
        }
    }

    /// Whether a device registering with this serial from this address is accepted without an operator.
    public func admitsAutomatically(serialNumber: String, address: String?) -> Bool {
        switch self {
        case .approve: return false
        case .open: return true
        case .allowlist(let serials, let networks):
            if serials.contains(serialNumber) { return true }
            guard let address else { return false }
            return networks.contains { $0.contains(address) }
        }
    }
}

public enum PushServerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownRegistrationPolicy(String)
    case invalidNetwork(String)

    public var description: String {
        switch self {
        case .unknownRegistrationPolicy(let name):
            "push.registration: `\(name)` is not one of approve, open, allowlist"
        case .invalidNetwork(let text):
            "push.allowlist networks: `\(text)` is not an IPv4 or IPv6 CIDR block such as 192.168.1.0/24"
        }
    }
}

/// What the server tells devices and how it runs its queue.
public struct PushServerConfiguration: Sendable {
    public var registration: RegistrationPolicy
    public var serverName: String
    public var serverVersion: String
    /// Seconds between getrequest polls (`RequestDelay`).
    public var requestDelay: Int
    /// Seconds before a device reconnects after a network error (`ErrorDelay`).
    public var errorDelay: Int
    /// Network timeout the device should use (`TimeoutSec`).
    public var timeoutSeconds: Int
    /// Minutes between upload checks when not real-time (`TransInterval`).
    public var transInterval: Int
    public var transTimes: String
    public var transTables: String
    public var realtime: Bool
    /// How long a queued command stays deliverable.
    public var commandTimeToLive: TimeInterval
    /// After this long without a result, a delivered command is delivered again.
    public var redeliveryTimeout: TimeInterval
    /// The most commands in one getrequest reply (the byte budget is the device's `MaxPackageSize`).
    public var maximumCommandsPerReply: Int
    /// The zone the server reports in `rtdata?type=time` (`ServerTZ`) and uses for device-local times.
    public var timeZone: TimeZone
    /// A device whose reported clock (`DateTime` in its registry or options) is further off than this gets
    /// `SET OPTIONS DateTime=` queued; nil never corrects clocks (config key `push.clock_tolerance_s`).
    public var clockTolerance: TimeInterval?
    /// The most devices listed as waiting for approval; unknown serial numbers beyond it are not recorded (config
    /// key `push.max_pending_devices`).
    public var maximumPendingDevices: Int

    public init(
        registration: RegistrationPolicy = .approve, serverName: String = "Gatehouse", serverVersion: String = "1.0",
        requestDelay: Int = 2, errorDelay: Int = 30, timeoutSeconds: Int = 10, transInterval: Int = 2,
        transTimes: String = "00:00;14:00", transTables: String = "User Transaction", realtime: Bool = true,
        commandTimeToLive: TimeInterval = 7 * 86_400, redeliveryTimeout: TimeInterval = 120,
        maximumCommandsPerReply: Int = 50, timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current,
        clockTolerance: TimeInterval? = 60, maximumPendingDevices: Int = 100
    ) {
        self.maximumPendingDevices = maximumPendingDevices
        self.registration = registration
        self.serverName = serverName
        self.serverVersion = serverVersion
        self.requestDelay = requestDelay
        self.errorDelay = errorDelay
        self.timeoutSeconds = timeoutSeconds
        self.transInterval = transInterval
        self.transTimes = transTimes
        self.transTables = transTables
        self.realtime = realtime
        self.commandTimeToLive = commandTimeToLive
        self.redeliveryTimeout = redeliveryTimeout
        self.maximumCommandsPerReply = maximumCommandsPerReply
        self.timeZone = timeZone
        self.clockTolerance = clockTolerance
    }

    /// `ServerTZ` as the reference writes it: `+0800`, `-0530`.
    public func serverTimeZoneText(at date: Date) -> String {
        let seconds = timeZone.secondsFromGMT(for: date)
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        let hours = minutes / 60
        let rest = minutes % 60
        return sign + (hours < 10 ? "0" : "") + String(hours) + (rest < 10 ? "0" : "") + String(rest)
    }
}
