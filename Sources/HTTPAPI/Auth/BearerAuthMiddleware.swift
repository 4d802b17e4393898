import Foundation
import Hummingbird
import Storage

/// Checks a bearer token; `APITokenStore` is the real implementation.
public protocol BearerTokenVerifier: Sendable {
    /// The token's name when valid.
    func verify(_ bearer: String) throws -> String?
}

extension APITokenStore: BearerTokenVerifier {}

/// Admits a request only with `Authorization: Bearer <token>` naming a valid token.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let verifier: any BearerTokenVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Self.unauthorized("missing Authorization: Bearer <token> header")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix.lowercased() else {
            throw Self.unauthorized("the Authorization header must use the Bearer scheme")
        }
        let token = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        let name: String?
        do {
            name = try verifier.verify(token)
        } catch {
            throw APIError(.serviceUnavailable, code: "store_unavailable", message: "the token store cannot be read")
        }
        guard name != nil else { throw Self.unauthorized("invalid token") }
        return try await next(request, context)
    }

    static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, code: "unauthorized", message: message)
        error.headers[.wwwAuthenticate] = "Bearer realm=\"gatehouse\""
        return error
    }
}
