import PushProtocol
import Testing

@testable import Digests

/// Known answers for the one digest helper: the RFC 1321 and FIPS 180-4 example vectors.
@Suite("digests")
struct DigestsTests {
    /// RFC 1321 appendix A.5 test suite.
    @Test(
        "MD5 matches RFC 1321",
        arguments: [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a"
            ),
        ])
    func md5(input: String, expected: String) {
        #expect(Digest.md5Hex(input) == expected)
        #expect(Hex.encode(Digest.md5(Array(input.utf8))) == expected)
    }

    @Test(
        "SHA-256 matches the FIPS 180-4 examples",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func sha256(input: String, expected: String) {
        #expect(Digest.sha256Hex(Array(input.utf8)) == expected)
    }

    @Test("SHA-256 of a million 'a' (FIPS 180-4 long message)")
    func sha256Million() {
        #expect(
            Digest.sha256Hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("hex: lower and upper case, every byte value")
    func hex() {
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF], uppercase: true) == "000FA5FF")
        #expect(Hex.encode((0...255).map(UInt8.init)).count == 512)
        #expect(Hex.encode([]) == "")
    }

    @Test("the PUSH session token is the MD5 of code, serial and session, lower-case hex")
    func sessionToken() {
        let token = SessionToken.compute(
            registryCode: "Uy47fxftP3", serialNumber: "3383154200002", sessionID: "30BFB04B2C8AECC72C01C03BFD549D15")
        #expect(token == Digest.md5Hex("Uy47fxftP3338315420000230BFB04B2C8AECC72C01C03BFD549D15"))
        #expect(token.count == 32)
        #expect(token == token.lowercased())
    }
}
