import AccessControl
import Foundation
import Hummingbird
import PushProtocol

/// The native REST API over the door engine: users, the site's configuration (timezones, named schedules,
/// holidays, doors with their live state, readers, relays, inputs), credentials presented, door actions, inputs,
/// DTMF, buttons.
enum SiteRoutes {
    static func add(to group: RouterGroup<AdminRequestContext>, site: Site, maxBodyBytes: Int) {
        addUsers(to: group, site: site, maxBodyBytes: maxBodyBytes)
        for resource: any SiteResourceBody.Type in [
            TimezoneBody.self, ScheduleBody.self, HolidayBody.self, DoorBody.self, ReaderBody.self, RelayBody.self,
            InputBody.self,
        ] {
            ResourceRoutes.add(resource, to: group, site: site, maxBodyBytes: maxBodyBytes)
        }
        addActions(to: group, site: site, maxBodyBytes: maxBodyBytes)
    }

    // MARK: Users

    struct UserPage: Encodable {
        var users: [UserResource]
        var nextCursor: String?
        enum CodingKeys: String, CodingKey {
            case users
            case nextCursor = "next_cursor"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(users, forKey: .users)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    static func addUsers(to group: RouterGroup<AdminRequestContext>, site: Site, maxBodyBytes: Int) {
        group.get("users") { request, _ -> Response in
            let limit = try request.queryInteger("limit", default: 100, range: 1...1000)
            // The cursor is opaque to clients: the last PIN of the previous page (keyset paging, so users added or
            // removed between pages do not shift them), base64url-encoded.
            let after = try request.uri.queryParameters.get("cursor").map { text -> UserPIN in
                guard let pin = UserCursor.decode(text) else {
                    throw APIError(.badRequest, code: "invalid_parameter", message: "cursor: not a cursor this API returned", field: "cursor")
                }
                return pin
            }
            let page = await site.users(after: after, limit: limit + 1)
            let more = page.count > limit
            let users = Array(page.prefix(limit))
            let next = more ? users.last.map { UserCursor.encode($0.pin) } : nil
            return try jsonResponse(UserPage(users: users.map(UserResource.init), nextCursor: next))
        }
        group.post("users") { request, _ -> Response in
            let resource = try await JSONBody.decode(UserResource.self, from: request, maxBytes: maxBodyBytes)
            let user = try resource.user()
            guard await site.user(user.pin) == nil else {
                throw APIError(.conflict, code: "exists", message: "user \(user.pin) already exists", field: "pin")
            }
            try await apply { try await site.upsert(user) }
            return try jsonResponse(UserResource(await site.user(user.pin) ?? user), status: .created)
        }
        group.get("users/:pin") { _, context -> Response in
            let pin = UserPIN(try context.parameters.require("pin"))
            guard let user = await site.user(pin) else { throw notFound("user \(pin)") }
            return try jsonResponse(UserResource(user))
        }
        group.put("users/:pin") { request, context -> Response in
            let pin = try context.parameters.require("pin")
            let resource = try await JSONBody.decode(UserResource.self, from: request, maxBytes: maxBodyBytes)
            guard resource.pin == pin else {
                throw APIError(.unprocessableContent, code: "invalid_value", message: "pin in the body must match the path", field: "pin")
            }
            let user = try resource.user()
            let existed = await site.user(user.pin) != nil
            try await apply { try await site.upsert(user) }
            return try jsonResponse(UserResource(await site.user(user.pin) ?? user), status: existed ? .ok : .created)
        }
        group.delete("users/:pin") { _, context -> Response in
            let pin = UserPIN(try context.parameters.require("pin"))
            guard await site.user(pin) != nil else { throw notFound("user \(pin)") }
            try await apply { try await site.deleteUser(pin) }
            return Response(status: .noContent)
        }
    }

    // MARK: Presenting credentials and acting on doors

    struct AccessRequest: Decodable {
        var door: Int?
        var reader: Int?
        var card: CardField?
        var pin: String?
        var apartment: String?
        var plate: String?
        var qr: String?
        var identity: String?
        var identityKind: String?

        enum CodingKeys: String, CodingKey {
            case door, reader, card, pin, apartment, plate, qr, identity
            case identityKind = "identity_kind"
        }
    }

    /// A card as a decimal string or `{"bits": n, "hex": "…"}`.
    enum CardField: Decodable {
        case decimal(String)
        case bits(Int, hex: String)

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self = .decimal(text)
                return
            }
            struct Bits: Decodable {
                var bits: Int
                var hex: String
            }
            let bits = try Bits(from: decoder)
            self = .bits(bits.bits, hex: bits.hex)
        }
    }

    struct DecisionResource: Encodable {
        var granted: Bool
        var event: Int
        var eventName: String
        var reason: String
        var user: String?
        var door: Int?
        var journalIndex: UInt64
        var detail: String?

        enum CodingKeys: String, CodingKey {
            case granted, event, reason, user, door, detail
            case eventName = "event_name"
            case journalIndex = "journal_index"
        }

        init(_ decision: Decision) {
            granted = decision.isGranted
            event = decision.event.rawValue
            eventName = decision.event.name
            reason = decision.denyReason?.rawValue ?? "granted"
            user = decision.user?.rawValue
            door = decision.door?.rawValue
            journalIndex = decision.journalIndex
            detail = decision.detail
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(granted, forKey: .granted)
            try container.encode(event, forKey: .event)
            try container.encode(eventName, forKey: .eventName)
            try container.encode(reason, forKey: .reason)
            try container.encode(user, forKey: .user)
            try container.encode(door, forKey: .door)
            try container.encode(journalIndex, forKey: .journalIndex)
            try container.encode(detail, forKey: .detail)
        }
    }

    struct OpenRequest: Decodable { var seconds: Int? }
    struct InputRequest: Decodable { var active: Bool }
    struct DTMFRequest: Decodable {
        var caller: String
        var digits: String
        var call: String?
    }

    static func addActions(to group: RouterGroup<AdminRequestContext>, site: Site, maxBodyBytes: Int) {
        group.post("access") { request, _ -> Response in
            decisionResponse(try await SiteEntryPoints.access(try await JSONBody.data(of: request, maxBytes: maxBodyBytes), site: site))
        }
        group.post("doors/:id/open") { request, context -> Response in
            let id = try doorID(context)
            let body = try await JSONBody.decodeIfPresent(OpenRequest.self, from: request, maxBytes: maxBodyBytes)
            let decision = try await model { try await site.open(door: id, seconds: body?.seconds, by: .api()) }
            return try await durable(site, decision)
        }
        group.post("doors/:id/close") { _, context -> Response in
            let id = try doorID(context)
            return try await durable(site, try await model { try await site.close(door: id, by: .api()) })
        }
        group.post("doors/:id/normal-open") { _, context -> Response in
            let id = try doorID(context)
            return try await durable(site, try await model { try await site.setNormalOpen(door: id, by: .api()) })
        }
        group.post("doors/:id/clear-alarm") { _, context -> Response in
            let id = try doorID(context)
            return try await durable(site, try await model { try await site.clearAlarm(door: id, by: .api()) })
        }
        group.post("doors/:id/lock") { _, context -> Response in
            let id = try doorID(context)
            try await apply { try await site.setLocked(true, door: id) }
            return try await doorResponse(site, id)
        }
        group.post("doors/:id/unlock") { _, context -> Response in
            let id = try doorID(context)
            try await apply { try await site.setLocked(false, door: id) }
            return try await doorResponse(site, id)
        }
        group.post("inputs/:id") { request, context -> Response in
            guard let raw = context.parameters.get("id", as: Int.self) else { throw notFound("input") }
            let body = try await JSONBody.data(of: request, maxBytes: maxBodyBytes)
            let active = try await SiteEntryPoints.input(raw, body, site: site)
            return try jsonResponse(["input": raw, "active": active ? 1 : 0])
        }
        group.post("dtmf") { request, _ -> Response in
            decisionResponse(try await SiteEntryPoints.dtmf(try await JSONBody.data(of: request, maxBytes: maxBodyBytes), site: site))
        }
        group.post("buttons/:id/press") { _, context -> Response in
            decisionResponse(try await SiteEntryPoints.press(button: try context.parameters.require("id"), site: site))
        }
    }

    static func credential(from body: AccessRequest) throws(APIError) -> Credential {
        var given: [Credential] = []
        do {
            if let card = body.card {
                let number: CardNumber
                switch card {
                case .decimal(let text): number = try CardNumber(decimal: text)
                case .bits(_, let hex): number = try CardNumber(hex: hex)
                }
                var bitLength = 0
                if case .bits(let bits, _) = card { bitLength = bits }
                if let pin = body.pin {
                    given.append(.cardAndPIN(number, pin: pin))
                } else {
                    given.append(.card(number, bitLength: bitLength))
                }
            } else if let pin = body.pin {
                given.append(body.apartment.map { .apartmentPIN(apartment: $0, pin: pin) } ?? .pin(pin))
            }
        } catch {
            throw unprocessable("\(error)", field: "card")
        }
        if let plate = body.plate { given.append(.plate(plate)) }
        if let qr = body.qr { given.append(.qrCode(qr)) }
        if let identity = body.identity {
            let kind = ExternalIdentity.Kind(rawValue: body.identityKind ?? "face")
            guard let kind else { throw unprocessable("identity_kind must be face or ble", field: "identity_kind") }
            given.append(.identity(ExternalIdentity(kind, id: identity)))
        }
        guard given.count == 1, let credential = given.first else {
            throw unprocessable(
                given.isEmpty ? "present one of card, pin, plate, qr or identity" : "present only one credential at a time",
                field: "card")
        }
        return credential
    }

    static func doorResponse(_ site: Site, _ id: DoorID) async throws -> Response {
        guard let door = await site.doorResource(id) else { throw notFound("door \(id)") }
        return try jsonResponse(door)
    }

    static func doorID(_ context: AdminRequestContext) throws -> DoorID {
        guard let raw = context.parameters.get("id", as: Int.self), raw > 0 else { throw notFound("door") }
        return DoorID(raw)
    }
}

/// Durable before acknowledged: the decision's journal entry is in SQLite before the client hears of it.
func durable(_ site: Site, _ decision: Decision) async throws -> Response {
    try await site.flush()
    return decisionResponse(decision)
}

/// A decision as JSON, written directly: it is the answer on the busiest route, and `JSONEncoder` was a tenth of
/// that route's CPU. Same keys, order and escaping as `jsonResponse` (a test holds them equal).
func decisionResponse(_ decision: Decision) -> Response {
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: decisionJSON(decision)))
}

func decisionJSON(_ decision: Decision) -> ByteBuffer {
    let resource = SiteRoutes.DecisionResource(decision)
    var json = JSONWriter()
    json.object { json in
        if let detail = resource.detail { json.field("detail", detail) } else { json.fieldNull("detail") }
        if let door = resource.door { json.field("door", door) } else { json.fieldNull("door") }
        json.field("event", resource.event)
        json.field("event_name", resource.eventName)
        json.field("granted", resource.granted)
        json.field("journal_index", resource.journalIndex)
        json.field("reason", resource.reason)
        if let user = resource.user { json.field("user", user) } else { json.fieldNull("user") }
    }
    return json.buffer
}

func notFound(_ what: String) -> APIError {
    APIError(.notFound, code: "not_found", message: "\(what) does not exist")
}

/// Runs a model change, turning rule violations into 404/409/422 responses naming the field.
func apply(_ change: () async throws -> Void) async throws {
    _ = try await model { try await change() }
}

@discardableResult
func model<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ModelError {
        switch error.rule {
        case .notFound: throw APIError(.notFound, code: "not_found", message: error.description, field: error.field)
        case .duplicate: throw APIError(.conflict, code: "duplicate", message: error.description, field: error.field)
        default: throw APIError(.unprocessableContent, code: "invalid_value", message: error.description, field: error.field)
        }
    }
}

/// The users list's cursor: a PIN in base64url, so it passes through a query string untouched.
enum UserCursor {
    static func encode(_ pin: UserPIN) -> String {
        Data(pin.rawValue.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> UserPIN? {
        guard !text.isEmpty, text.count <= 128 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let pin = String(data: data, encoding: .utf8), !pin.isEmpty else {
            return nil
        }
        return UserPIN(pin)
    }
}
