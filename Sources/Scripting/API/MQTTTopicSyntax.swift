/// MQTT topic rules (MQTT 3.1.1 §4.7), checked when a script names a topic, before anything reaches the broker.
public enum MQTTTopicSyntax {
    /// A topic to publish to: not empty, no wildcards, no NUL, at most 65535 bytes.
    public static func isValidTopic(_ topic: String) -> Bool {
        !topic.isEmpty && topic.utf8.count <= 65535 && !topic.contains(where: { $0 == "+" || $0 == "#" || $0 == "\0" })
    }

    /// A subscription filter: `+` only as a whole level, `#` only as the whole last level.
    public static func isValidSubscription(_ pattern: String) -> Bool {
        guard !pattern.isEmpty, pattern.utf8.count <= 65535, !pattern.contains("\0") else { return false }
        let levels = pattern.split(separator: "/", omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() {
            if level.contains("#") && (level != "#" || index != levels.count - 1) { return false }
            if level.contains("+") && level != "+" { return false }
        }
        return true
    }

    /// Whether `topic` matches `pattern` (for the offline runner; the broker decides live).
    public static func topic(_ topic: String, matches pattern: String) -> Bool {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        let filters = pattern.split(separator: "/", omittingEmptySubsequences: false)
        // `$SYS/…` topics are not matched by wildcards at the first level.
        if topic.hasPrefix("$"), let first = filters.first, first == "+" || first == "#" { return false }
        var index = 0
        for filter in filters {
            if filter == "#" { return true }
            guard index < levels.count else { return false }
            if filter != "+" && filter != levels[index] { return false }
            index += 1
        }
        return index == levels.count
    }
}
