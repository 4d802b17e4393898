/// The query string of a PUSH request (`SN=…&table=rtlog`), in order, spelling preserved.
///
/// Values are not percent-decoded: devices send URLs (`url=http://…`) raw, and emission must give back the same
/// bytes. Spaces around keys and values (a PDF rendering artefact in the reference) are trimmed.
public struct PushQuery: Sendable, Hashable, Codable {
    public var items: [PushField]

    public init(items: [PushField] = []) { self.items = items }

    public init(_ pairs: KeyValuePairs<String, String>) {
        self.items = pairs.map { PushField($0.key, $0.value) }
    }

    /// First value for `name`: exact first, then case-insensitive (`SN`/`sn`, `AuthType`/`authtype`).
    public subscript(name: String) -> String? {
        if let item = items.first(where: { $0.key == name }) { return item.value ?? "" }
        let lowered = name.lowercased()
        return items.first(where: { $0.key.lowercased() == lowered }).map { $0.value ?? "" }
    }

    public var serialNumber: String? { self["SN"] }

    public var text: String { items.map(\.text).joined(separator: "&") }

    public static func parse(_ text: Substring) throws(PushParseError) -> PushQuery {
        guard text.utf8.count <= PushLimits.maximumQueryBytes else {
            throw PushParseError(line: 1, field: "query", problem: "query of \(text.utf8.count) bytes exceeds the \(PushLimits.maximumQueryBytes)-byte limit")
        }
        var items: [PushField] = []
        for part in text.split(separator: "&") {
            let trimmedPart = part.trimmingSpaces
            if trimmedPart.isEmpty { continue }
            if let equals = trimmedPart.firstIndex(of: "=") {
                items.append(PushField(
                    String(trimmedPart[..<equals]).trimmingSpaces,
                    String(trimmedPart[trimmedPart.index(after: equals)...]).trimmingSpaces))
            } else {
                items.append(PushField(String(trimmedPart), nil))
            }
        }
        return PushQuery(items: items)
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces and tabs (not other whitespace: values are never otherwise altered).
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
