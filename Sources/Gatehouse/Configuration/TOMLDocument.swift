import Foundation

/// A TOML document restricted to what Gatehouse's configuration uses:
/// `[section]` tables, `key = value` pairs, strings (basic and literal),
/// integers, floats, booleans and arrays of those (single- or multi-line),
/// and `#` comments. Every value remembers its line so configuration errors
/// can name it.
///
/// Why hand-written: the TOML package on this machine (TOMLKit) depends on a
/// package that cannot be resolved here, and the subset is small enough to
/// parse exactly, with line numbers, in a page of code.
public struct TOMLDocument: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        case array([Value])

        var typeName: String {
            switch self {
            case .string: "string"
            case .integer: "integer"
            case .float: "float"
            case .boolean: "boolean"
            case .array: "array"
            }
        }
    }

    public struct Entry: Sendable, Equatable {
        public var value: Value
        public var line: Int
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// `section -> key -> entry`. Keys outside any section live under "".
    public private(set) var sections: [String: [String: Entry]] = [:]
    /// Line of each section header, for errors about unknown sections.
    public private(set) var sectionLines: [String: Int] = [:]
    /// `[[name]]` arrays of tables (the site's actions file lists cameras, inputs and web relay actions this way):
    /// each table with the line of its header. The main configuration has none.
    public private(set) var tableArrays: [String: [(line: Int, entries: [String: Entry])]] = [:]

    public init(parsing text: String) throws(ParseError) {
        var section = ""
        var tableArray: String?
        // "\r\n" is one Character in Swift, so normalise before splitting on "\n".
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var line = Self.stripComment(lines[index])
            line = line.trimmingCharacters(in: .whitespaces)
            index += 1
            if line.isEmpty { continue }
            if line.hasPrefix("[[") {
                let name = line.dropFirst(2).dropLast(line.hasSuffix("]]") ? 2 : 0).trimmingCharacters(in: .whitespaces)
                guard line.hasSuffix("]]"), Self.isBareKey(name), sectionLines[name] == nil else {
                    throw ParseError(line: lineNumber, message: "malformed table array header '\(line)'")
                }
                tableArray = name
                tableArrays[name, default: []].append((lineNumber, [:]))
                continue
            }
            if line.hasPrefix("[") {
                tableArray = nil
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw ParseError(line: lineNumber, message: "malformed section header '\(line)'")
                }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                guard Self.isBareKey(name) else {
                    throw ParseError(line: lineNumber, message: "invalid section name '\(name)'")
                }
                guard sectionLines[name] == nil, tableArrays[name] == nil else {
                    throw ParseError(line: lineNumber, message: "section [\(name)] defined twice")
                }
                section = name
                sectionLines[name] = lineNumber
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: lineNumber, message: "expected 'key = value', found '\(line)'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard Self.isBareKey(key) else {
                throw ParseError(line: lineNumber, message: "invalid key '\(key)'")
            }
            var rawValue = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // Multi-line arrays: keep reading until the brackets balance. The scan carries on from where it was, so an
            // array left open near the top of a long file costs one pass over the rest, not one per line.
            if rawValue.hasPrefix("[") {
                var brackets = BracketScan()
                brackets.scan(rawValue)
                while !brackets.isBalanced, index < lines.count {
                    let next = " " + Self.stripComment(lines[index]).trimmingCharacters(in: .whitespaces)
                    brackets.scan(next)
                    rawValue += next
                    lines[index] = ""
                    index += 1
                }
            }
            var parser = ValueParser(text: Array(rawValue.unicodeScalars), line: lineNumber)
            let value = try parser.parseValue()
            try parser.expectEnd()
            if let name = tableArray, let last = tableArrays[name]?.indices.last {
                guard tableArrays[name]?[last].entries[key] == nil else {
                    throw ParseError(line: lineNumber, message: "key '\(key)' defined twice")
                }
                tableArrays[name]?[last].entries[key] = Entry(value: value, line: lineNumber)
                continue
            }
            guard sections[section]?[key] == nil else {
                throw ParseError(line: lineNumber, message: "key '\(key)' defined twice")
            }
            sections[section, default: [:]][key] = Entry(value: value, line: lineNumber)
        }
    }

    private static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty
            && key.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
            }
    }

    /// Removes a `#` comment that is not inside a string.
    private static func stripComment(_ line: String) -> String {
        var strings = StringScan()
        for (offset, character) in line.enumerated() where strings.isOutside(character) && character == "#" {
            return String(line.prefix(offset))
        }
        return line
    }

    /// Follows basic (`"…"`, with `\` escapes) and literal (`'…'`) strings, a character at a time, so that `#`, `[`
    /// and `]` inside them are not taken for comments or brackets.
    private struct StringScan {
        private var quote: Character?
        private var escaped = false

        /// Takes the next character: true when it stands outside any string and is not a quote itself.
        mutating func isOutside(_ character: Character) -> Bool {
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
                return false
            }
            if character == "\"" || character == "'" {
                quote = character
                return false
            }
            return true
        }
    }

    /// Bracket depth outside strings, fed a piece at a time.
    private struct BracketScan {
        private var depth = 0
        private var strings = StringScan()

        var isBalanced: Bool { depth <= 0 }

        mutating func scan(_ text: String) {
            for character in text where strings.isOutside(character) {
                if character == "[" {
                    depth += 1
                } else if character == "]" {
                    depth -= 1
                }
            }
        }
    }

    private struct ValueParser {
        /// Arrays nest at most this deep: the parser recurses per level, and a file of brackets must not exhaust the
        /// stack of a running host that re-reads its actions file.
        static let maxArrayDepth = 32

        let text: [Unicode.Scalar]
        let line: Int
        var position = 0
        var arrayDepth = 0

        init(text: [Unicode.Scalar], line: Int) {
            self.text = text
            self.line = line
        }

        func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        mutating func skipSpace() {
            while position < text.count, text[position] == " " || text[position] == "\t" { position += 1 }
        }

        mutating func expectEnd() throws(ParseError) {
            skipSpace()
            if position < text.count {
                throw fail("unexpected text after value: '\(String(String.UnicodeScalarView(text[position...])))'")
            }
        }

        mutating func parseValue() throws(ParseError) -> Value {
            skipSpace()
            guard position < text.count else { throw fail("missing value") }
            switch text[position] {
            case "\"": return .string(try parseBasicString())
            case "'": return .string(try parseLiteralString())
            case "[": return try parseArray()
            default: return try parseScalar()
            }
        }

        mutating func parseBasicString() throws(ParseError) -> String {
            position += 1
            var result = String.UnicodeScalarView()
            while position < text.count {
                let scalar = text[position]
                position += 1
                if scalar == "\"" { return String(result) }
                if scalar == "\\" {
                    guard position < text.count else { break }
                    let escape = text[position]
                    position += 1
                    switch escape {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    case "r": result.append("\r")
                    case "\"": result.append("\"")
                    case "\\": result.append("\\")
                    case "u", "U":
                        let width = escape == "u" ? 4 : 8
                        guard position + width <= text.count,
                            let code = UInt32(String(String.UnicodeScalarView(text[position..<position + width])), radix: 16),
                            let decoded = Unicode.Scalar(code)
                        else { throw fail("invalid \\\(escape) escape in string") }
                        result.append(decoded)
                        position += width
                    default: throw fail("invalid escape '\\\(escape)' in string")
                    }
                } else {
                    result.append(scalar)
                }
            }
            throw fail("unterminated string")
        }

        mutating func parseLiteralString() throws(ParseError) -> String {
            position += 1
            let start = position
            while position < text.count {
                if text[position] == "'" {
                    let value = String(String.UnicodeScalarView(text[start..<position]))
                    position += 1
                    return value
                }
                position += 1
            }
            throw fail("unterminated string")
        }

        mutating func parseArray() throws(ParseError) -> Value {
            guard arrayDepth < Self.maxArrayDepth else { throw fail("arrays nested deeper than \(Self.maxArrayDepth) levels") }
            arrayDepth += 1
            defer { arrayDepth -= 1 }
            position += 1
            var values: [Value] = []
            while true {
                skipSpace()
                guard position < text.count else { throw fail("unterminated array") }
                if text[position] == "]" {
                    position += 1
                    return .array(values)
                }
                values.append(try parseValue())
                skipSpace()
                guard position < text.count else { throw fail("unterminated array") }
                if text[position] == "," {
                    position += 1
                } else if text[position] != "]" {
                    throw fail("expected ',' or ']' in array")
                }
            }
        }

        mutating func parseScalar() throws(ParseError) -> Value {
            let start = position
            while position < text.count, text[position] != ",", text[position] != "]", text[position] != " ",
                text[position] != "\t"
            {
                position += 1
            }
            let token = String(String.UnicodeScalarView(text[start..<position]))
            if token == "true" { return .boolean(true) }
            if token == "false" { return .boolean(false) }
            let digits = token.replacingOccurrences(of: "_", with: "")
            if let integer = Int(digits) { return .integer(integer) }
            if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let number = Double(digits), number.isFinite {
                return .float(number)
            }
            throw fail("invalid value '\(token)' (strings need quotes)")
        }
    }
}
