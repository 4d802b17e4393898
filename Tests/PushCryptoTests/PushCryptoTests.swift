import Digests
import Foundation
import Testing
@testable import PushCrypto

func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

func hexText(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

@Suite struct DigestAndKDFTests {
    @Test func sha256OfABC() throws {
        #expect(hexText(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// RFC 5869 appendix A, test cases 1, 2 and 3 (SHA-256).
    @Test(arguments: [
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9", 42,
         "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
        (hexText(Array(0x00...0x4f)), hexText(Array(0x60...0xaf)), hexText(Array(0xb0...0xff)), 82,
         "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"),
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
         "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
    ])
    func hkdfRFC5869(ikm: String, salt: String, info: String, length: Int, okm: String) throws {
        let output = try HKDF.sha256(inputKeyMaterial: hex(ikm), salt: hex(salt), info: hex(info), length: length)
        #expect(hexText(output) == okm)
    }

    @Test func hkdfRefusesImpossibleLengths() {
        #expect(throws: PushCryptoError.self) { try HKDF.sha256(inputKeyMaterial: [1], length: 0) }
        #expect(throws: PushCryptoError.self) { try HKDF.sha256(inputKeyMaterial: [1], length: 255 * 32 + 1) }
    }
}

@Suite struct AESGCMTests {
    /// The GCM specification's (McGrew & Viega) AES-256 test cases 13, 14 and 16.
    @Test(arguments: [
        (String(repeating: "00", count: 32), String(repeating: "00", count: 12), "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
        (String(repeating: "00", count: 32), String(repeating: "00", count: 12), String(repeating: "00", count: 16), "",
         "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"),
        ("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
         "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
         "feedfacedeadbeeffeedfacedeadbeefabaddad2",
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
         "76fc6ece0f4e1768cddf8853bb2d551b"),
    ])
    func knownAnswers(key: String, nonce: String, plaintext: String, aad: String, ciphertext: String, tag: String) throws {
        let sealed = try AES256GCM.seal(hex(plaintext), key: hex(key), nonce: hex(nonce), additionalData: hex(aad))
        #expect(hexText(sealed.ciphertext) == ciphertext)
        #expect(hexText(sealed.tag) == tag)
        let opened = try AES256GCM.open(hex(ciphertext), tag: hex(tag), key: hex(key), nonce: hex(nonce), additionalData: hex(aad))
        #expect(opened == hex(plaintext))
    }

    @Test func wrongSizesAreTypedErrors() {
        #expect(throws: PushCryptoError.invalidLength(what: "AES-256 key", expected: "32", actual: 16)) {
            try AES256GCM.seal([1], key: [UInt8](repeating: 0, count: 16), nonce: [UInt8](repeating: 0, count: 12))
        }
        #expect(throws: PushCryptoError.invalidLength(what: "GCM nonce", expected: "12", actual: 8)) {
            try AES256GCM.seal([1], key: [UInt8](repeating: 0, count: 32), nonce: [UInt8](repeating: 0, count: 8))
        }
    }
}

@Suite struct SchemeTests {
    static let deviceKeys = try! RSAKeyPair.generate()
    static let serverKeys = try! RSAKeyPair.generate()

    @Test func publicKeysTravelAsBase64DER() throws {
        let keys = Self.deviceKeys
        #expect(keys.publicKey.bits == 2048)
        // The reference's examples wrap the value with spaces and line breaks: still read.
        var wrapped = keys.publicKey.wireText
        wrapped.insert(" ", at: wrapped.index(wrapped.startIndex, offsetBy: 60))
        wrapped.insert("\n", at: wrapped.index(wrapped.startIndex, offsetBy: 120))
        #expect(try RSAPublicKey(wireText: wrapped).derBytes == keys.publicKey.derBytes)
        #expect(throws: PushCryptoError.self) { try RSAPublicKey(wireText: "DMCtRl3RwiGI4M9TRn/3xEmkddz2lqoZR7zUrOMhOc3FLvhLtpIWs3") }
        #expect(throws: PushCryptoError.self) { try RSAPublicKey(wireText: "not base64 at all!") }
    }

    @Test func bothSidesDeriveTheSameSessionKey() throws {
        let device = Self.deviceKeys
        let server = Self.serverKeys
        let r1 = try PushFactor.generate()
        let r2 = try PushFactor.generate()
        #expect(r1 != r2)
        // Device → server: R1 under P2; server → device: R2 under P1.
        let receivedR1 = try PushFactor.read(try PushFactor.wireText(r1, to: server.publicKey), with: server)
        let receivedR2 = try PushFactor.read(try PushFactor.wireText(r2, to: device.publicKey), with: device)
        #expect(receivedR1 == r1)
        #expect(receivedR2 == r2)
        let onServer = try PushSessionKey.derive(
            deviceFactor: receivedR1, serverFactor: r2, devicePublicKey: device.publicKey, serverPublicKey: server.publicKey)
        let onDevice = try PushSessionKey.derive(
            deviceFactor: r1, serverFactor: receivedR2, devicePublicKey: device.publicKey, serverPublicKey: server.publicKey)
        #expect(onServer == onDevice)
        // The derivation is HKDF-SHA256 over R1‖R2 with the public keys' hash as salt, exactly.
        let expected = try HKDF.sha256(
            inputKeyMaterial: r1 + r2, salt: Digest.sha256(device.publicKey.derBytes + server.publicKey.derBytes),
            info: Array("Gatehouse PUSH session key v1".utf8), length: 32)
        #expect(onServer.bytes == expected)
    }

    @Test func aFactorForAnotherKeyIsRefused() throws {
        let wire = try PushFactor.wireText(try PushFactor.generate(), to: Self.serverKeys.publicKey)
        #expect(throws: PushCryptoError.self) { try PushFactor.read(wire, with: Self.deviceKeys) }
        #expect(throws: PushCryptoError.invalidFactor("the value is not base64")) { try PushFactor.read("%%%", with: Self.deviceKeys) }
    }

    @Test func envelopeRoundTripWithFreshNonces() throws {
        let key = try PushSessionKey(bytes: SecureRandom.bytes(32))
        let body = Array("time=2017-01-10 11:49:32\tpin=1\tevent=0\tindex=1\n".utf8)
        let first = try key.seal(body, direction: .deviceToServer, serialNumber: "SN1", endpoint: "/iclock/cdata")
        let second = try key.seal(body, direction: .deviceToServer, serialNumber: "SN1", endpoint: "/iclock/cdata")
        #expect(first != second)  // a fresh nonce per message
        #expect(first.count == 4 + 12 + body.count + 16)
        #expect(Array(first.prefix(4)) == Array("GHE1".utf8))
        #expect(try key.open(first, direction: .deviceToServer, serialNumber: "SN1", endpoint: "/iclock/cdata") == body)
        #expect(try key.open(try key.seal([], direction: .serverToDevice, serialNumber: "SN1", endpoint: "/iclock/getrequest"),
                             direction: .serverToDevice, serialNumber: "SN1", endpoint: "/iclock/getrequest") == [])
    }

    enum Tamper: String, CaseIterable, Sendable { case ciphertext, tag, nonce, direction, serial, endpoint, key }

    @Test(arguments: Tamper.allCases)
    func tamperingIsAuthenticationFailure(_ tamper: Tamper) throws {
        let key = try PushSessionKey(bytes: SecureRandom.bytes(32))
        var envelope = try key.seal(Array("OK".utf8), direction: .serverToDevice, serialNumber: "SN1", endpoint: "/iclock/getrequest")
        var direction = PushDirection.serverToDevice
        var serial = "SN1"
        var endpoint = "/iclock/getrequest"
        var opener = key
        switch tamper {
        case .ciphertext: envelope[16] ^= 0x01
        case .tag: envelope[envelope.count - 1] ^= 0x80
        case .nonce: envelope[5] ^= 0x01
        case .direction: direction = .deviceToServer
        case .serial: serial = "SN2"
        case .endpoint: endpoint = "/iclock/cdata"
        case .key: opener = try PushSessionKey(bytes: SecureRandom.bytes(32))
        }
        #expect(throws: PushCryptoError.authenticationFailed) {
            try opener.open(envelope, direction: direction, serialNumber: serial, endpoint: endpoint)
        }
    }

    @Test func plainTextIsNotAnEnvelope() throws {
        let key = try PushSessionKey(bytes: SecureRandom.bytes(32))
        #expect(throws: PushCryptoError.notAnEnvelope("it does not start with GHE1")) {
            try key.open(Array("OK".utf8), direction: .serverToDevice, serialNumber: "SN1", endpoint: "/iclock/ping")
        }
        #expect(throws: PushCryptoError.self) {
            try key.open(Array("GHE1short".utf8), direction: .serverToDevice, serialNumber: "SN1", endpoint: "/iclock/ping")
        }
    }
}
