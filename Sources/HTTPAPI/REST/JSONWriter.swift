import NIOCore

/// Writes a flat JSON object straight into a `ByteBuffer`, for answers on hot routes where `JSONEncoder`'s
/// generality costs more than the rest of the request. Escapes as `JSONEncoder` does by default (quote,
/// backslash, slash, control characters; other text as UTF-8), so clients see the same bytes either way.
struct JSONWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private(set) var buffer = ByteBuffer()
    private var needsComma = false

    init(capacity: Int = 192) {
        buffer.reserveCapacity(capacity)
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    mutating func field(_ key: StaticString, _ value: String) {
        writeKey(key)
        string(value)
    }

    mutating func field(_ key: StaticString, _ value: some BinaryInteger) {
        writeKey(key)
        buffer.writeString(String(value))
    }

    mutating func field(_ key: StaticString, _ value: Bool) {
        writeKey(key)
        buffer.writeStaticString(value ? "true" : "false")
    }

    mutating func fieldNull(_ key: StaticString) {
        writeKey(key)
        buffer.writeStaticString("null")
    }

    /// Keys are the API's own snake_case names: plain ASCII with nothing to escape.
    private mutating func writeKey(_ key: StaticString) {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
        needsComma = true
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(key)
        buffer.writeStaticString("\":")
    }

    private mutating func string(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var plainStart = text.utf8.startIndex
        for index in text.utf8.indices {
            let byte = text.utf8[index]
            let escape: StaticString?
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "/"): escape = "\\/"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0..<0x20: escape = nil
            default: continue
            }
            buffer.writeBytes(text.utf8[plainStart..<index])
            if let escape {
                buffer.writeStaticString(escape)
            } else {
                buffer.writeStaticString("\\u00")
                buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
                buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
            }
            plainStart = text.utf8.index(after: index)
        }
        buffer.writeBytes(text.utf8[plainStart...])
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
