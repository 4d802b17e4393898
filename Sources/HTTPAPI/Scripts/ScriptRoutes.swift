import Foundation
import Hummingbird

/// The site scripts as the API sees them; the composition root adapts the
/// Lua host to it.
public protocol ScriptControl: Sendable {
    func status() async -> HealthReport.ScriptInfo
    /// Reloads the site scripts (validate-then-swap) and returns the outcome.
    func reload() async -> HealthReport.ScriptInfo
}

enum ScriptRoutes {
    static func add(to group: RouterGroup<AdminRequestContext>, scripts: any ScriptControl) {
        group.get("scripts") { _, _ -> Response in
            try jsonResponse(await scripts.status())
        }
        group.post("scripts/reload") { _, _ -> Response in
            let outcome = await scripts.reload()
            return try jsonResponse(outcome, status: outcome.ok ? .ok : .unprocessableContent)
        }
    }
}
