/// # PushCrypto
///
/// The primitives of Gatehouse's PUSH communication encryption (Security PUSH 3.1.2 §4.2, §4.3 and Appendix 16),
/// on the system's OpenSSL through `COpenSSL`, and the scheme built from them. The reference names the steps
/// (exchange public keys P1/P2, exchange factors R1/R2, derive one session key, encrypt everything after) but not
/// the algorithms, so Gatehouse documents its own; ZKTeco's proprietary encryption library is not interoperable.
///
/// ## The scheme (version 1)
/// - **Public keys** (`exchange?type=publickey`): each side holds an RSA-2048 key pair made fresh for the
///   connection; `PublicKey=` carries the base64 of the DER SubjectPublicKeyInfo (`RSAPublicKey.wireText`).
/// - **Factors** (`exchange?type=factors`): each side draws 32 random bytes (R1 device, R2 server) and sends them
///   encrypted to the other side's public key with RSA-OAEP (SHA-256, MGF1-SHA-256); `Factors=` carries the base64.
/// - **Session key**: HKDF-SHA256 (RFC 5869) with IKM = R1 ‖ R2, salt = SHA-256(P1 DER ‖ P2 DER), info =
///   `Gatehouse PUSH session key v1`, 32 bytes (`PushSessionKey.derive`).
/// - **Messages**: every body after the exchange (requests with a body, 200 replies) is an envelope
///   `GHE1` ‖ nonce (12 random bytes) ‖ AES-256-GCM ciphertext ‖ tag (16), with the additional data
///   `GHE1|<direction>|<SN>|<endpoint path>` so a body cannot be replayed in the other direction, for another
///   device or on another endpoint (`PushSessionKey.seal`/`open`).
///
/// ## Seams
/// Pure values in, bytes out: no sockets, no clocks, no storage. `PushServer` keeps one server key pair per process
/// and the per-device session keys in SQLite; `PushDevice` runs the exchange from its transport. Errors are typed
/// (`PushCryptoError`) and say which step failed; a body that does not authenticate is `.authenticationFailed`.
public enum PushCryptoModule {}

/// What went wrong, and where.
public enum PushCryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// OpenSSL refused an operation (the step, and OpenSSL's own reason).
    case openSSL(operation: String, reason: String)
    /// A `PublicKey=` value that is not base64 of a DER RSA public key of at least 2048 bits.
    case invalidPublicKey(String)
    /// A `Factors=` value that is not base64, or that does not decrypt under our private key.
    case invalidFactor(String)
    /// A key, nonce or input of the wrong size.
    case invalidLength(what: String, expected: String, actual: Int)
    /// An envelope too short or without the `GHE1` marker.
    case notAnEnvelope(String)
    /// The ciphertext, tag, nonce or additional data was changed, or the key is not the session's.
    case authenticationFailed

    public var description: String {
        switch self {
        case .openSSL(let operation, let reason): "OpenSSL failed in \(operation): \(reason)"
        case .invalidPublicKey(let reason): "PublicKey is not usable: \(reason)"
        case .invalidFactor(let reason): "Factors is not usable: \(reason)"
        case .invalidLength(let what, let expected, let actual): "\(what) must be \(expected) bytes, not \(actual)"
        case .notAnEnvelope(let reason): "body is not an encrypted PUSH envelope: \(reason)"
        case .authenticationFailed: "encrypted body does not authenticate under the session key (tampered, or keys differ)"
        }
    }
}
