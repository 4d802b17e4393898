import CLuaShim

/// A Lua value copied out of (or to be pushed into) a VM. Functions are
/// registry references that only mean something inside the VM they came from.
public indirect enum LuaValue: Sendable, Equatable, Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case table(LuaTable)
    case function(Int32)
    case other

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value):
            guard value.isFinite, value.rounded() == value, abs(value) < 9.0e18 else { return nil }
            return Int64(value)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    public var tableValue: LuaTable? {
        if case .table(let table) = self { return table }
        return nil
    }

    public var isNil: Bool { self == .nil }

    /// Lua truthiness: everything except nil and false.
    public var isTruthy: Bool {
        switch self {
        case .nil, .boolean(false): return false
        default: return true
        }
    }

    /// The Lua type name, for error messages.
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .other: "userdata"
        }
    }
}

/// A Lua table as ordered key/value pairs (order as Lua's `next` gave it).
public struct LuaTable: Sendable, Equatable, Hashable {
    public var entries: [Entry]

    public struct Entry: Sendable, Equatable, Hashable {
        public var key: LuaValue
        public var value: LuaValue
        public init(key: LuaValue, value: LuaValue) {
            self.key = key
            self.value = value
        }
    }

    public init(entries: [Entry] = []) { self.entries = entries }

    public init(_ fields: [String: LuaValue]) {
        entries = fields.keys.sorted().map { Entry(key: .string($0), value: fields[$0] ?? .nil) }
    }

    public init(array: [LuaValue]) {
        entries = array.enumerated().map { Entry(key: .integer(Int64($0.offset + 1)), value: $0.element) }
    }

    public subscript(key: String) -> LuaValue {
        entries.first(where: { $0.key == .string(key) })?.value ?? .nil
    }

    public subscript(index: Int64) -> LuaValue {
        entries.first(where: { $0.key == .integer(index) })?.value ?? .nil
    }

    /// The sequence part 1...n, as `ipairs` would see it.
    public var array: [LuaValue] {
        var result: [LuaValue] = []
        var index: Int64 = 1
        while case let value = self[index], value != .nil {
            result.append(value)
            index += 1
        }
        return result
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
}

// MARK: - Conversion from the shim's flat buffers

extension LuaValue {
    /// Decodes `count` top-level values from a flat buffer (nested tables in prefix order).
    static func decode(_ buffer: UnsafePointer<gh_value>?, topLevel count: Int) -> [LuaValue] {
        guard let buffer, count > 0 else { return Array(repeating: .nil, count: max(count, 0)) }
        var cursor = 0
        var values: [LuaValue] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(decodeOne(buffer, &cursor)) }
        return values
    }

    private static func decodeOne(_ buffer: UnsafePointer<gh_value>, _ cursor: inout Int) -> LuaValue {
        let raw = buffer[cursor]
        cursor += 1
        switch raw.tag {
        case GH_NIL: return .nil
        case GH_BOOL: return .boolean(raw.i != 0)
        case GH_INT: return .integer(raw.i)
        case GH_NUM: return .number(raw.n)
        case GH_STR:
            guard let bytes = raw.s else { return .string("") }
            let buffer = UnsafeRawBufferPointer(start: bytes, count: raw.len)
            return .string(String(decoding: buffer, as: UTF8.self))
        case GH_TABLE:
            var entries: [LuaTable.Entry] = []
            let pairs = Int(clamping: raw.i)
            entries.reserveCapacity(min(pairs, 1024))
            for _ in 0..<pairs {
                let key = decodeOne(buffer, &cursor)
                let value = decodeOne(buffer, &cursor)
                entries.append(LuaTable.Entry(key: key, value: value))
            }
            return .table(LuaTable(entries: entries))
        case GH_FUNCTION: return .function(Int32(clamping: raw.i))
        default: return .other
        }
    }
}

/// Owns the C memory of values handed to the shim (strings and value arrays)
/// until `reset`, which the VM calls before the next host call reuses it.
final class ValueArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit { reset() }

    func reset() {
        for pointer in allocations { pointer.deallocate() }
        allocations.removeAll(keepingCapacity: true)
    }

    /// Flattens values into a buffer owned by the arena.
    func encode(_ values: [LuaValue]) -> (UnsafeMutablePointer<gh_value>?, Int32) {
        guard !values.isEmpty else { return (nil, 0) }
        var flat: [gh_value] = []
        for value in values { append(value, to: &flat) }
        let pointer = UnsafeMutablePointer<gh_value>.allocate(capacity: flat.count)
        pointer.initialize(from: flat, count: flat.count)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return (pointer, Int32(values.count))
    }

    func cString(_ text: String) -> UnsafePointer<CChar> {
        let utf8 = Array(text.utf8)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
        for (index, byte) in utf8.enumerated() { pointer[index] = CChar(bitPattern: byte) }
        pointer[utf8.count] = 0
        allocations.append(UnsafeMutableRawPointer(pointer))
        return UnsafePointer(pointer)
    }

    private func append(_ value: LuaValue, to flat: inout [gh_value]) {
        var raw = gh_value()
        switch value {
        case .nil, .other: raw.tag = GH_NIL
        case .boolean(let flag):
            raw.tag = GH_BOOL
            raw.i = flag ? 1 : 0
        case .integer(let number):
            raw.tag = GH_INT
            raw.i = number
        case .number(let number):
            raw.tag = GH_NUM
            raw.n = number
        case .string(let text):
            let utf8 = Array(text.utf8)
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(utf8.count, 1))
            for (index, byte) in utf8.enumerated() { pointer[index] = CChar(bitPattern: byte) }
            allocations.append(UnsafeMutableRawPointer(pointer))
            raw.tag = GH_STR
            raw.s = UnsafePointer(pointer)
            raw.len = utf8.count
        case .function(let reference):
            raw.tag = GH_FUNCTION
            raw.i = Int64(reference)
        case .table(let table):
            raw.tag = GH_TABLE
            raw.i = Int64(table.entries.count)
            flat.append(raw)
            for entry in table.entries {
                append(entry.key, to: &flat)
                append(entry.value, to: &flat)
            }
            return
        }
        flat.append(raw)
    }
}
