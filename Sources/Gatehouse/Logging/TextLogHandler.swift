import Foundation
import Logging

/// One line per message on stderr, in swift-log's `StreamLogHandler` layout:
/// `2026-11-21T10:00:00+0000 info gatehouse.http : port=8080 [Gatehouse] http listening`.
///
/// Unlike `StreamLogHandler`, metadata is formatted when a message is written, not when it is set. The HTTP server
/// tags every request's logger with a request id; formatting it there cost each request microseconds for lines
/// that, at the default level, are never written.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "\(Self.timestamp()) \(event.level) \(label) :"
        for (key, value) in mergedMetadata(event).sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var text = [CChar](repeating: 0, count: 64)
        let length = strftime(&text, text.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: text[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
