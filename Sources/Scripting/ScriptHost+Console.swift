import Foundation

/// One `gatehouse console` connection. Each session has its own scratch
/// globals in the serving VM; after a reload it starts over on the new version.
public struct ConsoleSession: Hashable, Sendable {
    public let id: String
    public init(id: String = UUID().uuidString) { self.id = id }
}

/// What one console line produced, in the standalone `lua` REPL's terms.
public struct ConsoleResult: Sendable, Equatable {
    /// What the chunk printed (`print` is captured in the console, not logged), lines joined by "\n".
    public var output: String
    /// The values an expression returned, each as `tostring` shows it (tables by content).
    public var values: [String]
    /// `stdin:1: message` when the chunk did not compile, raised, or ran out of budget.
    public var error: String?
    /// The chunk is unfinished (an open `function`, table or string): nothing ran; the session keeps the text and
    /// prepends it to the next line, as the `lua` REPL does (its `>>` prompt).
    public var incomplete: Bool

    public init(output: String = "", values: [String] = [], error: String? = nil, incomplete: Bool = false) {
        self.output = output
        self.values = values
        self.error = error
        self.incomplete = incomplete
    }

    public var succeeded: Bool { error == nil }

    /// What a REPL shows: printed lines, then the values separated by tabs, then the error.
    public var text: String {
        var lines: [String] = []
        if !output.isEmpty { lines.append(output) }
        if !values.isEmpty { lines.append(values.joined(separator: "\t")) }
        if let error { lines.append(error) }
        return lines.joined(separator: "\n")
    }
}

extension ScriptHost {
    /// Largest chunk the console accepts.
    static let consoleChunkLimit = 64 << 10

    /// Runs one console chunk in `session`'s scratch `_ENV` over the serving
    /// VM: reads fall through to `main.lua`'s globals and the frozen base,
    /// writes stay in the session. `=expr` and bare expressions return their
    /// values (like the `lua` REPL, `return <line>` is tried first). The chunk
    /// runs as a handler does: same slice budget, may yield on I/O and `sleep`
    /// (this call then waits), same lifetime; its actions are real.
    public func consoleEvaluate(_ source: String, session: ConsoleSession) async -> ConsoleResult {
        guard let vm, vm.phase == .running else { return ConsoleResult(error: "stdin: no site scripts are loaded") }
        guard source.utf8.count <= ScriptHost.consoleChunkLimit else {
            return ConsoleResult(error: "stdin: chunk too long (limit \(ScriptHost.consoleChunkLimit >> 10) KiB)")
        }
        let prepared: [LuaValue]
        do throws(LuaVM.Failure) {
            prepared = try vm.call(
                field: "console_prepare", arguments: [.string(session.id), .string(source)], results: 3,
                instructions: limits.handlerInstructions, wallClock: limits.handlerWallClock)
        } catch {
            return ConsoleResult(error: error.diagnostic.description)
        }
        guard prepared.first == .boolean(true) else {
            if prepared.count > 2, prepared[2] == .boolean(true) { return ConsoleResult(incomplete: true) }
            return ConsoleResult(error: prepared.dropFirst().first?.stringValue ?? "stdin: cannot compile")
        }
        nextRunID += 1
        let run = HandlerRun(id: nextRunID, vm: vm, origin: .console, startedAt: clock.now)
        let step = vm.startRun(run, reference: -1, field: "console_run", arguments: [.string(session.id)])
        let result: HandlerRun.Result
        if case .done(let finished) = step {
            advance(run, step, wasSuspended: false)
            result = finished
        } else {
            result = await withCheckedContinuation { (continuation: CheckedContinuation<HandlerRun.Result, Never>) in
                run.completion = { continuation.resume(returning: $0) }
                advance(run, step, wasSuspended: false)
            }
        }
        switch result {
        case .returned(let values):
            let output = values.dropFirst().first?.stringValue ?? ""
            if values.first == .boolean(true) {
                return ConsoleResult(output: output, values: values.dropFirst(2).map { $0.stringValue ?? $0.typeName })
            }
            return ConsoleResult(output: output, error: values.dropFirst(2).first?.stringValue ?? "stdin: error")
        case .failed(let failure):
            // A budget kill cannot be caught inside the chunk: fetch what it printed before it died.
            var output = ""
            if vm.phase == .running,
                let printed = try? vm.call(
                    field: "console_output", arguments: [.string(session.id)], results: 1,
                    instructions: limits.handlerInstructions, wallClock: limits.handlerWallClock
                ).first?.stringValue
            {
                output = printed
            }
            return ConsoleResult(output: output, error: failure.diagnostic.description)
        case .abandoned(let reason):
            return ConsoleResult(error: "stdin: \(reason)")
        }
    }

    /// Forgets `session`'s scratch globals (when its connection closes).
    public func endConsole(_ session: ConsoleSession) {
        guard let vm, vm.phase == .running else { return }
        _ = try? vm.call(
            field: "console_end", arguments: [.string(session.id)], results: 0, instructions: limits.handlerInstructions,
            wallClock: limits.handlerWallClock)
    }
}
