/// One `key=value` pair of a record, in the order it arrived. A segment without `=` (such as the bare
/// `transaction` in an ACCOUNT result) has a nil value and is emitted without `=`.
public struct PushField: Sendable, Hashable, Codable {
    public var key: String
    public var value: String?

    public init(_ key: String, _ value: String?) {
        self.key = key
        self.value = value
    }

    /// `key=value`, or the bare key.
    public var text: String {
        guard let value else { return key }
        return key + "=" + value
    }
}

/// A TAB-separated `key=value` row: rtlog and rtstate rows, tabledata uploads (`user uid=5<TAB>pin=4…`, with the
/// table name as a leading tag), query uploads, DATA UPDATE records, ENROLL parameters.
///
/// Every field is kept in order, known or not. Emission always uses TAB between fields and a single space after
/// the tag, which is the reference's syntax; the parser also accepts the space-separated rendering some examples
/// and some firmware use (a space splits only when what follows looks like `key=`), so values with spaces such as
/// `time=2017-01-10 11:49:32` survive.
public struct PushRecord: Sendable, Hashable, Codable {
    /// A leading word before the first field (`user`, `templatev10`, `biodata`…), if any.
    public var tag: String?
    public var fields: [PushField]
    /// The character set the line arrived in (names may be GB18030 on Chinese-language devices).
    public var encoding: PushTextEncoding

    public init(tag: String? = nil, fields: [PushField], encoding: PushTextEncoding = .utf8) {
        self.tag = tag
        self.fields = fields
        self.encoding = encoding
    }

    /// Builds a record from ordered pairs.
    public init(tag: String? = nil, _ pairs: KeyValuePairs<String, String>) {
        self.init(tag: tag, fields: pairs.map { PushField($0.key, $0.value) })
    }

    /// The first value for `key`: exact spelling first, then case-insensitive (`Return`/`return`, `PIN`/`Pin`).
    public subscript(key: String) -> String? {
        if let field = fields.first(where: { $0.key == key }) { return field.value ?? "" }
        return fields.first(where: { equalsIgnoringASCIICase($0.key, key) }).map { $0.value ?? "" }
    }

    /// Whether a field with this key (any case) is present.
    public func contains(_ key: String) -> Bool { self[key] != nil }

    /// Sets the value of an existing field (first match, exact spelling) or appends a new one.
    public mutating func set(_ key: String, _ value: String) {
        if let index = fields.firstIndex(where: { $0.key == key }) {
            fields[index].value = value
        } else {
            fields.append(PushField(key, value))
        }
    }

    /// The canonical wire form: `tag SP key=value HT key=value …`, no line terminator.
    ///
    /// A record of one field has no TAB, so a reader would take it for the space-separated form; when that would
    /// read it differently (a value with trailing spaces, or with ` key=` inside), a final TAB keeps it exact. The
    /// same final TAB protects a last value that ends in CR.
    public var text: String {
        var out = ""
        if let tag {
            out += tag
            out += " "
        }
        var first = true
        for field in fields {
            if !first { out += "\t" }
            first = false
            out += field.text
        }
        if fields.count <= 1, !fields.isEmpty {
            let bytes = Array(out.utf8)
            if let reread = try? PushRecord.parse(bytes[...], lineNumber: 1, validUTF8: true, allowTag: true),
               reread.tag != tag || reread.fields != fields {
                out += "\t"
            }
        }
        // A line reader drops CRs at the end of a line, and command contexts drop trailing spaces: a final TAB
        // keeps a last value that ends in either.
        if let last = out.utf8.last, last == ASCII.carriageReturn || last == ASCII.space { out += "\t" }
        return out
    }

    /// Parses one line (without its terminator).
    public static func parse(_ line: String, lineNumber: Int = 1) throws(PushParseError) -> PushRecord {
        let bytes = Array(line.utf8)
        return try parse(bytes[...], lineNumber: lineNumber, validUTF8: true, allowTag: true)
    }

    /// Parses a line of bytes. `validUTF8` says the caller already validated the bytes; otherwise they are decoded
    /// with the UTF-8 → GB18030 → Latin-1 chain first.
    static func parse(
        _ bytes: ArraySlice<UInt8>, lineNumber: Int, validUTF8: Bool, allowTag: Bool
    ) throws(PushParseError) -> PushRecord {
        if !validUTF8 {
            let (text, encoding) = PushTextEncoding.decode(bytes)
            var record = try parse(Array(text.utf8)[...], lineNumber: lineNumber, validUTF8: true, allowTag: allowTag)
            record.encoding = encoding
            return record
        }
        let result: Result<PushRecord, PushParseError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(PushParseError) {
                return .success(try parse(buffer: buffer, lineNumber: lineNumber, allowTag: allowTag))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The hot path: one line of valid UTF-8, scanned by index with no intermediate slices.
    static func parse(
        buffer: UnsafeBufferPointer<UInt8>, lineNumber: Int, allowTag: Bool
    ) throws(PushParseError) -> PushRecord {
        let end = buffer.count
        var tabCount = 0
        for byte in buffer where byte == ASCII.tab { tabCount += 1 }
        var fields: [PushField] = []
        fields.reserveCapacity(tabCount + 1)
        var tag: String?
        if tabCount > 0 {
            var segmentStart = 0
            var index = 0
            var isFirst = true
            while true {
                if index == end || buffer[index] == ASCII.tab {
                    var fieldStart = segmentStart
                    if isFirst && allowTag, let restStart = leadingTagEnd(buffer, segmentStart, index) {
                        tag = string(buffer, segmentStart, firstIndex(buffer, of: ASCII.space, segmentStart, index))
                        fieldStart = restStart
                    }
                    // Leading empty segments (a line that starts with TAB) do not use up the tag position.
                    if segmentStart < index { isFirst = false }
                    if fieldStart < index {
                        try appendField(buffer, fieldStart, index, to: &fields, lineNumber: lineNumber)
                    }
                    if index == end { break }
                    segmentStart = index + 1
                }
                index += 1
            }
        } else {
            let segments = spaceSeparatedSegments(buffer, 0, end)
            for (offset, segment) in segments.enumerated() {
                // A tag is one word (no `=`, no space), as in the TAB form.
                if offset == 0 && allowTag && segments.count > 1
                    && firstIndex(buffer, of: ASCII.equals, segment.lowerBound, segment.upperBound) == segment.upperBound
                    && firstIndex(buffer, of: ASCII.space, segment.lowerBound, segment.upperBound) == segment.upperBound {
                    tag = string(buffer, segment.lowerBound, segment.upperBound)
                    continue
                }
                try appendField(buffer, segment.lowerBound, segment.upperBound, to: &fields, lineNumber: lineNumber)
            }
        }
        return PushRecord(tag: tag, fields: fields)
    }

    @inline(__always)
    static func string(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
    }

    @inline(__always)
    static func firstIndex(_ buffer: UnsafeBufferPointer<UInt8>, of byte: UInt8, _ start: Int, _ end: Int) -> Int {
        var index = start
        while index < end, buffer[index] != byte { index += 1 }
        return index
    }

    @inline(__always)
    private static func appendField(
        _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to fields: inout [PushField], lineNumber: Int
    ) throws(PushParseError) {
        guard fields.count < PushLimits.maximumFieldsPerRecord else {
            throw PushParseError(line: lineNumber, field: "record", problem: "more than \(PushLimits.maximumFieldsPerRecord) fields")
        }
        let equals = firstIndex(buffer, of: ASCII.equals, start, end)
        if equals < end {
            fields.append(PushField(string(buffer, start, equals), string(buffer, equals + 1, end)))
        } else {
            fields.append(PushField(string(buffer, start, end), nil))
        }
    }

    /// `user uid=5` → the index where `uid=5` starts: a first word without `=`, blanks, then `key=` (the same rule
    /// as the space-separated form, so both forms read a tag alike).
    private static func leadingTagEnd(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let space = firstIndex(buffer, of: ASCII.space, start, end)
        guard space < end, space > start else { return nil }
        guard firstIndex(buffer, of: ASCII.equals, start, space) == space else { return nil }
        var restStart = space
        while restStart < end, buffer[restStart] == ASCII.space { restStart += 1 }
        guard startsWithKey(buffer, restStart, end) else { return nil }
        return restStart
    }

    /// Splits a TAB-less line on runs of spaces that are followed by `key=` (or that end the line).
    static func spaceSeparatedSegments(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var segmentStart = start
        var index = start
        while index < end {
            guard buffer[index] == ASCII.space else {
                index += 1
                continue
            }
            var runEnd = index
            while runEnd < end, buffer[runEnd] == ASCII.space { runEnd += 1 }
            if runEnd == end || startsWithKey(buffer, runEnd, end) {
                if index > segmentStart { segments.append(segmentStart..<index) }
                segmentStart = runEnd
            }
            index = runEnd
        }
        if segmentStart < end { segments.append(segmentStart..<end) }
        return segments
    }

    @inline(__always)
    static func startsWithKey(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end, ASCII.isKeyByte(buffer[index]) { index += 1 }
        return index > start && index < end && buffer[index] == ASCII.equals
    }

    /// Whether the bytes begin with `identifier=`.
    @inline(__always)
    static func startsWithKey(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex, ASCII.isKeyByte(bytes[index]) { index += 1 }
        return index > bytes.startIndex && index < bytes.endIndex && bytes[index] == ASCII.equals
    }
}
