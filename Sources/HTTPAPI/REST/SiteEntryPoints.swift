import AccessControl
import Foundation
import PushProtocol

/// The door engine's entry points exactly as the REST API offers them: the same JSON bodies, decoding, validation
/// and site calls. The REST routes call these; so do the other front ends that feed the engine from outside
/// (`gatehouse test`'s `sim.*`, and later MQTT), so an event that works through one works through all of them.
/// Errors are the API's own (`APIError`, with the field they name).
public enum SiteEntryPoints {
    /// `POST /api/v1/access`: presents a credential at a reader (or a door's entry reader); returns once the
    /// decision's journal entry is stored.
    public static func access(_ body: Data, site: Site) async throws -> Decision {
        let request = try JSONBody.decode(SiteRoutes.AccessRequest.self, data: body)
        let credential = try SiteRoutes.credential(from: request)
        return try await site.presentDurably(credential, reader: request.reader, door: request.door)
    }

    /// `POST /api/v1/dtmf`: DTMF digits during a call, with the caller's identity.
    public static func dtmf(_ body: Data, site: Site) async throws -> Decision {
        let request = try JSONBody.decode(SiteRoutes.DTMFRequest.self, data: body)
        guard !request.digits.isEmpty, request.digits.allSatisfy({ "0123456789*#".contains($0) }) else {
            throw unprocessable("digits must be 0-9, * or #", field: "digits")
        }
        let decision = await site.dtmf(call: request.call ?? "api", caller: request.caller, digits: request.digits)
        try await site.flush()
        return decision
    }

    /// `POST /api/v1/buttons/{button}/press`: a door number for its exit button, or `reception`.
    public static func press(button name: String, site: Site) async throws -> Decision {
        let button: Button
        if name == "reception" {
            button = .reception
        } else if let door = Int(name), door > 0 {
            button = .exit(DoorID(door))
        } else {
            throw notFound("button \(name) (use a door number for its exit button, or 'reception')")
        }
        let decision = try await model { try await site.press(button: button) }
        try await site.flush()
        return decision
    }

    /// `POST /api/v1/inputs/{id}` with `{"active": bool}`: feeds an input as triggered or not, whatever its level.
    public static func input(_ id: Int, _ body: Data, site: Site) async throws -> Bool {
        let request = try JSONBody.decode(SiteRoutes.InputRequest.self, data: body)
        try await model { try await site.setInput(InputID(id), active: request.active) }
        return request.active
    }

    /// `PUT /api/v1/users/{pin}`: creates or replaces a user.
    public static func putUser(_ body: Data, site: Site) async throws {
        let resource = try JSONBody.decode(UserResource.self, data: body)
        let user = try resource.user()
        try await apply { try await site.upsert(user) }
    }

    /// The collections `put(_:id:_:site:)` takes, as the REST paths name them.
    public static let collections = ["timezones", "schedules", "holidays", "doors", "readers", "relays", "inputs"]

    /// `PUT /api/v1/{collection}/{id}`: creates or replaces a timezone, schedule, holiday, door, reader, relay or input.
    public static func put(_ collection: String, id: String, _ body: Data, site: Site) async throws {
        let types: [any SiteResourceBody.Type] = [
            TimezoneBody.self, ScheduleBody.self, HolidayBody.self, DoorBody.self, ReaderBody.self, RelayBody.self,
            InputBody.self,
        ]
        guard let type = types.first(where: { $0.collection == collection }) else {
            throw unprocessable("unknown collection '\(collection)' (known: \(collections.joined(separator: ", ")))", field: nil)
        }
        try await ResourceRoutes.put(type, id: id, body, site: site)
    }

    /// `GET /api/v1/{collection}/{id}`: a door, reader, relay, input, timezone, schedule or holiday as JSON.
    public static func resource(_ collection: String, id: String, site: Site) async throws -> Data {
        let types: [any SiteResourceBody.Type] = [
            TimezoneBody.self, ScheduleBody.self, HolidayBody.self, DoorBody.self, ReaderBody.self, RelayBody.self,
            InputBody.self,
        ]
        guard let type = types.first(where: { $0.collection == collection }) else {
            throw unprocessable("unknown collection '\(collection)' (known: \(collections.joined(separator: ", ")))", field: nil)
        }
        return try await encoded(type, id: id, site: site)
    }

    private static func encoded<Body: SiteResourceBody>(_ type: Body.Type, id: String, site: Site) async throws -> Data {
        guard let key = Body.key(fromPath: id), let resource = await Body.resource(key, of: site) else {
            throw notFound("\(Body.noun) \(id)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(resource)
    }

    /// The decision as the REST API answers it.
    public static func json(_ decision: Decision) -> Data { Data(buffer: decisionJSON(decision)) }
}
