/// A comma-separated `key=value` list: registry bodies, `table=options` uploads, SET OPTIONS, UPGRADE arguments,
/// `DateTime=…,ServerTZ=…`. Keys may start with `~` (`~DeviceName`), and values may contain commas and spaces
/// (`~OEMVendor=ZKTECO CO., LTD.`), so a comma splits only when what follows looks like `key=`.
public struct PushOptionList: Sendable, Hashable, Codable {
    public var fields: [PushField]

    public init(fields: [PushField]) { self.fields = fields }

    public init(_ pairs: KeyValuePairs<String, String>) {
        self.fields = pairs.map { PushField($0.key, $0.value) }
    }

    /// The first value for `key`, matching with or without a leading `~`, exact case first.
    public subscript(key: String) -> String? {
        let bare = key.hasPrefix("~") ? String(key.dropFirst()) : key
        if let field = fields.first(where: { $0.key == key || $0.key == "~" + bare || $0.key == bare }) {
            return field.value ?? ""
        }
        let lowered = bare.lowercased()
        return fields.first(where: { $0.key.lowercased() == lowered || $0.key.lowercased() == "~" + lowered })
            .map { $0.value ?? "" }
    }

    /// The wire form: `key=value,key=value`.
    public var text: String { fields.map(\.text).joined(separator: ",") }

    /// Parses a list. Line breaks inside the list are treated as part of values only when no `key=` follows them;
    /// callers pass one logical line.
    public static func parse(_ text: String, lineNumber: Int = 1) throws(PushParseError) -> PushOptionList {
        let bytes = Array(text.utf8)
        guard bytes.count <= PushLimits.maximumBodyBytes else {
            throw PushParseError(line: lineNumber, field: "options", problem: "list of \(bytes.count) bytes exceeds the body limit")
        }
        var fields: [PushField] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index <= bytes.endIndex {
            let atEnd = index == bytes.endIndex
            if atEnd || (bytes[index] == ASCII.comma && startsWithOptionKey(bytes[(index + 1)...])) {
                var segment = bytes[start..<index]
                while let first = segment.first, first == ASCII.space || first == ASCII.tab { segment = segment.dropFirst() }
                if !segment.isEmpty {
                    guard fields.count < PushLimits.maximumFieldsPerRecord else {
                        throw PushParseError(line: lineNumber, field: "options", problem: "more than \(PushLimits.maximumFieldsPerRecord) options")
                    }
                    if let equals = segment.firstIndex(of: ASCII.equals) {
                        fields.append(PushField(
                            String(decoding: segment[segment.startIndex..<equals], as: UTF8.self),
                            String(decoding: segment[(equals + 1)...], as: UTF8.self)))
                    } else {
                        fields.append(PushField(String(decoding: segment, as: UTF8.self), nil))
                    }
                }
                start = index + 1
            }
            index += 1
        }
        return PushOptionList(fields: fields)
    }

    /// `key=` after optional spaces; the key may start with `~`.
    private static func startsWithOptionKey(_ bytes: ArraySlice<UInt8>) -> Bool {
        var rest = bytes
        while let first = rest.first, first == ASCII.space { rest = rest.dropFirst() }
        return PushRecord.startsWithKey(rest)
    }
}

/// A block of `key=value` lines, one per line: the `registry=ok` handshake reply, the `/push` configuration reply,
/// the `desc=overview` summary, the querydata `name=…/size=…` header.
public struct PushKeyValueLines: Sendable, Hashable, Codable {
    public var fields: [PushField]

    public init(fields: [PushField]) { self.fields = fields }

    public init(_ pairs: KeyValuePairs<String, String>) {
        self.fields = pairs.map { PushField($0.key, $0.value) }
    }

    public subscript(key: String) -> String? {
        if let field = fields.first(where: { $0.key == key }) { return field.value ?? "" }
        let lowered = key.lowercased()
        return fields.first(where: { $0.key.lowercased() == lowered }).map { $0.value ?? "" }
    }

    /// Lines joined by LF, with a final LF.
    public var text: String { fields.map { $0.text + "\n" }.joined() }

    public static func parse(_ body: [UInt8]) throws(PushParseError) -> PushKeyValueLines {
        var fields: [PushField] = []
        for line in try body.pushLines() {
            let (text, _) = PushTextEncoding.decode(line.bytes)
            if let equals = text.firstIndex(of: "=") {
                fields.append(PushField(String(text[..<equals]), String(text[text.index(after: equals)...])))
            } else {
                fields.append(PushField(text, nil))
            }
        }
        return PushKeyValueLines(fields: fields)
    }
}
