// Scripting: site scripts in embedded Lua 5.4.
//
// Job: load a site's `main.lua` (and the files it imports) into a sandboxed
// Lua VM, dispatch door events to the handlers it registers with `on(...)`,
// run its timers and card-format transforms under hard limits, and hot-reload
// it validate-then-swap (the old VM keeps serving until the new one passed).
//
// Seams (implemented by the composition root, in-memory versions here for tests):
// - `ScriptKeyValueStore`: host-owned kv storage that survives reloads (SQLite in production).
// - `ScriptOutbound`: HTTP/FTP/TFTP/mail/snapshot actions (the Outbound module); absent → `nil, "not configured"`.
// - `ScriptDoorActions`: relay/door/alarm commands forwarded to the door engine.
// - `ScriptClock`: time for timers, `sleep`, kv TTLs and rate limits.
// Callers: `gatehouse run` owns a `ScriptHost`; `gatehouse check` calls `ScriptHost.check`;
// /healthz reads `ScriptHost.status`.
//
// Threading: each VM is owned by the `ScriptHost` actor, pinned to one
// dedicated thread by a custom `SerialExecutor`; a `lua_State` never leaves it.
// Only C (CLuaShim) ever longjmps: Swift calls Lua only through protected shim
// helpers, and host functions run behind a C trampoline.

import Foundation

/// Hard limits for one site VM. Defaults follow docs/lua-api.md ("Limits").
public struct ScriptLimits: Sendable, Equatable {
    /// Memory cap for the whole VM, enforced by the allocator (32 MiB).
    public var memoryBytes: Int
    /// Instructions per handler slice, i.e. between two yields (2,000,000 ≈ 15 ms).
    public var handlerInstructions: Int
    /// Wall clock per handler slice (100 ms).
    public var handlerWallClock: Duration
    /// Total lifetime of one handler run, including waiting for I/O (60 s).
    public var handlerLifetime: Duration
    /// How long the door waits for a `credential` verdict before the built-in decision stands (300 ms).
    public var decisionDeadline: Duration
    /// Instructions for running the top level of all files at load (50,000,000).
    public var loadInstructions: Int
    /// Wall clock for the load (500 ms).
    public var loadWallClock: Duration
    /// Instructions for one card-format transform (200,000).
    public var transformInstructions: Int
    /// Wall clock for one card-format transform (20 ms).
    public var transformWallClock: Duration
    /// Handlers a site may register with `on` (64).
    public var maxHandlers: Int
    /// Timers a site may register with `every`/`cron` (256).
    public var maxTimers: Int
    /// Handler runs waiting on I/O or `sleep` at once (64); more events are dropped with a log line.
    public var maxPendingIO: Int
    /// Largest value `kv.set` accepts, in bytes (1 MiB).
    public var maxValueBytes: Int
    /// Consecutive failures after which a handler is disabled until the next reload (5).
    public var failuresBeforeDisable: Int
    /// How long an old VM may finish in-flight handlers after a swap (30 s).
    public var drainDeadline: Duration
    /// Instructions between two budget checks of the count hook (1,000).
    public var hookInterval: Int

    public init(
        memoryBytes: Int = 32 << 20,
        handlerInstructions: Int = 2_000_000,
        handlerWallClock: Duration = .milliseconds(100),
        handlerLifetime: Duration = .seconds(60),
        decisionDeadline: Duration = .milliseconds(300),
        loadInstructions: Int = 50_000_000,
        loadWallClock: Duration = .milliseconds(500),
        transformInstructions: Int = 200_000,
        transformWallClock: Duration = .milliseconds(20),
        maxHandlers: Int = 64,
        maxTimers: Int = 256,
        maxPendingIO: Int = 64,
        maxValueBytes: Int = 1 << 20,
        failuresBeforeDisable: Int = 5,
        drainDeadline: Duration = .seconds(30),
        hookInterval: Int = 1000
    ) {
        self.memoryBytes = memoryBytes
        self.handlerInstructions = handlerInstructions
        self.handlerWallClock = handlerWallClock
        self.handlerLifetime = handlerLifetime
        self.decisionDeadline = decisionDeadline
        self.loadInstructions = loadInstructions
        self.loadWallClock = loadWallClock
        self.transformInstructions = transformInstructions
        self.transformWallClock = transformWallClock
        self.maxHandlers = maxHandlers
        self.maxTimers = maxTimers
        self.maxPendingIO = maxPendingIO
        self.maxValueBytes = maxValueBytes
        self.failuresBeforeDisable = failuresBeforeDisable
        self.drainDeadline = drainDeadline
        self.hookInterval = hookInterval
    }
}

/// What /healthz shows about the site scripts.
public struct ScriptStatus: Sendable, Equatable, Codable {
    /// Content hash of the bundle currently serving events ("none" without scripts).
    public var version: String
    /// False when the last load or reload failed (the previous bundle, if any, keeps serving).
    public var ok: Bool
    /// `file:line: message` of the last failure.
    public var error: String?
    /// Handlers disabled by the circuit breaker, as `event@file:line`.
    public var disabledHandlers: [String]

    public init(version: String, ok: Bool, error: String? = nil, disabledHandlers: [String] = []) {
        self.version = version
        self.ok = ok
        self.error = error
        self.disabledHandlers = disabledHandlers
    }
}

/// A problem found in a site's scripts, pointing at a file and line.
public struct ScriptDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// Path relative to the site directory, e.g. `main.lua`.
    public var file: String
    /// 1-based line; 0 when the problem is not tied to a line (a missing file).
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message` (or `file: message` when there is no line).
    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }

    /// Parses a Lua error message (optionally followed by a traceback) into a
    /// diagnostic. Messages without a position take the first Lua frame of the
    /// traceback; failing that, `fallbackFile`.
    static func parse(luaError text: String, fallbackFile: String = "main.lua") -> ScriptDiagnostic {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = lines.first ?? text
        if let (file, line, rest) = splitPosition(first) {
            // coroutine.wrap re-adds the position of an error it propagates.
            var message = rest
            while message.hasPrefix("\(file):\(line): ") { message.removeFirst("\(file):\(line): ".count) }
            return ScriptDiagnostic(file: file, line: line, message: message)
        }
        for frame in lines.dropFirst() {
            let trimmed = frame.trimmingCharacters(in: .whitespaces)
            if let (file, line, _) = splitPosition(trimmed), file.hasSuffix(".lua") {
                return ScriptDiagnostic(file: file, line: line, message: first)
            }
        }
        return ScriptDiagnostic(file: fallbackFile, line: 0, message: first)
    }

    /// "file.lua:12: rest" → (file.lua, 12, rest).
    static func splitPosition(_ text: String) -> (String, Int, String)? {
        guard let firstColon = text.firstIndex(of: ":") else { return nil }
        let file = String(text[..<firstColon])
        guard !file.isEmpty, !file.contains(" "), !file.hasPrefix("[") else { return nil }
        let afterFile = text[text.index(after: firstColon)...]
        guard let secondColon = afterFile.firstIndex(of: ":") else { return nil }
        guard let line = Int(afterFile[..<secondColon]), line >= 0 else { return nil }
        var rest = afterFile[afterFile.index(after: secondColon)...]
        if rest.hasPrefix(" ") { rest = rest.dropFirst() }
        return (file, line, String(rest))
    }
}
