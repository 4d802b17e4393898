import Foundation

/// MD5 (RFC 1321), in pure Swift because this module may not link a crypto library. Used for the session token
/// and to check UPGRADE checksums; not for anything that needs collision resistance.
public enum MD5 {
    public static func digest(_ message: [UInt8]) -> [UInt8] {
        var a0: UInt32 = 0x6745_2301
        var b0: UInt32 = 0xEFCD_AB89
        var c0: UInt32 = 0x98BA_DCFE
        var d0: UInt32 = 0x1032_5476

        var padded = message
        let bitLength = UInt64(message.count) &* 8
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        for shift in stride(from: 0, to: 64, by: 8) { padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }

        var words = [UInt32](repeating: 0, count: 16)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            for index in 0..<16 {
                let base = chunk + index * 4
                words[index] = UInt32(padded[base]) | UInt32(padded[base + 1]) << 8
                    | UInt32(padded[base + 2]) << 16 | UInt32(padded[base + 3]) << 24
            }
            var a = a0, b = b0, c = c0, d = d0
            for round in 0..<64 {
                var f: UInt32
                var g: Int
                switch round {
                case 0..<16:
                    f = (b & c) | (~b & d)
                    g = round
                case 16..<32:
                    f = (d & b) | (~d & c)
                    g = (5 &* round &+ 1) % 16
                case 32..<48:
                    f = b ^ c ^ d
                    g = (3 &* round &+ 5) % 16
                default:
                    f = c ^ (b | ~d)
                    g = (7 &* round) % 16
                }
                f = f &+ a &+ constants[round] &+ words[g]
                a = d
                d = c
                c = b
                b = b &+ ((f << shifts[round]) | (f >> (32 - shifts[round])))
            }
            a0 = a0 &+ a
            b0 = b0 &+ b
            c0 = c0 &+ c
            d0 = d0 &+ d
        }
        var out: [UInt8] = []
        for word in [a0, b0, c0, d0] {
            for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return out
    }

    /// Lowercase hexadecimal digest of the UTF-8 bytes of `text`.
    public static func hexDigest(_ text: String) -> String {
        digest(Array(text.utf8)).map { hexByte($0).lowercased() }.joined()
    }

    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    // floor(abs(sin(i + 1)) * 2^32), computed once rather than typed in.
    private static let constants: [UInt32] = (0..<64).map { index in
        UInt32(truncatingIfNeeded: Int64((abs(sinValue(Double(index + 1))) * 4_294_967_296.0).rounded(.down)))
    }

    private static func sinValue(_ x: Double) -> Double {
        sin(x)
    }
}

/// The session token of §4.5: MD5 over RegistryCode, SerialNumber and SessionID concatenated in that order, as
/// lowercase hex. It travels as `Cookie: token=<hex>`.
public enum SessionToken {
    public static func compute(registryCode: String, serialNumber: String, sessionID: String) -> String {
        MD5.hexDigest(registryCode + serialNumber + sessionID)
    }

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
