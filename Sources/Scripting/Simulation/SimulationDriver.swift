import Foundation
import Logging

/// Runs a VM synchronously in a fake world: outbound calls get canned
/// replies, `sleep` and `sim.advance` move a manual clock and fire the timers
/// that become due, actions are recorded. Shared by `gatehouse test` and
/// `gatehouse replay`; the production path is `ScriptHost`.
final class SimulationDriver {
    let vm: LuaVM
    let clock: ManualScriptClock
    let simulation: Simulation
    private var nextRunID: UInt64 = 0
    /// Handler failures while delivering events (replay reports them; tests raise them).
    var failures: [(label: String, failure: LuaVM.Failure)] = []

    init(vm: LuaVM, clock: ManualScriptClock, simulation: Simulation) {
        self.vm = vm
        self.clock = clock
        self.simulation = simulation
        for index in vm.timers.indices {
            vm.timers[index].nextFire = ScriptHost.nextFire(vm.timers[index], after: clock.now, in: vm.services.timeZone)
        }
    }

    /// Builds a VM in simulation mode over `bundle`, loading `files` (main.lua first).
    static func make(bundle: SiteBundle, files: [String], limits: ScriptLimits, start: Date, logger: Logger) throws(LuaVM.Failure)
        -> SimulationDriver
    {
        let clock = ManualScriptClock(now: start)
        let simulation = Simulation()
        let services = ScriptServices(
            logger: logger, clock: clock, keyValueStore: InMemoryKeyValueStore(), timeZone: TimeZone(identifier: "UTC")!)
        let vm = try LuaVM(bundle: bundle, limits: limits, services: services, shared: HostState(simulation: simulation))
        do throws(LuaVM.Failure) {
            guard bundle.files["main.lua"] != nil else {
                throw LuaVM.Failure(
                    diagnostic: ScriptDiagnostic(file: "main.lua", line: 0, message: "no such file in the site directory"),
                    traceback: "", killed: false)
            }
            try vm.loadFiles(files)
            try vm.validate(logger: logger)
        } catch {
            vm.close()
            throw error
        }
        return SimulationDriver(vm: vm, clock: clock, simulation: simulation)
    }

    /// Runs `reference(arguments...)` to the end, resolving every yield in the fake world.
    func run(_ reference: Int32, arguments: [LuaValue], origin: HandlerRun.Origin) -> HandlerRun.Result {
        nextRunID += 1
        let run = HandlerRun(id: nextRunID, vm: vm, origin: origin, startedAt: clock.now)
        var step = vm.startRun(run, reference: reference, arguments: arguments)
        while case .waiting(let operation) = step {
            step = vm.step(run, resumingWith: resolve(operation))
        }
        guard case .done(let result) = step else { return .abandoned("unreachable") }
        return result
    }

    private func resolve(_ operation: PendingOperation) -> [LuaValue] {
        switch operation {
        case .sleep(let duration):
            advance(by: duration.seconds)
            return [.boolean(true)]
        case .outbound(let request):
            return simulation.reply(to: request).luaValues
        case .findUser(let query):
            return [simulation.users.first { $0.matches(query) }?.luaValue ?? .nil]
        case .simulateAdvance(let seconds):
            advance(by: seconds)
            return []
        case .simulateEvent(let event, let fields):
            let before = failures.count
            let verdict = deliver(event, fields)
            if failures.count > before, let first = failures.dropFirst(before).first {
                // A test should not pass over a broken handler.
                return [.nil, .string("handler \(first.label) failed: \(first.failure.diagnostic)")]
            }
            return [verdict?.luaValue ?? .nil]
        }
    }

    /// Delivers an event to its handlers in order; for `credential` the first verdict wins.
    @discardableResult
    func deliver(_ event: ScriptEvent, _ fields: LuaTable) -> ScriptVerdict? {
        var table = fields
        if table["event"].isNil { table.entries.append(.init(key: "event", value: .string(event.rawValue))) }
        for index in vm.handlers.indices where vm.handlers[index].event == event && !vm.handlers[index].disabled {
            let handler = vm.handlers[index]
            switch run(handler.reference, arguments: [.table(table)], origin: .handler(index)) {
            case .returned(let values):
                guard event == .credential else { continue }
                do throws(HostRaise) {
                    if let verdict = try ScriptVerdict.parse(values.first ?? .nil) { return verdict }
                } catch {
                    failures.append(
                        (handler.label, LuaVM.Failure(diagnostic: ScriptDiagnostic(file: handler.file, line: handler.line, message: error.message), traceback: "", killed: false)))
                }
            case .failed(let failure):
                failures.append((handler.label, failure))
            case .abandoned(let reason):
                failures.append((handler.label, LuaVM.Failure(diagnostic: ScriptDiagnostic(file: handler.file, line: handler.line, message: reason), traceback: "", killed: false)))
            }
        }
        return nil
    }

    /// Moves the clock forward, firing timers at their due times on the way.
    func advance(by seconds: Double) {
        let target = clock.now.addingTimeInterval(max(0, seconds))
        var guardCount = 0
        while guardCount < 100_000 {
            guardCount += 1
            var earliest: (index: Int, date: Date)?
            for (index, timer) in vm.timers.enumerated() where !timer.disabled {
                if let due = timer.nextFire, due <= target, earliest.map({ due < $0.date }) ?? true { earliest = (index, due) }
            }
            guard let (index, due) = earliest else { break }
            clock.set(due)
            vm.timers[index].nextFire = ScriptHost.nextFire(vm.timers[index], after: due, in: vm.services.timeZone)
            if case .failed(let failure) = run(vm.timers[index].reference, arguments: [], origin: .timer(index)) {
                failures.append((vm.timers[index].label, failure))
            }
        }
        clock.set(target)
    }
}
