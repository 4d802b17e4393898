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
    /// Splits on LF, dropping a CR before it (CRLF) and a lone trailing CR; keeps empty lines out when asked.
    func pushLines(keepingEmpty: Bool = false) throws(PushParseError) -> [LineSlice] {
        guard count <= PushLimits.maximumBodyBytes else {
            throw PushParseError(line: 1, field: "body", problem: "body of \(count) bytes exceeds the \(PushLimits.maximumBodyBytes)-byte limit")
        }
        var lines: [LineSlice] = []
        var start = startIndex
        var number = 1
        var index = startIndex
        while index < endIndex {
            if self[index] == ASCII.lineFeed {
                try Self.appendLine(self[start..<index], number: number, to: &lines, keepingEmpty: keepingEmpty)
                number += 1
                start = index + 1
            }
            index += 1
        }
        if start < endIndex {
            try Self.appendLine(self[start..<endIndex], number: number, to: &lines, keepingEmpty: keepingEmpty)
        }
        return lines
    }

    private static func appendLine(
        _ raw: ArraySlice<UInt8>, number: Int, to lines: inout [LineSlice], keepingEmpty: Bool
    ) throws(PushParseError) {
        var line = raw
        if let last = line.last, last == ASCII.carriageReturn { line = line.dropLast() }
        guard line.count <= PushLimits.maximumLineBytes else {
            throw PushParseError(line: number, field: "line", problem: "line of \(line.count) bytes exceeds the \(PushLimits.maximumLineBytes)-byte limit")
        }
        guard lines.count < PushLimits.maximumLines else {
            throw PushParseError(line: number, field: "body", problem: "more than \(PushLimits.maximumLines) lines")
        }
        if line.isEmpty && !keepingEmpty { return }
        lines.append(LineSlice(bytes: line, number: number))
    }
}

extension String {
    /// The UTF-8 bytes of the string, as the wire form.
    var pushBytes: [UInt8] { Array(utf8) }
}
