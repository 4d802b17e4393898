import Foundation
import Logging

/// Owns the site's Lua VM. Pinned to one dedicated thread through a custom
/// `SerialExecutor`, so the `lua_State` never leaves that thread; methods that
/// run Lua are synchronous inside the actor (no `await` while a Lua frame is live).
public actor ScriptHost {
    private let executor: LuaThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let siteDirectory: URL?
    public nonisolated let limits: ScriptLimits
    private let services: ScriptServices
    private var logger: Logger { services.logger }

    private var vm: LuaVM?
    private var currentStatus = ScriptStatus(version: "none", ok: true)

    public init(siteDirectory: URL?, limits: ScriptLimits = .init(), logger: Logger) {
        self.init(siteDirectory: siteDirectory, limits: limits, services: ScriptServices(logger: logger))
    }

    public init(siteDirectory: URL?, limits: ScriptLimits = .init(), services: ScriptServices) {
        self.siteDirectory = siteDirectory
        self.limits = limits
        self.services = services
        self.executor = LuaThreadExecutor(name: "gatehouse.lua")
    }

    deinit { executor.stop() }

    /// What /healthz shows.
    public var status: ScriptStatus { currentStatus }

    /// Loads (or reloads) the site: snapshot the directory, build a new VM
    /// beside the current one, run its top level under the load budget, and
    /// swap only when it validated. On failure the current VM keeps serving.
    @discardableResult
    public func load() -> ScriptStatus {
        guard let siteDirectory else {
            currentStatus = ScriptStatus(version: "none", ok: true)
            return currentStatus
        }
        let bundle: SiteBundle
        do {
            bundle = try SiteBundle.snapshot(of: siteDirectory)
        } catch {
            return fail(version: currentStatus.version, ScriptDiagnostic(file: siteDirectory.path, line: 0, message: error.description))
        }
        switch ScriptHost.build(bundle: bundle, limits: limits, services: services) {
        case .failure(let failure):
            logger.error(
                "site scripts rejected; keeping the previous version",
                metadata: ["version": "\(bundle.version)", "error": "\(failure.diagnostic)", "traceback": "\(failure.traceback)"])
            return fail(version: vm?.bundle.version ?? "none", failure.diagnostic)
        case .success(let next):
            let previous = vm
            vm = next
            previous?.close()
            currentStatus = ScriptStatus(version: bundle.version, ok: true)
            logger.info(
                "site scripts loaded",
                metadata: ["version": "\(bundle.version)", "files": "\(bundle.files.count)", "handlers": "\(next.handlers.count)"])
            return currentStatus
        }
    }

    /// Closes the VM. Later events get the built-in behaviour.
    public func shutdown() {
        vm?.close()
        vm = nil
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
        switch build(bundle: bundle, limits: limits, services: ScriptServices(logger: logger)) {
        case .failure(let failure): return [failure.diagnostic]
        case .success(let vm):
            vm.close()
            return []
        }
    }

    private func fail(version: String, _ diagnostic: ScriptDiagnostic) -> ScriptStatus {
        var status = currentStatus
        status.version = version
        status.ok = false
        status.error = diagnostic.description
        currentStatus = status
        return status
    }

    /// Creates a VM for `bundle` and runs its top level: the "validate" half of validate-then-swap.
    static func build(bundle: SiteBundle, limits: ScriptLimits, services: ScriptServices) -> Result<LuaVM, LuaVM.Failure> {
        do throws(LuaVM.Failure) {
            let vm = try LuaVM(bundle: bundle, limits: limits, services: services)
            do throws(LuaVM.Failure) {
                try vm.loadMain()
            } catch {
                vm.close()
                throw error
            }
            return .success(vm)
        } catch {
            return .failure(error)
        }
    }
}
