import Foundation
import Hummingbird

/// What `/healthz` reports.
public struct HealthReport: Codable, Sendable, Equatable {
    public struct DatabaseInfo: Codable, Sendable, Equatable {
        public var path: String
        public var schemaVersion: Int
        enum CodingKeys: String, CodingKey {
            case path
            case schemaVersion = "schema_version"
        }
        public init(path: String, schemaVersion: Int) {
            self.path = path
            self.schemaVersion = schemaVersion
        }
    }

    public struct ScriptInfo: Codable, Sendable, Equatable {
        public var version: String
        public var ok: Bool
        public var error: String?
        public var disabledHandlers: [String]
        enum CodingKeys: String, CodingKey {
            case version, ok, error
            case disabledHandlers = "disabled_handlers"
        }
        public init(version: String, ok: Bool, error: String?, disabledHandlers: [String] = []) {
            self.version = version
            self.ok = ok
            self.error = error
            self.disabledHandlers = disabledHandlers
        }
    }

    public var status: String
    public var version: String
    public var uptimeSeconds: Double
    public var database: DatabaseInfo
    public var script: ScriptInfo

    enum CodingKeys: String, CodingKey {
        case status, version, database, script
        case uptimeSeconds = "uptime_s"
    }

    public init(status: String, version: String, uptimeSeconds: Double, database: DatabaseInfo, script: ScriptInfo) {
        self.status = status
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.database = database
        self.script = script
    }
}

/// Where the health report comes from; the composition root implements it.
public protocol HealthSource: Sendable {
    func healthReport() async -> HealthReport
}

enum HealthRoutes {
    static func add(to router: Router<AdminRequestContext>, source: any HealthSource) {
        // No authentication: load balancers and supervisors poll this.
        router.get("healthz") { _, _ -> Response in
            let report = await source.healthReport()
            return try jsonResponse(report, status: report.status == "ok" || report.status == "degraded" ? .ok : .serviceUnavailable)
        }
    }
}
