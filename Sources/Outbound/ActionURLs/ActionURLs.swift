import AccessControl
import Foundation

/// The events an action URL can be attached to (Akuvox `Config.Features.ACTIONURL.*` plus the
/// door-held-open and call events the host adds).
public enum ActionURLEvent: String, Sendable, Codable, CaseIterable {
    case relayTriggered = "relay_triggered"
    case relayClosed = "relay_closed"
    case inputTriggered = "input_triggered"
    case inputClosed = "input_closed"
    case validCode = "valid_code"
    case invalidCode = "invalid_code"
    case validCard = "valid_card"
    case invalidCard = "invalid_card"
    case validFace = "valid_face"
    case invalidFace = "invalid_face"
    case callStarted = "call_started"
    case callEnded = "call_ended"
    case tamper
    case alarm
    case breakIn = "break_in"
    case doorHeldOpen = "door_held_open"
}

/// What the `$variables` of a template stand for at the moment of the event.
public struct ActionURLContext: Sendable, Equatable {
    public var mac: String
    public var ip: String
    public var model: String
    public var firmware: String
    /// Relay number (1-based) → 1 open / 0 closed; `$relay1status`.
    public var relayStatus: [Int: Int]
    /// Input number (1-based) → 1 triggered / 0 not; `$input1status`.
    public var inputStatus: [Int: Int]
    public var cardSN: String
    public var code: String
    public var user: String
    public var door: String
    public var time: Date
    public var event: String

    public init(
        mac: String = "", ip: String = "", model: String = "Gatehouse", firmware: String = "", relayStatus: [Int: Int] = [:],
        inputStatus: [Int: Int] = [:], cardSN: String = "", code: String = "", user: String = "", door: String = "",
        time: Date, event: String = ""
    ) {
        self.mac = mac
        self.ip = ip
        self.model = model
        self.firmware = firmware
        self.relayStatus = relayStatus
        self.inputStatus = inputStatus
        self.cardSN = cardSN
        self.code = code
        self.user = user
        self.door = door
        self.time = time
        self.event = event
    }
}

/// Expands `$variable` templates. Variables: `$mac $ip $model $firmware $relayNstatus $inputNstatus
/// $card_sn $code $user $door $time $event`; anything else after `$` is left as written.
public struct TemplateRenderer: Sendable {
    /// Keep PINs out of outbound URLs unless the site opts in (they travel in clear text).
    public var revealCodes: Bool
    /// Percent-encode values for use inside a URL; off for file names and mail text.
    public var encodeForURL: Bool

    public static let codeMask = "****"

    public init(revealCodes: Bool = false, encodeForURL: Bool = true) {
        self.revealCodes = revealCodes
        self.encodeForURL = encodeForURL
    }

    public func render(_ template: String, _ context: ActionURLContext) -> String {
        var output = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            guard character == "$" else {
                output.append(character)
                index = template.index(after: index)
                continue
            }
            var end = template.index(after: index)
            while end < template.endIndex, template[end].isASCII,
                template[end].isLetter || template[end].isNumber || template[end] == "_"
            {
                end = template.index(after: end)
            }
            let name = String(template[template.index(after: index)..<end])
            if let (value, consumed) = resolve(name, context) {
                output += encodeForURL ? Self.encode(value) : value
                index = template.index(template.index(after: index), offsetBy: consumed)
            } else {
                output.append(character)
                index = template.index(after: index)
            }
        }
        return output
    }

    /// Resolves the longest known variable at the start of `name` (so `$codeX` is `$code` + "X").
    private func resolve(_ name: String, _ context: ActionURLContext) -> (String, Int)? {
        let simple: [(String, String)] = [
            ("firmware", context.firmware), ("card_sn", context.cardSN), ("model", context.model), ("event", context.event),
            ("user", context.user), ("door", context.door), ("time", Self.timestamp(context.time)),
            ("code", revealCodes || context.code.isEmpty ? context.code : Self.codeMask),
            ("mac", context.mac), ("ip", context.ip),
        ]
        for prefix in ["relay", "input"] where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count).prefix { $0.isNumber }
            let rest = name.dropFirst(prefix.count + digits.count)
            if !digits.isEmpty, rest.hasPrefix("status"), digits.count <= 3, let number = Int(digits) {
                let table = prefix == "relay" ? context.relayStatus : context.inputStatus
                return (String(table[number] ?? 0), prefix.count + digits.count + "status".count)
            }
        }
        for (key, value) in simple where name.hasPrefix(key) {
            return (value, key.count)
        }
        return nil
    }

    static func timestamp(_ date: Date) -> String { RFC3339.format(date) }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", ".", "~", "*"])) ?? value
    }
}

/// The Action URL page: one template per event, GET by default, optional Digest.
public struct ActionURLSettings: Sendable, Codable, Equatable {
    public var enabled: Bool
    public var method: String
    public var templates: [ActionURLEvent: String]
    public var authentication: HTTPAuthentication?
    /// Akuvox sends PINs in clear text; Gatehouse masks `$code` unless this is set.
    public var revealCodes: Bool
    public var options: TransportOptions

    public init(
        enabled: Bool = true, method: String = "GET", templates: [ActionURLEvent: String] = [:],
        authentication: HTTPAuthentication? = nil, revealCodes: Bool = false,
        options: TransportOptions = TransportOptions(totalTimeoutMilliseconds: 10_000)
    ) {
        self.enabled = enabled
        self.method = method
        self.templates = templates
        self.authentication = authentication
        self.revealCodes = revealCodes
        self.options = options
    }

    /// The request for an event, or nil when none is configured (or action URLs are off).
    public func request(for event: ActionURLEvent, context: ActionURLContext) -> HTTPRequest? {
        guard enabled, let template = templates[event] else { return nil }
        return request(template: template, event: event.rawValue, context: context)
    }

    /// The request for any template with these settings' method, authentication and code masking (the Akuvox
    /// API's per-relay and per-input URLs use it); nil for an empty template.
    public func request(template: String, event: String, context: ActionURLContext) -> HTTPRequest? {
        let template = template.trimmingCharacters(in: .whitespaces)
        guard !template.isEmpty else { return nil }
        var context = context
        if context.event.isEmpty { context.event = event }
        var url = TemplateRenderer(revealCodes: revealCodes).render(template, context)
        if !WebRelaySettings.isAbsolute(url) { url = "http://" + url }
        return HTTPRequest(method: method.isEmpty ? "GET" : method, url: url, authentication: authentication, options: options)
    }
}

/// Templates encode as `{"valid_card": "http://…"}` rather than as a list of pairs.
extension ActionURLEvent: CodingKeyRepresentable {}
