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

    /// Hardware readers (OSDP): how many are configured and which site readers are offline. Absent without any.
    public struct ReaderInfo: Codable, Sendable, Equatable {
        public var configured: Int
        public var offline: [Int]

        public init(configured: Int, offline: [Int]) {
            self.configured = configured
            self.offline = offline
        }
    }

    /// The SIP endpoint: where it listens and, with a registrar, whether it is registered (not registered:
    /// degraded, the PBX cannot reach the door). Absent when SIP is off.
    public struct SIPInfo: Codable, Sendable, Equatable {
        public var listen: String
        /// `registered`, `registering` or `failed`; absent without a registrar.
        public var registration: String?

        public init(listen: String, registration: String?) {
            self.listen = listen
            self.registration = registration
        }
    }

    public var status: String
    public var version: String
    public var uptimeSeconds: Double
    public var database: DatabaseInfo
    public var script: ScriptInfo
    public var readers: ReaderInfo?
    public var sip: SIPInfo?

    enum CodingKeys: String, CodingKey {
        case status, version, database, script, readers, sip
        case uptimeSeconds = "uptime_s"
    }

    public init(
        status: String, version: String, uptimeSeconds: Double, database: DatabaseInfo, script: ScriptInfo,
        readers: ReaderInfo? = nil, sip: SIPInfo? = nil
    ) {
        self.readers = readers
        self.sip = sip
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
            return try jsonResponse(
                report, status: report.status == "ok" || report.status == "degraded" ? .ok : .serviceUnavailable)
        }
    }
}
