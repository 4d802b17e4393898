import Foundation

/// Byte-level helpers for the hot path: no regex, no Scanner, no intermediate `String` until a key or value is
/// handed out.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let ampersand: UInt8 = 0x26
    static let comma: UInt8 = 0x2C
    static let colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D
    static let tilde: UInt8 = 0x7E
    static let nul: UInt8 = 0x00

    /// Characters that may form a field key (`Pin`, `~DeviceName`, `SN_Num`, `MAJOR_VER`, `Door1Drivertime`).
    @inline(__always)
    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x7E, 0x2E: true
        default: false
        }
    }
}

/// One line of a body: its bytes without the terminator, and its 1-based number.
struct LineSlice {
    var bytes: ArraySlice<UInt8>
    var number: Int
}

extension Array where Element == UInt8 {
    /// Splits on LF, dropping the CRs before it (CRLF, and the CRCRLF some captures show); empty lines are left
    /// out unless asked for.
    func pushLines(keepingEmpty: Bool = false) throws(PushParseError) -> [LineSlice] {
        guard count <= PushLimits.maximumBodyBytes else {
            throw PushParseError(line: 1, field: "body", problem: "body of \(count) bytes exceeds the \(PushLimits.maximumBodyBytes)-byte limit")
        }
        // Scan once for line boundaries on the raw buffer, then cut slices.
        var lines: [LineSlice] = []
        var failure: PushParseError?
        withUnsafeBufferPointer { buffer in
            var start = 0
            var number = 1
            let total = buffer.count
            var index = nextIndex(of: ASCII.lineFeed, in: buffer, from: 0, to: total)
            while index <= total {
                if index == total && start == total { break }
                var lineEnd = index
                while lineEnd > start, buffer[lineEnd - 1] == ASCII.carriageReturn { lineEnd -= 1 }
                if lineEnd - start > PushLimits.maximumLineBytes {
                    failure = PushParseError(line: number, field: "line", problem: "line of \(lineEnd - start) bytes exceeds the \(PushLimits.maximumLineBytes)-byte limit")
                    return
                }
                if lineEnd > start || keepingEmpty {
                    if lines.count >= PushLimits.maximumLines {
                        failure = PushParseError(line: number, field: "body", problem: "more than \(PushLimits.maximumLines) lines")
                        return
                    }
                    lines.append(LineSlice(bytes: self[start..<lineEnd], number: number))
                }
                number += 1
                start = index + 1
                if index == total { break }
                index = nextIndex(of: ASCII.lineFeed, in: buffer, from: index + 1, to: total)
            }
        }
        if let failure { throw failure }
        return lines
    }
}

extension String {
    /// The UTF-8 bytes of the string, as the wire form.
    var pushBytes: [UInt8] { Array(utf8) }
}

/// Space, tab or CR: what separates the words of a command.
@inline(__always)
func isWordBlank(_ byte: UInt8) -> Bool {
    byte == ASCII.space || byte == ASCII.tab || byte == ASCII.carriageReturn
}

/// ASCII case-insensitive equality without allocating (`Return`/`return`, `PIN`/`Pin`).
@inline(__always)
func equalsIgnoringASCIICase(_ lhs: String, _ rhs: String) -> Bool {
    var left = lhs.utf8.makeIterator()
    var right = rhs.utf8.makeIterator()
    while true {
        switch (left.next(), right.next()) {
        case (nil, nil): return true
        case (let a?, let b?):
            if a == b { continue }
            let lowerA = (a >= 0x41 && a <= 0x5A) ? a | 0x20 : a
            let lowerB = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
            if lowerA != lowerB { return false }
        default: return false
        }
    }
}

/// Whether the bytes are valid UTF-8, with a fast path for pure ASCII (the usual PUSH body), checked eight bytes
/// at a time.
@inline(__always)
func isValidUTF8<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
    let allASCII: Bool? = bytes.withContiguousStorageIfAvailable { buffer in
        guard let base = UnsafeRawPointer(buffer.baseAddress) else { return true }
        let count = buffer.count
        var offset = 0
        while offset + 8 <= count {
            if base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            offset += 8
        }
        while offset < count {
            if buffer[offset] >= 0x80 { return false }
            offset += 1
        }
        return true
    }
    if allASCII ?? bytes.allSatisfy({ $0 < 0x80 }) { return true }
    return String(validating: bytes, as: UTF8.self) != nil
}

/// The index of the next `byte` in `buffer[start..<end]`, or `end`.
@inline(__always)
func nextIndex(of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
    guard start < end, let base = buffer.baseAddress else { return end }
    guard let found = memchr(base + start, Int32(byte), end - start) else { return end }
    return UnsafeRawPointer(found) - UnsafeRawPointer(base)
}

extension ArraySlice where Element == UInt8 {
    /// Drops leading and trailing spaces and tabs.
    var trimmingSpaceBytes: ArraySlice<UInt8> {
        var slice = self
        while let first = slice.first, first == ASCII.space || first == ASCII.tab { slice = slice.dropFirst() }
        while let last = slice.last, last == ASCII.space || last == ASCII.tab { slice = slice.dropLast() }
        return slice
    }

    /// Drops leading spaces, tabs and CRs and trailing spaces: a trailing TAB is kept because it marks a record
    /// as TAB-separated (see `PushRecord.text`).
    var trimmingForRecord: ArraySlice<UInt8> {
        var slice = self
        while let first = slice.first, isWordBlank(first) { slice = slice.dropFirst() }
        while let last = slice.last, last == ASCII.space { slice = slice.dropLast() }
        return slice
    }

    /// Whether the slice starts with `prefix`, ignoring ASCII case.
    func hasPrefixIgnoringCase(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard self.count >= count else { return false }
        return prefix.withUTF8Buffer { buffer in
            var index = startIndex
            for expected in buffer {
                let byte = self[index]
                let lower = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
                let lowerExpected = (expected >= 0x41 && expected <= 0x5A) ? expected | 0x20 : expected
                if lower != lowerExpected { return false }
                index += 1
            }
            return true
        }
    }

    /// Splits off the first word (ending at a space, tab or CR), skipping the blanks after it. CR counts as a
    /// blank because a line reader drops it at the end of a line: a word must not end in one.
    func splittingFirstWord() -> (word: ArraySlice<UInt8>, rest: ArraySlice<UInt8>) {
        var start = startIndex
        while start < endIndex, isWordBlank(self[start]) { start += 1 }
        var end = start
        while end < endIndex, !isWordBlank(self[end]) { end += 1 }
        var restStart = end
        while restStart < endIndex, isWordBlank(self[restStart]) { restStart += 1 }
        return (self[start..<end], self[restStart..<endIndex])
    }
}
