#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The character set a piece of text arrived in.
///
/// The reference says UTF-8 (§1.2) but also that names are GB2312 when the device language is Chinese (§7.5).
/// Decoding tries UTF-8, then GB18030 (a superset of GB2312 and GBK), then Latin-1, which accepts every byte: a
/// record is never dropped for its encoding.
///
/// GB18030 goes through the C library's `iconv` (glibc on Linux, libiconv on Darwin). It is a pure in-memory
/// conversion, no I/O, so the module stays sans-I/O; Foundation's `String.Encoding` has no GB18030 on Linux.
public enum PushTextEncoding: String, Sendable, Codable {
    case utf8
    case gb18030
    case latin1

    /// Decodes bytes with the fallback chain, reporting which encoding succeeded.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> (text: String, encoding: PushTextEncoding)
    where Bytes.Element == UInt8 {
        if isValidUTF8(bytes) { return (String(decoding: bytes, as: UTF8.self), .utf8) }
        let array = Array(bytes)
        if let text = IconvConversion.convert(array, from: "GB18030", to: "UTF-8").flatMap({ utf8Text($0) }) {
            return (text, .gb18030)
        }
        return (latin1Text(array), .latin1)
    }

    /// Encodes text for the wire in this encoding; characters Latin-1 cannot hold become `?`.
    public func encode(_ text: String) -> [UInt8] {
        switch self {
        case .utf8:
            return Array(text.utf8)
        case .gb18030:
            return IconvConversion.convert(Array(text.utf8), from: "UTF-8", to: "GB18030") ?? Array(text.utf8)
        case .latin1:
            return text.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : 0x3F }
        }
    }

    @inline(__always)
    static func utf8Text<Bytes: Collection>(_ bytes: Bytes) -> String? where Bytes.Element == UInt8 {
        String(validating: bytes, as: UTF8.self)
    }

    static func latin1Text(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }
}

/// A one-shot iconv conversion. Returns nil when the input is not valid in the source encoding or iconv is missing.
enum IconvConversion {
    static func convert(_ input: [UInt8], from source: String, to target: String) -> [UInt8]? {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        guard let descriptor = iconv_open(target, source), descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        if input.isEmpty { return [] }
        var inputCopy = input.map { CChar(bitPattern: $0) }
        let capacity = input.count * 4 + 16
        var output = [CChar](repeating: 0, count: capacity)
        let produced: Int? = inputCopy.withUnsafeMutableBufferPointer { inBuffer -> Int? in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int? in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                var outLeft = outBuffer.count
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                if result == -1 || inLeft != 0 { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let produced else { return nil }
        return output[0..<produced].map { UInt8(bitPattern: $0) }
        #else
        return nil
        #endif
    }
}
