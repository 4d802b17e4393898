import Foundation

/// # Archives
///
/// Just enough tar and gzip, in Swift so the host links no zlib: Akuvox's `UserData.tgz` (HTTPAPI) and the PUSH
/// `datafmt=3` tgz uploads of ACCOUNT / DATA QUERY answers (PushServer). No dependencies; pure functions on bytes.
///
/// Reading inflates any deflate stream (stored, fixed and dynamic Huffman blocks, RFC 1951). Writing uses stored
/// blocks: valid gzip every tool reads, only not smaller; the files are a few hundred kilobytes at most.
public enum TarGzip {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
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
            let expected = header.enumerated().reduce(0) { sum, item in sum + ((148..<156).contains(item.offset) ? 32 : Int(item.element)) }
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

    public static func gzip(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var offset = 0
        repeat {
            let count = min(65535, data.count - offset)
            let final = offset + count == data.count
            out.append(final ? 1 : 0)
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        out += littleEndian(crc32(data))
        out += littleEndian(UInt32(truncatingIfNeeded: data.count))
        return out
    }

    public static func gunzip(_ data: [UInt8], maxOutput: Int) throws(Failure) -> [UInt8] {
        guard data.count >= 18, data[0] == 0x1F, data[1] == 0x8B else { throw Failure(message: "not gzip data") }
        guard data[2] == 8 else { throw Failure(message: "gzip compression method \(data[2]) is not deflate") }
        let flags = data[3]
        var offset = 10
        if flags & 4 != 0 {
            guard offset + 2 <= data.count else { throw Failure(message: "gzip header is truncated") }
            offset += 2 + (Int(data[offset]) | Int(data[offset + 1]) << 8)
        }
        for flag: UInt8 in [8, 16] where flags & flag != 0 {
            while offset < data.count, data[offset] != 0 { offset += 1 }
            offset += 1
        }
        if flags & 2 != 0 { offset += 2 }
        guard offset < data.count else { throw Failure(message: "gzip header is truncated") }
        var inflater = Inflater(data, start: offset, maxOutput: maxOutput)
        let output = try inflater.run()
        let trailer = inflater.nextByteOffset
        guard trailer + 8 <= data.count else { throw Failure(message: "gzip trailer is missing") }
        let crc = UInt32(data[trailer]) | UInt32(data[trailer + 1]) << 8 | UInt32(data[trailer + 2]) << 16 | UInt32(data[trailer + 3]) << 24
        guard crc == crc32(output) else { throw Failure(message: "gzip CRC mismatch: the archive is damaged") }
        return output
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    public static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}

/// RFC 1951 inflate, decoding Huffman codes bit by bit from canonical code counts.
private struct Inflater {
    let input: [UInt8]
    var position: Int
    var bitBuffer: UInt32 = 0
    var bitCount = 0
    var output: [UInt8] = []
    let maxOutput: Int

    init(_ input: [UInt8], start: Int, maxOutput: Int) {
        self.input = input
        self.position = start
        self.maxOutput = maxOutput
    }

    /// The first byte after the deflate stream (bits left in the buffer are padding).
    var nextByteOffset: Int { position }

    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        /// A code that decodes nothing.
        static let empty = Huffman()

        private init() {}

        init(lengths: [Int]) throws(TarGzip.Failure) {
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var left = 1
            for length in 1..<16 {
                left = left * 2 - counts[length]
                guard left >= 0 else { throw TarGzip.Failure(message: "deflate stream has an over-subscribed code") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
        8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    mutating func bits(_ count: Int) throws(TarGzip.Failure) -> Int {
        while bitCount < count {
            guard position < input.count else { throw TarGzip.Failure(message: "deflate stream is truncated") }
            bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt32(count)) - 1))
        bitBuffer = count == 32 ? 0 : bitBuffer >> UInt32(count)
        bitCount -= count
        return value
    }

    mutating func decode(_ code: Huffman) throws(TarGzip.Failure) -> Int {
        var value = 0
        var first = 0
        var index = 0
        for length in 1..<16 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - first < count { return code.symbols[index + value - first] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw TarGzip.Failure(message: "deflate stream has an invalid Huffman code")
    }

    mutating func run() throws(TarGzip.Failure) -> [UInt8] {
        var final = false
        while !final {
            final = try bits(1) == 1
            switch try bits(2) {
            case 0: try stored()
            case 1: try codes(Self.fixedLiteral, Self.fixedDistance)
            case 2:
                let (literal, distance) = try dynamicTables()
                try codes(literal, distance)
            default: throw TarGzip.Failure(message: "deflate stream has an invalid block type")
            }
        }
        // Drop the bits of the partly used last byte; the trailer starts at the next whole byte.
        bitBuffer = 0
        bitCount = 0
        return output
    }

    mutating func stored() throws(TarGzip.Failure) {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw TarGzip.Failure(message: "deflate stream is truncated") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw TarGzip.Failure(message: "deflate stored block length is damaged") }
        position += 4
        guard position + length <= input.count else { throw TarGzip.Failure(message: "deflate stream is truncated") }
        guard output.count + length <= maxOutput else { throw TarGzip.Failure(message: "archive expands beyond \(maxOutput) bytes") }
        output += input[position..<position + length]
        position += length
    }

    static let fixedLiteral: Huffman = {
        let lengths = [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24)
            + [Int](repeating: 8, count: 8)
        return (try? Huffman(lengths: lengths)) ?? Huffman.empty
    }()

    static let fixedDistance: Huffman = (try? Huffman(lengths: [Int](repeating: 5, count: 30))) ?? Huffman.empty

    mutating func dynamicTables() throws(TarGzip.Failure) -> (Huffman, Huffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw TarGzip.Failure(message: "deflate stream has too many codes")
        }
        var codeLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengths[Self.codeLengthOrder[index]] = try bits(3) }
        let lengthCode = try Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(lengthCode)
            switch symbol {
            case 0...15: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw TarGzip.Failure(message: "deflate repeat with no previous length") }
                lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
            case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
            default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else {
            throw TarGzip.Failure(message: "deflate code lengths overrun")
        }
        return (try Huffman(lengths: Array(lengths[0..<literalCount])), try Huffman(lengths: Array(lengths[literalCount...])))
    }

    mutating func codes(_ literal: Huffman, _ distance: Huffman) throws(TarGzip.Failure) {
        while true {
            let symbol = try decode(literal)
            if symbol < 256 {
                guard output.count < maxOutput else { throw TarGzip.Failure(message: "archive expands beyond \(maxOutput) bytes") }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < 29 else { throw TarGzip.Failure(message: "deflate stream has an invalid length code") }
                let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
                let distanceSymbol = try decode(distance)
                guard distanceSymbol < 30 else { throw TarGzip.Failure(message: "deflate stream has an invalid distance code") }
                let back = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
                guard back <= output.count else { throw TarGzip.Failure(message: "deflate distance reaches before the start") }
                guard output.count + length <= maxOutput else {
                    throw TarGzip.Failure(message: "archive expands beyond \(maxOutput) bytes")
                }
                let start = output.count - back
                for offset in 0..<length { output.append(output[start + offset]) }
            }
        }
    }
}
