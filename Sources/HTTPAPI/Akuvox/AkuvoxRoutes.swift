import AccessControl
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// The Akuvox-compatible HTTP API, for integrations written against Akuvox door phones (Home Assistant's local
/// Akuvox integration, keyfob tools, building-management scripts):
///
/// - relay opening in the three URL forms: `/fcgi/do?action=OpenDoor&UserName=…&Password=…&DoorNum=1` (refused in
///   High Security Mode), and `/fcgi/OpenDoor?action=OpenDoor&DoorNum=1` with credentials in the Authorization header
///   or without (auth mode none / allowlist). `DoorNum` 1/2/3… is the relay, `SA`/`SB` the security relays.
/// - the JSON API `/api/{target}/{action}` by GET (parameters in the query) and POST
///   (`{"target","action","data"}`, any content type) for relay trig/status, input status, user get/add/set/del,
///   schedule get/add/set/del and doorlog get, replying `{retcode, action, message, data}`.
///
/// `/api/v1/…` belongs to the native REST API, which the router matches first (constant path components win over
/// parameters); a request reaching this handler with target `v1` answers 404 like the native API would.
public enum AkuvoxRoutes {
    /// Registers the endpoints on `router`. With `settings.enabled` false they answer 403.
    ///
    /// The allowlist mode reads the client's address from contexts conforming to `RemoteAddressRequestContext`;
    /// `AdminRequestContext` carries none, so with it allowlist mode refuses every request.
    public static func add<Context: RequestContext>(
        to router: Router<Context>, site: Site, settings: AkuvoxAPISettings, directory: AkuvoxDirectoryStore,
        configuration: (any AkuvoxConfigurationTarget)? = nil, clock: any SiteClock = SystemClock(),
        maxBodyBytes: Int = 1 << 20
    ) {
        let api = AkuvoxAPI(
            site: site, authenticator: AkuvoxAuthenticator(settings: settings, clock: clock), maxBodyBytes: maxBodyBytes,
            directory: directory, configurationTarget: configuration, clock: clock, started: clock.now,
            mac: settings.identity.effectiveMAC)
        for method in [HTTPRequest.Method.get, .post] {
            router.on("fcgi/do", method: method) { request, context in
                await api.openDoor(request, context: context, legacy: true).response
            }
            router.on("fcgi/OpenDoor", method: method) { request, context in
                await api.openDoor(request, context: context, legacy: false).response
            }
            router.on("api/:target/:action", method: method) { request, context -> Response in
                let target = context.parameters.get("target") ?? ""
                let action = context.parameters.get("action") ?? ""
                guard target != "v1" else { throw HTTPError(.notFound) }
                return await api.call(target: target, action: action, request: request, context: context).response
            }
        }
    }
}

/// The handlers behind ``AkuvoxRoutes``.
struct AkuvoxAPI: Sendable {
    let site: Site
    let authenticator: AkuvoxAuthenticator
    let maxBodyBytes: Int
    /// Row ids of users, the phone book, stored autop values.
    let directory: AkuvoxDirectoryStore
    /// Where autop values that belong to the host's actions layer go (action URLs); nil: those keys are refused.
    let configurationTarget: (any AkuvoxConfigurationTarget)?
    let clock: any SiteClock
    let started: Date
    /// Read once: the configured MAC or the first interface's (a file read under /sys/class/net).
    let mac: String

    var identity: AkuvoxIdentity { authenticator.settings.identity }

    /// What the journal records as the source of Akuvox API actions.
    static let source = JournalSource(.api, name: "akuvox")

    // MARK: Authentication

    /// nil when admitted, else the refusal to send.
    func refusal(_ request: Request, context: some RequestContext, action: String) -> AkuvoxReply? {
        switch authenticator.check(request, context: context) {
        case .admitted:
            return nil
        case .forbidden(let why):
            var reply = AkuvoxReply.failure(
                authenticator.settings.enabled ? .unauthorized : .notEnabled, action: action, message: why)
            reply.status = .forbidden
            return reply
        case .challenge(let challenge, let why):
            var reply = AkuvoxReply.failure(.unauthorized, action: action, message: why)
            reply.status = .unauthorized
            reply.headers[.wwwAuthenticate] = challenge
            return reply
        }
    }

    // MARK: /fcgi

    func openDoor(_ request: Request, context: some RequestContext, legacy: Bool) async -> AkuvoxReply {
        let action = "OpenDoor"
        let query = Self.caseInsensitiveQuery(request)
        let settings = authenticator.settings
        if legacy, settings.enabled, settings.highSecure {
            var reply = AkuvoxReply.failure(.unauthorized, action: action, message: "please use new interface")
            reply.status = .forbidden
            return reply
        }
        // The legacy form carries its credentials in the query; they stand in for the Authorization header.
        let queryAdmits =
            legacy && settings.enabled && (settings.auth == .basic || settings.auth == .digest)
            && authenticator.checkQueryCredentials(username: query["username"], password: query["password"])
        if !queryAdmits, let refusal = refusal(request, context: context, action: action) { return refusal }
        guard query["action"]?.lowercased() == "opendoor" else { return .unsupported() }
        guard let doorNumber = query["doornum"], !doorNumber.isEmpty else {
            return .badParameter(action, "DoorNum is missing")
        }
        return await trigger(relayName: doorNumber, seconds: nil, action: action)
    }

    static func caseInsensitiveQuery(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key).lowercased()
            if result[name] == nil { result[name] = String(value) }
        }
        return result
    }

    /// The relay a `DoorNum` / `num` names: digits are the relay id, `SA`/`SB` the first and second security relay.
    func relay(named name: String) async -> RelayID? {
        let configuration = await site.currentConfiguration
        let upper = name.trimmingCharacters(in: .whitespaces).uppercased()
        if upper == "SA" || upper == "SB" {
            let security = configuration.relays.filter { $0.kind == .security }.map(\.id).sorted()
            let index = upper == "SA" ? 0 : 1
            return index < security.count ? security[index] : nil
        }
        guard let number = Int(upper), number > 0 else { return nil }
        let id = RelayID(number)
        return configuration.relays.contains { $0.id == id } ? id : nil
    }

    /// Pulses the door lock driven by the named relay (event 8), durable before the reply.
    func trigger(relayName: String, seconds: Int?, action: String) async -> AkuvoxReply {
        guard let relay = await relay(named: relayName) else {
            return .badParameter(action, "no relay \(relayName)")
        }
        guard let door = await site.currentConfiguration.doors.first(where: { $0.relay == relay }) else {
            return .failure(.notEnabled, action: action, message: "Not Enable: relay \(relayName) drives no door")
        }
        do {
            try await site.open(door: door.id, seconds: seconds, by: Self.source)
            try await site.flush()
        } catch let error as ModelError {
            return .badParameter(action, error.description)
        } catch {
            return unavailable(action, "journal", error)
        }
        return .ok(action)
    }

    // MARK: /api/{target}/{action}

    /// The parameters of a call: the query, overlaid by the POST body's `data` object.
    struct Call: Sendable {
        var target: String
        var action: String
        var data: AkuvoxJSON

        func text(_ key: String) -> String? { data[key]?.text }

        /// `data.item` as records (an array of objects, or one object).
        var items: [AkuvoxUserMapping.Record]? {
            let raw: [AkuvoxJSON]
            switch data["item"] ?? data["Item"] {
            case .array(let list)?: raw = list
            case .object(let members)?: raw = [.object(members)]
            default: return nil
            }
            var records: [AkuvoxUserMapping.Record] = []
            for entry in raw {
                guard case .object(let members) = entry else { return nil }
                var record: AkuvoxUserMapping.Record = [:]
                for (key, value) in members { if let text = value.text { record[key] = text } }
                records.append(record)
            }
            return records
        }
    }

    func call(target: String, action: String, request: Request, context: some RequestContext) async -> AkuvoxReply {
        if let refusal = refusal(request, context: context, action: action) { return refusal }
        var effectiveAction = action
        var members: [(String, AkuvoxJSON)] = []
        for (key, value) in request.uri.queryParameters { members.append((String(key), .string(String(value)))) }
        if request.method == .post {
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: maxBodyBytes)
            } catch {
                var reply = AkuvoxReply.badParameter(action, "request body exceeds \(maxBodyBytes) bytes")
                reply.status = .contentTooLarge
                return reply
            }
            if body.readableBytes > 0 {
                guard let json = AkuvoxJSON.parse(Data(buffer: body)), case .object = json else {
                    return .badParameter(action, "the body must be a JSON object {\"target\",\"action\",\"data\"}")
                }
                if let bodyTarget = json["target"]?.text, bodyTarget.lowercased() != target.lowercased() {
                    return .badParameter(action, "body target '\(bodyTarget)' differs from the URL's '\(target)'")
                }
                // Devices take the body's action: clients post `{"action": "add"}` and `"del"` to `/api/user/set`.
                if let bodyAction = json["action"]?.text, !bodyAction.isEmpty { effectiveAction = bodyAction }
                switch json["data"] {
                case .object(let data)?:
                    for (key, value) in data {
                        members.removeAll { $0.0 == key }
                        members.append((key, value))
                    }
                case nil, .null?: break
                default: return .badParameter(action, "data must be an object")
                }
            }
        }
        let call = Call(target: target.lowercased(), action: effectiveAction.lowercased(), data: .object(members))
        switch (call.target, call.action) {
        case ("system", "info"): return systemInfo()
        case ("system", "status"): return systemStatus()
        case ("relay", "get"): return await relayGet(call)
        case ("relay", "set"): return await relaySet(call)
        case ("config", "get"): return await configGet(call)
        case ("config", "set"): return await configSet(call)
        case ("calllog", "get"): return await calllogGet(call)
        case ("contact", "get"): return await contactGet(call)
        case ("contact", "add"), ("contact", "set"), ("contact", "del"): return await contactWrite(call)
        case ("group", "get"): return await groupGet(call)
        case ("group", "add"), ("group", "set"), ("group", "del"): return await groupWrite(call)
        case ("relay", "trig"): return await relayTrig(call)
        case ("relay", "status"): return await relayStatus(call)
        case ("input", "status"): return await inputStatus(call)
        case ("user", "get"): return await userGet(call)
        case ("user", "add"), ("user", "set"): return await userWrite(call)
        case ("user", "del"): return await userDelete(call)
        case ("schedule", "get"): return await scheduleGet(call)
        case ("schedule", "add"), ("schedule", "set"): return await scheduleWrite(call)
        case ("schedule", "del"): return await scheduleDelete(call)
        case ("doorlog", "get"): return await doorlogGet(call)
        default: return .unsupported()
        }
    }
}
