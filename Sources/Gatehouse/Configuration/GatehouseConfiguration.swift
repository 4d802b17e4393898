import AccessControl
import Foundation
import HTTPAPI
import Hardware
import Logging
import MQTT
import SIP
import Storage

/// Everything `gatehouse run` can be told, from three sources in rising
/// precedence: the TOML file (`--config`), environment variables
/// `GATEHOUSE_<SECTION>_<KEY>`, and the command-line overrides.
///
/// Keys are declared once in `ConfigurationKey.all`; the file parser, the
/// environment reader, the README table and `gatehouse config keys` all read
/// that one list, so they cannot drift apart.
public struct GatehouseConfiguration: Sendable, Equatable {
    public var dataDirectory = "./gatehouse-data"
    /// When a commit reaches the disk: `full` (default) before it returns, `normal` at the next checkpoint.
    public var dataSync = GatehouseDatabase.Sync.full
    /// `nil` means "./site if present, else no scripts".
    public var siteDirectory: String?
    public var httpListen = ListenAddress(host: "127.0.0.1", port: 8080)
    /// `nil` means the device-facing PUSH listener is off.
    public var pushListen: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 8088)
    public var logFormat = LogFormat.text
    public var logLevel = Logger.Level.info
    public var httpMaxBodyBytes = 1 << 20
    public var scriptMemoryMiB = 32
    public var scriptHandlerTimeoutMilliseconds = 300
    public var shutdownTimeoutSeconds = 5
    /// Default SMTP server (`smtp://host:port`, `smtps://…`) and sender for `mail.send` in scripts.
    public var mailServer: String?
    public var mailFrom: String?
    /// Who may register with the PUSH server: `approve` (default), `open`, `allowlist`.
    public var pushRegistration = "approve"
    /// Serial numbers and CIDR networks admitted automatically under `allowlist`.
    public var pushAllowlist: [String] = []
    /// The second, TLS device-facing listener and its PEM files; off unless `push.tls_listen` is set.
    public var pushTLSListen: ListenAddress?
    public var pushTLSCertificate: String?
    public var pushTLSKey: String?
    /// A device clock further off than this gets `SET OPTIONS DateTime=` queued; 0 never corrects.
    public var pushClockToleranceSeconds = 60
    public var pushMaxPendingDevices = 100
    /// The Akuvox-compatible HTTP API (`/fcgi/…`, `/api/{target}/{action}`); off by default.
    public var akuvoxAPI = AkuvoxAPISettings()
    /// The endpoint Akuvox doors call to have Gatehouse verify QR codes, cards and PINs; off by default.
    public var thirdPartyServer = ThirdPartyServerSettings()
    /// Gatehouse as a PUSH device of an upstream server (`[upstream]`); off by default.
    public var upstream = UpstreamSettings()
    /// The MQTT bridge (`[mqtt]`): state, events and commands on a broker, Home Assistant discovery; off by default.
    public var mqtt = MQTTSettings()
    /// OSDP readers on an RS-485 port (`[osdp]`); off by default.
    public var osdp = OSDPSettings()
    /// Relays and inputs on GPIO lines (`[gpio]`); off by default.
    public var gpio = GPIOSettings()
    /// The door's SIP endpoint (`[sip]`): calls answered and placed, their DTMF into the door engine; off by default.
    public var sip = SIPSettings()
    /// `[dtmf]`: whose DTMF codes open (`none`, `phonebook`, `all`) and the phonebook; nil keeps the stored ones.
    public var dtmfAllowlist: String?
    public var dtmfPhonebook: [String]?

    public init() {}

    public enum LogFormat: String, Sendable, CaseIterable { case text, json }
}

/// `host:port`, with IPv6 hosts in brackets (`[::1]:8080`).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(parsing text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(" "), let port = Int(portText), (0...65535).contains(port) else { return nil }
        self.host = String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A configuration problem, named precisely enough to fix without guessing.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The file path, the environment variable or the flag that carried the value.
    public var source: String
    public var line: Int?
    /// `section.key`, or empty for problems with the file as a whole.
    public var key: String
    public var reason: String

    public var description: String {
        let location = line.map { "\(source):\($0)" } ?? source
        return key.isEmpty ? "\(location): \(reason)" : "\(location): \(key): \(reason)"
    }
}

/// One documented configuration key.
public struct ConfigurationKey: Sendable {
    public enum Kind: Sendable {
        case string
        case path
        case integer(ClosedRange<Int>)
        case listen(allowsOff: Bool)
        case choice([String])
        case boolean
        /// A TOML array of strings, or comma-separated in an environment variable.
        case stringList
    }

    public var section: String
    public var name: String
    public var kind: Kind
    public var defaultText: String
    public var summary: String
    let apply: @Sendable (inout GatehouseConfiguration, ParsedValue) -> Void

    public var dottedName: String { "\(section).\(name)" }
    public var environmentVariable: String { "GATEHOUSE_\(section.uppercased())_\(name.uppercased())" }

    /// A value already checked against `kind`.
    public enum ParsedValue: Sendable {
        case text(String)
        case number(Int)
        case listen(ListenAddress?)
        case flag(Bool)
        case list([String])
    }

    public static let all: [ConfigurationKey] = [
        ConfigurationKey(
            section: "data", name: "dir", kind: .path, defaultText: "./gatehouse-data",
            summary: "Directory holding gatehouse.sqlite, admin.token and the console socket."
        ) { config, value in if case .text(let text) = value { config.dataDirectory = text } },
        ConfigurationKey(
            section: "data", name: "sync", kind: .choice(GatehouseDatabase.Sync.allCases.map(\.rawValue)), defaultText: "full",
            summary:
                "`full`: every commit (a journalled decision, a PUSH record, a queued action) is on disk before it is acknowledged, and survives a power cut. `normal`: it survives a crash of the host, but a power cut can lose the last moments."
        ) { config, value in
            if case .text(let text) = value, let sync = GatehouseDatabase.Sync(rawValue: text) { config.dataSync = sync }
        },
        ConfigurationKey(
            section: "site", name: "dir", kind: .path, defaultText: "./site if present, else none",
            summary: "Site directory whose main.lua is the entry script."
        ) { config, value in if case .text(let text) = value { config.siteDirectory = text } },
        ConfigurationKey(
            section: "http", name: "listen", kind: .listen(allowsOff: false), defaultText: "127.0.0.1:8080",
            summary: "Admin HTTP listener (health, REST API). Loopback by default."
        ) { config, value in if case .listen(let address?) = value { config.httpListen = address } },
        ConfigurationKey(
            section: "http", name: "max_body_bytes", kind: .integer(1024...(64 << 20)), defaultText: "1048576",
            summary: "Largest request body the admin listener accepts."
        ) { config, value in if case .number(let number) = value { config.httpMaxBodyBytes = number } },
        ConfigurationKey(
            section: "push", name: "listen", kind: .listen(allowsOff: true), defaultText: "0.0.0.0:8088",
            summary: "Device-facing PUSH server listener, or `off`."
        ) { config, value in if case .listen(let address) = value { config.pushListen = address } },
        ConfigurationKey(
            section: "push", name: "registration", kind: .choice(["approve", "open", "allowlist"]), defaultText: "approve",
            summary:
                "Unknown devices wait for approval (`approve`), are accepted (`open`, for a lab) or are accepted when listed (`allowlist`)."
        ) { config, value in if case .text(let text) = value { config.pushRegistration = text } },
        ConfigurationKey(
            section: "push", name: "allowlist", kind: .stringList, defaultText: "[]",
            summary: "Serial numbers and CIDR networks (`10.0.0.0/24`) admitted under `push.registration = allowlist`."
        ) { config, value in if case .list(let list) = value { config.pushAllowlist = list } },
        ConfigurationKey(
            section: "push", name: "tls_listen", kind: .listen(allowsOff: true), defaultText: "off",
            summary: "Second device-facing listener speaking HTTPS; needs push.tls_certificate and push.tls_key."
        ) { config, value in if case .listen(let address) = value { config.pushTLSListen = address } },
        ConfigurationKey(
            section: "push", name: "tls_certificate", kind: .path, defaultText: "none",
            summary: "PEM certificate chain (leaf first) of the PUSH TLS listener."
        ) { config, value in if case .text(let text) = value { config.pushTLSCertificate = text } },
        ConfigurationKey(
            section: "push", name: "tls_key", kind: .path, defaultText: "none",
            summary: "PEM private key of the PUSH TLS listener."
        ) { config, value in if case .text(let text) = value { config.pushTLSKey = text } },
        ConfigurationKey(
            section: "push", name: "clock_tolerance_s", kind: .integer(0...31_536_000), defaultText: "60",
            summary: "Seconds a device's reported clock may be off before SET OPTIONS DateTime= is queued; 0 never corrects."
        ) { config, value in if case .number(let number) = value { config.pushClockToleranceSeconds = number } },
        ConfigurationKey(
            section: "push", name: "max_pending_devices", kind: .integer(1...100_000), defaultText: "100",
            summary:
                "The most unknown devices listed as waiting for approval; more are not recorded until some are approved or deleted."
        ) { config, value in if case .number(let number) = value { config.pushMaxPendingDevices = number } },
        ConfigurationKey(
            section: "log", name: "format", kind: .choice(GatehouseConfiguration.LogFormat.allCases.map(\.rawValue)),
            defaultText: "text", summary: "Log line format: `text` or `json` (one object per line)."
        ) { config, value in
            if case .text(let text) = value, let format = GatehouseConfiguration.LogFormat(rawValue: text) {
                config.logFormat = format
            }
        },
        ConfigurationKey(
            section: "log", name: "level", kind: .choice(Logger.Level.allCases.map(\.rawValue)), defaultText: "info",
            summary: "Lowest level logged: trace, debug, info, notice, warning, error, critical."
        ) { config, value in
            if case .text(let text) = value, let level = Logger.Level(rawValue: text) { config.logLevel = level }
        },
        ConfigurationKey(
            section: "scripts", name: "memory_mib", kind: .integer(1...1024), defaultText: "32",
            summary: "Memory cap of the site's Lua VM, in MiB."
        ) { config, value in if case .number(let number) = value { config.scriptMemoryMiB = number } },
        ConfigurationKey(
            section: "scripts", name: "handler_timeout_ms", kind: .integer(1...60_000), defaultText: "300",
            summary: "Deadline for a script to advise a decision; the built-in rule stands after it."
        ) { config, value in if case .number(let number) = value { config.scriptHandlerTimeoutMilliseconds = number } },
        ConfigurationKey(
            section: "mail", name: "server", kind: .string, defaultText: "none",
            summary: "Default SMTP server for scripts' `mail.send` (`smtp://host:25`, `smtps://host:465`)."
        ) { config, value in if case .text(let text) = value { config.mailServer = text } },
        ConfigurationKey(
            section: "mail", name: "from", kind: .string, defaultText: "none",
            summary: "Default sender address for scripts' `mail.send`."
        ) { config, value in if case .text(let text) = value { config.mailFrom = text } },
        ConfigurationKey(
            section: "akuvox_api", name: "enabled", kind: .boolean, defaultText: "false",
            summary:
                "Serve the Akuvox-compatible API (`/fcgi/do`, `/fcgi/OpenDoor`, `/api/{target}/{action}`) on the admin listener."
        ) { config, value in if case .flag(let flag) = value { config.akuvoxAPI.enabled = flag } },
        ConfigurationKey(
            section: "akuvox_api", name: "auth", kind: .choice(AkuvoxAPISettings.AuthMode.allCases.map(\.rawValue)),
            defaultText: "digest",
            summary: "none, allowlist (up to 5 addresses), basic, or digest (MD5, realm HTTPAPI, qop auth)."
        ) { config, value in
            if case .text(let text) = value, let mode = AkuvoxAPISettings.AuthMode(rawValue: text) {
                config.akuvoxAPI.auth = mode
            }
        },
        ConfigurationKey(
            section: "akuvox_api", name: "username", kind: .string, defaultText: "admin",
            summary: "User name for basic/digest auth."
        ) { config, value in if case .text(let text) = value { config.akuvoxAPI.username = text } },
        ConfigurationKey(
            section: "akuvox_api", name: "password", kind: .string, defaultText: "none (required for basic/digest)",
            summary: "Password for basic/digest auth; there is no default, enabling basic/digest without one is an error."
        ) { config, value in if case .text(let text) = value { config.akuvoxAPI.password = text } },
        ConfigurationKey(
            section: "akuvox_api", name: "password_ha1", kind: .string, defaultText: "none",
            summary:
                "Instead of `password`: MD5 of `username:HTTPAPI:password` in hex (`printf '%s' 'admin:HTTPAPI:secret' | md5sum`), so the file holds no clear password; Basic and Digest both work."
        ) { config, value in if case .text(let text) = value { config.akuvoxAPI.passwordHA1 = text } },
        ConfigurationKey(
            section: "akuvox_api", name: "allowlist", kind: .stringList, defaultText: "[]",
            summary: "Client IP addresses allowed in allowlist mode (at most 5)."
        ) { config, value in if case .list(let list) = value { config.akuvoxAPI.allowlist = list } },
        ConfigurationKey(
            section: "akuvox_api", name: "high_secure", kind: .boolean, defaultText: "false",
            summary:
                "High-secure mode: only `/fcgi/OpenDoor` (credentials in headers), never `/fcgi/do` with credentials in the URL."
        ) { config, value in if case .flag(let flag) = value { config.akuvoxAPI.highSecure = flag } },
        ConfigurationKey(
            section: "akuvox_api", name: "model", kind: .string, defaultText: AkuvoxIdentity.defaultModel,
            summary:
                "Model reported by `/api/system/info`; clients choose their features by model and firmware (README, Akuvox-compatible API)."
        ) { config, value in if case .text(let text) = value { config.akuvoxAPI.identity.model = text } },
        ConfigurationKey(
            section: "akuvox_api", name: "firmware", kind: .string, defaultText: AkuvoxIdentity.defaultFirmware,
            summary: "Firmware version reported by `/api/system/info`."
        ) { config, value in if case .text(let text) = value { config.akuvoxAPI.identity.firmware = text } },
        ConfigurationKey(
            section: "akuvox_api", name: "device_name", kind: .string, defaultText: "Gatehouse",
            summary: "Device name reported by `/api/system/info`."
        ) { config, value in if case .text(let text) = value { config.akuvoxAPI.identity.deviceName = text } },
        ConfigurationKey(
            section: "akuvox_api", name: "mac", kind: .string, defaultText: "the first network interface's",
            summary: "MAC address reported by `/api/system/info`."
        ) { config, value in if case .text(let text) = value { config.akuvoxAPI.identity.mac = text } },
        ConfigurationKey(
            section: "third_party_server", name: "enabled", kind: .boolean, defaultText: "false",
            summary: "Answer Akuvox doors configured for a third-party access-control server."
        ) { config, value in if case .flag(let flag) = value { config.thirdPartyServer.enabled = flag } },
        ConfigurationKey(
            section: "third_party_server", name: "path", kind: .string, defaultText: ThirdPartyServerSettings.defaultPath,
            summary: "Path the doors call."
        ) { config, value in if case .text(let text) = value { config.thirdPartyServer.path = text } },
        ConfigurationKey(
            section: "third_party_server", name: "code_parameter", kind: .string, defaultText: "codeKey",
            summary: "Query parameter carrying the QR code, card or PIN."
        ) { config, value in if case .text(let text) = value { config.thirdPartyServer.codeParameter = text } },
        ConfigurationKey(
            section: "third_party_server", name: "device_parameter", kind: .string, defaultText: "deviceId",
            summary: "Query parameter carrying the calling device's id."
        ) { config, value in if case .text(let text) = value { config.thirdPartyServer.deviceParameter = text } },
        ConfigurationKey(
            section: "third_party_server", name: "success_reply", kind: .string, defaultText: "success",
            summary: "Body of a granting reply (the door's success parameter)."
        ) { config, value in if case .text(let text) = value { config.thirdPartyServer.successReply = text } },
        ConfigurationKey(
            section: "third_party_server", name: "failure_reply", kind: .string, defaultText: "failed",
            summary: "Body of a refusing reply."
        ) { config, value in if case .text(let text) = value { config.thirdPartyServer.failureReply = text } },
        ConfigurationKey(
            section: "third_party_server", name: "devices", kind: .stringList, defaultText: "[]",
            summary: "Which door each calling device opens, as `\"<device id>=<door>\"` entries."
        ) { config, value in
            if case .list(let list) = value {
                var devices: [String: Int] = [:]
                for entry in list {
                    let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2, let door = Int(parts[1]) { devices[parts[0]] = door }
                }
                config.thirdPartyServer.devices = devices
            }
        },
        ConfigurationKey(
            section: "upstream", name: "enabled", kind: .boolean, defaultText: "false",
            summary: "Register with an upstream PUSH server as a ZKTeco-style controller (device role)."
        ) { config, value in if case .flag(let flag) = value { config.upstream.enabled = flag } },
        ConfigurationKey(
            section: "upstream", name: "server", kind: .string, defaultText: "none (required when enabled)",
            summary: "The upstream PUSH server, `http://host:port` or `https://host:port`."
        ) { config, value in if case .text(let text) = value { config.upstream.server = text } },
        ConfigurationKey(
            section: "upstream", name: "serial_number", kind: .string, defaultText: "none (required when enabled)",
            summary: "The serial number this controller registers with."
        ) { config, value in if case .text(let text) = value { config.upstream.serialNumber = text } },
        ConfigurationKey(
            section: "upstream", name: "device_name", kind: .string, defaultText: "Gatehouse",
            summary: "The device name sent at registration (`~DeviceName`)."
        ) { config, value in if case .text(let text) = value { config.upstream.deviceName = text } },
        ConfigurationKey(
            section: "upstream", name: "doors", kind: .stringList, defaultText: "[] (every door)",
            summary: "Local door IDs the server sees, in its numbering: the first is its door 1 (`[\"3\", \"4\"]`)."
        ) { config, value in if case .list(let list) = value { config.upstream.doors = list.compactMap { Int($0) } } },
        ConfigurationKey(
            section: "upstream", name: "readers", kind: .stringList, defaultText: "[] (every reader)",
            summary: "Local reader IDs whose events are uploaded."
        ) { config, value in if case .list(let list) = value { config.upstream.readers = list.compactMap { Int($0) } } },
        ConfigurationKey(
            section: "upstream", name: "max_retry_s", kind: .integer(1...3600), defaultText: "600",
            summary: "Longest wait between attempts after failures; the server's ErrorDelay doubles up to it, with jitter."
        ) { config, value in if case .number(let number) = value { config.upstream.maximumRetrySeconds = number } },
        ConfigurationKey(
            section: "gpio", name: "enabled", kind: .boolean, defaultText: "false",
            summary: "Drive relays and read inputs on GPIO lines (libgpiod, the kernel's character devices)."
        ) { config, value in if case .flag(let flag) = value { config.gpio.enabled = flag } },
        ConfigurationKey(
            section: "gpio", name: "relays", kind: .stringList, defaultText: "[]",
            summary: "`\"<relay id>@<chip>:<line>[:active_low]\"`, e.g. `[\"1@gpiochip0:17\"]`."
        ) { config, value in if case .list(let list) = value { config.gpio.relays = list } },
        ConfigurationKey(
            section: "gpio", name: "inputs", kind: .stringList, defaultText: "[]",
            summary:
                "`\"<input id>@<chip>:<line>[:active_low][:pull_up|pull_down|no_bias]\"`, e.g. `[\"5@gpiochip0:22:pull_up\"]`."
        ) { config, value in if case .list(let list) = value { config.gpio.inputs = list } },
        ConfigurationKey(
            section: "osdp", name: "enabled", kind: .boolean, defaultText: "false",
            summary: "Poll OSDP readers on a serial port: card reads and keypads into the door engine, LED/buzzer feedback."
        ) { config, value in if case .flag(let flag) = value { config.osdp.enabled = flag } },
        ConfigurationKey(
            section: "osdp", name: "port", kind: .path, defaultText: "none (required when enabled)",
            summary: "The RS-485 serial device, e.g. `/dev/ttyUSB0`."
        ) { config, value in if case .text(let text) = value { config.osdp.port = text } },
        ConfigurationKey(
            section: "osdp", name: "baud", kind: .integer(1...1_000_000), defaultText: "9600",
            summary: "9600, 19200, 38400, 57600, 115200 or 230400; every reader on the bus uses it."
        ) { config, value in if case .number(let number) = value { config.osdp.baudRate = number } },
        ConfigurationKey(
            section: "osdp", name: "readers", kind: .stringList, defaultText: "none (required when enabled)",
            summary:
                "`\"<reader id>@<OSDP address>\"` per reader, e.g. `[\"1@0\", \"2@1\"]`: the site reader each OSDP address is."
        ) { config, value in if case .list(let list) = value { config.osdp.readers = list } },
        ConfigurationKey(
            section: "osdp", name: "scbk", kind: .string, defaultText: "none (plain text)",
            summary: "Secure Channel Base Key, 32 hex digits: the readers must talk secure channel with it."
        ) { config, value in if case .text(let text) = value { config.osdp.scbk = text } },
        ConfigurationKey(
            section: "osdp", name: "install_mode", kind: .boolean, defaultText: "false",
            summary: "Readers still on the default key (SCBK-D) are accepted and given `scbk` over the secure channel."
        ) { config, value in if case .flag(let flag) = value { config.osdp.installMode = flag } },
        ConfigurationKey(
            section: "osdp", name: "outputs", kind: .stringList, defaultText: "[]",
            summary: "Reader outputs driven as relays: `\"<relay id>@<reader id>/<output>\"`, e.g. `[\"3@1/0\"]`."
        ) { config, value in if case .list(let list) = value { config.osdp.outputs = list } },
        ConfigurationKey(
            section: "osdp", name: "keypad_timeout_s", kind: .integer(1...300), defaultText: "10",
            summary: "Keypad digits typed without `#` are forgotten after this long."
        ) { config, value in if case .number(let number) = value { config.osdp.keypadTimeoutSeconds = number } },
        ConfigurationKey(
            section: "dtmf", name: "allowlist", kind: .string, defaultText: "as stored (all on a new site)",
            summary:
                "Whose DTMF codes open the relays, and (with `sip.answer = allowed`) whose calls the door answers: `none`, `phonebook` or `all`."
        ) { config, value in if case .text(let text) = value { config.dtmfAllowlist = text } },
        ConfigurationKey(
            section: "dtmf", name: "phonebook", kind: .stringList, defaultText: "as stored (empty on a new site)",
            summary:
                "The callers `allowlist = \"phonebook\"` admits: SIP users or numbers as the caller sends them, e.g. `[\"1001\", \"+4930111\"]`."
        ) { config, value in if case .list(let list) = value { config.dtmfPhonebook = list } },
        ConfigurationKey(
            section: "sip", name: "enabled", kind: .boolean, defaultText: "false",
            summary: "Answer and place SIP calls; DTMF digits of a call (RFC 4733, SIP INFO) go to the door engine."
        ) { config, value in if case .flag(let flag) = value { config.sip.enabled = flag } },
        ConfigurationKey(
            section: "sip", name: "listen", kind: .string, defaultText: "127.0.0.1:5060",
            summary: "`ip:port` for SIP and direct IP calls (`0.0.0.0:5060` for the LAN)."
        ) { config, value in if case .text(let text) = value { config.sip.listen = text } },
        ConfigurationKey(
            section: "sip", name: "transports", kind: .stringList, defaultText: "[\"udp\", \"tcp\"]",
            summary: "`udp`, `tcp` or both, on the `listen` port."
        ) { config, value in if case .list(let list) = value { config.sip.transports = list } },
        ConfigurationKey(
            section: "sip", name: "rtp_ports", kind: .string, defaultText: "16000-16999",
            summary: "`\"<first>-<last>\"`: UDP ports for each call's RTP (DTMF telephone-events; the door sends silence)."
        ) { config, value in if case .text(let text) = value { config.sip.rtpPorts = text } },
        ConfigurationKey(
            section: "sip", name: "user", kind: .string, defaultText: "gatehouse",
            summary: "The door's SIP user for direct IP calls (`sip:<user>@<listen>`) and its Contact."
        ) { config, value in if case .text(let text) = value { config.sip.user = text } },
        ConfigurationKey(
            section: "sip", name: "display_name", kind: .string, defaultText: "none",
            summary: "The name callees see."
        ) { config, value in if case .text(let text) = value { config.sip.displayName = text } },
        ConfigurationKey(
            section: "sip", name: "registrar", kind: .string, defaultText: "none (direct IP calls only)",
            summary: "`host[:port]` of the SIP server (PBX) to register with."
        ) { config, value in if case .text(let text) = value { config.sip.registrar = text } },
        ConfigurationKey(
            section: "sip", name: "domain", kind: .string, defaultText: "the registrar's host",
            summary: "The account's SIP domain: the door registers as `sip:<account>@<domain>`."
        ) { config, value in if case .text(let text) = value { config.sip.domain = text } },
        ConfigurationKey(
            section: "sip", name: "account", kind: .string, defaultText: "none (required with a registrar)",
            summary: "The SIP account (user and digest user name) to register."
        ) { config, value in if case .text(let text) = value { config.sip.account = text } },
        ConfigurationKey(
            section: "sip", name: "password", kind: .string, defaultText: "none (required with a registrar)",
            summary: "The account's digest password; prefer `GATEHOUSE_SIP_PASSWORD` to keep it out of the file."
        ) { config, value in if case .text(let text) = value { config.sip.password = text } },
        ConfigurationKey(
            section: "sip", name: "expires_s", kind: .integer(60...86_400), defaultText: "1800",
            summary: "Registration expiry asked of the registrar; the door re-registers before it runs out."
        ) { config, value in if case .number(let number) = value { config.sip.expiresSeconds = number } },
        ConfigurationKey(
            section: "sip", name: "answer", kind: .string, defaultText: "allowed",
            summary:
                "Which calls the door answers: `allowed` (callers on the DTMF allowlist, `dtmf.whitelist`), `all` or `none`; an `on(\"call\")` script may decide instead."
        ) { config, value in if case .text(let text) = value { config.sip.answer = text } },
        ConfigurationKey(
            section: "sip", name: "max_call_s", kind: .integer(5...86_400), defaultText: "300",
            summary: "An answered call is hung up after this long."
        ) { config, value in if case .number(let number) = value { config.sip.maxCallSeconds = number } },
        ConfigurationKey(
            section: "sip", name: "dtmf_timeout_s", kind: .integer(1...60), defaultText: "5",
            summary: "Digits typed without `#` or a relay's code end as a sequence this long after the last one."
        ) { config, value in if case .number(let number) = value { config.sip.dtmfTimeoutSeconds = number } },
        ConfigurationKey(
            section: "sip", name: "telephone_event_pt", kind: .integer(96...127), defaultText: "101",
            summary: "The RTP payload type offered for RFC 4733 telephone-events (a peer's own offer is honoured)."
        ) { config, value in if case .number(let number) = value { config.sip.telephoneEventPayloadType = number } },
        ConfigurationKey(
            section: "sip", name: "reception_uri", kind: .string, defaultText: "none",
            summary:
                "Whom the reception tab calls: `sip:user@host[:port]` (an indoor monitor, the guard's phone, a PBX extension), from the door's one account."
        ) { config, value in if case .text(let text) = value { config.sip.receptionURI = text } },
        ConfigurationKey(
            section: "mqtt", name: "enabled", kind: .boolean, defaultText: "false",
            summary: "Bridge doors, relays, inputs and events to an MQTT broker, with Home Assistant discovery."
        ) { config, value in if case .flag(let flag) = value { config.mqtt.enabled = flag } },
        ConfigurationKey(
            section: "mqtt", name: "broker", kind: .string, defaultText: "none (required when enabled)",
            summary: "`mqtt://host[:port]` (1883) or `mqtts://host[:port]` (8883, TLS)."
        ) { config, value in if case .text(let text) = value { config.mqtt.broker = text } },
        ConfigurationKey(
            section: "mqtt", name: "client_id", kind: .string, defaultText: "gatehouse-<site>",
            summary: "The MQTT client id; `<site>` is the site directory's name."
        ) { config, value in if case .text(let text) = value { config.mqtt.clientID = text } },
        ConfigurationKey(
            section: "mqtt", name: "username", kind: .string, defaultText: "none",
            summary: "User name for the broker."
        ) { config, value in if case .text(let text) = value { config.mqtt.username = text } },
        ConfigurationKey(
            section: "mqtt", name: "password", kind: .string, defaultText: "none",
            summary: "Password for the broker (prefer the environment variable to the file)."
        ) { config, value in if case .text(let text) = value { config.mqtt.password = text } },
        ConfigurationKey(
            section: "mqtt", name: "tls_ca", kind: .path, defaultText: "the system's trust store",
            summary: "PEM file of the CA that signed the broker's certificate (`mqtts://` only)."
        ) { config, value in if case .text(let text) = value { config.mqtt.tlsCA = text } },
        ConfigurationKey(
            section: "mqtt", name: "topic_prefix", kind: .string, defaultText: "gatehouse/<site>",
            summary: "Every Gatehouse topic starts with it."
        ) { config, value in if case .text(let text) = value { config.mqtt.topicPrefix = text } },
        ConfigurationKey(
            section: "mqtt", name: "discovery", kind: .boolean, defaultText: "true",
            summary: "Publish Home Assistant discovery configs (retained)."
        ) { config, value in if case .flag(let flag) = value { config.mqtt.discovery = flag } },
        ConfigurationKey(
            section: "mqtt", name: "discovery_prefix", kind: .string, defaultText: "homeassistant",
            summary: "Home Assistant's discovery prefix."
        ) { config, value in if case .text(let text) = value { config.mqtt.discoveryPrefix = text } },
        ConfigurationKey(
            section: "mqtt", name: "queue_limit", kind: .integer(1...1_000_000), defaultText: "10000",
            summary:
                "Events kept in the outbox while the broker is away; past it newer events are dropped and the gap journalled."
        ) { config, value in if case .number(let number) = value { config.mqtt.queueLimit = number } },
        ConfigurationKey(
            section: "mqtt", name: "keepalive_s", kind: .integer(5...3600), defaultText: "30",
            summary: "MQTT keep-alive: the broker publishes the last will (`offline`) within 1.5 × this after a crash."
        ) { config, value in if case .number(let number) = value { config.mqtt.keepAliveSeconds = number } },
        ConfigurationKey(
            section: "host", name: "shutdown_timeout_s", kind: .integer(1...60), defaultText: "5",
            summary: "Seconds a graceful shutdown may take before the host exits anyway."
        ) { config, value in if case .number(let number) = value { config.shutdownTimeoutSeconds = number } },
    ]

    /// Why a value does not fit its key.
    struct Problem: Error, ExpressibleByStringInterpolation {
        let reason: String
        init(stringLiteral value: String) { reason = value }
    }

    /// Checks `text` against the key's kind.
    func parse(_ text: String) -> Result<ParsedValue, Problem> {
        switch kind {
        case .string:
            return .success(.text(text))
        case .path:
            return text.isEmpty ? .failure("must not be empty") : .success(.text(text))
        case .integer(let range):
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
                return .failure("expected an integer, got '\(text)'")
            }
            guard range.contains(number) else {
                return .failure("\(number) is out of range \(range.lowerBound)...\(range.upperBound)")
            }
            return .success(.number(number))
        case .listen(let allowsOff):
            if allowsOff && text == "off" { return .success(.listen(nil)) }
            guard let address = ListenAddress(parsing: text) else {
                return .failure("expected host:port\(allowsOff ? " or off" : ""), got '\(text)'")
            }
            return .success(.listen(address))
        case .choice(let choices):
            guard choices.contains(text) else {
                return .failure("expected one of \(choices.joined(separator: ", ")), got '\(text)'")
            }
            return .success(.text(text))
        case .boolean:
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .success(.flag(true))
            case "false", "0", "no", "off": return .success(.flag(false))
            default: return .failure("expected true or false, got '\(text)'")
            }
        case .stringList:
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return checkList(items)
        }
    }

    func checkList(_ items: [String]) -> Result<ParsedValue, Problem> {
        if section == "upstream" {
            for item in items where Int(item) == nil { return .failure("expected integer IDs, got '\(item)'") }
        }
        if name == "devices" {
            for item in items {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, !parts[0].isEmpty, let door = Int(parts[1]), door >= 1 else {
                    return .failure("expected \"<device id>=<door>\" entries, got '\(item)'")
                }
            }
        }
        return .success(.list(items))
    }

    func parse(_ value: TOMLDocument.Value) -> Result<ParsedValue, Problem> {
        switch (kind, value) {
        case (.integer, .integer(let number)):
            return parse(String(number))
        case (.integer, _):
            return .failure("expected an integer, got a \(value.typeName)")
        case (.boolean, .boolean(let flag)):
            return .success(.flag(flag))
        case (.boolean, _):
            return .failure("expected true or false, got a \(value.typeName)")
        case (.stringList, .array(let items)):
            var strings: [String] = []
            for item in items {
                guard case .string(let text) = item else { return .failure("expected an array of strings") }
                strings.append(text)
            }
            return checkList(strings)
        case (.stringList, _):
            return .failure("expected an array of strings, got a \(value.typeName)")
        case (_, .string(let text)):
            return parse(text)
        default:
            return .failure("expected a string, got a \(value.typeName)")
        }
    }
}

extension GatehouseConfiguration {
    /// Command-line overrides; `nil` leaves the lower layers' value.
    public struct Overrides: Sendable {
        public var dataDirectory: String?
        public var siteDirectory: String?
        public var httpListen: String?
        public var pushListen: String?
        public var logFormat: String?

        public init(
            dataDirectory: String? = nil, siteDirectory: String? = nil, httpListen: String? = nil,
            pushListen: String? = nil, logFormat: String? = nil
        ) {
            self.dataDirectory = dataDirectory
            self.siteDirectory = siteDirectory
            self.httpListen = httpListen
            self.pushListen = pushListen
            self.logFormat = logFormat
        }
    }

    /// Builds the configuration from file, environment and flags, in that order.
    public static func load(
        file: String?, environment: [String: String], overrides: Overrides
    ) throws(ConfigurationError) -> GatehouseConfiguration {
        var config = GatehouseConfiguration()
        let keys = Dictionary(uniqueKeysWithValues: ConfigurationKey.all.map { ($0.dottedName, $0) })

        if let file {
            let text: String
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                guard let decoded = String(data: data, encoding: .utf8) else {
                    throw ConfigurationError(source: file, line: nil, key: "", reason: "not valid UTF-8")
                }
                text = decoded
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw ConfigurationError(source: file, line: nil, key: "", reason: "cannot read the file (\(Self.reason(error)))")
            }
            let document: TOMLDocument
            do {
                document = try TOMLDocument(parsing: text)
            } catch {
                throw ConfigurationError(source: file, line: error.line, key: "", reason: error.message)
            }
            // Stable order so the first problem reported is the first in the file.
            let entries = document.sections.flatMap { section, values in values.map { (section, $0.key, $0.value) } }
                .sorted { $0.2.line < $1.2.line }
            for (section, name, entry) in entries {
                let dotted = section.isEmpty ? name : "\(section).\(name)"
                guard let key = keys[dotted] else {
                    throw ConfigurationError(source: file, line: entry.line, key: dotted, reason: "unknown key")
                }
                switch key.parse(entry.value) {
                case .success(let value): key.apply(&config, value)
                case .failure(let problem):
                    throw ConfigurationError(source: file, line: entry.line, key: dotted, reason: problem.reason)
                }
            }
            for (section, line) in document.sectionLines where document.sections[section]?.isEmpty ?? true {
                if !ConfigurationKey.all.contains(where: { $0.section == section }) {
                    throw ConfigurationError(source: file, line: line, key: section, reason: "unknown section")
                }
            }
            // `[[name]]` tables belong to the site's actions file, not here.
            if let table = document.tableArrays.min(by: { ($0.value.first?.line ?? 0) < ($1.value.first?.line ?? 0) }) {
                throw ConfigurationError(source: file, line: table.value.first?.line, key: table.key, reason: "unknown section")
            }
        }

        for key in ConfigurationKey.all {
            guard let text = environment[key.environmentVariable] else { continue }
            switch key.parse(text) {
            case .success(let value): key.apply(&config, value)
            case .failure(let problem):
                throw ConfigurationError(source: key.environmentVariable, line: nil, key: key.dottedName, reason: problem.reason)
            }
        }

        let flags: [(String, String, String?)] = [
            ("--data", "data.dir", overrides.dataDirectory),
            ("--site", "site.dir", overrides.siteDirectory),
            ("--http-listen", "http.listen", overrides.httpListen),
            ("--push-listen", "push.listen", overrides.pushListen),
            ("--log-format", "log.format", overrides.logFormat),
        ]
        for (flag, dotted, text) in flags {
            guard let text, let key = keys[dotted] else { continue }
            switch key.parse(text) {
            case .success(let value): key.apply(&config, value)
            case .failure(let problem): throw ConfigurationError(source: flag, line: nil, key: dotted, reason: problem.reason)
            }
        }
        // Rules that involve several keys, checked once every layer is applied.
        let source = file ?? "configuration"
        do {
            try config.akuvoxAPI.validate()
        } catch {
            throw ConfigurationError(source: source, line: nil, key: error.key, reason: error.problem)
        }
        do {
            try config.thirdPartyServer.validate()
        } catch {
            throw ConfigurationError(source: source, line: nil, key: error.key, reason: error.problem)
        }
        do {
            try config.upstream.validate()
        } catch {
            throw ConfigurationError(source: source, line: nil, key: error.key, reason: error.reason)
        }
        if config.mqtt.enabled, case .failure(let problem) = config.mqtt.endpoint(site: "site", will: nil) {
            throw ConfigurationError(source: source, line: nil, key: "mqtt.\(problem.key)", reason: problem.reason)
        }
        if config.gpio.enabled {
            do {
                _ = try config.gpio.lines()
            } catch {
                throw ConfigurationError(source: source, line: nil, key: "gpio.\(error.key)", reason: error.reason)
            }
        }
        if let allowlist = config.dtmfAllowlist, DTMFWhitelist(rawValue: allowlist) == nil {
            throw ConfigurationError(
                source: source, line: nil, key: "dtmf.allowlist", reason: "'\(allowlist)' is not none, phonebook or all")
        }
        if let entry = config.dtmfPhonebook?.first(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            throw ConfigurationError(
                source: source, line: nil, key: "dtmf.phonebook", reason: "'\(entry)' is not a caller (empty, or has spaces)")
        }
        if config.sip.enabled {
            do {
                _ = try config.sip.resolved()
            } catch {
                throw ConfigurationError(source: source, line: nil, key: "sip.\(error.key)", reason: error.reason)
            }
        }
        if config.osdp.enabled {
            do {
                _ = try config.osdp.peripherals()
                _ = try config.osdp.relayOutputs()
            } catch {
                throw ConfigurationError(source: source, line: nil, key: "osdp.\(error.key)", reason: error.reason)
            }
        }
        return config
    }

    static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
            case .fileReadNoPermission: return "permission denied"
            default: break
            }
        }
        return "\(error)"
    }
}
