import Logging

/// Every function the host offers to Lua, in documentation order. The index
/// in `functions` is the id the C trampoline carries.
enum HostRegistry {
    static let functions: [HostFunction] = internals + events + logging

    static func named(_ name: String) -> HostFunction? { functions.first { $0.name == name } }

    // MARK: Internal (prelude only)

    static let internals: [HostFunction] = [
        HostFunction(
            name: "__source", summary: "Text of a file of the site bundle, or nil, err.",
            implementation: { vm, call throws(HostRaise) in
                let name = try call.string(0)
                guard let bytes = vm.bundle.files[name] else {
                    return .failure("cannot open \(name): no such file in the site directory")
                }
                return .values([.string(String(decoding: bytes, as: UTF8.self))])
            })
    ]

    // MARK: Events

    static let events: [HostFunction] = [
        HostFunction(
            name: "on",
            summary: "Registers `handler` for the event `name`.",
            parameters: [
                HostParameter(
                    name: "name", type: "gatehouse.EventName",
                    doc: "One of " + ScriptEvent.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ") + "."),
                HostParameter(name: "handler", type: "fun(ev: table): table?", doc: "Called with the event table."),
            ],
            context: .loadTime,
            notes: """
                A `credential` handler may return a verdict: `{deny = "reason"}`, `{grant = true, door = id, seconds = n}` \
                or `{require = "pin"}`; returning nothing leaves the built-in decision. All other events are observed. \
                A handler that fails several times in a row is disabled until the next reload.
                """,
            implementation: { vm, call throws(HostRaise) in
                let name = try call.string(0)
                guard let event = ScriptEvent(rawValue: name) else {
                    throw HostRaise("on: unknown event '\(name)' (known: \(ScriptEvent.namesForMessages))")
                }
                let reference = try call.function(1)
                guard vm.handlers.count < vm.limits.maxHandlers else {
                    throw HostRaise("on: too many handlers (limit \(vm.limits.maxHandlers))")
                }
                let (file, line) = vm.callerPosition(vm.currentThread)
                vm.retainedReferences.insert(reference)
                vm.handlers.append(LuaVM.Handler(event: event, reference: reference, file: file, line: line))
                return .none
            }),
    ]

    // MARK: Logging

    static let logging: [HostFunction] = [
        logFunction("info", .info), logFunction("warn", .warning), logFunction("error", .error),
    ]

    private static func logFunction(_ name: String, _ level: Logger.Level) -> HostFunction {
        HostFunction(
            name: "log.\(name)",
            summary: "Writes `message` to the host log at level \(name), tagged with the script's file:line.",
            parameters: [HostParameter(name: "message", type: "any", doc: "Converted with `tostring` rules for strings and numbers.")],
            implementation: { vm, call throws(HostRaise) in
                let message: String
                switch call.argument(0) {
                case .string(let text): message = text
                case .integer(let number): message = String(number)
                case .number(let number): message = String(number)
                case .boolean(let flag): message = String(flag)
                case .nil: message = "nil"
                default: message = "(\(call.argument(0).typeName))"
                }
                let (file, line) = vm.callerPosition(vm.currentThread)
                vm.services.logger.log(
                    level: level, "\(message)",
                    metadata: ["script": "\(file):\(line)", "bundle": "\(vm.bundle.version)"])
                return .none
            })
    }
}
