import CZlib
import Foundation

/// # Archives
///
/// Just enough tar, in Swift, and gzip through the system's zlib (which the host loads anyway): Akuvox's
/// `UserData.tgz` (HTTPAPI), the PUSH `datafmt=3` tgz uploads of ACCOUNT / DATA QUERY answers (PushServer) and the
/// device role's `transaction.tgz` (PushDevice). Pure functions on bytes.
public enum TarGzip {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    // MARK: tar

    /// Regular files of a ustar / v7 archive, by name (directories and other entries are skipped).
    public static func untar(_ data: [UInt8]) throws(Failure) -> [(name: String, contents: [UInt8])] {
        var files: [(String, [UInt8])] = []
        var offset = 0
        while offset + 512 <= data.count {
            let header = Array(data[offset..<offset + 512])
            if header.allSatisfy({ $0 == 0 }) { break }
            let stored = header[148..<156]
            let expected = header.enumerated().reduce(0) { sum, item in
                sum + ((148..<156).contains(item.offset) ? 32 : Int(item.element))
            }
            guard let checksum = octal(stored), checksum == expected else {
                throw Failure(message: "tar header at byte \(offset) has a bad checksum")
            }
            guard let size = octal(header[124..<136]), size >= 0, size <= data.count else {
                throw Failure(message: "tar header at byte \(offset) has a bad size")
            }
            var name = text(header[0..<100])
            if header[257..<262].elementsEqual(Array("ustar".utf8)) {
                let prefix = text(header[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            let type = header[156]
            let start = offset + 512
            guard start + size <= data.count else { throw Failure(message: "tar entry \(name) is truncated") }
            if type == UInt8(ascii: "0") || type == 0 {
                files.append((name, Array(data[start..<start + size])))
            }
            offset = start + (size + 511) / 512 * 512
        }
        return files
    }

    public static func tar(_ files: [(name: String, contents: [UInt8])], modified: Date) -> [UInt8] {
        var out: [UInt8] = []
        for file in files {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int, width: Int) {
                for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
            }
            func putOctal(_ value: Int, at offset: Int, width: Int) {
                let digits = String(value, radix: 8)
                put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
            }
            put(file.name, at: 0, width: 100)
            putOctal(0o644, at: 100, width: 8)
            putOctal(0, at: 108, width: 8)
            putOctal(0, at: 116, width: 8)
            putOctal(file.contents.count, at: 124, width: 12)
            putOctal(max(0, Int(modified.timeIntervalSince1970)), at: 136, width: 12)
            header[156] = UInt8(ascii: "0")
            put("ustar", at: 257, width: 6)
            put("00", at: 263, width: 2)
            for index in 148..<156 { header[index] = 32 }
            let sum = header.reduce(0) { $0 + Int($1) }
            let digits = String(sum, radix: 8)
            put(String(repeating: "0", count: max(0, 6 - digits.count)) + digits, at: 148, width: 6)
            header[154] = 0
            header[155] = 32
            out += header
            out += file.contents
            out += [UInt8](repeating: 0, count: (512 - file.contents.count % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    private static func octal(_ bytes: ArraySlice<UInt8>) -> Int? {
        let digits = bytes.prefix { $0 != 0 && $0 != 32 }.drop { $0 == 32 }
        guard !digits.isEmpty, digits.count <= 12 else { return digits.isEmpty ? 0 : nil }
        var value = 0
        for byte in digits {
            guard (48...55).contains(byte) else { return nil }
            value = value * 8 + Int(byte - 48)
        }
        return value
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    // MARK: gzip

    /// gzip (RFC 1952) through the system's zlib, at the default compression level.
    public static func gzip(_ data: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        guard gatehouse_deflate_init_gzip(&stream, Z_DEFAULT_COMPRESSION) == Z_OK else {
            // Only out of memory: zlib validated nothing else here.
            fatalError("zlib deflateInit2 failed: out of memory")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        var input = data
        let written: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                // deflateBound guarantees one call with Z_FINISH completes.
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }

    /// Inflates one gzip member through zlib (which checks the header, the CRC-32 and the length). Output beyond
    /// `maxOutput` is refused as it is produced, so a decompression bomb never grows memory past the limit.
    public static func gunzip(_ data: [UInt8], maxOutput: Int) throws(Failure) -> [UInt8] {
        guard data.count >= 18, data[0] == 0x1F, data[1] == 0x8B else { throw Failure(message: "not gzip data") }
        guard data[2] == 8 else { throw Failure(message: "gzip compression method \(data[2]) is not deflate") }
        var stream = z_stream()
        guard gatehouse_inflate_init_gzip(&stream) == Z_OK else { throw Failure(message: "zlib could not start inflating") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = data
        var status = Z_OK
        var tooLarge = false
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while status == Z_OK {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return target.count - Int(stream.avail_out)
                }
                if output.count + produced > maxOutput {
                    tooLarge = true
                    return
                }
                output += chunk.prefix(produced)
            }
        }
        if tooLarge { throw Failure(message: "the archive inflates to more than \(maxOutput) bytes") }
        switch status {
        case Z_STREAM_END:
            return output
        case Z_BUF_ERROR:
            // No progress with room to write: the input ended before the stream did.
            throw Failure(message: "gzip data is truncated")
        default:
            let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw Failure(message: "gzip data is damaged: \(reason)")
        }
    }

    /// CRC-32 (the gzip and PNG polynomial) through zlib.
    public static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}
