import Foundation

/// RFC 3339 times as the host writes them everywhere (REST bodies, action URLs' `$time`, JSON log lines): UTC, `Z`.
///
/// Formatting goes through `Date.ISO8601FormatStyle` values made once (a value type, safe to share): building an
/// `ISO8601DateFormatter` per call cost an allocation and a setup on every log line.
public enum RFC3339 {
    private static let seconds = Date.ISO8601FormatStyle()
    private static let milliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `2027-01-01T00:00:00Z`.
    public static func format(_ date: Date) -> String { seconds.format(date) }

    /// `2027-01-01T00:00:00.123Z`, for log lines.
    public static func formatWithMilliseconds(_ date: Date) -> String { milliseconds.format(date) }

    /// Parses a time with or without fractional seconds (what the REST API accepts).
    public static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
