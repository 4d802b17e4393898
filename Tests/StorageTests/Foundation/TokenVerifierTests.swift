import Foundation
import Storage
import Testing

@Suite("Bearer tokens")
struct TokenVerifierTests {
    func store() throws -> APITokenStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return APITokenStore(database: try GatehouseDatabase(directory: directory.path))
    }

    @Test("a valid token verifies to its name; a wrong secret or a malformed token does not")
    func verifies() throws {
        let tokens = try store()
        let secret = try tokens.create(name: "ops").secret
        let verifier = CachedTokenVerifier(store: tokens)
        #expect(try verifier.verify(secret) == "ops")
        #expect(try verifier.verify(secret) == "ops", "from the cache")
        #expect(try verifier.verify(String(secret.dropLast()) + (secret.hasSuffix("0") ? "1" : "0")) == nil)
        #expect(try verifier.verify("gh_nothing") == nil)
    }

    @Test("a revoked token stops working once its cache entry is older than the lifetime")
    func revocation() throws {
        let tokens = try store()
        let secret = try tokens.create(name: "script").secret
        let remembering = CachedTokenVerifier(store: tokens, lifetime: .seconds(3600))
        let fresh = CachedTokenVerifier(store: tokens, lifetime: .zero)
        #expect(try remembering.verify(secret) == "script")
        #expect(try fresh.verify(secret) == "script")
        #expect(try tokens.revoke(name: "script"))
        #expect(try fresh.verify(secret) == nil, "no cache: revocation is immediate")
        #expect(try remembering.verify(secret) == "script", "within the lifetime the cached success stands (documented)")
    }
}
