/// Resolves what a user types for a format: a built-in name (`H10301`, any case), `raw<N>` for
/// raw pass-through of N bits, a ZKTeco default (`zk26a`), or a ZKTeco format string.
public enum CardFormatCatalog {
    public static func layout(named text: String) throws(CardFormatError) -> CardLayout {
        let name = text.trimmingSpaces
        if let named = NamedFormat(name: name) { return named.layout }
        let lower = name.lowercased()
        if lower.hasPrefix("raw"), let count = Int(lower.dropFirst(3)) { return try CardLayout.raw(bitCount: count) }
        if lower.hasPrefix("zk"), let zk = ZKDefaultFormat(name: lower) { return zk.layout }
        if Self.looksLikeZKString(name) { return try ZKFormatString(name).layout }
        throw .unknownFormat(text)
    }

    /// Every built-in layout that auto-decoding tries: the 17 named formats, then the ZKTeco defaults.
    public static var autoDecodeLayouts: [CardLayout] {
        NamedFormat.allCases.map(\.layout) + ZKDefaultFormat.allCases.map(\.layout)
    }

    /// A ZKTeco string has a `:` or is made only of ZK letters and starts with `p`/`P`.
    static func looksLikeZKString(_ text: String) -> Bool {
        if text.contains(":") { return true }
        guard let first = text.first, first == "p" || first == "P", text.count >= 3 else { return false }
        return text.allSatisfy { "pscfmPOFIoiE".contains($0) }
    }
}
