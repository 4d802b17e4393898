import Foundation
import Hummingbird
import NIOCore
import Storage

/// Checks a bearer token; `APITokenStore` is the real implementation.
public protocol BearerTokenVerifier: Sendable {
    /// The token's name when valid.
    func verify(_ bearer: String) throws -> String?
}

extension APITokenStore: BearerTokenVerifier {}
extension CachedTokenVerifier: BearerTokenVerifier {}

/// Admits a request only with `Authorization: Bearer <token>` naming a valid token.
/// Too many failures from one client address within a minute get 429 without the token being checked.
struct BearerAuthMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let verifier: any BearerTokenVerifier
    let limiter: FailedAuthLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        if let seconds = limiter.retryAfter(client) {
            var error = APIError(.tooManyRequests, code: "too_many_failures", message: "too many failed authentications; retry in \(seconds) s")
            error.headers[.retryAfter] = String(seconds)
            throw error
        }
        do {
            return try await authenticate(request, context: context, next: next)
        } catch let error as APIError where error.status == .unauthorized {
            limiter.recordFailure(client)
            throw error
        }
    }

    func authenticate(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Self.unauthorized("missing Authorization: Bearer <token> header")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix.lowercased() else {
            throw Self.unauthorized("the Authorization header must use the Bearer scheme")
        }
        // Spaces and tabs around the token are allowed; trimmed by hand, as Foundation's trimming costs more than the
        // whole token check on this per-request path.
        var token = Substring(header.dropFirst(prefix.count))
        while let first = token.first, first == " " || first == "\t" { token.removeFirst() }
        while let last = token.last, last == " " || last == "\t" { token.removeLast() }
        let name: String?
        do {
            name = try verifier.verify(String(token))
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
