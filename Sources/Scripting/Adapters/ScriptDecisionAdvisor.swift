import AccessControl
import Foundation
import PushProtocol

/// Adapts a `ScriptHost` to the door engine's `DecisionAdvisor` seam, so a
/// site's `credential` handlers can refine decisions. The engine applies its
/// own advisor deadline on top of `ScriptLimits.decisionDeadline`.
///
/// The engine's `Verdict` is grant-or-deny, so richer script verdicts are
/// narrowed: `{deny = "reason"}` becomes `.deny(.refusedByScript)` with the
/// script's reason, which the journal and the reply carry; `{grant = true, door =, seconds =}`
/// becomes `.grant` with the engine's door and drive time; `{require = "pin"}`
/// becomes `.deny(.wrongVerifyMode)` (the presented factors are not enough).
public struct ScriptDecisionAdvisor: DecisionAdvisor {
    public let host: ScriptHost

    public init(host: ScriptHost) { self.host = host }

    public func mayAdvise(_ request: DecisionRequest) -> Bool { host.isObserving(.credential) }

    public func advise(_ request: DecisionRequest, builtIn: Decision) async -> Verdict? {
        switch await host.adviseCredential(ScriptDecisionAdvisor.fields(request, builtIn: builtIn)) {
        case nil: return nil
        case .deny(let reason)?: return .deny(.refusedByScript, because: reason)
        case .grant?: return .grant
        case .requireFactor(let factor)?: return .deny(.wrongVerifyMode, because: "\(factor) required as well")
        }
    }

    /// The `credential` event table: what was presented, where, by whom, and the built-in decision.
    public static func fields(_ request: DecisionRequest, builtIn: Decision) -> [String: LuaValue] {
        var fields: [String: LuaValue] = [
            "reader": .integer(Int64(request.reader.rawValue)),
            "time": .number(request.time.timeIntervalSince1970),
            "local_time": .string(request.localTime),
            "granted": .boolean(builtIn.isGranted),
            "event_code": .integer(Int64(builtIn.event.rawValue)),
            "verify_mode": .integer(Int64(builtIn.verifyMode.rawValue)),
            "event_name": .string(builtIn.event.name),
        ]
        if let door = request.door { fields["door"] = .integer(Int64(door.rawValue)) }
        if let direction = request.direction { fields["direction"] = direction == .entry ? "entry" : "exit" }
        if let reason = builtIn.denyReason { fields["reason"] = .string(reason.rawValue) }
        if let user = request.user {
            fields["user"] = .table(LuaTable(["pin": .string(user.pin.rawValue), "name": .string(user.name)]))
        }
        fields.merge(ScriptEventFields.credential(request.credential, secrets: true)) { _, new in new }
        return fields
    }
}
