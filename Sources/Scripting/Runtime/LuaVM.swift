import CLuaShim
import Foundation
import Logging

/// One sandboxed `lua_State` for one site bundle. Not Sendable: it lives and
/// dies inside the `ScriptHost` actor (or inside one synchronous call of
/// `ScriptHost.check`), on one thread.
final class LuaVM {
    enum Phase: Equatable {
        case loading
        case running
        case closed
    }

    /// A handler registered with `on`.
    struct Handler {
        var event: ScriptEvent
        var reference: Int32
        var file: String
        var line: Int
        var consecutiveFailures = 0
        var disabled = false

        var position: String { "\(file):\(line)" }
        var label: String { "\(event.rawValue)@\(position)" }
    }

    /// A timer registered with `every` or `cron`.
    struct Timer {
        enum Kind {
            case every(Double)
            case cron(CronSchedule)
        }
        var kind: Kind
        var reference: Int32
        var file: String
        var line: Int
        var nextFire: Date?
        var running = false
        var consecutiveFailures = 0
        var disabled = false

        var label: String { "timer@\(file):\(line)" }
    }

    struct CardFormat {
        var reference: Int32
        var file: String
        var line: Int
        /// Sample vectors checked at every load (`cardformat(name, fn, {samples = ...})`).
        var samples: [CardFormatSample] = []
    }

    struct TestCase {
        var name: String
        var reference: Int32
        var file: String
        var line: Int
    }

    /// Why a Lua call failed: the `file:line: message` plus the full traceback.
    struct Failure: Error, Sendable {
        var diagnostic: ScriptDiagnostic
        var traceback: String
        var killed: Bool
    }

    let bundle: SiteBundle
    let limits: ScriptLimits
    let services: ScriptServices
    /// Host-owned state shared with the VM that replaces this one.
    let shared: HostState
    private(set) var state: OpaquePointer
    private(set) var kitReference: Int32 = -1
    private(set) var phase: Phase = .loading
    var handlers: [Handler] = []
    var timers: [Timer] = []
    var cardFormats: [String: CardFormat] = [:]
    /// `mqtt.subscribe` patterns of the loaded bundle.
    var mqttSubscriptions: [String] = []
    var tests: [TestCase] = []
    /// `selftest(name, fn)` blocks, run by `validate()` before the swap.
    var selfTests: [TestCase] = []
    /// `schedule.define` schedules, evaluated in the site's time zone.
    lazy var schedules = ScriptSchedules(timeZone: services.timeZone)
    /// Handler runs of this VM waiting on I/O or sleep (kept by the host).
    var pendingRuns = 0
    /// Set while a card-format transform runs: host functions other than pure ones refuse.
    var inTransform = false
    /// Set while a selftest runs during validation: like a transform, only pure host functions work.
    var inSelfTest = false
    /// The operation a host function asked to yield for; taken by the resumer.
    var pendingOperation: PendingOperation?
    /// Function references a host function keeps (others are released after the call).
    var retainedReferences: Set<Int32> = []
    private let arena = ValueArena()

    init(bundle: SiteBundle, limits: ScriptLimits, services: ScriptServices, shared: HostState) throws(Failure) {
        self.bundle = bundle
        self.limits = limits
        self.services = services
        self.shared = shared
        guard let state = gh_newstate(limits.memoryBytes > 0 ? limits.memoryBytes : 0, nil, Int32(clamping: limits.hookInterval))
        else {
            throw Failure(
                diagnostic: ScriptDiagnostic(file: "main.lua", line: 0, message: "cannot create a Lua state (out of memory)"),
                traceback: "", killed: false)
        }
        self.state = state
        gh_set_host(state, Unmanaged.passUnretained(self).toOpaque())
        LuaVM.installDispatcher
        try setUp()
    }

    deinit { close() }

    func close() {
        guard phase != .closed else { return }
        phase = .closed
        gh_close(state)
    }

    private static let installDispatcher: Void = {
        gh_set_dispatcher { host, thread, functionID, arguments, count, flags, reply in
            guard let host, let reply else { return }
            let vm = Unmanaged<LuaVM>.fromOpaque(host).takeUnretainedValue()
            vm.dispatch(
                thread: thread, functionID: Int(functionID), arguments: arguments, count: Int(count), flags: flags,
                reply: reply)
        }
    }()

    private func setUp() throws(Failure) {
        let functions = HostRegistry.functions
        var names: [UnsafeMutablePointer<CChar>?] = []
        var ids: [Int32] = []
        for (index, function) in functions.enumerated() where function.implementation != nil {
            names.append(strdup(function.name))
            ids.append(Int32(index))
        }
        defer { for name in names { free(name) } }
        var kit: Int32 = -1
        let prelude = Array(Prelude.source.utf8)
        let status = prelude.withUnsafeBufferPointer { code in
            names.withUnsafeBufferPointer { namePointers in
                namePointers.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: names.count) {
                    constNames in
                    code.withMemoryRebound(to: CChar.self) { text in
                        gh_setup(state, text.baseAddress, text.count, constNames, ids, Int32(ids.count), &kit)
                    }
                }
            }
        }
        guard status == gh_ok() else {
            let message = popMessage()
            throw Failure(
                diagnostic: ScriptDiagnostic(file: "prelude", line: 0, message: message), traceback: message,
                killed: false)
        }
        kitReference = kit
    }

    // MARK: - Loading

    /// Runs `main.lua` (which imports the rest) under the load budget.
    func loadMain() throws(Failure) {
        guard bundle.files["main.lua"] != nil else {
            throw Failure(
                diagnostic: ScriptDiagnostic(file: "main.lua", line: 0, message: "no such file in the site directory"),
                traceback: "", killed: false)
        }
        try loadFiles(["main.lua"])
    }

    /// Runs the top level of each file in turn, under one load budget each, then starts serving.
    func loadFiles(_ names: [String]) throws(Failure) {
        phase = .loading
        for name in names {
            _ = try call(
                field: "run_file", arguments: [.string(name)], results: 0, instructions: limits.loadInstructions,
                wallClock: limits.loadWallClock)
        }
        phase = .running
    }

    /// Runs `kit[field]` (or the function `reference`) to completion under a
    /// budget, in a fresh non-host coroutine: host calls cannot yield there,
    /// and the coroutine keeps its stack after an error, so every failure
    /// (memory errors included) gets a traceback with file:line.
    func call(
        field: String? = nil, reference: Int32? = nil, arguments: [LuaValue], results: Int, instructions: Int,
        wallClock: Duration
    ) throws(Failure) -> [LuaValue] {
        let scratch = ValueArena()
        let (pointer, count) = scratch.encode(arguments)
        var thread: OpaquePointer? = nil
        var threadReference: Int32 = gh_noref()
        var produced: Int32 = 0
        gh_budget_begin(state, Int64(instructions), wallClock.nanoseconds)
        var status: Int32
        if let field {
            status = field.withCString {
                gh_thread_start(state, kitReference, $0, 0, pointer, count, &thread, &threadReference)
            }
        } else {
            status = gh_thread_start(state, reference ?? -1, nil, 0, pointer, count, &thread, &threadReference)
        }
        if status == gh_ok(), let thread { status = gh_thread_resume(state, thread, nil, 0, &produced) }
        let killed = gh_budget_end(state)
        defer { gh_unref(state, threadReference) }
        if status == gh_yield_status() {
            let (file, line) = position(in: thread, level: 0)
            throw Failure(
                diagnostic: ScriptDiagnostic(
                    file: file, line: line, message: "attempt to yield outside an event handler (coroutine.yield at load time or in a transform)"),
                traceback: "", killed: false)
        }
        guard status == gh_ok(), let thread else { throw failure(message: popMessage(), killed: killed) }
        var values: [LuaValue] = []
        for index in 0..<results {
            values.append(index < produced ? value(at: Int32(index) - produced, in: thread) : .nil)
        }
        return values
    }

    /// Turns a Lua error (message + traceback) into a failure, pointing a
    /// budget kill at where the budget ran out and naming the memory limit.
    func failure(message: String, killed: Int32) -> Failure {
        var diagnostic = ScriptDiagnostic.parse(luaError: message)
        if diagnostic.line == 0 {
            var buffer = [CChar](repeating: 0, count: 160)
            let line = gh_error_position(state, &buffer, buffer.count)
            let file = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if line > 0 && !file.isEmpty { diagnostic = ScriptDiagnostic(file: file, line: Int(line), message: diagnostic.message) }
        }
        if killed != 0 {
            var buffer = [CChar](repeating: 0, count: 160)
            let line = gh_kill_position(state, &buffer, buffer.count)
            let file = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if line > 0 { diagnostic = ScriptDiagnostic(file: file, line: Int(line), message: diagnostic.message) }
            diagnostic.message =
                killed == GH_KILL_INSTRUCTIONS ? "instruction budget exceeded" : "wall-clock budget exceeded"
        } else if diagnostic.message == "not enough memory" {
            diagnostic.message = "not enough memory (site memory limit of \(limits.memoryBytes >> 20) MiB)"
        }
        return Failure(diagnostic: diagnostic, traceback: message, killed: killed != 0)
    }

    /// Copies the value at `index` out of the VM (never raises).
    func value(at index: Int32, in thread: OpaquePointer? = nil) -> LuaValue {
        let target = thread ?? state
        var buffer: UnsafeMutablePointer<gh_value>? = nil
        var count: Int32 = 0
        guard gh_marshal_value(target, index, &buffer, &count) == 0 else { return .other }
        defer { gh_free(buffer) }
        return LuaValue.decode(buffer, topLevel: 1).first ?? .nil
    }

    /// Pops the error message the shim left on the main stack.
    func popMessage() -> String {
        // Defensive: the host keeps the main stack empty between calls, so an empty stack means no message.
        guard gh_gettop(state) > 0 else { return "not enough memory" }
        var length = 0
        let text: String
        if let bytes = gh_tostring(state, -1, &length) {
            text = String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
        } else {
            text = "(error object is not a string)"
        }
        gh_pop(state, 1)
        return text
    }

    func addTimer(_ kind: Timer.Kind, reference: Int32) throws(HostRaise) {
        guard timers.count < limits.maxTimers else { throw HostRaise("too many timers (limit \(limits.maxTimers))") }
        let (file, line) = callerPosition(currentThread)
        retainedReferences.insert(reference)
        timers.append(Timer(kind: kind, reference: reference, file: file, line: line))
    }

    func release(_ reference: Int32) {
        guard phase != .closed, reference >= 0 else { return }
        gh_unref(state, reference)
    }

    /// Position of the Lua code calling the current host function.
    func callerPosition(_ thread: OpaquePointer?) -> (file: String, line: Int) {
        position(in: thread, level: 1)
    }

    /// Position of the nearest Lua frame at or above `level` of `thread`.
    func position(in thread: OpaquePointer?, level: Int32) -> (file: String, line: Int) {
        var buffer = [CChar](repeating: 0, count: 256)
        let line = gh_where(thread ?? state, level, &buffer, buffer.count)
        let file = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (file.isEmpty ? "?" : file, Int(line))
    }

    // MARK: - Host calls

    /// The Lua thread running the current host call.
    private(set) var currentThread: OpaquePointer?

    fileprivate func dispatch(
        thread: OpaquePointer?, functionID: Int, arguments: UnsafePointer<gh_value>?, count: Int, flags: Int32,
        reply: UnsafeMutablePointer<gh_reply>
    ) {
        arena.reset()
        currentThread = thread
        let values = LuaValue.decode(arguments, topLevel: count)
        let functions = HostRegistry.functions
        guard functionID >= 0, functionID < functions.count, let implementation = functions[functionID].implementation
        else {
            raise("unknown host function", into: reply)
            return
        }
        let function = functions[functionID]
        let call = HostCall(function: function.name, arguments: values, flags: flags)
        retainedReferences.removeAll(keepingCapacity: true)
        defer {
            for case .function(let reference) in values where reference >= 0 && !retainedReferences.contains(reference) {
                gh_unref(state, reference)
            }
        }
        do throws(HostRaise) {
            if inTransform && function.context != .anywhere {
                throw HostRaise("\(function.name) is not allowed in a card-format transform (transforms must be pure)")
            }
            if inSelfTest && function.context != .anywhere {
                throw HostRaise(
                    "\(function.name) is not allowed in a selftest (self-tests run while a reload is validated and must be pure; test I/O with gatehouse test)")
            }
            if function.context == .loadTime && phase != .loading {
                throw HostRaise("\(function.name) can only be called while the site loads (at the top level of a file)")
            }
            if (function.context == .handlers || function.context == .yielding) && phase == .loading {
                throw HostRaise("\(function.name) cannot be called while the site loads; call it from a handler (e.g. on('reload', ...))")
            }
            let result = try implementation(self, call)
            switch result {
            case .values(let results):
                let (pointer, encoded) = arena.encode(results)
                reply.pointee.outcome = GH_RETURN
                reply.pointee.results = pointer
                reply.pointee.count = encoded
            case .yield(let operation):
                guard call.canYield else {
                    throw HostRaise(
                        "attempt to yield across a C-call boundary: \(function.name) can only be called directly in an event handler or timer (not inside string.gsub callbacks, metamethods, iterators, coroutines or at load time)"
                    )
                }
                pendingOperation = operation
                reply.pointee.outcome = GH_YIELD
            }
        } catch {
            raise(error.message, into: reply)
        }
    }

    private func raise(_ message: String, into reply: UnsafeMutablePointer<gh_reply>) {
        reply.pointee.outcome = GH_RAISE
        reply.pointee.error = arena.cString(message)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds > 0 ? Int64.max : 0 }
        return product &+ attoseconds / 1_000_000_000
    }
}
