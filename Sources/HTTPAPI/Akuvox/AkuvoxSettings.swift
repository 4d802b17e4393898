import Digests
import Foundation

/// The `akuvox_api` configuration section: the Akuvox-compatible HTTP API (`/fcgi/...` relay opening and the JSON
/// `/api/{target}/{action}` API) served on the admin listener. Off by default; there is no default password.
public struct AkuvoxAPISettings: Hashable, Sendable {
    /// Akuvox "Authorization Mode" (Normal and Token are reserved for Akuvox developers and not offered).
    public enum AuthMode: String, Hashable, Sendable, CaseIterable {
        /// No authentication ("only used for demo testing").
        case none
        /// Only the listed client addresses (Akuvox "1st IP–5th IP").
        case allowlist
        /// HTTP Basic with `username` / `password`.
        case basic
        /// HTTP Digest, MD5, realm `HTTPAPI`, qop `auth`.
        case digest
    }

    /// Akuvox allows five allowlist entries ("1st IP–5th IP").
    public static let allowlistLimit = 5

    /// `akuvox_api.enabled`: when false every Akuvox endpoint answers 403.
    public var enabled: Bool
    /// `akuvox_api.auth`.
    public var auth: AuthMode
    /// `akuvox_api.username`: for Basic, Digest and the credentials of the legacy `/fcgi/do` form.
    public var username: String
    /// `akuvox_api.password`.
    public var password: String
    /// `akuvox_api.password_ha1`: `MD5(username:HTTPAPI:password)` in hex, instead of the clear password, so the
    /// configuration never holds it (`printf '%s' 'admin:HTTPAPI:secret' | md5sum`). Basic and Digest both work.
    public var passwordHA1: String = ""
    /// `akuvox_api.allowlist`: client IP addresses (IPv4 or IPv6 text form).
    public var allowlist: [String]
    /// `akuvox_api.high_secure`: Akuvox "High Security Mode"; only the `/fcgi/OpenDoor` forms open relays.
    public var highSecure: Bool
    /// What `GET /api/system/info` reports. Akuvox clients pick their feature set from the model and firmware (an
    /// unknown pair is refused by pylocal-akuvox, the Home Assistant library), so the default is a door phone they
    /// all know: the X916, with firmware of its 916.30.10 line.
    public var identity: AkuvoxIdentity

    public init(
        enabled: Bool = false, auth: AuthMode = .digest, username: String = "admin", password: String = "",
        allowlist: [String] = [], highSecure: Bool = false, identity: AkuvoxIdentity = AkuvoxIdentity()
    ) {
        self.enabled = enabled
        self.auth = auth
        self.username = username
        self.password = password
        self.allowlist = allowlist
        self.highSecure = highSecure
        self.identity = identity
    }

    /// Checks the settings the way a configuration loader must before serving them. Disabled settings are not
    /// checked further: an unused password need not be set.
    /// The HA1 the authenticator checks against; nil without a password.
    var ha1: String? {
        if !passwordHA1.isEmpty { return passwordHA1.lowercased() }
        if !password.isEmpty { return Digest.md5Hex("\(username):\(AkuvoxAuthenticator.realm):\(password)") }
        return nil
    }

    public func validate() throws(AkuvoxSettingsError) {
        guard enabled else { return }
        if !passwordHA1.isEmpty {
            guard passwordHA1.count == 32, passwordHA1.allSatisfy(\.isHexDigit) else {
                throw AkuvoxSettingsError(
                    key: "akuvox_api.password_ha1",
                    problem:
                        "must be 32 hex digits: MD5 of 'username:HTTPAPI:password' (printf '%s' 'admin:HTTPAPI:secret' | md5sum)")
            }
            guard password.isEmpty else {
                throw AkuvoxSettingsError(key: "akuvox_api.password", problem: "set either password or password_ha1, not both")
            }
        }
        if !identity.mac.isEmpty {
            let parts = identity.mac.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else {
                throw AkuvoxSettingsError(
                    key: "akuvox_api.mac", problem: "'\(identity.mac)' is not a MAC address such as 0C:11:05:00:00:01")
            }
        }
        for (key, value) in [("akuvox_api.model", identity.model), ("akuvox_api.firmware", identity.firmware)] where value.isEmpty
        {
            throw AkuvoxSettingsError(key: key, problem: "must not be empty (clients choose their features by it)")
        }
        switch auth {
        case .basic, .digest:
            guard !username.isEmpty else {
                throw AkuvoxSettingsError(key: "akuvox_api.username", problem: "must be set when auth is \(auth.rawValue)")
            }
            guard !password.isEmpty || !passwordHA1.isEmpty else {
                throw AkuvoxSettingsError(
                    key: "akuvox_api.password",
                    problem: "must be set (or password_ha1) when auth is \(auth.rawValue): there is no default password")
            }
            guard !username.contains(":") else {
                throw AkuvoxSettingsError(key: "akuvox_api.username", problem: "must not contain ':' (HTTP Basic splits on it)")
            }
        case .allowlist:
            guard !allowlist.isEmpty else {
                throw AkuvoxSettingsError(
                    key: "akuvox_api.allowlist", problem: "must list at least one address when auth is allowlist")
            }
        case .none:
            break
        }
        guard allowlist.count <= Self.allowlistLimit else {
            throw AkuvoxSettingsError(key: "akuvox_api.allowlist", problem: "at most \(Self.allowlistLimit) addresses")
        }
        for (index, address) in allowlist.enumerated() where ClientAddress.normalised(address) == nil {
            throw AkuvoxSettingsError(
                key: "akuvox_api.allowlist[\(index)]", problem: "'\(address)' is not an IPv4 or IPv6 address")
        }
    }
}

/// The device the Akuvox API presents itself as (`akuvox_api.model`, `firmware`, `hardware`, `device_name`, `mac`).
public struct AkuvoxIdentity: Hashable, Sendable {
    public static let defaultModel = "X916"
    public static let defaultFirmware = "916.30.10.114"

    public var model: String
    public var firmware: String
    public var hardware: String
    public var deviceName: String
    /// Empty: the host's first network interface's address (`/sys/class/net`), else a fixed locally administered one.
    public var mac: String

    public init(
        model: String = AkuvoxIdentity.defaultModel, firmware: String = AkuvoxIdentity.defaultFirmware,
        hardware: String = "916.0.0.0.0.0.0.0", deviceName: String = "Gatehouse", mac: String = ""
    ) {
        self.model = model
        self.firmware = firmware
        self.hardware = hardware
        self.deviceName = deviceName
        self.mac = mac
    }

    /// The MAC address reported: the configured one, else the first non-loopback interface's.
    public var effectiveMAC: String {
        if !mac.isEmpty { return mac.uppercased() }
        let directory = "/sys/class/net"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        for name in names where name != "lo" {
            guard let text = try? String(contentsOfFile: "\(directory)/\(name)/address", encoding: .utf8) else { continue }
            let address = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if address.count == 17, address != "00:00:00:00:00:00" { return address.uppercased() }
        }
        return "02:00:00:00:00:01"
    }
}

/// A rejected `akuvox_api` setting, naming the key.
public struct AkuvoxSettingsError: Error, Hashable, Sendable, CustomStringConvertible {
    public var key: String
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "\(key): \(problem)" }
}

/// Client addresses compared in a canonical form (IPv4-mapped IPv6 reduced to IPv4, IPv6 through inet_pton).
enum ClientAddress {
    static func normalised(_ text: String) -> String? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let v4 = ipv4(text) { return v4 }
        if text.lowercased().hasPrefix("::ffff:"), let v4 = ipv4(String(text.dropFirst(7))) { return v4 }
        return ipv6(text)
    }

    private static func ipv4(_ text: String) -> String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = Int(part), (0...255).contains(value)
            else { return nil }
            octets.append(value)
        }
        return octets.map(String.init).joined(separator: ".")
    }

    private static func ipv6(_ text: String) -> String? {
        var address = in6_addr()
        guard text.contains(":"), inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
