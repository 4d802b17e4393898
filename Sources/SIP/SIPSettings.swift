import Foundation

/// `[sip]`: the door's SIP endpoint. Off by default; with no registrar it takes direct IP calls only.
public struct SIPSettings: Sendable, Equatable {
    public enum Transport: String, Sendable, CaseIterable { case udp, tcp }

    /// Which incoming calls the door answers before any script has its say.
    public enum AnswerPolicy: String, Sendable, CaseIterable {
        /// Callers on the DTMF allowlist (`dtmf.whitelist`: phonebook or all); others are refused with 403.
        case allowed
        /// Every call (the DTMF allowlist still decides whose codes open).
        case all
        /// No call unless a site script answers it.
        case none
    }

    public var enabled = false
    /// `host:port` to listen on for SIP and direct IP calls; e.g. `127.0.0.1:5060`.
    public var listen = "127.0.0.1:5060"
    public var transports: [String] = ["udp", "tcp"]
    /// `"<first>-<last>"` UDP ports for RTP.
    public var rtpPorts = "16000-16999"
    /// The Contact user and, without `account`, the From user.
    public var user = "gatehouse"
    public var displayName: String?
    /// `host[:port]` of the SIP server (PBX) to register with; none: direct IP calls only.
    public var registrar: String?
    /// The account's domain (the AOR is `sip:<account>@<domain>`); defaults to the registrar's host.
    public var domain: String?
    public var account: String?
    public var password: String?
    public var expiresSeconds = 1800
    public var answer = "allowed"
    /// An established call is hung up after this long.
    public var maxCallSeconds = 300
    /// A digit sequence without `#` or a code match ends this long after its last digit.
    public var dtmfTimeoutSeconds = 5
    /// The RTP payload type offered for RFC 4733 telephone-events.
    public var telephoneEventPayloadType = 101
    /// Whom the reception tab calls: `sip:user@host[:port]` (or `user@host`); none: the tab only opens relays.
    /// (The actions file's `reception.dial_account` is Akuvox's choice of SIP account; Gatehouse has one.)
    public var receptionURI: String?

    public init() {}

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var key: String
        public var reason: String
        public var description: String { "sip.\(key): \(reason)" }
    }

    /// The settings checked and in the form the user agent takes; a problem names the key.
    public func resolved() throws(Problem) -> Resolved {
        let (host, port) = try Self.hostAndPort(listen, key: "listen", defaultPort: nil)
        guard Self.isIPAddress(host) else {
            throw Problem(key: "listen", reason: "'\(host)' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)")
        }
        guard port > 0 else { throw Problem(key: "listen", reason: "give a port (5060 is SIP's)") }
        var kinds: Set<Transport> = []
        for name in transports {
            guard let transport = Transport(rawValue: name.lowercased()) else {
                throw Problem(key: "transports", reason: "'\(name)' is not a transport: use udp and/or tcp")
            }
            kinds.insert(transport)
        }
        guard !kinds.isEmpty else { throw Problem(key: "transports", reason: "list udp, tcp or both") }
        let ports = rtpPorts.split(separator: "-", omittingEmptySubsequences: false)
        guard ports.count == 2, let first = UInt16(ports[0].trimmingCharacters(in: .whitespaces)),
            let last = UInt16(ports[1].trimmingCharacters(in: .whitespaces)), first >= 1024, first < last
        else {
            throw Problem(key: "rtp_ports", reason: "'\(rtpPorts)' is not \"<first>-<last>\" with 1024 ≤ first < last ≤ 65535")
        }
        guard !user.isEmpty, user.allSatisfy(Self.isUserCharacter) else {
            throw Problem(key: "user", reason: "'\(user)' is not a SIP user name (letters, digits, - _ . ! ~ * ' ( ) + only)")
        }
        if let displayName, displayName.contains(where: { $0 == "\"" || $0.isNewline }) {
            throw Problem(key: "display_name", reason: "may not contain quotes or line breaks")
        }
        var registration: Resolved.Registration?
        if let registrar, !registrar.isEmpty {
            let (registrarHost, _) = try Self.hostAndPort(registrar, key: "registrar", defaultPort: 5060)
            guard let account, !account.isEmpty else {
                throw Problem(key: "account", reason: "required with a registrar: the SIP account (user) to register")
            }
            guard account.allSatisfy(Self.isUserCharacter) else {
                throw Problem(key: "account", reason: "'\(account)' is not a SIP user name")
            }
            guard let password, !password.isEmpty else {
                throw Problem(
                    key: "password", reason: "required with a registrar (set GATEHOUSE_SIP_PASSWORD to keep it out of the file)")
            }
            guard (60...86_400).contains(expiresSeconds) else {
                throw Problem(key: "expires_s", reason: "\(expiresSeconds) is not 60–86400 seconds")
            }
            registration = .init(
                registrar: registrar, domain: domain.flatMap { $0.isEmpty ? nil : $0 } ?? registrarHost, account: account,
                password: password, expires: expiresSeconds)
        } else if account != nil || password != nil {
            throw Problem(key: "registrar", reason: "an account or password is set but no registrar to register with")
        }
        guard let policy = AnswerPolicy(rawValue: answer) else {
            throw Problem(key: "answer", reason: "'\(answer)' is not allowed, all or none")
        }
        guard (5...86_400).contains(maxCallSeconds) else {
            throw Problem(key: "max_call_s", reason: "\(maxCallSeconds) is not 5–86400 seconds")
        }
        guard (1...60).contains(dtmfTimeoutSeconds) else {
            throw Problem(key: "dtmf_timeout_s", reason: "\(dtmfTimeoutSeconds) is not 1–60 seconds")
        }
        guard (96...127).contains(telephoneEventPayloadType) else {
            throw Problem(
                key: "telephone_event_pt", reason: "\(telephoneEventPayloadType) is not a dynamic payload type (96–127)")
        }
        var dial: String?
        if let receptionURI, !receptionURI.isEmpty {
            let uri = receptionURI.hasPrefix("sip:") ? receptionURI : "sip:\(receptionURI)"
            let target = uri.dropFirst(4)
            guard let at = target.firstIndex(of: "@"), target.startIndex < at, target.index(after: at) < target.endIndex,
                !target.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
            else {
                throw Problem(key: "reception_uri", reason: "'\(receptionURI)' is not sip:user@host[:port]")
            }
            _ = try Self.hostAndPort(String(target[target.index(after: at)...]), key: "reception_uri", defaultPort: 5060)
            dial = uri
        }
        return Resolved(
            host: host, port: port, transports: kinds, rtpPorts: first...last, user: user,
            displayName: displayName.flatMap { $0.isEmpty ? nil : $0 }, registration: registration, answer: policy,
            maxCall: .seconds(maxCallSeconds), dtmfTimeout: .seconds(dtmfTimeoutSeconds),
            telephoneEventPayloadType: UInt8(telephoneEventPayloadType), receptionURI: dial)
    }

    /// The settings as the user agent and the call service use them.
    public struct Resolved: Sendable, Equatable {
        public struct Registration: Sendable, Equatable {
            public var registrar: String
            public var domain: String
            public var account: String
            public var password: String
            public var expires: Int
        }

        public var host: String
        public var port: UInt16
        public var transports: Set<Transport>
        public var rtpPorts: ClosedRange<UInt16>
        public var user: String
        public var displayName: String?
        public var registration: Registration?
        public var answer: AnswerPolicy
        public var maxCall: Duration
        public var dtmfTimeout: Duration
        public var telephoneEventPayloadType: UInt8
        public var receptionURI: String?
    }

    static func hostAndPort(_ text: String, key: String, defaultPort: UInt16?) throws(Problem) -> (String, UInt16) {
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw Problem(key: key, reason: "'\(text)': unclosed [") }
            let rest = host[host.index(after: close)...]
            if rest.hasPrefix(":") {
                portText = rest.dropFirst()
            } else if !rest.isEmpty {
                throw Problem(key: key, reason: "'\(text)' is not host:port")
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }) else {
            throw Problem(key: key, reason: "'\(text)' is not host:port")
        }
        if let portText {
            guard let port = UInt16(portText) else {
                throw Problem(key: key, reason: "'\(portText)' in '\(text)' is not a port (0–65535)")
            }
            return (String(host), port)
        }
        guard let defaultPort else { throw Problem(key: key, reason: "'\(text)' has no port (host:port)") }
        return (String(host), defaultPort)
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// RFC 3261's `unreserved` and the user-unreserved characters a SIP user part may hold unescaped.
    static func isUserCharacter(_ character: Character) -> Bool {
        guard character.isASCII, let scalar = character.unicodeScalars.first else { return false }
        return CharacterSet.alphanumerics.contains(scalar) || "-_.!~*'()+&=$,;?/".contains(character)
    }
}
