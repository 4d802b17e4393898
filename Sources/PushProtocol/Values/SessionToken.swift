import Foundation

/// The PUSH session token (§4.5): `MD5(registryCode + SN + sessionID)`. Computing it needs a digest, which this pure
/// module does not carry: `SessionToken.compute` is defined by the Digests module (OpenSSL EVP). Reading one from
/// a Cookie header is pure and lives here.
public enum SessionToken {
    /// Reads the token from a Cookie header: `token=<hex>`, `token=<hex>, timestamp=…`, or the bare hex some
    /// firmware sends.
    public static func fromCookie(_ cookie: String) -> String? {
        for part in cookie.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            let trimmed = part.trimmingSpaces
            if trimmed.lowercased().hasPrefix("token=") { return String(trimmed.dropFirst(6)) }
        }
        let trimmed = cookie.trimmingSpaces
        if !trimmed.isEmpty, !trimmed.contains("="), trimmed.utf8.allSatisfy({ hexValue($0) != nil }) { return trimmed }
        return nil
    }
}
