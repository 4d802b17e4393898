import Foundation
import Hummingbird

/// The outbound-action queue as the API sees it; the composition root adapts the Outbound module's outbox.
public protocol ActionQueue: Sendable {
    /// State names the queue knows (`queued`, `dead` …), for validating `?state=`.
    var states: [String] { get }
    /// JSON objects describing entries, newest first.
    func list(state: String?, limit: Int) async throws -> [Data]
    /// Queues a dead or skipped action again; returns its JSON, nil when it does not exist.
    func retry(id: Int64) async throws -> Data?
}

/// A retry refused because of the action's state.
public struct ActionQueueConflict: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

enum ActionRoutes {
    static func add(to group: RouterGroup<AdminRequestContext>, actions: any ActionQueue) {
        group.get("actions") { request, _ -> Response in
            let state = request.uri.queryParameters.get("state").map { String($0) }
            if let state, !actions.states.contains(state) {
                throw APIError(
                    .badRequest, code: "invalid_parameter",
                    message: "state must be one of \(actions.states.joined(separator: ", "))", field: "state")
            }
            let limit = try request.queryInteger("limit", default: 100, range: 1...1000)
            let entries = try await actions.list(state: state, limit: limit)
            var body = Data("{\"actions\":[".utf8)
            body.append(contentsOf: entries.joined(separator: Data(",".utf8)))
            body.append(contentsOf: Data("]}".utf8))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: body)))
        }
        group.post("actions/:id/retry") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else { throw notFound("action") }
            do {
                guard let entry = try await actions.retry(id: id) else { throw notFound("action \(id)") }
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: entry)))
            } catch let conflict as ActionQueueConflict {
                throw APIError(.conflict, code: "not_retryable", message: conflict.description)
            }
        }
    }
}
