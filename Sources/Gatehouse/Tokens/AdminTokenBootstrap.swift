import Foundation
import Storage

/// First start: a random admin token written to `<data>/admin.token` (0600),
/// so no deployment ever runs with a default password.
enum AdminTokenBootstrap {
    static let fileName = "admin.token"

    /// Creates the admin token when the store has none; returns the file path when it wrote one.
    static func ensureAdminToken(store: APITokenStore, dataDirectory: String) throws -> String? {
        guard try store.names().isEmpty else { return nil }
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName).path
        let token = try store.create(name: "admin")
        // O_EXCL with mode 0600 from the start: the secret is never world-readable, not even briefly.
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            _ = try? store.revoke(name: "admin")
            throw HostError.dataDirectory(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array((token.secret + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            _ = try? store.revoke(name: "admin")
            throw HostError.dataDirectory(path: path, reason: "short write")
        }
        fchmod(descriptor, 0o600)
        return path
    }
}
