import Digests
import Foundation

/// The Appendix 16 factor exchange of Gatehouse's scheme: a factor is 32 random bytes sent RSA-OAEP-encrypted to
/// the other side's public key, as base64 in `Factors=`.
public enum PushFactor {
    public static let byteCount = 32

    /// A fresh factor (R1 on the device, R2 on the server).
    public static func generate() throws(PushCryptoError) -> [UInt8] { try SecureRandom.bytes(byteCount) }

    /// The `Factors=` value carrying `factor` to the holder of `recipient`'s private key.
    public static func wireText(_ factor: [UInt8], to recipient: RSAPublicKey) throws(PushCryptoError) -> String {
        guard factor.count == byteCount else { throw .invalidLength(what: "factor", expected: "32", actual: factor.count) }
        return Data(try recipient.encrypt(factor)).base64EncodedString()
    }

    /// Reads a `Factors=` value sent to us (whitespace ignored) and decrypts it with our private key.
    public static func read(_ wireText: String, with keys: RSAKeyPair) throws(PushCryptoError) -> [UInt8] {
        guard let data = Data(base64Encoded: wireText.filter { !$0.isWhitespace }) else {
            throw .invalidFactor("the value is not base64")
        }
        let factor = try keys.decrypt(Array(data))
        guard factor.count == byteCount else { throw .invalidLength(what: "factor", expected: "32", actual: factor.count) }
        return factor
    }
}

/// Which way an envelope travels; part of the additional data, so a reply cannot be fed back as a request.
public enum PushDirection: String, Sendable, Hashable {
    case deviceToServer = "device"
    case serverToDevice = "server"
}

/// The AES-256-GCM session key both sides derive after the exchange, and the message envelope.
public struct PushSessionKey: Sendable, Hashable {
    public let bytes: [UInt8]

    /// `GHE1`: marks (and versions) an encrypted body.
    public static let marker: [UInt8] = Array("GHE1".utf8)
    static let info = Array("Gatehouse PUSH session key v1".utf8)

    public init(bytes: [UInt8]) throws(PushCryptoError) {
        guard bytes.count == AES256GCM.keyByteCount else {
            throw .invalidLength(what: "session key", expected: "32", actual: bytes.count)
        }
        self.bytes = bytes
    }

    /// HKDF-SHA256(IKM = R1 ‖ R2, salt = SHA-256(P1 DER ‖ P2 DER), info = "Gatehouse PUSH session key v1", 32 bytes).
    /// The salt binds the key to the public keys actually exchanged.
    public static func derive(
        deviceFactor: [UInt8], serverFactor: [UInt8], devicePublicKey: RSAPublicKey, serverPublicKey: RSAPublicKey
    ) throws(PushCryptoError) -> PushSessionKey {
        guard deviceFactor.count == PushFactor.byteCount else {
            throw .invalidLength(what: "device factor R1", expected: "32", actual: deviceFactor.count)
        }
        guard serverFactor.count == PushFactor.byteCount else {
            throw .invalidLength(what: "server factor R2", expected: "32", actual: serverFactor.count)
        }
        let salt = Digest.sha256(devicePublicKey.derBytes + serverPublicKey.derBytes)
        return try PushSessionKey(bytes: HKDF.sha256(
            inputKeyMaterial: deviceFactor + serverFactor, salt: salt, info: info, length: AES256GCM.keyByteCount))
    }

    /// `GHE1|<direction>|<SN>|<endpoint path>`.
    public static func additionalData(direction: PushDirection, serialNumber: String, endpoint: String) -> [UInt8] {
        Array("GHE1|\(direction.rawValue)|\(serialNumber)|\(endpoint)".utf8)
    }

    /// Whether a body starts with the envelope marker.
    public static func isEnvelope(_ body: [UInt8]) -> Bool { body.starts(with: marker) }

    /// `GHE1` ‖ nonce ‖ ciphertext ‖ tag, with a fresh random nonce.
    public func seal(
        _ plaintext: [UInt8], direction: PushDirection, serialNumber: String, endpoint: String
    ) throws(PushCryptoError) -> [UInt8] {
        try seal(plaintext, nonce: SecureRandom.bytes(AES256GCM.nonceByteCount), direction: direction,
                 serialNumber: serialNumber, endpoint: endpoint)
    }

    /// As `seal`, with the nonce given (known-answer tests only: a nonce must never repeat under one key).
    public func seal(
        _ plaintext: [UInt8], nonce: [UInt8], direction: PushDirection, serialNumber: String, endpoint: String
    ) throws(PushCryptoError) -> [UInt8] {
        let sealed = try AES256GCM.seal(
            plaintext, key: bytes, nonce: nonce,
            additionalData: Self.additionalData(direction: direction, serialNumber: serialNumber, endpoint: endpoint))
        return Self.marker + nonce + sealed.ciphertext + sealed.tag
    }

    /// Opens an envelope sealed for this direction, device and endpoint.
    public func open(
        _ envelope: [UInt8], direction: PushDirection, serialNumber: String, endpoint: String
    ) throws(PushCryptoError) -> [UInt8] {
        guard Self.isEnvelope(envelope) else { throw .notAnEnvelope("it does not start with GHE1") }
        let overhead = Self.marker.count + AES256GCM.nonceByteCount + AES256GCM.tagByteCount
        guard envelope.count >= overhead else {
            throw .notAnEnvelope("\(envelope.count) bytes is shorter than the \(overhead)-byte envelope overhead")
        }
        let nonceStart = Self.marker.count
        let cipherStart = nonceStart + AES256GCM.nonceByteCount
        let tagStart = envelope.count - AES256GCM.tagByteCount
        return try AES256GCM.open(
            Array(envelope[cipherStart..<tagStart]), tag: Array(envelope[tagStart...]), key: bytes,
            nonce: Array(envelope[nonceStart..<cipherStart]),
            additionalData: Self.additionalData(direction: direction, serialNumber: serialNumber, endpoint: endpoint))
    }
}
