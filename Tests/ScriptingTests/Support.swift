import Foundation
import Logging

@testable import Scripting

/// A throwaway site directory with the given files, removed by `remove()`.
struct TemporarySite {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    func write(_ name: String, _ text: String) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func delete(_ name: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(name))
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A log handler that keeps lines in memory so tests can read what a user would see in the log.
final class CapturedLog: @unchecked Sendable {
    // @unchecked: `entries` is only touched with `lock` held.
    private let lock = NSLock()
    private var entries: [(Logger.Level, String, Logger.Metadata)] = []

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return entries.map { level, message, metadata in
            let extra = metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }.joined(separator: " ")
            return "\(level) \(message) \(extra)"
        }
    }

    fileprivate func append(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) {
        lock.lock()
        entries.append((level, message, metadata))
        lock.unlock()
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            var merged = metadata
            for (key, value) in event.metadata ?? [:] { merged[key] = value }
            log.append(event.level, "\(event.message)", merged)
        }
    }
}

/// A real `ScriptActions` that keeps what it was asked to do, in order.
final class RecordingActions: ScriptActions, @unchecked Sendable {
    // @unchecked: `performed` is only touched with `lock` held.
    private let lock = NSLock()
    private var performed: [ScriptAction] = []

    func perform(_ action: ScriptAction) async throws {
        lock.withLock { performed.append(action) }
    }

    var actions: [ScriptAction] { lock.withLock { performed } }
    /// Script actions only (host journal events like script.reload left out).
    var scriptActions: [ScriptAction] {
        actions.filter { if case .journal(let event, _) = $0 { return !event.hasPrefix("script.") } else { return true } }
    }
}

/// A real `ScriptOutbound` serving fixed responses by URL, answering after `release` when gated.
actor CannedOutbound: ScriptOutbound {
    var responses: [String: ScriptOutboundResult]
    private(set) var requests: [ScriptOutboundRequest] = []

    init(_ responses: [String: ScriptOutboundResult]) { self.responses = responses }

    func perform(_ request: ScriptOutboundRequest) async -> ScriptOutboundResult {
        requests.append(request)
        guard case .http(_, let url, _, _, _, _) = request else { return .failure("unsupported in this test") }
        return responses[url] ?? .failure("connection refused")
    }
}

/// Builds a host over a temporary site with a manual clock and recording seams.
struct HostFixture {
    let site: TemporarySite
    let log = CapturedLog()
    let clock = ManualScriptClock()
    let actions = RecordingActions()
    let store = InMemoryKeyValueStore()
    let host: ScriptHost

    init(
        _ files: [String: String], limits: ScriptLimits = .testing, outbound: (any ScriptOutbound)? = nil,
        users: (any ScriptUserDirectory)? = nil, timeZone: String = "UTC"
    ) throws {
        site = try TemporarySite(files)
        let services = ScriptServices(
            logger: log.logger, clock: clock, keyValueStore: store, outbound: outbound, actions: actions,
            timeZone: TimeZone(identifier: timeZone)!, userDirectory: users)
        host = ScriptHost(siteDirectory: site.url, limits: limits, services: services)
    }

    func errors() -> [String] { log.lines.filter { $0.hasPrefix("error") } }
}

extension ScriptLimits {
    /// Deterministic on a busy machine: instruction budgets bite, wall clocks never do.
    static var testing: ScriptLimits {
        ScriptLimits(
            handlerInstructions: 1_000_000, handlerWallClock: .seconds(60), loadInstructions: 1_000_000,
            loadWallClock: .seconds(60), transformInstructions: 200_000, transformWallClock: .seconds(60))
    }
}
