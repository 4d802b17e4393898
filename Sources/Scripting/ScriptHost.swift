import Foundation
import Logging
import Synchronization

/// Owns the site's Lua VM. Pinned to one dedicated thread through a custom
/// `SerialExecutor`, so the `lua_State` never leaves that thread; methods that
/// run Lua are synchronous inside the actor (no `await` while a Lua frame is
/// live). Yielding host calls park the handler's coroutine here and a task
/// resumes it through the actor when the operation completes.
public actor ScriptHost {
    private let executor: LuaThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let siteDirectory: URL?
    public nonisolated let limits: ScriptLimits
    private let services: ScriptServices
    private var logger: Logger { services.logger }
    var clock: any ScriptClock { services.clock }

    /// The VM serving new events.
    private(set) var vm: LuaVM? {
        didSet { refreshObservedEvents() }
    }
    /// One bit per `ScriptEvent` with an enabled handler in the serving VM, readable without a hop onto the script
    /// thread (see `isObserving`).
    private nonisolated let observedEvents = Atomic<UInt64>(0)
    /// Replaced VMs finishing their in-flight runs (closed when idle or at their drain deadline).
    private var retiring: [(vm: LuaVM, deadline: Date)] = []
    private let shared = HostState()
    private var loadStatus = ScriptStatus(version: "none", ok: true)

    /// Runs parked on I/O or `sleep`.
    private var suspended: [UInt64: HandlerRun] = [:]
    var nextRunID: UInt64 = 0
    private var operationsInFlight = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Credential decisions waiting on a suspended handler, with their deadline.
    private var advice: [UInt64: PendingAdvice] = [:]
    private var dueWork: Task<Void, Never>?
    private var actionFeed: AsyncStream<(ScriptAction, String)>.Continuation?
    private var actionTask: Task<Void, Never>?
    private var actionsOutstanding = 0

    public init(siteDirectory: URL?, limits: ScriptLimits = .init(), logger: Logger) {
        self.init(siteDirectory: siteDirectory, limits: limits, services: ScriptServices(logger: logger))
    }

    /// - Parameter lastGoodDirectory: where the last bundle that loaded is kept (e.g. `<data>/scripts-last-good`);
    ///   used at boot when the site directory's scripts are broken. nil: not kept.
    public init(
        siteDirectory: URL?, limits: ScriptLimits = .init(), services: ScriptServices, lastGoodDirectory: URL? = nil
    ) {
        self.siteDirectory = siteDirectory
        self.limits = limits
        self.services = services
        self.lastGoodDirectory = lastGoodDirectory
        self.executor = LuaThreadExecutor(name: "gatehouse.lua")
    }

    public nonisolated let lastGoodDirectory: URL?
    private var watcher: SiteWatcher?
    private var lastRejectedVersion: String?

    deinit {
        dueWork?.cancel()
        actionFeed?.finish()
        executor.stop()
    }

    // MARK: - Status

    /// What /healthz shows: the serving version, whether the last load worked, and disabled handlers.
    public var status: ScriptStatus {
        var status = loadStatus
        status.disabledHandlers =
            vm.map { vm in
                vm.handlers.filter(\.disabled).map(\.label) + vm.timers.filter(\.disabled).map(\.label)
            } ?? []
        return status
    }

    // MARK: - Loading

    /// Loads (or reloads) the site: snapshot the directory, build a new VM
    /// beside the current one, run its top level under the load budget, and
    /// swap only when it validated. On failure the current VM keeps serving.
    @discardableResult
    public func load() -> ScriptStatus {
        guard let siteDirectory else {
            loadStatus = ScriptStatus(version: "none", ok: true)
            return status
        }
        let result: ScriptStatus
        do {
            result = load(bundle: try SiteBundle.snapshot(of: siteDirectory))
        } catch {
            result = reject(
                version: "unreadable", ScriptDiagnostic(file: siteDirectory.path, line: 0, message: error.description),
                traceback: "")
        }
        if vm == nil, !result.ok { bootFromLastGood() }
        return status
    }

    /// At boot with broken scripts: serve the last bundle that loaded, keeping the error visible.
    private func bootFromLastGood() {
        guard let lastGoodDirectory, let bundle = try? SiteBundle.snapshot(of: lastGoodDirectory), !bundle.files.isEmpty
        else { return }
        let error = loadStatus.error
        guard case .success(let next) = ScriptHost.build(bundle: bundle, limits: limits, services: services, shared: shared)
        else {
            logger.error("the last good site bundle does not load either", metadata: ["version": "\(bundle.version)"])
            return
        }
        swap(to: next, persist: false)
        loadStatus = ScriptStatus(version: bundle.version, ok: false, error: error)
        logger.warning(
            "serving the last good site scripts until the site directory is fixed",
            metadata: ["version": "\(bundle.version)", "error": "\(error ?? "")"])
    }

    /// Keeps `bundle` as the last good one: written beside, then renamed over the old copy.
    private func persistLastGood(_ bundle: SiteBundle) {
        guard let lastGoodDirectory, !bundle.files.isEmpty else { return }
        let manager = FileManager.default
        let staging = lastGoodDirectory.deletingLastPathComponent()
            .appendingPathComponent(".\(lastGoodDirectory.lastPathComponent).staging-\(bundle.version)")
        do {
            try? manager.removeItem(at: staging)
            for (path, bytes) in bundle.files {
                let file = staging.appendingPathComponent(path)
                try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: file)
            }
            // Directories cannot be renamed over a non-empty one: move the old copy aside first.
            let aside = staging.appendingPathExtension("old")
            try? manager.removeItem(at: aside)
            if manager.fileExists(atPath: lastGoodDirectory.path) { try manager.moveItem(at: lastGoodDirectory, to: aside) }
            try manager.moveItem(at: staging, to: lastGoodDirectory)
            try? manager.removeItem(at: aside)
        } catch {
            try? manager.removeItem(at: staging)
            logger.warning(
                "could not keep the last good site bundle", metadata: ["path": "\(lastGoodDirectory.path)", "error": "\(error)"])
        }
    }

    // MARK: - Watching

    /// Reloads on changes in the site directory (inotify, polling fallback), debounced.
    @discardableResult
    public func startWatching(
        debounce: Duration = .milliseconds(300), pollInterval: Duration = .seconds(2), forcePolling: Bool = false
    ) -> SiteWatcher.Mode? {
        guard let siteDirectory else { return nil }
        if let watcher { return watcher.mode }
        let watcher = SiteWatcher(
            directory: siteDirectory, debounce: debounce, pollInterval: pollInterval, forcePolling: forcePolling
        ) { [weak self] in
            Task { await self?.reloadAfterChange() }
        }
        self.watcher = watcher
        return watcher.start()
    }

    /// Number of reloads the watcher triggered (for tests and diagnostics).
    public private(set) var watcherReloads = 0
    private var watcherReloadWaiters: [(Int, CheckedContinuation<Void, Never>)] = []

    private func reloadAfterChange() {
        load()
        watcherReloads += 1
        let ready = watcherReloadWaiters.filter { $0.0 <= watcherReloads }
        watcherReloadWaiters.removeAll { $0.0 <= watcherReloads }
        for (_, waiter) in ready { waiter.resume() }
    }

    /// Waits until the watcher has triggered at least `count` reloads in total.
    public func waitForWatcherReloads(_ count: Int) async {
        guard watcherReloads < count else { return }
        await withCheckedContinuation { watcherReloadWaiters.append((count, $0)) }
    }

    /// Loads a bundle already in memory (the watcher's snapshot, or the last good bundle at boot).
    @discardableResult
    public func load(bundle: SiteBundle) -> ScriptStatus {
        if let vm, vm.bundle == bundle, loadStatus.ok { return status }
        switch ScriptHost.build(bundle: bundle, limits: limits, services: services, shared: shared) {
        case .failure(let failure):
            return reject(version: bundle.version, failure.diagnostic, traceback: failure.traceback)
        case .success(let next):
            swap(to: next, persist: true)
            return status
        }
    }

    /// The bundle currently serving, if any (the watcher saves it as the last good one).
    public var currentBundle: SiteBundle? { vm?.bundle }

    private func reject(version: String, _ diagnostic: ScriptDiagnostic, traceback: String) -> ScriptStatus {
        // The watcher may report the same broken bundle repeatedly: say it once.
        if lastRejectedVersion == version && loadStatus.error == diagnostic.description { return status }
        lastRejectedVersion = version
        logger.error(
            "site scripts rejected; keeping the previous version",
            metadata: [
                "rejected": "\(version)", "serving": "\(vm?.bundle.version ?? "none")", "error": "\(diagnostic)",
                "traceback": "\(traceback)",
            ])
        loadStatus = ScriptStatus(version: vm?.bundle.version ?? "none", ok: false, error: diagnostic.description)
        journal("script.reload", ["version": version, "ok": "false", "error": diagnostic.description])
        flushActions()
        return status
    }

    private func swap(to next: LuaVM, persist: Bool) {
        lastRejectedVersion = nil
        if persist { persistLastGood(next.bundle) }
        let previous = vm
        vm = next
        let now = clock.now
        for index in next.timers.indices {
            next.timers[index].nextFire = ScriptHost.nextFire(next.timers[index], after: now, in: services.timeZone)
        }
        if let previous { retire(previous, now: now) }
        loadStatus = ScriptStatus(version: next.bundle.version, ok: true)
        journal("script.reload", ["version": next.bundle.version, "ok": "true"])
        logger.info(
            "site scripts loaded",
            metadata: [
                "version": "\(next.bundle.version)", "previous": "\(previous?.bundle.version ?? "none")",
                "files": "\(next.bundle.files.count)", "handlers": "\(next.handlers.count)", "timers": "\(next.timers.count)",
            ])
        dispatch(.reload, ["version": .string(next.bundle.version), "previous": .string(previous?.bundle.version ?? "none")])
        scheduleDueWork()
    }

    /// Stops a replaced VM from taking new work; it closes once its parked runs finish or at the drain deadline.
    private func retire(_ old: LuaVM, now: Date) {
        if old.pendingRuns == 0 {
            old.close()
        } else {
            retiring.append((old, now.addingTimeInterval(limits.drainDeadline.seconds)))
        }
    }

    /// Closes every VM and abandons parked runs. Later events get the built-in behaviour.
    public func shutdown() {
        watcher?.stop()
        watcher = nil
        for run in suspended.values { finish(run, .abandoned("the script host shut down")) }
        suspended.removeAll()
        vm?.close()
        vm = nil
        for old in retiring { old.vm.close() }
        retiring.removeAll()
        for (_, pending) in advice { pending.deliver(nil) }
        advice.removeAll()
        dueWork?.cancel()
        dueWork = nil
        notifyIdleIfNeeded()
    }

    /// Offline validation with exactly the checks of `load`, for `gatehouse check`.
    /// Empty when the site is fine.
    public static func check(siteDirectory: URL, limits: ScriptLimits = .init()) -> [ScriptDiagnostic] {
        let bundle: SiteBundle
        do {
            bundle = try SiteBundle.snapshot(of: siteDirectory)
        } catch {
            return [ScriptDiagnostic(file: siteDirectory.path, line: 0, message: error.description)]
        }
        var logger = Logger(label: "gatehouse.scripts.check")
        logger.logLevel = .critical
        switch build(bundle: bundle, limits: limits, services: ScriptServices(logger: logger), shared: HostState()) {
        case .failure(let failure): return [failure.diagnostic]
        case .success(let vm):
            vm.close()
            return []
        }
    }

    /// Creates a VM for `bundle` and runs its top level: the "validate" half of validate-then-swap.
    static func build(bundle: SiteBundle, limits: ScriptLimits, services: ScriptServices, shared: HostState)
        -> Result<LuaVM, LuaVM.Failure>
    {
        do throws(LuaVM.Failure) {
            let vm = try LuaVM(bundle: bundle, limits: limits, services: services, shared: shared)
            do throws(LuaVM.Failure) {
                try vm.loadMain()
                try vm.validate(logger: services.logger)
            } catch {
                vm.close()
                throw error
            }
            return .success(vm)
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Testing

    /// Loads `files` (main.lua first, then a `*_test.lua` file) for `gatehouse test`: the same validation as a
    /// load, and `sim.*` answered by `services.simulator`. Returns the failure that refused the files.
    public func loadForTesting(bundle: SiteBundle, files: [String]) -> ScriptDiagnostic? {
        shared.simulation = Simulation()
        do throws(LuaVM.Failure) {
            guard bundle.files["main.lua"] != nil else {
                return ScriptDiagnostic(file: "main.lua", line: 0, message: "no such file in the site directory")
            }
            let next = try LuaVM(bundle: bundle, limits: limits, services: services, shared: shared)
            do throws(LuaVM.Failure) {
                try next.loadFiles(files)
                try next.validate(logger: logger)
            } catch {
                next.close()
                throw error
            }
            swap(to: next, persist: false)
            return nil
        } catch {
            return error.diagnostic
        }
    }

    /// `sim.reply(pattern, reply)` from outside a test (`gatehouse replay`'s `replies`).
    public func addCannedReply(pattern: String, reply: LuaValue) {
        switch reply {
        case .string(let message): shared.simulation?.replies.append(.init(pattern: pattern, result: .failure(message)))
        case .table(let table):
            var fields: [String: LuaValue] = [:]
            for entry in table.entries { if case .string(let key) = entry.key { fields[key] = entry.value } }
            shared.simulation?.replies.append(.init(pattern: pattern, result: .success(fields)))
        default: break
        }
    }

    /// Records, for `sim.actions()`, a request the host's outbound layer made under `gatehouse test`/`replay`.
    public func recordOutboxRequest(_ fields: [String: String]) {
        shared.simulation?.record.append(.outbox(fields))
    }

    /// What `sim.actions()` returns, then cleared: the actions and outbound requests recorded so far.
    public func takeRecordedActions() -> [[String: LuaValue]] {
        guard let simulation = shared.simulation else { return [] }
        let records = simulation.record.compactMap(\.luaRecord)
        simulation.record.removeAll()
        return records
    }

    /// The names of the `test(name, fn)` blocks `file` declared, in order.
    public func testNames(in file: String) -> [String] {
        vm?.tests.filter { $0.file == file }.map(\.name) ?? []
    }

    /// Runs test number `index` of `file` to its end; nil when it passed.
    public func runTest(file: String, index: Int) async -> ScriptDiagnostic? {
        guard let vm else { return ScriptDiagnostic(file: file, line: 0, message: "the site's scripts are not loaded") }
        let tests = vm.tests.filter { $0.file == file }
        guard index < tests.count else { return ScriptDiagnostic(file: file, line: 0, message: "test list changed between runs") }
        let test = tests[index]
        let result: HandlerRun.Result
        let (run, finished) = launch(vm: vm, origin: .test(test.name), reference: test.reference, arguments: [])
        if let finished {
            result = finished
        } else {
            result = await waitForTest(run, startedAt: clock.now)
        }
        switch result {
        case .returned: return nil
        case .failed(let failure): return failure.diagnostic
        case .abandoned(let reason): return ScriptDiagnostic(file: test.file, line: test.line, message: reason)
        }
    }

    /// Waits for a parked test body. Its `sleep` and timers wait on the fake clock, which only `sim.advance` moves: while
    /// the test is parked and its I/O is answered, the clock steps to the next due work (through the simulator, so the
    /// door engine's deadlines on the way run too), as a reader of `sleep(30)` in a test expects. A test parked on
    /// nothing that can come, or asleep past a simulated day, is stopped with a message rather than waited on forever.
    private func waitForTest(_ run: HandlerRun, startedAt: Date) async -> HandlerRun.Result {
        final class Outcome { var result: HandlerRun.Result? }
        let outcome = Outcome()
        run.completion = { outcome.result = $0 }
        let horizon = startedAt.addingTimeInterval(86_400)
        while outcome.result == nil && !run.isFinished {
            await waitUntilIdle()
            if outcome.result != nil || run.isFinished { break }
            if simulationsInFlight > 0 {
                await withCheckedContinuation { simulationWaiters.append($0) }
                continue
            }
            guard let due = nextDueDate, let simulator = services.simulator else {
                suspended[run.id] = nil
                finish(run, .abandoned("the test waits for something that cannot happen in a test (nothing is due on the clock)"))
                break
            }
            guard due <= horizon else {
                suspended[run.id] = nil
                finish(run, .abandoned("the test is still waiting after a simulated day"))
                break
            }
            _ = await simulator.perform("advance", [.number(max(0, due.timeIntervalSince(clock.now)))])
        }
        return outcome.result ?? .abandoned("the test ended without a result")
    }

    // MARK: - Events
    // MARK: - Events

    /// Delivers an observed event to the handlers registered for it. Handlers
    /// that yield keep running after this returns.
    public func dispatch(_ event: ScriptEvent, _ fields: [String: LuaValue]) {
        guard let vm else { return }
        let argument = LuaValue.table(LuaTable(fields.merging(["event": .string(event.rawValue)]) { given, _ in given }))
        for index in vm.handlers.indices where vm.handlers[index].event == event && !vm.handlers[index].disabled {
            launch(vm: vm, origin: .handler(index), reference: vm.handlers[index].reference, arguments: [argument])
        }
        flushActions()
    }

    /// Delivers the observed events of a batch of the door engine's events, in order, and notes that every event
    /// through `sequence` has been handed over (``waitUntilDelivered(through:)``).
    public func deliver(_ events: [(ScriptEvent, [String: LuaValue])], through sequence: UInt64) {
        for (event, fields) in events { dispatch(event, fields) }
        deliveredSequence = max(deliveredSequence, sequence)
        let ready = deliveryWaiters.filter { $0.sequence <= deliveredSequence }
        deliveryWaiters.removeAll { $0.sequence <= deliveredSequence }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// The door engine's event sequence handed to the handlers so far.
    public private(set) var deliveredSequence: UInt64 = 0
    private var deliveryWaiters: [(sequence: UInt64, continuation: CheckedContinuation<Void, Never>)] = []

    /// Returns once the door engine's events through `sequence` have reached the handlers.
    public func waitUntilDelivered(through sequence: UInt64) async {
        guard deliveredSequence < sequence else { return }
        await withCheckedContinuation { deliveryWaiters.append((sequence, $0)) }
    }

    /// Asks the `credential` handlers for a verdict, in registration order; the
    /// first verdict wins. Returns nil (the built-in decision stands) when there
    /// is none, when handlers fail, or when they have not answered within
    /// `limits.decisionDeadline` on the host clock.
    public func adviseCredential(_ fields: [String: LuaValue]) async -> ScriptVerdict? {
        await advise(.credential, fields)
    }

    /// Asks the handlers of an advisory `event` (`credential`, `call`) for a verdict, as ``adviseCredential(_:)``.
    public func advise(_ event: ScriptEvent, _ fields: [String: LuaValue]) async -> ScriptVerdict? {
        guard event.isAdvisory, let vm else { return nil }
        let indices = vm.handlers.indices.filter { vm.handlers[$0].event == event && !vm.handlers[$0].disabled }
        guard !indices.isEmpty else { return nil }
        let argument = LuaValue.table(LuaTable(fields.merging(["event": .string(event.rawValue)]) { given, _ in given }))
        switch adviseSynchronously(vm: vm, indices: indices, argument: argument) {
        case .answered(let verdict):
            return verdict
        case .parked(let run, let index, let remaining):
            return await withCheckedContinuation { (continuation: CheckedContinuation<ScriptVerdict?, Never>) in
                park(run, vm: vm, index: index, remaining: remaining, argument: argument, continuation: continuation)
            }
        }
    }

    private enum AdviceStart {
        case answered(ScriptVerdict?)
        /// Handler `index` parked on I/O in `run`; `remaining` run after it.
        case parked(HandlerRun, Int, [Int])
    }

    /// Runs credential handlers while they finish without yielding (the fast path).
    private func adviseSynchronously(vm: LuaVM, indices: [Int], argument: LuaValue) -> AdviceStart {
        for (position, index) in indices.enumerated() {
            let (run, result) = launch(
                vm: vm, origin: .handler(index), reference: vm.handlers[index].reference, arguments: [argument])
            guard let result else { return .parked(run, index, Array(indices[(position + 1)...])) }
            if let verdict = verdict(from: result, vm: vm, handler: index) { return .answered(verdict) }
        }
        return .answered(nil)
    }

    private func park(
        _ waiting: HandlerRun, vm: LuaVM, index: Int, remaining: [Int], argument: LuaValue,
        continuation: CheckedContinuation<ScriptVerdict?, Never>
    ) {
        nextRunID += 1
        let pending = PendingAdvice(
            id: nextRunID, deadline: clock.now.addingTimeInterval(limits.decisionDeadline.seconds), continuation: continuation)
        advice[pending.id] = pending
        if !waiting.isFinished {
            waiting.completion = { [self] result in
                self.continueAdvice(
                    pending, vm: vm, answer: self.verdict(from: result, vm: vm, handler: index), remaining: remaining,
                    argument: argument)
            }
        } else {
            continueAdvice(pending, vm: vm, answer: nil, remaining: remaining, argument: argument)
        }
        scheduleDueWork()
    }

    private func continueAdvice(_ pending: PendingAdvice, vm: LuaVM, answer: ScriptVerdict?, remaining: [Int], argument: LuaValue)
    {
        guard advice[pending.id] != nil else { return }  // already answered (deadline)
        if let answer {
            advice[pending.id] = nil
            pending.deliver(answer)
            return
        }
        guard let index = remaining.first, vm.phase == .running else {
            advice[pending.id] = nil
            pending.deliver(nil)
            return
        }
        let rest = Array(remaining.dropFirst())
        let (run, result) = launch(
            vm: vm, origin: .handler(index), reference: vm.handlers[index].reference, arguments: [argument])
        if let result {
            continueAdvice(
                pending, vm: vm, answer: verdict(from: result, vm: vm, handler: index), remaining: rest, argument: argument)
        } else {
            run.completion = { [self] result in
                self.continueAdvice(
                    pending, vm: vm, answer: self.verdict(from: result, vm: vm, handler: index), remaining: rest,
                    argument: argument)
            }
        }
    }

    private func verdict(from result: HandlerRun.Result, vm: LuaVM, handler index: Int) -> ScriptVerdict? {
        guard case .returned(let values) = result else { return nil }
        do throws(HostRaise) {
            return try ScriptVerdict.parse(values.first ?? .nil)
        } catch {
            let handler = vm.handlers[index]
            let failure = LuaVM.Failure(
                diagnostic: ScriptDiagnostic(file: handler.file, line: handler.line, message: error.message), traceback: "",
                killed: false)
            recordFailure(vm: vm, origin: .handler(index), failure)
            return nil
        }
    }

    // MARK: - Card formats

    /// Names of the card formats the loaded scripts registered with `cardformat(name, fn)`, sorted.
    public var cardFormatNames: [String] { vm.map { $0.cardFormats.keys.sorted() } ?? [] }

    /// The topic filters the loaded bundle subscribed to (`mqtt.subscribe`).
    public var mqttSubscriptions: [String] { vm?.mqttSubscriptions ?? [] }

    /// Runs the script transform registered as `format` on `bits` (a string of
    /// `0`/`1`), synchronously under the transform budget. Pure: I/O, kv and
    /// actions raise inside it.
    public func transformCard(format: String, bits: String) -> CardTransformOutcome {
        guard let vm, let registration = vm.cardFormats[format] else { return .unknownFormat }
        return ScriptHost.transform(vm: vm, registration: registration, format: format, bits: bits, logger: logger)
    }

    static func transform(vm: LuaVM, registration: LuaVM.CardFormat, format: String, bits: String, logger: Logger)
        -> CardTransformOutcome
    {
        guard bits.utf8.allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }), bits.utf8.count <= 1024 else {
            return .failed(
                ScriptDiagnostic(
                    file: registration.file, line: registration.line, message: "cardformat '\(format)': input is not a bit string"
                ))
        }
        vm.inTransform = true
        defer { vm.inTransform = false }
        let result: LuaValue
        do throws(LuaVM.Failure) {
            result =
                try vm.call(
                    reference: registration.reference, arguments: [.string(bits), .integer(Int64(bits.utf8.count))], results: 1,
                    instructions: vm.limits.transformInstructions, wallClock: vm.limits.transformWallClock
                ).first ?? .nil
        } catch {
            logger.error(
                "card-format transform failed; using the built-in format",
                metadata: ["format": "\(format)", "error": "\(error.diagnostic)", "traceback": "\(error.traceback)"])
            return .failed(error.diagnostic)
        }
        switch result {
        case .nil: return .rejected
        case .string(let text) where !text.isEmpty && text.utf8.count <= 32 && text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }):
            return .number(text)
        case .integer(let number) where number >= 0:
            return .number(String(number))
        default:
            let diagnostic = ScriptDiagnostic(
                file: registration.file, line: registration.line,
                message:
                    "cardformat '\(format)' returned \(result.typeName == "string" ? "'\(result.stringValue ?? "")'" : "a \(result.typeName)"); expected 1 to 32 digits or nil"
            )
            logger.error(
                "card-format transform returned an invalid card number",
                metadata: ["format": "\(format)", "error": "\(diagnostic)"])
            return .failed(diagnostic)
        }
    }

    // MARK: - Running handlers

    /// Starts a run; returns its result when it finished without parking
    /// (otherwise set `completion` on the returned run to hear about the end).
    @discardableResult
    private func launch(vm: LuaVM, origin: HandlerRun.Origin, reference: Int32, arguments: [LuaValue])
        -> (HandlerRun, HandlerRun.Result?)
    {
        nextRunID += 1
        let run = HandlerRun(id: nextRunID, vm: vm, origin: origin, startedAt: clock.now)
        let step = vm.startRun(run, reference: reference, arguments: arguments)
        advance(run, step, wasSuspended: false)
        if case .done(let result) = step { return (run, result) }
        return (run, nil)
    }

    /// Acts on the outcome of one slice: finish, or park the run on its operation.
    func advance(_ run: HandlerRun, _ step: HandlerRun.Step, wasSuspended: Bool) {
        switch step {
        case .done(let result):
            if wasSuspended {
                suspended[run.id] = nil
                run.vm.pendingRuns -= 1
            }
            finish(run, result)
            closeIdleRetiredVMs()
        case .waiting(let operation):
            if !wasSuspended {
                suspended[run.id] = run
                run.vm.pendingRuns += 1
            }
            perform(operation, for: run)
        }
        flushActions()
    }

    private func perform(_ operation: PendingOperation, for run: HandlerRun) {
        switch operation {
        case .sleep(let duration):
            run.wakeAt = clock.now.addingTimeInterval(duration.seconds)
            scheduleDueWork()
        case .outbound(let request):
            if let simulation = shared.simulation {
                // `gatehouse test`: the canned reply (`sim.reply`), recorded for `sim.actions()`. Resumed from a task,
                // as live I/O is, so a handler that does I/O always parks.
                let values = simulation.reply(to: request).luaValues
                operationsInFlight += 1
                let id = run.id
                Task { self.complete(runID: id, values: values) }
                return
            }
            guard let outbound = services.outbound else {
                resume(run, with: [.nil, "not configured"])
                return
            }
            operationsInFlight += 1
            let id = run.id
            Task {
                let result = await outbound.perform(request)
                self.complete(runID: id, result)
            }
        case .findUser(let query):
            guard let directory = services.userDirectory else {
                resume(run, with: [.nil, "not configured"])
                return
            }
            operationsInFlight += 1
            let id = run.id
            Task {
                let values: [LuaValue]
                do {
                    values = [try await directory.find(query)?.luaValue ?? .nil]
                } catch {
                    values = [.nil, .string("users.find: \(error)")]
                }
                self.complete(runID: id, values: values)
            }
        case .simulate(let call, let arguments):
            guard let simulator = services.simulator else {
                resume(run, with: [.nil, "only available under gatehouse test"])
                return
            }
            // Not counted in `operationsInFlight`: the simulated world waits for the host to be idle while the test
            // that asked is parked here.
            let id = run.id
            simulationsInFlight += 1
            Task {
                let values = await simulator.perform(call, arguments)
                self.completeSimulation(runID: id, values: values)
            }
        }
    }

    private func completeSimulation(runID: UInt64, values: [LuaValue]) {
        simulationsInFlight -= 1
        if let run = suspended[runID] { resume(run, with: values) }
        notifyIdleIfNeeded()
        let waiters = simulationWaiters
        simulationWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    /// `sim.*` calls being answered, and the test waiting for one to finish (``waitForTest(_:startedAt:)``).
    private var simulationsInFlight = 0
    private var simulationWaiters: [CheckedContinuation<Void, Never>] = []

    private func complete(runID: UInt64, _ result: ScriptOutboundResult) {
        complete(runID: runID, values: result.luaValues)
    }

    private func complete(runID: UInt64, values: [LuaValue]) {
        operationsInFlight -= 1
        if let run = suspended[runID] { resume(run, with: values) }
        notifyIdleIfNeeded()
    }

    private func resume(_ run: HandlerRun, with values: [LuaValue]) {
        advance(run, run.vm.step(run, resumingWith: values), wasSuspended: true)
    }

    private func finish(_ run: HandlerRun, _ result: HandlerRun.Result) {
        if !run.isFinished { run.abandon() }
        let vm = run.vm
        switch run.origin {
        case .handler(let index) where index < vm.handlers.count:
            switch result {
            case .returned: vm.handlers[index].consecutiveFailures = 0
            case .failed(let failure): recordFailure(vm: vm, origin: run.origin, failure)
            case .abandoned(let reason):
                logger.warning(
                    "script handler abandoned", metadata: ["handler": "\(vm.handlers[index].label)", "reason": "\(reason)"])
            }
        case .timer(let index) where index < vm.timers.count:
            vm.timers[index].running = false
            switch result {
            case .returned: vm.timers[index].consecutiveFailures = 0
            case .failed(let failure): recordFailure(vm: vm, origin: run.origin, failure)
            case .abandoned(let reason):
                logger.warning("script timer abandoned", metadata: ["timer": "\(vm.timers[index].label)", "reason": "\(reason)"])
            }
        default: break
        }
        let completion = run.completion
        run.completion = nil
        completion?(result)
    }

    private func refreshObservedEvents() {
        var mask: UInt64 = 0
        for handler in vm?.handlers ?? [] where !handler.disabled { mask |= ScriptHost.bit(handler.event) }
        observedEvents.store(mask, ordering: .relaxed)
    }

    private static func bit(_ event: ScriptEvent) -> UInt64 {
        1 << UInt64(ScriptEvent.allCases.firstIndex(of: event) ?? 63)
    }

    /// Whether an enabled handler is registered for `event`, without a hop onto the script thread: a decision no
    /// `credential` handler advises never waits for the scripts, and the journal follower skips building event tables
    /// nobody reads.
    public nonisolated func isObserving(_ event: ScriptEvent) -> Bool {
        observedEvents.load(ordering: .relaxed) & ScriptHost.bit(event) != 0
    }

    /// Logs a failure with its traceback and trips the circuit breaker after
    /// `failuresBeforeDisable` consecutive failures.
    private func recordFailure(vm: LuaVM, origin: HandlerRun.Origin, _ failure: LuaVM.Failure) {
        var label = "script"
        var tripped = false
        switch origin {
        case .handler(let index):
            vm.handlers[index].consecutiveFailures += 1
            label = vm.handlers[index].label
            if vm.handlers[index].consecutiveFailures >= limits.failuresBeforeDisable && !vm.handlers[index].disabled {
                vm.handlers[index].disabled = true
                tripped = true
                refreshObservedEvents()
            }
        case .timer(let index):
            vm.timers[index].consecutiveFailures += 1
            label = vm.timers[index].label
            if vm.timers[index].consecutiveFailures >= limits.failuresBeforeDisable && !vm.timers[index].disabled {
                vm.timers[index].disabled = true
                tripped = true
            }
        case .test(let name): label = "test '\(name)'"
        case .console: label = "console"
        }
        logger.error(
            "script handler failed",
            metadata: [
                "handler": "\(label)", "error": "\(failure.diagnostic)", "traceback": "\(failure.traceback)",
                "version": "\(vm.bundle.version)",
            ])
        journal("script.error", ["handler": label, "error": failure.diagnostic.description, "version": vm.bundle.version])
        if tripped {
            journal("script.disabled", ["handler": label, "version": vm.bundle.version])
            logger.error(
                "script handler disabled until the next reload",
                metadata: [
                    "handler": "\(label)", "failures": "\(limits.failuresBeforeDisable)", "version": "\(vm.bundle.version)",
                ])
        }
    }

    private func closeIdleRetiredVMs() {
        retiring.removeAll { entry in
            guard entry.vm.pendingRuns == 0 else { return false }
            entry.vm.close()
            return true
        }
    }

    // MARK: - Time

    /// Runs everything due at the host clock's current time: sleeping handlers,
    /// timers, decision deadlines, handler lifetimes and drain deadlines.
    /// Production calls it from a task sleeping on the clock; tests call it
    /// after advancing a `ManualScriptClock`.
    public func runDueWork() {
        let now = clock.now
        for pending in advice.values where pending.deadline <= now {
            advice[pending.id] = nil
            logger.warning("credential handler missed the decision deadline; the built-in decision stands")
            pending.deliver(nil)
        }
        let lifetime = limits.handlerLifetime.seconds
        for run in suspended.values.sorted(by: { $0.id < $1.id }) {
            if !run.isTest, run.startedAt.addingTimeInterval(lifetime) <= now {
                suspended[run.id] = nil
                run.vm.pendingRuns -= 1
                finish(run, .abandoned("exceeded its lifetime of \(Int(lifetime)) s"))
            } else if let wake = run.wakeAt, wake <= now {
                run.wakeAt = nil
                resume(run, with: [.boolean(true)])
            }
        }
        for entry in retiring where entry.deadline <= now {
            for run in suspended.values where run.vm === entry.vm {
                suspended[run.id] = nil
                run.vm.pendingRuns -= 1
                finish(run, .abandoned("the drain deadline after a reload passed"))
            }
        }
        closeIdleRetiredVMs()
        if let vm {
            for index in vm.timers.indices {
                guard let due = vm.timers[index].nextFire, due <= now else { continue }
                vm.timers[index].nextFire = ScriptHost.nextFire(vm.timers[index], after: now, in: services.timeZone)
                guard !vm.timers[index].running, !vm.timers[index].disabled else { continue }
                vm.timers[index].running = true
                launch(vm: vm, origin: .timer(index), reference: vm.timers[index].reference, arguments: [])
            }
        }
        notifyIdleIfNeeded()
        scheduleDueWork()
    }

    static func nextFire(_ timer: LuaVM.Timer, after date: Date, in timeZone: TimeZone) -> Date? {
        switch timer.kind {
        case .every(let seconds): date.addingTimeInterval(seconds)
        case .cron(let schedule): schedule.nextFire(after: date, in: timeZone)
        }
    }

    /// (Re)arms the task that wakes the host at the earliest due time.
    private func scheduleDueWork() {
        var earliest: Date?
        func consider(_ date: Date?) {
            guard let date else { return }
            if earliest.map({ date < $0 }) ?? true { earliest = date }
        }
        for pending in advice.values { consider(pending.deadline) }
        let lifetime = limits.handlerLifetime.seconds
        for run in suspended.values {
            consider(run.wakeAt)
            if !run.isTest { consider(run.startedAt.addingTimeInterval(lifetime)) }
        }
        for entry in retiring { consider(entry.deadline) }
        if let vm { for timer in vm.timers where !timer.disabled { consider(timer.nextFire) } }
        nextDueDate = earliest
        dueWork?.cancel()
        dueWork = nil
        guard let earliest else { return }
        let clock = self.clock
        dueWork = Task { [weak self] in
            do {
                try await clock.sleep(until: earliest)
            } catch {
                return
            }
            await self?.runDueWork()
        }
    }

    /// When the host next has timed work (a sleeper, a timer, a deadline); nil when none. `gatehouse test` steps its
    /// clock through these.
    public private(set) var nextDueDate: Date?

    /// Runs parked on I/O or `sleep` (for /healthz and tests).
    public var parkedRunCount: Int { suspended.count }

    /// Returns once no handler is waiting on outbound I/O and every queued
    /// action reached `ScriptActions` (sleepers wait for the clock).
    public func waitUntilIdle() async {
        guard operationsInFlight > 0 || actionsOutstanding > 0 else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func actionPerformed() {
        actionsOutstanding -= 1
        notifyIdleIfNeeded()
    }

    private func notifyIdleIfNeeded() {
        guard operationsInFlight == 0, actionsOutstanding == 0, !idleWaiters.isEmpty else { return }
        let waiters = idleWaiters
        idleWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Actions

    /// Queues a host-generated journal event (failures, reloads) behind the scripts' own actions.
    private func journal(_ event: String, _ fields: [String: String]) {
        guard services.actions != nil else { return }
        shared.queuedActions.append((.journal(event: event, fields: fields), "host"))
    }

    /// Hands the actions scripts queued to the door engine, in order, on one consumer task.
    private func flushActions() {
        guard !shared.queuedActions.isEmpty else { return }
        let batch = shared.queuedActions
        shared.queuedActions.removeAll()
        guard let actions = services.actions else { return }
        if actionFeed == nil {
            let (stream, feed) = AsyncStream<(ScriptAction, String)>.makeStream()
            actionFeed = feed
            let logger = self.logger
            actionTask = Task.detached { [weak self] in
                for await (action, position) in stream {
                    do {
                        try await actions.perform(action)
                    } catch {
                        logger.error(
                            "script action failed",
                            metadata: ["action": "\(action)", "script": "\(position)", "error": "\(error)"])
                    }
                    await self?.actionPerformed()
                }
            }
        }
        actionsOutstanding += batch.count
        for item in batch { actionFeed?.yield(item) }
    }
}

/// A credential decision waiting for a parked handler.
private final class PendingAdvice {
    let id: UInt64
    let deadline: Date
    private var continuation: CheckedContinuation<ScriptVerdict?, Never>?

    init(id: UInt64, deadline: Date, continuation: CheckedContinuation<ScriptVerdict?, Never>) {
        self.id = id
        self.deadline = deadline
        self.continuation = continuation
    }

    func deliver(_ verdict: ScriptVerdict?) {
        continuation?.resume(returning: verdict)
        continuation = nil
    }
}

extension ScriptOutboundResult {
    /// `result` or `nil, err`, as the Lua call returns it.
    var luaValues: [LuaValue] {
        switch self {
        case .success(let fields): [.table(LuaTable(fields))]
        case .failure(let message): [.nil, .string(message)]
        }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
