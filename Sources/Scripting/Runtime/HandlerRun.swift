import CLuaShim
import Foundation

/// One execution of a handler, timer or test body in a host event coroutine.
/// Lives on the VM's thread only.
final class HandlerRun {
    enum Origin: Equatable {
        case handler(Int)
        case timer(Int)
        case test(String)
        /// A `gatehouse console` chunk.
        case console
    }

    enum Result {
        case returned([LuaValue])
        case failed(LuaVM.Failure)
        /// Stopped by the host (lifetime, drain deadline, shutdown); the reason is logged.
        case abandoned(String)
    }

    enum Step {
        case done(Result)
        case waiting(PendingOperation)
    }

    let id: UInt64
    let vm: LuaVM
    let origin: Origin
    let startedAt: Date
    fileprivate(set) var thread: OpaquePointer?
    fileprivate(set) var threadReference: Int32 = -1
    /// Set while waiting in `sleep`.
    var wakeAt: Date?
    /// Called once with the final result.
    var completion: ((Result) -> Void)?

    init(id: UInt64, vm: LuaVM, origin: Origin, startedAt: Date) {
        self.id = id
        self.vm = vm
        self.origin = origin
        self.startedAt = startedAt
    }

    var isFinished: Bool { thread == nil }

    /// A `gatehouse test` block: it runs for as long as the test's simulated time needs, so no lifetime applies.
    var isTest: Bool {
        if case .test = origin { return true }
        return false
    }

    /// Stops a suspended run without resuming it (its coroutine is collected with the VM or by the GC).
    func abandon() {
        vm.release(threadReference)
        thread = nil
        threadReference = -1
    }
}

extension LuaVM {
    /// Starts `reference(arguments...)` (or the prelude kit's function `field`) in a host coroutine and runs its first slice.
    func startRun(_ run: HandlerRun, reference: Int32, field: String? = nil, arguments: [LuaValue]) -> HandlerRun.Step {
        let scratch = ValueArena()
        let (pointer, count) = scratch.encode(arguments)
        var thread: OpaquePointer? = nil
        var threadReference: Int32 = gh_noref()
        let status: Int32
        if let field {
            status = field.withCString { gh_thread_start(state, kitReference, $0, 1, pointer, count, &thread, &threadReference) }
        } else {
            status = gh_thread_start(state, reference, nil, 1, pointer, count, &thread, &threadReference)
        }
        guard status == gh_ok(), let thread else {
            return .done(.failed(failure(message: popMessage(), killed: 0)))
        }
        run.thread = thread
        run.threadReference = threadReference
        return step(run, resumingWith: [])
    }

    /// Runs the next slice of `run` under a fresh slice budget, passing `values`
    /// as the results of the host call it yielded in.
    func step(_ run: HandlerRun, resumingWith values: [LuaValue]) -> HandlerRun.Step {
        guard let thread = run.thread, phase != .closed else { return .done(.abandoned("the VM was closed")) }
        let scratch = ValueArena()
        let (pointer, count) = scratch.encode(values)
        var produced: Int32 = 0
        pendingOperation = nil
        gh_budget_begin(state, Int64(limits.handlerInstructions), limits.handlerWallClock.nanoseconds)
        let status = gh_thread_resume(state, thread, pointer, count, &produced)
        let killed = gh_budget_end(state)
        if status == gh_yield_status() {
            guard let operation = pendingOperation else {
                run.abandon()
                return .done(.abandoned("the handler yielded without a host operation"))
            }
            pendingOperation = nil
            return .waiting(operation)
        }
        defer { run.abandon() }
        guard status == gh_ok() else { return .done(.failed(failure(message: popMessage(), killed: killed))) }
        var results: [LuaValue] = []
        for index in 0..<Int(produced) { results.append(value(at: Int32(index) - produced, in: thread)) }
        return .done(.returned(results))
    }
}
