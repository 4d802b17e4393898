import AccessControl
import HTTPAPI
import Logging
import SIP
import Scripting
import ServiceLifecycle

extension GatehouseHost {
    /// Starts the SIP endpoint `[sip]` asks for (nil when off): its ports are bound before the host reports it is
    /// up, so a port in use stops the start with the key named, like any configuration error.
    static func sipCalls(_ settings: SIPSettings, site: Site, scripts: ScriptHost, logger: Logger) async throws -> SIPCalls? {
        guard settings.enabled else { return nil }
        let resolved: SIPSettings.Resolved
        do {
            resolved = try settings.resolved()
        } catch {
            throw refusal("sip.\(error.key)", error.reason)
        }
        let calls = SIPCalls(
            settings: resolved, site: site, advisor: { ringing in await Self.adviseCall(ringing, scripts: scripts) },
            logger: logger)
        do {
            try await calls.start()
        } catch {
            throw refusal("sip.listen", "\(error)")
        }
        return calls
    }

    /// The site's `on("call")` handlers on a ringing call: `{grant = true}` answers, `{deny = "why"}` refuses.
    static func adviseCall(_ ringing: RingingCall, scripts: ScriptHost) async -> CallVerdict? {
        var fields = ScriptEventFields.call(
            CallReport(call: ringing.call, direction: .incoming, party: ringing.caller, phase: .ringing))
        fields["time"] = .number(ringing.time.timeIntervalSince1970)
        fields["local_time"] = .string(ringing.localTime)
        fields["source"] = .string("sip:\(ringing.caller)")
        fields["caller_allowed"] = .boolean(ringing.callerAllowed)
        fields["uri"] = .string(ringing.uri)
        if !ringing.displayName.isEmpty { fields["display_name"] = .string(ringing.displayName) }
        switch await scripts.advise(.call, fields) {
        case .grant?: return .answer
        case .deny(let reason)?: return .refuse(reason: reason)
        case .requireFactor?, nil: return nil
        }
    }
}

/// Keeps the SIP endpoint up while the host runs; unregisters and hangs up at shutdown.
struct SIPService: Service {
    let calls: SIPCalls

    func run() async throws {
        try? await gracefulShutdown()
        await calls.stop()
    }
}

/// `GET /api/v1/sip` and the `/healthz` SIP line.
struct SIPStatusAdapter: SIPStatusSource {
    let calls: SIPCalls

    func sipStatus() async -> SIPCalls.Status { await calls.status() }

    func health() async -> HealthReport.SIPInfo {
        let status = await calls.status()
        return .init(listen: status.listen, registration: status.registration?.state)
    }
}

extension GatehouseHost {
    /// `[dtmf] allowlist` and `phonebook` into the site's settings at start (the rule the door engine and the SIP
    /// answer policy read); keys not given leave the stored settings as they are.
    static func applyDTMFAllowlist(_ configuration: GatehouseConfiguration, to site: Site) async throws {
        var settings = await site.currentConfiguration.settings
        let before = settings
        if let allowlist = configuration.dtmfAllowlist.flatMap(DTMFWhitelist.init(rawValue:)) {
            settings.dtmf.whitelist = allowlist
        }
        if let phonebook = configuration.dtmfPhonebook { settings.dtmf.phonebook = Set(phonebook) }
        guard settings != before else { return }
        do {
            try await site.update(settings)
        } catch {
            throw refusal("dtmf.allowlist", "cannot store the DTMF allowlist: \(error)")
        }
    }
}
