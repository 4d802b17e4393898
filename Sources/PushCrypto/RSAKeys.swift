import COpenSSL
import Foundation

/// An OpenSSL `EVP_PKEY`, freed with its owner.
///
/// `@unchecked Sendable` is safe: the key is never mutated after creation, and OpenSSL 3 allows concurrent
/// read-only use of one `EVP_PKEY` (each encrypt/decrypt below makes its own `EVP_PKEY_CTX`).
final class OpenSSLKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }
}

/// An RSA public key (P1 or P2 of Appendix 16).
public struct RSAPublicKey: Sendable {
    let key: OpenSSLKey
    /// DER SubjectPublicKeyInfo.
    public let derBytes: [UInt8]

    /// The smallest modulus accepted from the other side.
    public static let minimumBits = 2048

    /// Reads a DER SubjectPublicKeyInfo; refuses non-RSA keys and moduli under 2048 bits.
    public init(derBytes: [UInt8]) throws(PushCryptoError) {
        guard !derBytes.isEmpty, derBytes.count < 1 << 16 else {
            throw .invalidPublicKey("\(derBytes.count) bytes of DER is not an RSA public key")
        }
        let parsed: OpaquePointer? = derBytes.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw .invalidPublicKey("not a DER SubjectPublicKeyInfo (\(openSSLReason()))") }
        let key = OpenSSLKey(parsed)
        guard EVP_PKEY_get_base_id(parsed) == EVP_PKEY_RSA else { throw .invalidPublicKey("not an RSA key") }
        let bits = Int(EVP_PKEY_get_bits(parsed))
        guard bits >= Self.minimumBits else { throw .invalidPublicKey("RSA modulus of \(bits) bits is below \(Self.minimumBits)") }
        self.key = key
        self.derBytes = derBytes
    }

    /// Reads the `PublicKey=` value: base64 of the DER, line breaks and spaces ignored.
    public init(wireText: String) throws(PushCryptoError) {
        guard let data = Data(base64Encoded: wireText.filter { !$0.isWhitespace }) else {
            throw .invalidPublicKey("the value is not base64")
        }
        try self.init(derBytes: Array(data))
    }

    /// The `PublicKey=` value.
    public var wireText: String { Data(derBytes).base64EncodedString() }

    public var bits: Int { Int(EVP_PKEY_get_bits(key.pointer)) }

    /// RSA-OAEP with SHA-256 and MGF1-SHA-256.
    public func encrypt(_ plaintext: [UInt8]) throws(PushCryptoError) -> [UInt8] {
        try RSAOperation.run(key: key, encrypting: true, input: plaintext)
    }
}

/// An RSA-2048 key pair made for one connection (Appendix 16 (a): initialised when the device and server reconnect).
public struct RSAKeyPair: Sendable {
    let key: OpenSSLKey
    public let publicKey: RSAPublicKey

    /// Generates a fresh key pair (e = 65537).
    public static func generate(bits: Int = 2048) throws(PushCryptoError) -> RSAKeyPair {
        guard bits >= RSAPublicKey.minimumBits, bits <= 8192 else {
            throw .invalidLength(what: "RSA modulus", expected: "2048…8192 bits", actual: bits)
        }
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil) else {
            throw .openSSL(operation: "EVP_PKEY_CTX_new_id(RSA)", reason: openSSLReason())
        }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1,
            EVP_PKEY_keygen(context, &generated) == 1, let generated
        else { throw .openSSL(operation: "RSA key generation", reason: openSSLReason()) }
        let key = OpenSSLKey(generated)
        let length = i2d_PUBKEY(generated, nil)
        guard length > 0 else { throw .openSSL(operation: "i2d_PUBKEY", reason: openSSLReason()) }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(generated, &cursor)
        }
        guard written == length else { throw .openSSL(operation: "i2d_PUBKEY", reason: openSSLReason()) }
        return RSAKeyPair(key: key, publicKey: try RSAPublicKey(derBytes: der))
    }

    /// RSA-OAEP (SHA-256, MGF1-SHA-256) decryption with the private key.
    public func decrypt(_ ciphertext: [UInt8]) throws(PushCryptoError) -> [UInt8] {
        try RSAOperation.run(key: key, encrypting: false, input: ciphertext)
    }
}

enum RSAOperation {
    static func run(key: OpenSSLKey, encrypting: Bool, input: [UInt8]) throws(PushCryptoError) -> [UInt8] {
        let name = encrypting ? "RSA-OAEP encrypt" : "RSA-OAEP decrypt"
        guard let context = EVP_PKEY_CTX_new(key.pointer, nil) else {
            throw .openSSL(operation: name, reason: openSSLReason())
        }
        defer { EVP_PKEY_CTX_free(context) }
        let initialised = encrypting ? EVP_PKEY_encrypt_init(context) : EVP_PKEY_decrypt_init(context)
        guard initialised == 1, EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) == 1,
            EVP_PKEY_CTX_set_rsa_oaep_md(context, EVP_sha256()) == 1,
            EVP_PKEY_CTX_set_rsa_mgf1_md(context, EVP_sha256()) == 1
        else { throw .openSSL(operation: name, reason: openSSLReason()) }
        var length = 0
        let sized = encrypting
            ? EVP_PKEY_encrypt(context, nil, &length, input, input.count)
            : EVP_PKEY_decrypt(context, nil, &length, input, input.count)
        guard sized == 1, length > 0 else { throw .openSSL(operation: name, reason: openSSLReason()) }
        var output = [UInt8](repeating: 0, count: length)
        let status = encrypting
            ? EVP_PKEY_encrypt(context, &output, &length, input, input.count)
            : EVP_PKEY_decrypt(context, &output, &length, input, input.count)
        guard status == 1 else {
            if encrypting { throw .openSSL(operation: name, reason: openSSLReason()) }
            _ = openSSLReason()
            throw .invalidFactor("it does not decrypt under this side's private key (RSA-OAEP SHA-256)")
        }
        return Array(output.prefix(length))
    }
}
