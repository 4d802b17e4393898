import Foundation
import PushProtocol

/// Why a credential was refused, each with the PUSH event code a ZKTeco controller logs for it.
public enum DenyReason: String, Hashable, Sendable, Codable, CaseIterable {
    case unregistered
    case expired
    case outsideTimezone
    case doorOutsideValidTimezone
    case noRightToDoor
    case antiPassback
    case interlock
    case cardLost
    case blacklisted
    case wrongVerifyMode
    case punchInterval
    case multiCardWaiting
    case multiCardFailed
    case doorLocked
    case doorDisabled
    case unknownReader
    /// First-card activation mode and no first card has been presented in this period.
    case awaitingFirstCard
    case invalidQRCode
    case expiredQRCode
    /// DTMF: the caller is not on the whitelist.
    case callerNotAllowed
    /// Card + PIN or user ID + password with the wrong password (event 30).
    case wrongPassword
    /// A site script refused.
    case refusedByScript

    public var event: PushEventCode {
        switch self {
        case .unregistered: .notRegistered
        case .wrongPassword: .incorrectPassword
        case .expired: .privilegeExpired
        case .outsideTimezone: .verifiedOutsideValidPeriod
        case .doorOutsideValidTimezone: .invalidTimePeriod
        case .noRightToDoor, .callerNotAllowed, .refusedByScript, .awaitingFirstCard, .unknownReader: .unauthorizedAccess
        case .antiPassback: .antiPassback
        case .interlock: .interlock
        case .cardLost: .cardReportedLost
        case .blacklisted: .blacklisted
        case .wrongVerifyMode: .incorrectVerificationMode
        case .punchInterval: .intervalTooShort
        case .multiCardWaiting: .multipleUsersWaiting
        case .multiCardFailed: .multiUserVerificationFailed
        case .doorLocked, .doorDisabled: .doorLocked
        case .invalidQRCode: .invalidQRCode
        case .expiredQRCode: .expiredQRCode
        }
    }
}

/// The answer to a presented credential, a button, a DTMF code or a remote command.
public struct Decision: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        case granted
        case denied(DenyReason)
    }

    public var outcome: Outcome
    /// The event code journalled for the decision.
    public var event: PushEventCode
    public var verifyMode: VerifyMode
    public var user: UserPIN?
    public var door: DoorID?
    public var reader: ReaderID?
    /// Index of the journal entry recording it.
    public var journalIndex: UInt64
    /// Why, in words, when the reason code alone does not say it: a script's own reason for refusing, "public PIN".
    public var detail: String? = nil

    public var isGranted: Bool { outcome == .granted }

    public var denyReason: DenyReason? {
        if case .denied(let reason) = outcome { return reason }
        return nil
    }
}

/// What a site script is told about a decision it may refine.
public struct DecisionRequest: Hashable, Sendable {
    public var credential: Credential
    public var reader: ReaderID
    public var door: DoorID?
    public var direction: Direction?
    /// The user the credential belongs to, when known.
    public var user: User?
    public var time: Date
    public var localTime: String
}

/// A script's verdict on a decision.
public enum Verdict: Hashable, Sendable {
    case grant
    /// `because`: the advisor's reason in words (a script's `{deny = "keypad locked"}`), journalled and replied.
    case deny(DenyReason, because: String? = nil)
}

/// A site script's hook on credential decisions. Called with the built-in decision; returning nil keeps it.
/// The site waits at most its advisor deadline; a late or failing advisor changes nothing.
public protocol DecisionAdvisor: Sendable {
    func advise(_ request: DecisionRequest, builtIn: Decision) async -> Verdict?
    /// Whether `advise` may have anything to say about `request`. False lets the door decide at once, without a
    /// task, a deadline timer or a hop to the advisor's thread. Must be cheap and never block.
    func mayAdvise(_ request: DecisionRequest) -> Bool
}

extension DecisionAdvisor {
    public func mayAdvise(_ request: DecisionRequest) -> Bool { true }
}
