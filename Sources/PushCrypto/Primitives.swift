import COpenSSL

/// The last OpenSSL error on this thread as text (and clears the queue, so a later failure reports its own).
func openSSLReason() -> String {
    var last: UInt = 0
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        last = code
    }
    guard last != 0 else { return "no detail from OpenSSL" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(last, &buffer, buffer.count)
    return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Cryptographically secure random bytes (OpenSSL's DRBG).
public enum SecureRandom {
    public static func bytes(_ count: Int) throws(PushCryptoError) -> [UInt8] {
        guard count >= 0, count <= Int(Int32.max) else {
            throw .invalidLength(what: "random output", expected: "0…\(Int32.max)", actual: count)
        }
        var output = [UInt8](repeating: 0, count: count)
        guard count == 0 || RAND_bytes(&output, Int32(count)) == 1 else {
            throw .openSSL(operation: "RAND_bytes", reason: openSSLReason())
        }
        return output
    }
}

/// HKDF with SHA-256 (RFC 5869): extract-then-expand.
public enum HKDF {
    /// Derives `length` bytes (at most 255 × 32). An empty salt means the RFC's default (zeros of hash length).
    public static func sha256(
        inputKeyMaterial: [UInt8], salt: [UInt8] = [], info: [UInt8] = [], length: Int
    ) throws(PushCryptoError) -> [UInt8] {
        guard length > 0, length <= 255 * 32 else {
            throw .invalidLength(what: "HKDF output", expected: "1…\(255 * 32)", actual: length)
        }
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nil) else {
            throw .openSSL(operation: "EVP_PKEY_CTX_new_id(HKDF)", reason: openSSLReason())
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_CTX_set_hkdf_md(context, EVP_sha256()) == 1 else {
            throw .openSSL(operation: "HKDF init", reason: openSSLReason())
        }
        if !salt.isEmpty {
            guard EVP_PKEY_CTX_set1_hkdf_salt(context, salt, Int32(salt.count)) == 1 else {
                throw .openSSL(operation: "HKDF salt", reason: openSSLReason())
            }
        }
        // OpenSSL refuses an empty key; RFC 5869 allows it, so it is passed as one call with a zero length only
        // when non-empty (every caller here passes 64 bytes of factors).
        guard !inputKeyMaterial.isEmpty else {
            throw .invalidLength(what: "HKDF input key material", expected: "at least 1", actual: 0)
        }
        guard EVP_PKEY_CTX_set1_hkdf_key(context, inputKeyMaterial, Int32(inputKeyMaterial.count)) == 1 else {
            throw .openSSL(operation: "HKDF key", reason: openSSLReason())
        }
        if !info.isEmpty {
            guard EVP_PKEY_CTX_add1_hkdf_info(context, info, Int32(info.count)) == 1 else {
                throw .openSSL(operation: "HKDF info", reason: openSSLReason())
            }
        }
        var output = [UInt8](repeating: 0, count: length)
        var outputLength = length
        guard EVP_PKEY_derive(context, &output, &outputLength) == 1, outputLength == length else {
            throw .openSSL(operation: "HKDF derive", reason: openSSLReason())
        }
        return output
    }
}

/// AES-256-GCM with a 96-bit nonce and a 128-bit tag (NIST SP 800-38D).
public enum AES256GCM {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    /// Encrypts; returns ciphertext and tag. The nonce must never repeat under one key (callers draw it at random).
    public static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], additionalData: [UInt8] = []
    ) throws(PushCryptoError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        try check(key: key, nonce: nonce, inputCount: plaintext.count)
        guard let context = EVP_CIPHER_CTX_new() else { throw .openSSL(operation: "EVP_CIPHER_CTX_new", reason: openSSLReason()) }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceByteCount), nil) == 1,
            EVP_EncryptInit_ex(context, nil, nil, key, nonce) == 1
        else { throw .openSSL(operation: "AES-256-GCM encrypt init", reason: openSSLReason()) }
        var length: Int32 = 0
        if !additionalData.isEmpty {
            guard EVP_EncryptUpdate(context, nil, &length, additionalData, Int32(additionalData.count)) == 1 else {
                throw .openSSL(operation: "AES-256-GCM additional data", reason: openSSLReason())
            }
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var produced = 0
        if !plaintext.isEmpty {
            guard EVP_EncryptUpdate(context, &ciphertext, &length, plaintext, Int32(plaintext.count)) == 1 else {
                throw .openSSL(operation: "AES-256-GCM encrypt", reason: openSSLReason())
            }
            produced = Int(length)
        }
        let finalStatus = ciphertext.withUnsafeMutableBufferPointer { buffer in
            EVP_EncryptFinal_ex(context, buffer.baseAddress.map { $0 + produced }, &length)
        }
        guard finalStatus == 1 else { throw .openSSL(operation: "AES-256-GCM encrypt final", reason: openSSLReason()) }
        produced += Int(length)
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw .openSSL(operation: "AES-256-GCM tag", reason: openSSLReason())
        }
        return (Array(ciphertext.prefix(produced)), tag)
    }

    /// Decrypts and authenticates; any change to ciphertext, tag, nonce or additional data is `.authenticationFailed`.
    public static func open(
        _ ciphertext: [UInt8], tag: [UInt8], key: [UInt8], nonce: [UInt8], additionalData: [UInt8] = []
    ) throws(PushCryptoError) -> [UInt8] {
        try check(key: key, nonce: nonce, inputCount: ciphertext.count)
        guard tag.count == tagByteCount else { throw .invalidLength(what: "GCM tag", expected: "16", actual: tag.count) }
        guard let context = EVP_CIPHER_CTX_new() else { throw .openSSL(operation: "EVP_CIPHER_CTX_new", reason: openSSLReason()) }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceByteCount), nil) == 1,
            EVP_DecryptInit_ex(context, nil, nil, key, nonce) == 1
        else { throw .openSSL(operation: "AES-256-GCM decrypt init", reason: openSSLReason()) }
        var length: Int32 = 0
        if !additionalData.isEmpty {
            guard EVP_DecryptUpdate(context, nil, &length, additionalData, Int32(additionalData.count)) == 1 else {
                throw .openSSL(operation: "AES-256-GCM additional data", reason: openSSLReason())
            }
        }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var produced = 0
        if !ciphertext.isEmpty {
            guard EVP_DecryptUpdate(context, &plaintext, &length, ciphertext, Int32(ciphertext.count)) == 1 else {
                throw .openSSL(operation: "AES-256-GCM decrypt", reason: openSSLReason())
            }
            produced = Int(length)
        }
        var expectedTag = tag
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagByteCount), &expectedTag) == 1 else {
            throw .openSSL(operation: "AES-256-GCM set tag", reason: openSSLReason())
        }
        let finalStatus = plaintext.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context, buffer.baseAddress.map { $0 + produced }, &length)
        }
        guard finalStatus == 1 else {
            _ = openSSLReason()  // clears the queue; the reason is always "bad tag" here
            throw .authenticationFailed
        }
        produced += Int(length)
        return Array(plaintext.prefix(produced))
    }

    static func check(key: [UInt8], nonce: [UInt8], inputCount: Int) throws(PushCryptoError) {
        guard key.count == keyByteCount else { throw .invalidLength(what: "AES-256 key", expected: "32", actual: key.count) }
        guard nonce.count == nonceByteCount else { throw .invalidLength(what: "GCM nonce", expected: "12", actual: nonce.count) }
        guard inputCount < Int(Int32.max) - 32 else {
            throw .invalidLength(what: "GCM input", expected: "below 2 GiB", actual: inputCount)
        }
    }
}
