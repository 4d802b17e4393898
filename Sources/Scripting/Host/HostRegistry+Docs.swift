/// Generates the two documents integrators read from the one registry:
/// docs/lua-api.md and lua/gatehouse.meta.lua (a LuaLS `---@meta` file).
/// A test fails when the committed copies drift from this output.
extension HostRegistry {
    /// Everything documented, host functions and prelude functions alike.
    static var documented: [HostFunction] { functions.filter { !$0.isInternal } + preludeDocumented }

    /// Implemented in Lua by the prelude; listed here so the docs are complete.
    static let preludeDocumented: [HostFunction] = [
        HostFunction(
            name: "import", summary: "Loads `name.lua` from the site directory once (text only, its own globals) and returns what it returned.",
            parameters: [HostParameter(name: "name", type: "string", doc: "Letters, digits, `_`, `-` and `/` (sub-folders), without `.lua`.")],
            returns: [HostReturn(type: "any", name: "module", doc: "The file's return value, or true.")],
            context: .anywhere),
    ]

    static var namespaces: [String] {
        var seen: [String] = []
        for function in documented {
            if let dot = function.name.firstIndex(of: ".") {
                let space = String(function.name[..<dot])
                if !seen.contains(space) { seen.append(space) }
            }
        }
        return seen
    }

    // MARK: Markdown

    static func markdown() -> String {
        let limits = ScriptLimits()
        var out = """
            <!-- Generated from Sources/Scripting/Host/HostRegistry.swift; do not edit by hand. -->
            <!-- Regenerate: GATEHOUSE_REGENERATE_LUA_DOCS=1 swift test --filter DocsTests -->
            # Gatehouse Lua API

            Site scripts live in the site directory: `main.lua` is loaded, other files are loaded with `import`.
            `*_test.lua` files run only under `gatehouse test`.

            ## Sandbox

            - Lua 5.4 with `string` (without `dump`), `table`, `math`, `utf8` and `coroutine`, read-only.
            - Base functions: `assert error getmetatable ipairs next pairs pcall rawequal rawget rawlen rawset select setmetatable tonumber tostring type xpcall print load collectgarbage`.
              `load` accepts text only; `collectgarbage` accepts `collect`, `count`, `step` and `isrunning`; `print` writes to the log at level info.
            - No `io`, `os`, `package`, `debug`, `dofile`, `loadfile`, `require`: use `import`, `time.*`, `kv.*` and the functions below.
            - Each file has its own globals (`_ENV`) over the shared read-only base; nothing survives a reload except what the host keeps (`kv`, rate windows).
            - Functions that yield (marked *yields*) may only be called directly in an event handler or timer, not inside `string.gsub` callbacks,
              metamethods, iterators, your own coroutines, card-format transforms or at load time: there they raise
              `attempt to yield across a C-call boundary`.
            - I/O returns `result` or `nil, err`; errors are raised only for programming mistakes (wrong argument types, calling at the wrong time).

            ## Limits (defaults)

            | Limit | Default |
            |---|---|
            | Memory per site | \(limits.memoryBytes >> 20) MiB |
            | Instructions per handler slice (between yields) | \(limits.handlerInstructions.formatted3) |
            | Wall clock per handler slice | \(limits.handlerWallClock.milliseconds) ms |
            | Lifetime of one handler run, including I/O | \(Int(limits.handlerLifetime.seconds)) s |
            | Credential decision deadline | \(limits.decisionDeadline.milliseconds) ms |
            | Load: instructions / wall clock | \(limits.loadInstructions.formatted3) / \(limits.loadWallClock.milliseconds) ms |
            | Card-format transform: instructions / wall clock | \(limits.transformInstructions.formatted3) / \(limits.transformWallClock.milliseconds) ms |
            | Handlers / timers / parked handler runs | \(limits.maxHandlers) / \(limits.maxTimers) / \(limits.maxPendingIO) |
            | kv value size | \(limits.maxValueBytes >> 20) MiB |
            | Consecutive failures before a handler is disabled | \(limits.failuresBeforeDisable) |
            | Drain deadline for the old version after a reload | \(Int(limits.drainDeadline.seconds)) s |

            A budget kill cannot be caught with `pcall`. A failing or killed handler never stops the door: the built-in
            decision stands, and the error goes to the log and the journal with `file:line` and a traceback.

            ## Reload validation

            A load, a reload and `gatehouse check` run the same steps before a version may serve: every file's top level
            runs under the load budget (so `on` event names, `every`/`cron` intervals and `schedule.define` schedules are
            checked where they are written), then every `cardformat` sample vector must give its `expect`, then every
            `selftest` must pass. The first failure refuses the version with `file:line: message`; the previous version
            keeps serving.

            ## Console

            `gatehouse console` evaluates lines against the running site, one scratch `_ENV` per session: reads fall
            through to `main.lua`'s globals and the base, writes stay in the session (a reload starts it over). A line
            that is an expression (or starts with `=`) shows its values; `print` goes to the console, not the log; an
            unfinished chunk waits for more lines; errors read `stdin:1: message`. Lines run like handlers: same budget
            and lifetime, I/O yields, and actions are real.

            ## Events

            | Event | When |
            |---|---|

            """
        for event in ScriptEvent.allCases { out += "| `\(event.rawValue)` | \(eventDoc(event)) |\n" }
        out += "\n## Functions\n"
        var lastSpace: String? = ""
        for function in documented.sorted(by: { sortKey($0) < sortKey($1) }) {
            let space = function.name.firstIndex(of: ".").map { String(function.name[..<$0]) }
            if space != lastSpace {
                out += "\n### \(space.map { "`\($0)`" } ?? "Globals")\n"
                lastSpace = space
            }
            out += "\n#### `\(signature(function))`\n\n\(function.summary)\n"
            if function.context != .anywhere { out += "\n*Context:* \(function.context.rawValue).\n" }
            if !function.parameters.isEmpty {
                out += "\n| Parameter | Type | |\n|---|---|---|\n"
                for parameter in function.parameters {
                    out += "| `\(parameter.name)` | `\(parameter.type.replacingOccurrences(of: "|", with: "\\|"))` | \(parameter.doc) |\n"
                }
            }
            if !function.returns.isEmpty {
                out += "\n*Returns:* " + function.returns.map { "`\($0.name)`: `\($0.type.replacingOccurrences(of: "|", with: "\\|"))`" + ($0.doc.isEmpty ? "" : " (\($0.doc))") }.joined(separator: ", ") + "\n"
            }
            if let notes = function.notes { out += "\n\(notes)\n" }
        }
        return out
    }

    private static func sortKey(_ function: HostFunction) -> String {
        function.name.contains(".") ? "1" + function.name : "0" + function.name
    }

    private static func signature(_ function: HostFunction) -> String {
        "\(function.name)(" + function.parameters.map { $0.type.hasSuffix("?") ? "[\($0.name)]" : $0.name }.joined(separator: ", ") + ")"
    }

    static func eventDoc(_ event: ScriptEvent) -> String {
        switch event {
        case .credential: "A credential was presented (`card`, `pin`, `reader`, `door`, `user`, `time`, `local_time` …). May return a verdict."
        case .decision: "The final decision was journalled (the journal entry's fields: `index`, `event`, `door`, `reader`, `pin`, `card`, `verify_mode`, `detail` …)."
        case .dtmf: "DTMF digits during a call (`digits`, `caller`, `call`)."
        case .button: "A button was pressed (`button`, `door`)."
        case .input: "A digital input changed (`input`, `state`)."
        case .door: "A door changed state (`door`, `state`: opened, closed, held_open, forced)."
        case .relay: "A relay changed state (`relay`, `state`)."
        case .alarm: "An alarm was raised or cleared (`name`, `state`)."
        case .deviceEvent: "A PUSH device reported an event (`sn`, `event`, `door`, `pin`, `card` …)."
        case .reload: "The scripts were (re)loaded; runs once on the new version (`version`, `previous`)."
        case .mqtt: "A message on a topic the site subscribed to with `mqtt.subscribe` (`topic`, `payload`, `retain`, `qos`)."
        case .call:
            "A SIP call at the door (`call`, `direction`, `party`, `phase`). While one rings, may return `{grant = true}` to answer or `{deny = \"why\"}` to refuse."
        }
    }

    // MARK: LuaLS meta file

    static func metaFile() -> String {
        var out = """
            ---@meta gatehouse
            -- Generated from Sources/Scripting/Host/HostRegistry.swift; do not edit by hand.
            -- Regenerate: GATEHOUSE_REGENERATE_LUA_DOCS=1 swift test --filter DocsTests

            ---@alias gatehouse.EventName \(ScriptEvent.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "|"))


            """
        for space in namespaces {
            out += "---@class gatehouse.\(space)\n\(space) = {}\n\n"
        }
        for function in documented.sorted(by: { sortKey($0) < sortKey($1) }) {
            out += "---\(function.summary.replacingOccurrences(of: "\n", with: " "))\n"
            if function.context != .anywhere { out += "---\n---Context: \(function.context.rawValue).\n" }
            for parameter in function.parameters {
                let optional = parameter.type.hasSuffix("?")
                let type = optional ? String(parameter.type.dropLast()) : parameter.type
                out += "---@param \(parameter.name)\(optional ? "?" : "") \(type)\(parameter.doc.isEmpty ? "" : " \(parameter.doc)")\n"
            }
            for result in function.returns {
                out += "---@return \(result.type) \(result.name)\(result.doc.isEmpty ? "" : " \(result.doc)")\n"
            }
            out += "function \(function.name)(\(function.parameters.map(\.name).joined(separator: ", "))) end\n\n"
        }
        return out
    }
}

extension Int {
    /// 2000000 → "2,000,000".
    fileprivate var formatted3: String {
        let digits = Array(String(self))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }
}

extension Duration {
    fileprivate var milliseconds: Int { Int((seconds * 1000).rounded()) }
}
