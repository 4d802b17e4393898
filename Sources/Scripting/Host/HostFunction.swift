/// One function the host offers to Lua. The registry of these is the single
/// source for dispatch, docs/lua-api.md and lua/gatehouse.meta.lua.
struct HostFunction: Sendable {
    /// Dotted Lua name (`relay.open`); names starting with `__` are internal to the prelude.
    var name: String
    var summary: String
    var parameters: [HostParameter] = []
    var returns: [HostReturn] = []
    var context: HostContext = .anywhere
    /// Extra documentation (examples, limits), Markdown.
    var notes: String? = nil
    /// Nil for functions implemented in the Lua prelude (documented here, run there).
    var implementation: Implementation?

    typealias Implementation = @Sendable (LuaVM, HostCall) throws(HostRaise) -> HostResult

    var isInternal: Bool { name.hasPrefix("__") }
}

struct HostParameter: Sendable {
    var name: String
    /// LuaLS type expression, e.g. `integer`, `string?`, `fun(ev: table)`.
    var type: String
    var doc: String
}

struct HostReturn: Sendable {
    var type: String
    var name: String
    var doc: String
}

/// Where a host function may be called from.
enum HostContext: String, Sendable {
    /// Anywhere, including load time and card-format transforms.
    case anywhere
    /// Only while the site loads (the top level of a file).
    case loadTime = "load time only"
    /// From handlers and timers: not at load time (a rejected reload must have no side effects) and not in
    /// card-format transforms (they are pure).
    case handlers = "handlers and timers"
    /// Yields: only directly inside a handler or timer (not in a C callback like `string.gsub`).
    case yielding = "handlers and timers; yields"
}

/// What a host function hands back to the trampoline.
enum HostResult {
    case values([LuaValue])
    /// Park the calling coroutine until the host resumes it with the operation's result.
    case yield(PendingOperation)

    static let none = HostResult.values([])

    /// The `nil, err` convention of I/O calls.
    static func failure(_ message: String) -> HostResult { .values([.nil, .string(message)]) }
}

/// A programming mistake reported to the script as a Lua error at the caller's `file:line`.
struct HostRaise: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The arguments of one call, with checkers that raise Lua-style messages.
struct HostCall {
    var function: String
    var arguments: [LuaValue]
    var flags: Int32

    var canYield: Bool { flags & 1 != 0 }
    var onMainThread: Bool { flags & 2 != 0 }

    func argument(_ index: Int) -> LuaValue { index < arguments.count ? arguments[index] : .nil }

    func bad(_ index: Int, _ what: String) -> HostRaise {
        HostRaise("bad argument #\(index + 1) to '\(function)' (\(what))")
    }

    func string(_ index: Int) throws(HostRaise) -> String {
        let value = argument(index)
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        default: throw bad(index, "string expected, got \(value.typeName)")
        }
    }

    func optionalString(_ index: Int) throws(HostRaise) -> String? {
        argument(index).isNil ? nil : try string(index)
    }

    func integer(_ index: Int) throws(HostRaise) -> Int64 {
        let value = argument(index)
        guard let number = value.integerValue else {
            throw bad(index, value.doubleValue == nil ? "number expected, got \(value.typeName)" : "number has no integer representation")
        }
        return number
    }

    func number(_ index: Int) throws(HostRaise) -> Double {
        let value = argument(index)
        guard let number = value.doubleValue, number.isFinite else {
            throw bad(index, "number expected, got \(value.typeName)")
        }
        return number
    }

    func optionalNumber(_ index: Int) throws(HostRaise) -> Double? {
        argument(index).isNil ? nil : try number(index)
    }

    func table(_ index: Int) throws(HostRaise) -> LuaTable {
        guard case .table(let table) = argument(index) else {
            throw bad(index, "table expected, got \(argument(index).typeName)")
        }
        return table
    }

    func function(_ index: Int) throws(HostRaise) -> Int32 {
        guard case .function(let reference) = argument(index), reference >= 0 else {
            throw bad(index, "function expected, got \(argument(index).typeName)")
        }
        return reference
    }
}
