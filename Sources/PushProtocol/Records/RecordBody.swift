/// Bodies made of several records, one per line (LF or CRLF, last newline optional).
public enum RecordBody {
    /// Parses every non-empty line of a body as a `PushRecord`.
    ///
    /// The whole body is validated as UTF-8 once (the fast path); if that fails each line is decoded on its own so
    /// one GB2312 name does not change how the other lines are read.
    public static func parse(_ body: [UInt8], allowTag: Bool = true) throws(PushParseError) -> [PushRecord] {
        let lines = try body.pushLines()
        let bodyIsUTF8 = isValidUTF8(body)
        var records: [PushRecord] = []
        records.reserveCapacity(lines.count)
        for line in lines {
            let lineIsUTF8 = bodyIsUTF8 || isValidUTF8(line.bytes)
            let record = try PushRecord.parse(line.bytes, lineNumber: line.number, validUTF8: lineIsUTF8, allowTag: allowTag)
            // A line of blanks carries nothing (and would not survive emission as a line).
            if record.fields.isEmpty && record.tag == nil { continue }
            records.append(record)
        }
        return records
    }

    /// Emits records one per line, each terminated by LF (the reference's `${LF}` joins records).
    public static func emit(_ records: [PushRecord]) -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            out.append(contentsOf: record.encoding.encode(record.text))
            out.append(ASCII.lineFeed)
        }
        return out
    }
}
