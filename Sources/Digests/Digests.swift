import COpenSSL
import PushProtocol

/// The host's one digest helper, on OpenSSL's EVP interface: SHA-256 (API token hashes, site bundle versions, the
/// PUSH session key's salt) and MD5 (HTTP Digest, the PUSH session token, firmware package checks). The pure core
/// (PushProtocol) names what it needs (``SessionToken``) and gets it from here, so it stays free of C imports.
public enum Digest {
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] { evp(Array(bytes), EVP_sha256(), 32) }

    public static func md5(_ bytes: some Collection<UInt8>) -> [UInt8] { evp(Array(bytes), EVP_md5(), 16) }

    /// Lower-case hex of the MD5 of the text's UTF-8 bytes (RFC 2617's `H()`).
    public static func md5Hex(_ text: String) -> String { Hex.encode(md5(Array(text.utf8))) }

    public static func sha256Hex(_ bytes: some Collection<UInt8>) -> String { Hex.encode(sha256(bytes)) }

    private static func evp(_ input: [UInt8], _ algorithm: OpaquePointer?, _ size: Int) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = input.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &digest, &length, algorithm, nil) }
        // EVP_Digest fails only when OpenSSL cannot allocate its context: nothing sensible can continue then.
        precondition(status == 1 && Int(length) == size, "OpenSSL EVP_Digest failed")
        return Array(digest.prefix(size))
    }
}

/// Hex text of bytes, the one encoder of the outer ring.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension SessionToken {
    /// The PUSH session token (§4.5): MD5 of registry code, serial number and session id, lower-case hex.
    public static func compute(registryCode: String, serialNumber: String, sessionID: String) -> String {
        Digest.md5Hex(registryCode + serialNumber + sessionID)
    }
}
