import AccessControl
import Foundation
import Logging
import Outbound

/// The door engine's advisor while the host runs: a QR code, card or PIN that the actions file sends to a
/// third-party server is decided by that server (Akuvox "Third Party Integration"); every other credential goes to
/// `next` (the site scripts). The server's answer is journalled (`thirdparty` site event: which URL, what status,
/// what body, which verdict).
///
/// Time: the site waits at most its advisor deadline (raised at load to cover `timeout_ms`). The verifier is given a total timeout that ends before that
/// deadline, so a slow server is a *timeout* — denied unless `on_timeout = "grant"` — rather than a late answer the
/// engine ignores (which would leave the built-in decision standing).
struct ThirdPartyAdvisor: DecisionAdvisor {
    let site: Site
    let settings: ActionSettingsBox
    /// Nil in the offline world (`gatehouse test`/`replay`), which asks no live server: credentials the server
    /// would decide are then decided by the scripts and the built-in rules.
    let transport: Transport?
    let codes: RecentCodes
    let next: (any DecisionAdvisor)?
    let logger: Logger

    /// Time kept back from the site's advisor deadline for journalling and handing the verdict over.
    static let margin = 25

    func mayAdvise(_ request: DecisionRequest) -> Bool {
        // Typed codes are remembered for action URLs (`$code`) on every decision.
        if Self.typedCode(request.credential) != nil { return true }
        if transport != nil, let credential = Self.remoteCredential(request.credential),
            settings.current.thirdParty.verifiesRemotely(credential.method)
        {
            return true
        }
        return next?.mayAdvise(request) ?? false
    }

    func advise(_ request: DecisionRequest, builtIn: Decision) async -> Verdict? {
        if let code = Self.typedCode(request.credential) { codes.remember(code, reader: request.reader, time: request.time) }
        let current = settings.current.thirdParty
        guard let transport, let credential = Self.remoteCredential(request.credential),
            current.verifiesRemotely(credential.method)
        else {
            return await next?.advise(request, builtIn: builtIn)
        }
        var bounded = current
        let deadline = await site.currentConfiguration.settings.advisorDeadlineMilliseconds
        let budget = max(1, deadline - Self.margin)
        bounded.options.totalTimeoutMilliseconds = min(current.options.totalTimeoutMilliseconds, budget)
        bounded.options.connectTimeoutMilliseconds = min(
            current.options.connectTimeoutMilliseconds, bounded.options.totalTimeoutMilliseconds)
        let verdict = await ThirdPartyVerifier(settings: bounded, transport: transport).verify(credential)
        await site.recordSiteEvent(
            "thirdparty", detail: Self.describe(verdict, credential: credential, reader: request.reader),
            source: SiteActions.source)
        return verdict.granted ? .grant : .deny(.noRightToDoor)
    }

    static func remoteCredential(_ credential: Credential) -> ThirdPartyCredential? {
        switch credential {
        case .qrCode(let code): .qrCode(code)
        case .card(let number, _, _): .card(number.decimal)
        case .pin(let code): .pin(code)
        default: nil
        }
    }

    static func typedCode(_ credential: Credential) -> String? {
        switch credential {
        case .pin(let code), .apartmentPIN(_, let code), .cardAndPIN(_, let code): code
        case .userID(_, let password): password
        default: nil
        }
    }

    /// One line for the journal: the server asked (credentials and PINs removed), what it answered, the verdict.
    static func describe(_ verdict: ThirdPartyVerdict, credential: ThirdPartyCredential, reader: ReaderID) -> String {
        let reason =
            switch verdict.reason {
            case .matchedSuccess: "success parameter matched"
            case .matchedFailure: "failure parameter matched"
            case .unrecognisedAnswer: "neither parameter in the answer"
            case .timedOut: "timed out"
            case .transportFailed(let error): "failed: \(error)"
            case .notVerifiedRemotely: "not verified remotely"
            }
        var line = "server=\(verdict.server) reader=\(reader.rawValue) method=\(credential.method.rawValue)"
        line += " granted=\(verdict.granted) reason=\(reason)"
        if let status = verdict.status { line += " status=\(status)" }
        if !verdict.answer.isEmpty { line += " answer=\(verdict.answer.replacingOccurrences(of: "\n", with: " "))" }
        return line
    }
}
