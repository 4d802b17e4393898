import Foundation
import HTTPTypes
import Hummingbird

/// The API's error body: `{"error": code, "message": text, "field": name?}`.
public struct APIError: Error, Sendable, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// The token store could not be read: the client may retry; nothing was decided.
    static let storeUnavailable = APIError(
        .serviceUnavailable, code: "store_unavailable", message: "the token store cannot be read")

    struct Body: Encodable {
        var error: String
        var message: String
        var field: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = (try? JSONEncoder().encode(Body(error: code, message: message, field: field))) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns Hummingbird's own errors (unknown route, body too large) into the
/// API's error shape, so clients parse one format.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code =
                switch error.status {
                case .notFound: "not_found"
                case .contentTooLarge: "body_too_large"
                case .methodNotAllowed: "method_not_allowed"
                default: error.status.code < 500 ? "bad_request" : "internal"
                }
            throw APIError(error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        }
    }
}

/// JSON response helper with a stable key order (diffable output).
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    let data = try encoder.encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
