import AccessControl
import Foundation
import PushProtocol

/// Adapts a `ScriptHost` to the door engine's `DecisionAdvisor` seam, so a
/// site's `credential` handlers can refine decisions. The engine applies its
/// own advisor deadline on top of `ScriptLimits.decisionDeadline`.
///
/// The engine's `Verdict` is grant-or-deny, so richer script verdicts are
/// narrowed: `{deny = "reason"}` becomes `.deny(.refusedByScript)` (the reason
/// is logged by the script, not journalled); `{grant = true, door =, seconds =}`
/// becomes `.grant` with the engine's door and drive time; `{require = "pin"}`
/// becomes `.deny(.wrongVerifyMode)` (the presented factors are not enough).
public struct ScriptDecisionAdvisor: DecisionAdvisor {
    public let host: ScriptHost

    public init(host: ScriptHost) { self.host = host }

    public func mayAdvise(_ request: DecisionRequest) -> Bool { host.isObserving(.credential) }

    public func advise(_ request: DecisionRequest, builtIn: Decision) async -> Verdict? {
        switch await host.adviseCredential(ScriptDecisionAdvisor.fields(request, builtIn: builtIn)) {
        case nil: return nil
        case .deny?: return .deny(.refusedByScript)
        case .grant?: return .grant
        case .requireFactor?: return .deny(.wrongVerifyMode)
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
        ]
        if let door = request.door { fields["door"] = .integer(Int64(door.rawValue)) }
        if let direction = request.direction { fields["direction"] = direction == .entry ? "entry" : "exit" }
        if let reason = builtIn.denyReason { fields["reason"] = .string(reason.rawValue) }
        if let user = request.user {
            fields["user"] = .table(LuaTable(["pin": .string(user.pin.rawValue), "name": .string(user.name)]))
        }
        switch request.credential {
        case .card(let number, let bitLength, let siteCode):
            fields["kind"] = "card"
            fields["card"] = .string(String(number.value))
            if bitLength > 0 { fields["bits"] = .integer(Int64(bitLength)) }
            if let siteCode { fields["site_code"] = .integer(Int64(siteCode)) }
        case .pin(let code):
            fields["kind"] = "pin"
            fields["pin"] = .string(code)
        case .apartmentPIN(let apartment, let pin):
            fields["kind"] = "apartment_pin"
            fields["apartment"] = .string(apartment)
            fields["pin"] = .string(pin)
        case .cardAndPIN(let number, let pin):
            fields["kind"] = "card_and_pin"
            fields["card"] = .string(String(number.value))
            fields["pin"] = .string(pin)
        case .userID(let user, let password):
            fields["kind"] = "user_id"
            fields["user_id"] = .string(user.rawValue)
            if let password { fields["pin"] = .string(password) }
        case .plate(let plate):
            fields["kind"] = "plate"
            fields["plate"] = .string(plate)
        case .qrCode(let code):
            fields["kind"] = "qr"
            fields["qr"] = .string(code)
        case .identity(let identity):
            fields["kind"] = .string(identity.kind.rawValue)
            fields["identity"] = .string(identity.id)
        }
        return fields
    }
}
