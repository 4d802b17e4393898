import Foundation

/// A credential sent to a third-party access server for remote verification.
public enum ThirdPartyCredential: Sendable, Equatable {
    case qrCode(String)
    case card(String)
    case pin(String)

    public var method: ThirdPartySettings.Method {
        switch self {
        case .qrCode: .qrCode
        case .card: .card
        case .pin: .pin
        }
    }
}

/// Akuvox "Relay > Third Party Integration".
public struct ThirdPartySettings: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable {
        case none
        /// Only QR codes are verified remotely.
        case general
        /// The methods in `remoteMethods` are verified remotely.
        case customize
    }

    public enum Method: String, Sendable, Codable, Hashable {
        case qrCode, card, pin
    }

    public enum TimeoutPolicy: String, Sendable, Codable {
        case deny, grant
    }

    public var mode: Mode
    public var remoteMethods: Set<Method>
    /// e.g. `http://10.0.0.9:8090/api/visitor/scan?codeKey={QRCode}/{Card}/{Pin}&deviceId={DeviceID}`.
    public var urlTemplate: String
    public var deviceID: String
    public var successParameter: String
    public var failedParameter: String
    public var method: String
    public var authentication: HTTPAuthentication?
    /// A server that does not answer in time denies, unless the site decides otherwise.
    public var onTimeout: TimeoutPolicy
    public var options: TransportOptions

    public init(
        mode: Mode = .none, remoteMethods: Set<Method> = [], urlTemplate: String = "", deviceID: String = "",
        successParameter: String = "", failedParameter: String = "", method: String = "GET",
        authentication: HTTPAuthentication? = nil, onTimeout: TimeoutPolicy = .deny,
        options: TransportOptions = TransportOptions(connectTimeoutMilliseconds: 2_000, totalTimeoutMilliseconds: 3_000)
    ) {
        self.mode = mode
        self.remoteMethods = remoteMethods
        self.urlTemplate = urlTemplate
        self.deviceID = deviceID
        self.successParameter = successParameter
        self.failedParameter = failedParameter
        self.method = method
        self.authentication = authentication
        self.onTimeout = onTimeout
        self.options = options
    }

    /// Whether this credential goes to the server at all.
    public func verifiesRemotely(_ method: Method) -> Bool {
        switch mode {
        case .none: false
        case .general: method == .qrCode
        case .customize: remoteMethods.contains(method)
        }
    }

    /// The URL for a credential: its own placeholder filled (percent-encoded), `{DeviceID}` filled,
    /// other credential placeholders left as written (as the Akuvox example shows).
    public func url(for credential: ThirdPartyCredential) -> String {
        let (placeholder, value) = switch credential {
        case let .qrCode(value): ("{QRCode}", value)
        case let .card(value): ("{Card}", value)
        case let .pin(value): ("{Pin}", value)
        }
        return urlTemplate
            .replacingOccurrences(of: placeholder, with: TemplateRenderer.encode(value))
            .replacingOccurrences(of: "{DeviceID}", with: TemplateRenderer.encode(deviceID))
    }
}

/// What the third-party server said, for the decision and the journal.
public struct ThirdPartyVerdict: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case matchedSuccess
        case matchedFailure
        /// The body held neither parameter: denied.
        case unrecognisedAnswer
        case timedOut
        case transportFailed(String)
        case notVerifiedRemotely
    }

    public var granted: Bool
    public var reason: Reason
    /// The URL asked, credential placeholders filled, password removed; PINs masked.
    public var server: String
    public var status: Int?
    /// The start of the body, for the journal.
    public var answer: String
}

/// Asks the third-party server whether a credential opens the door.
public struct ThirdPartyVerifier: Sendable {
    public var settings: ThirdPartySettings
    private let transport: Transport

    public init(settings: ThirdPartySettings, transport: Transport) {
        self.settings = settings
        self.transport = transport
    }

    public func verify(_ credential: ThirdPartyCredential) async -> ThirdPartyVerdict {
        let url = settings.url(for: credential)
        var journalURL = redacted(url)
        if case let .pin(pin) = credential, !pin.isEmpty {
            journalURL = journalURL.replacingOccurrences(of: TemplateRenderer.encode(pin), with: TemplateRenderer.codeMask)
        }
        guard settings.verifiesRemotely(credential.method) else {
            return ThirdPartyVerdict(granted: false, reason: .notVerifiedRemotely, server: journalURL, status: nil, answer: "")
        }
        let request = HTTPRequest(method: settings.method, url: url, authentication: settings.authentication, options: settings.options)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            if case .timedOut = error {
                return ThirdPartyVerdict(
                    granted: settings.onTimeout == .grant, reason: .timedOut, server: journalURL, status: nil, answer: "")
            }
            return ThirdPartyVerdict(
                granted: false, reason: .transportFailed(error.description), server: journalURL, status: nil, answer: "")
        }
        let body = String(decoding: response.body.prefix(4_096), as: UTF8.self)
        let answer = String(body.prefix(200))
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        let success = settings.successParameter
        let failure = settings.failedParameter
        // An exact answer decides first; otherwise the failure parameter wins over the success one,
        // so a body mentioning both denies.
        if !failure.isEmpty, trimmed == failure {
            return ThirdPartyVerdict(granted: false, reason: .matchedFailure, server: journalURL, status: response.status, answer: answer)
        }
        if !success.isEmpty, trimmed == success, (200...299).contains(response.status) {
            return ThirdPartyVerdict(granted: true, reason: .matchedSuccess, server: journalURL, status: response.status, answer: answer)
        }
        if !failure.isEmpty, body.contains(failure) {
            return ThirdPartyVerdict(granted: false, reason: .matchedFailure, server: journalURL, status: response.status, answer: answer)
        }
        if !success.isEmpty, body.contains(success), (200...299).contains(response.status) {
            return ThirdPartyVerdict(granted: true, reason: .matchedSuccess, server: journalURL, status: response.status, answer: answer)
        }
        return ThirdPartyVerdict(granted: false, reason: .unrecognisedAnswer, server: journalURL, status: response.status, answer: answer)
    }
}
