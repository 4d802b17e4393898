import AccessControl
import Foundation
import HTTPAPI
import Logging
import Synchronization

/// The newest lines of one logger, kept in memory for the web console's script panel (`GET /api/v1/scripts/log`).
/// The host's own log handler still gets every line; this is a second, bounded copy.
final class RecentLog: Sendable {
    let capacity: Int
    private let lines = Mutex<(items: [ScriptLogLine], next: Int)>(([], 0))

    init(capacity: Int = 500) { self.capacity = capacity }

    func append(_ line: ScriptLogLine) {
        lines.withLock { ring in
            if ring.items.count < capacity {
                ring.items.append(line)
            } else {
                ring.items[ring.next] = line
                ring.next = (ring.next + 1) % capacity
            }
        }
    }

    /// The newest `limit` lines, oldest first.
    func newest(_ limit: Int) -> [ScriptLogLine] {
        lines.withLock { ring in
            let ordered = Array(ring.items[ring.next...] + ring.items[..<ring.next])
            return Array(ordered.suffix(limit))
        }
    }
}

/// Feeds a ``RecentLog``; combined with the process's handler through `MultiplexLogHandler`.
struct RecentLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    var metadataProvider: Logger.MetadataProvider?
    let log: RecentLog

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = mergedMetadata(event)
        var message = event.message.description
        // The host's lines about scripts name what went wrong in metadata (`error`, `handler`, …): keep it visible.
        let extra = merged.filter { $0.key != "script" && $0.key != "bundle" }.sorted { $0.key < $1.key }
        if !extra.isEmpty { message += " " + extra.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
        log.append(
            ScriptLogLine(
                time: RFC3339.formatWithMilliseconds(Date()), level: event.level.rawValue, message: message,
                script: merged["script"].map { "\($0)" }))
    }
}

extension Logger {
    /// A logger whose lines also land in `recent`.
    static func teeing(label: String, into recent: RecentLog) -> Logger {
        let standard = Logger(label: label)
        var copy = RecentLogHandler(log: recent)
        copy.logLevel = standard.logLevel
        return Logger(label: label) { _ in MultiplexLogHandler([standard.handler, copy]) }
    }
}
