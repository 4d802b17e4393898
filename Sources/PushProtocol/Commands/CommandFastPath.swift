/// The getrequest hot path: whole reply bodies of valid UTF-8 are parsed on one raw buffer, with index ranges
/// instead of slices (no reference counting per token). Anything unusual goes to the general parser, so both
/// paths give the same values (the tests and the fuzzer compare them).
enum CommandFastPath {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    /// Parses a valid-UTF-8 getrequest body; nil when the body needs the general path.
    static func parseAll(_ body: [UInt8]) throws(PushParseError) -> [ServerCommand]? {
        guard body.count <= PushLimits.maximumBodyBytes else { return nil }
        let outcome: Result<[ServerCommand]?, PushParseError> = body.withUnsafeBufferPointer { buffer in
            do throws(PushParseError) {
                return .success(try parseAll(buffer))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private static func parseAll(_ buffer: Buffer) throws(PushParseError) -> [ServerCommand]? {
        var commands: [ServerCommand] = []
        var head: Range<Int>?
        var headLine = 1
        var continuation: [Range<Int>] = []
        var start = 0
        var number = 1
        let total = buffer.count
        var index = nextIndex(of: ASCII.lineFeed, in: buffer, from: 0, to: total)
        var lineCount = 0
        while index <= total {
            if index == total && start == total { break }
            var end = index
            while end > start, buffer[end - 1] == ASCII.carriageReturn { end -= 1 }
            guard end - start <= PushLimits.maximumLineBytes else {
                throw PushParseError(line: number, field: "line", problem: "line of \(end - start) bytes exceeds the \(PushLimits.maximumLineBytes)-byte limit")
            }
            if end > start {
                lineCount += 1
                guard lineCount <= PushLimits.maximumLines else {
                    throw PushParseError(line: number, field: "body", problem: "more than \(PushLimits.maximumLines) lines")
                }
                if isCommandStart(buffer, start, end) {
                    if let current = head {
                        guard let command = try parse(buffer, head: current, continuation: continuation, lineNumber: headLine) else { return nil }
                        commands.append(command)
                    }
                    head = start..<end
                    headLine = number
                    continuation.removeAll(keepingCapacity: true)
                } else if head != nil {
                    continuation.append(start..<end)
                } else {
                    return nil
                }
            }
            number += 1
            start = index + 1
            if index == total { break }
            index = nextIndex(of: ASCII.lineFeed, in: buffer, from: index + 1, to: total)
        }
        if let current = head {
            guard let command = try parse(buffer, head: current, continuation: continuation, lineNumber: headLine) else { return nil }
            commands.append(command)
        }
        return commands
    }

    @inline(__always)
    private static func skipBlanks(_ buffer: Buffer, _ index: Int, _ end: Int) -> Int {
        var index = index
        while index < end, isWordBlank(buffer[index]) { index += 1 }
        return index
    }

    /// Spaces and tabs only: line starts, IDs and record lines, as the general parser trims them.
    @inline(__always)
    private static func skipSpaces(_ buffer: Buffer, _ index: Int, _ end: Int) -> Int {
        var index = index
        while index < end, buffer[index] == ASCII.space || buffer[index] == ASCII.tab { index += 1 }
        return index
    }

    @inline(__always)
    private static func wordEnd(_ buffer: Buffer, _ index: Int, _ end: Int) -> Int {
        var index = index
        while index < end, !isWordBlank(buffer[index]) { index += 1 }
        return index
    }

    /// Case-insensitive comparison of `buffer[start..<end]` with an upper-case ASCII word.
    @inline(__always)
    private static func isWord(_ buffer: Buffer, _ start: Int, _ end: Int, _ word: StaticString) -> Bool {
        guard end - start == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for offset in 0..<(end - start) {
            let byte = buffer[start + offset]
            let upper = (byte >= 0x61 && byte <= 0x7A) ? byte & 0xDF : byte
            if upper != expected[offset] { return false }
        }
        return true
    }

    private static func isCommandStart(_ buffer: Buffer, _ start: Int, _ end: Int) -> Bool {
        let first = skipBlanks(buffer, start, end)
        guard end - first >= 2 else { return false }
        if (buffer[first] | 0x20) == 0x63, buffer[first + 1] == ASCII.colon { return true }
        return end - first >= 9 && isWord(buffer, first, first + 9, "DATATYPE=")
    }

    /// One command; nil hands it to the general parser.
    private static func parse(
        _ buffer: Buffer, head: Range<Int>, continuation: [Range<Int>], lineNumber: Int
    ) throws(PushParseError) -> ServerCommand? {
        let end = head.upperBound
        var index = skipBlanks(buffer, head.lowerBound, end)
        guard end - index >= 2, (buffer[index] | 0x20) == 0x63, buffer[index + 1] == ASCII.colon else { return nil }
        index += 2
        let idStart = skipSpaces(buffer, index, end)
        var colon = idStart
        while colon < end, buffer[colon] != ASCII.colon { colon += 1 }
        guard colon < end else { return nil }
        var idEnd = colon
        while idEnd > idStart, buffer[idEnd - 1] == ASCII.space || buffer[idEnd - 1] == ASCII.tab { idEnd -= 1 }
        guard idEnd > idStart else { return nil }
        let verbStart = skipBlanks(buffer, colon + 1, end)
        let verbEnd = wordEnd(buffer, verbStart, end)
        let secondStart = skipBlanks(buffer, verbEnd, end)
        let secondEnd = wordEnd(buffer, secondStart, end)
        let kind: CommandKind
        if isWord(buffer, verbStart, verbEnd, "DATA") {
            let tableStart = skipBlanks(buffer, secondEnd, end)
            let tableEnd = wordEnd(buffer, tableStart, end)
            guard tableEnd > tableStart else { return nil }
            var equals = tableStart
            while equals < tableEnd, buffer[equals] != ASCII.equals { equals += 1 }
            guard equals == tableEnd, buffer[tableEnd - 1] != 0x2A else { return nil }
            let table = PushTableName(PushRecord.string(buffer, tableStart, tableEnd))
            let restStart = skipBlanks(buffer, tableEnd, end)
            if isWord(buffer, secondStart, secondEnd, "UPDATE") {
                var records: [PushRecord] = []
                records.reserveCapacity(1 + continuation.count)
                var number = lineNumber
                for range in CollectionOfOne(restStart..<end) + continuation {
                    if let record = try recordLine(buffer, range, lineNumber: number) { records.append(record) }
                    number += 1
                }
                kind = .dataUpdate(table: table, records: records)
            } else if continuation.isEmpty, isWord(buffer, secondStart, secondEnd, "DELETE") || isWord(buffer, secondStart, secondEnd, "COUNT") {
                var trimmedEnd = end
                while trimmedEnd > restStart, buffer[trimmedEnd - 1] == ASCII.space { trimmedEnd -= 1 }
                var condition = DataCondition.none
                if trimmedEnd > restStart {
                    var starEnd = trimmedEnd
                    while starEnd > restStart, buffer[starEnd - 1] == ASCII.tab || buffer[starEnd - 1] == ASCII.space { starEnd -= 1 }
                    if starEnd - restStart == 1, buffer[restStart] == 0x2A {
                        condition = .all
                    } else {
                        guard let record = try recordLine(buffer, restStart..<end, lineNumber: lineNumber) else { return nil }
                        condition = .fields(record)
                    }
                }
                kind = isWord(buffer, secondStart, secondEnd, "DELETE") ? .dataDelete(table: table, condition: condition) : .dataCount(table: table, condition: condition)
            } else {
                return nil
            }
        } else if continuation.isEmpty, isWord(buffer, verbStart, verbEnd, "CONTROL"), isWord(buffer, secondStart, secondEnd, "DEVICE") {
            let arguments = Array(UnsafeBufferPointer(rebasing: buffer[secondEnd..<end]))[...]
            kind = .controlDevice(try ControlDeviceCommand(hex: arguments, lineNumber: lineNumber))
        } else {
            return nil
        }
        return ServerCommand(id: PushRecord.string(buffer, idStart, idEnd), kind: kind)
    }

    /// A record line as the general parser reads it: leading blanks and trailing spaces dropped, blank lines
    /// skipped, a leading tag folded back into a bare field.
    private static func recordLine(_ buffer: Buffer, _ range: Range<Int>, lineNumber: Int) throws(PushParseError) -> PushRecord? {
        let start = skipBlanks(buffer, range.lowerBound, range.upperBound)
        var end = range.upperBound
        while end > start, buffer[end - 1] == ASCII.space { end -= 1 }
        var blank = true
        for index in start..<end where buffer[index] != ASCII.space && buffer[index] != ASCII.tab {
            blank = false
            break
        }
        if blank { return nil }
        return try PushRecord.parse(buffer: UnsafeBufferPointer(rebasing: buffer[start..<end]), lineNumber: lineNumber, allowTag: true).withoutTag
    }
}
