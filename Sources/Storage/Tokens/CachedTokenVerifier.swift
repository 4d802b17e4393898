import Foundation
import Synchronization

/// Remembers tokens that verified, for a second, so a busy API client does not cost a database read per request.
///
/// Only successes are cached, keyed by the SHA-256 of the presented token (the secret itself is never kept), and
/// only for `lifetime`: a token revoked by `gatehouse token revoke` (another process) stops working within that time.
public final class CachedTokenVerifier: Sendable {
    public let store: APITokenStore
    public let lifetime: Duration
    private let verified = Mutex<[Data: (name: String, at: ContinuousClock.Instant)]>([:])
    /// Bounds the cache: a flood of distinct valid tokens cannot grow it without limit.
    private static let capacity = 1024

    public init(store: APITokenStore, lifetime: Duration = .seconds(1)) {
        self.store = store
        self.lifetime = lifetime
    }

    /// The name of the token with this id while it exists, remembered for `lifetime` like a verified token.
    public func name(ofTokenID id: String) throws -> String? {
        try cached(Data(("id:" + id).utf8)) { try store.name(ofTokenID: id) }
    }

    public func verify(_ bearer: String) throws -> String? {
        try cached(Data(APITokenStore.sha256(Array(bearer.utf8)))) { try store.verify(bearer) }
    }

    /// A remembered success for `key`, else the store's answer, remembered when it is one.
    private func cached(_ key: Data, _ lookup: () throws -> String?) throws -> String? {
        let now = ContinuousClock.now
        if let hit = verified.withLock({ $0[key] }), now - hit.at < lifetime { return hit.name }
        guard let name = try lookup() else {
            verified.withLock { _ = $0.removeValue(forKey: key) }
            return nil
        }
        verified.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = (name, now)
        }
        return name
    }
}
