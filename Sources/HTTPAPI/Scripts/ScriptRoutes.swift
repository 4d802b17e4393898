import Foundation
import Hummingbird

/// The site scripts as the API sees them; the composition root adapts the
/// Lua host to it.
public protocol ScriptControl: Sendable {
    func status() async -> HealthReport.ScriptInfo
    /// Reloads the site scripts (validate-then-swap) and returns the outcome.
    func reload() async -> HealthReport.ScriptInfo
    /// The scripts' newest log lines (`log.info`/`warn`/`error` and the host's lines about them), oldest first.
    func recentLog(limit: Int) async -> [ScriptLogLine]
}

/// One line of the site scripts' log, as the console shows it.
public struct ScriptLogLine: Codable, Sendable, Equatable {
    public var time: String
    public var level: String
    public var message: String
    /// `file:line` of the script that wrote it, when a script did.
    public var script: String?

    public init(time: String, level: String, message: String, script: String?) {
        self.time = time
        self.level = level
        self.message = message
        self.script = script
    }
}

struct ScriptLogPage: Encodable {
    var lines: [ScriptLogLine]
}

enum ScriptRoutes {
    static func add(to group: RouterGroup<AdminRequestContext>, scripts: any ScriptControl) {
        group.get("scripts") { _, _ -> Response in
            try jsonResponse(await scripts.status())
        }
        group.get("scripts/log") { request, _ -> Response in
            let limit = try request.queryInteger("limit", default: 100, range: 1...1000)
            return try jsonResponse(ScriptLogPage(lines: await scripts.recentLog(limit: limit)))
        }
        group.post("scripts/reload") { _, _ -> Response in
            let outcome = await scripts.reload()
            return try jsonResponse(outcome, status: outcome.ok ? .ok : .unprocessableContent)
        }
    }
}
