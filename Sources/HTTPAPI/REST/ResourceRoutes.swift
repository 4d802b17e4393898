import AccessControl
import Foundation
import HTTPTypes
import Hummingbird

/// A site object the REST API lists, creates, reads, replaces and deletes (timezones, named schedules, holidays,
/// doors, readers, relays, inputs): the request body is the conforming type, `Resource` what the API answers.
///
/// Every change goes through a `Site` method, which validates the whole configuration and stores it in one
/// transaction through the site's state store before it goes live; the reply is sent after that returns, so an
/// acknowledged change is durable.
protocol SiteResourceBody: Decodable, Sendable {
    associatedtype Key: Hashable, Sendable, CustomStringConvertible
    associatedtype Resource: Encodable, Sendable

    /// The path segment and the list's JSON key ("relays").
    static var collection: String { get }
    /// One object in messages ("relay").
    static var noun: String { get }
    /// The body field holding the key ("id", "date").
    static var keyField: String { get }
    /// The door model's wording of a field (after "<noun> <key> ") → the JSON field it comes from.
    static var fieldNames: [String: String] { get }

    static func key(fromPath text: String) -> Key?
    /// The key the body names; nil when it names none (POST then fails, PUT takes the path's).
    func key() throws(APIError) -> Key?
    /// How the door model names this object in `ModelError.field` ("relay 3"); the first is the usual one.
    static func modelNames(of key: Key) -> [String]
    /// Every object, in a stable order: by key (schedules list the built-ins 1001 and 1002 first).
    static func resources(of site: Site) async -> [Resource]
    static func resource(_ key: Key, of site: Site) async -> Resource?
    /// Whether the key is taken (for a schedule: by any timezone, even one with no schedule form).
    static func exists(_ key: Key, in site: Site) async -> Bool
    /// Why this object cannot be created, replaced or deleted (the built-in schedules); nil when it can.
    static func readOnlyReason(_ key: Key) -> String?
    /// Validates the body as the object `key` and stores it through the site.
    func store(as key: Key, in site: Site) async throws
    /// Deletes through the site; throws an `APIError` 409 when something else still needs the object.
    static func delete(_ key: Key, from site: Site) async throws
}

extension SiteResourceBody {
    static var keyField: String { "id" }
    static func exists(_ key: Key, in site: Site) async -> Bool { await resource(key, of: site) != nil }
    static func readOnlyReason(_ key: Key) -> String? { nil }
    static func modelNames(of key: Key) -> [String] { ["\(noun) \(key)"] }

    /// A numeric path or body identifier in 1...`maximum`.
    static func identifier(_ text: String, maximum: Int = Int(Int32.max)) -> Int? {
        guard let value = Int(text), (1...maximum).contains(value) else { return nil }
        return value
    }

    static func checkedIdentifier(_ value: Int?, maximum: Int = Int(Int32.max)) throws(APIError) -> Int? {
        guard let value else { return nil }
        guard (1...maximum).contains(value) else {
            throw unprocessable("\(keyField) must be between 1 and \(maximum)", field: keyField)
        }
        return value
    }

    /// A model error raised while storing or deleting this object, as the API's error: the JSON field it names
    /// when it is one of this object's fields, 409 for duplicates and for objects still referenced on delete.
    static func apiError(_ error: ModelError, key: Key, deleting: Bool) -> APIError {
        let field = jsonField(error.field, key: key)
        switch error.rule {
        case .notFound:
            return APIError(.notFound, code: "not_found", message: error.description, field: field)
        case .duplicate:
            return APIError(.conflict, code: "duplicate", message: error.description, field: field)
        case .unknownReference where deleting:
            // Validation after the delete found another object pointing at this one.
            return APIError(
                .conflict, code: "in_use", message: "\(noun) \(key) is still referenced by \(error.field); change or delete that first")
        default:
            return APIError(.unprocessableContent, code: "invalid_value", message: error.description, field: field)
        }
    }

    static func jsonField(_ modelField: String, key: Key) -> String? {
        for name in modelNames(of: key) {
            if modelField == name { return keyField }
            if modelField.hasPrefix(name + " ") {
                let rest = String(modelField.dropFirst(name.count + 1))
                if let field = fieldNames[rest] { return field }
            }
        }
        return nil
    }

    /// Runs a site change, turning model-rule violations into API errors.
    static func changing(_ key: Key, deleting: Bool = false, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ModelError {
            throw apiError(error, key: key, deleting: deleting)
        }
    }
}

/// One page of a collection: `{"<collection>": […], "next_cursor": "…" | null}`.
struct ResourcePage<Item: Encodable>: Encodable {
    var key: String
    var items: [Item]
    var nextCursor: String?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(key))
        try container.encode(nextCursor, forKey: Key("next_cursor"))
    }

    /// The page of `all` that `limit` and `cursor` (an offset, opaque to clients) select.
    static func select(_ all: [Item], key: String, from request: Request) throws -> ResourcePage {
        let limit = try request.queryInteger("limit", default: 100, range: 1...1000)
        let offset = try request.queryInteger("cursor", default: 0, range: 0...Int(Int32.max))
        let page = offset < all.count ? Array(all[offset..<min(all.count, offset + limit)]) : []
        let more = offset + limit < all.count
        return ResourcePage(key: key, items: page, nextCursor: more ? String(offset + limit) : nil)
    }
}

enum ResourceRoutes {
    /// `GET /<collection>`, `POST /<collection>`, `GET/PUT/DELETE /<collection>/{key}`.
    static func add<Body: SiteResourceBody>(
        _ type: Body.Type, to group: RouterGroup<AdminRequestContext>, site: Site, maxBodyBytes: Int
    ) {
        let collection = Body.collection
        group.get(RouterPath(stringLiteral: collection)) { request, _ -> Response in
            let all = await Body.resources(of: site)
            return try jsonResponse(try ResourcePage.select(all, key: collection, from: request))
        }
        group.post(RouterPath(stringLiteral: collection)) { request, _ -> Response in
            let body = try await JSONBody.decode(Body.self, from: request, maxBytes: maxBodyBytes)
            guard let key = try body.key() else {
                throw unprocessable("missing required field '\(Body.keyField)'", field: Body.keyField)
            }
            if let reason = Body.readOnlyReason(key) {
                throw APIError(.conflict, code: "built_in", message: reason, field: Body.keyField)
            }
            let taken = await Body.exists(key, in: site)
            guard !taken else {
                throw APIError(
                    .conflict, code: "exists", message: "\(Body.noun) \(key) already exists", field: Body.keyField)
            }
            try await Body.changing(key) { try await body.store(as: key, in: site) }
            return try await stored(Body.self, key, site: site, status: .created)
        }
        group.get(RouterPath(stringLiteral: "\(collection)/:id")) { _, context -> Response in
            let key = try pathKey(Body.self, context)
            guard let resource = await Body.resource(key, of: site) else { throw notFound("\(Body.noun) \(key)") }
            return try jsonResponse(resource)
        }
        group.put(RouterPath(stringLiteral: "\(collection)/:id")) { request, context -> Response in
            let key = try pathKey(Body.self, context)
            let body = try await JSONBody.data(of: request, maxBytes: maxBodyBytes)
            let existed = try await put(Body.self, key: key, body, site: site)
            return try await stored(Body.self, key, site: site, status: existed ? .ok : .created)
        }
        group.delete(RouterPath(stringLiteral: "\(collection)/:id")) { _, context -> Response in
            let key = try pathKey(Body.self, context)
            if let reason = Body.readOnlyReason(key) {
                throw APIError(.conflict, code: "built_in", message: reason, field: Body.keyField)
            }
            guard await Body.resource(key, of: site) != nil else { throw notFound("\(Body.noun) \(key)") }
            try await Body.changing(key, deleting: true) { try await Body.delete(key, from: site) }
            return Response(status: .noContent)
        }
    }

    /// `PUT /<collection>/{key}` once the path is read: validates and stores; returns whether it existed before.
    @discardableResult
    static func put<Body: SiteResourceBody>(_ type: Body.Type, key: Body.Key, _ data: Data, site: Site) async throws -> Bool {
        let body = try JSONBody.decode(Body.self, data: data)
        if let named = try body.key(), named != key {
            throw unprocessable("\(Body.keyField) in the body must match the path", field: Body.keyField)
        }
        if let reason = Body.readOnlyReason(key) {
            throw APIError(.conflict, code: "built_in", message: reason, field: Body.keyField)
        }
        let existed = await Body.exists(key, in: site)
        try await Body.changing(key) { try await body.store(as: key, in: site) }
        return existed
    }

    /// As the route: the key from its path text.
    static func put<Body: SiteResourceBody>(_ type: Body.Type, id: String, _ data: Data, site: Site) async throws {
        guard let key = Body.key(fromPath: id) else { throw notFound("\(Body.noun) \(id)") }
        try await put(type, key: key, data, site: site)
    }

    static func pathKey<Body: SiteResourceBody>(_ type: Body.Type, _ context: AdminRequestContext) throws -> Body.Key {
        let text = try context.parameters.require("id")
        guard let key = Body.key(fromPath: text) else { throw notFound("\(Body.noun) \(text)") }
        return key
    }

    static func stored<Body: SiteResourceBody>(
        _ type: Body.Type, _ key: Body.Key, site: Site, status: HTTPResponse.Status
    ) async throws -> Response {
        guard let resource = await Body.resource(key, of: site) else {
            // The site accepted the change but cannot show it back: a bug here, not the client's.
            throw APIError(.internalServerError, code: "internal", message: "\(Body.noun) \(key) was stored but cannot be read back")
        }
        return try jsonResponse(resource, status: status)
    }
}
