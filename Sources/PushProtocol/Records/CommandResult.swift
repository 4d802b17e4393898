/// One command result a device posts to `/iclock/devicecmd`: `ID=…&Return=…&CMD=…[&SN=…]`, followed by optional
/// payload lines that belong to it (`~DeviceName=…`, `MAC=…`).
///
/// Real firmware spells `Return` as `return`, echoes only the first word of the command (`CMD=DATA`) or the whole
/// phrase (`CMD=DATA UPDATE`), and sends return codes outside Appendix 1. All of that is kept as sent.
public struct CommandResult: Sendable, Hashable, Codable {
    /// The `&`-separated fields in order, spelling preserved (bare segments such as `transaction` have nil values).
    public var fields: [PushField]
    /// Lines after the result line that belong to it.
    public var payload: [String]

    public init(fields: [PushField], payload: [String] = []) {
        self.fields = fields
        self.payload = payload
    }

    /// Builds the canonical result line `ID=<id>&Return=<code>&CMD=<command>` (+ `&SN=` for a sub-controller).
    public init(id: String, returnCode: PushReturnCode, command: String, serialNumber: String? = nil, payload: [String] = []) {
        var fields = [PushField("ID", id), PushField("Return", String(returnCode.rawValue)), PushField("CMD", command)]
        if let serialNumber { fields.append(PushField("SN", serialNumber)) }
        self.init(fields: fields, payload: payload)
    }

    private func value(_ key: String) -> String? {
        let lowered = key.lowercased()
        return fields.first(where: { $0.key.lowercased() == lowered }).map { $0.value ?? "" }
    }

    /// The command ID echoed back.
    public var id: String { value("ID") ?? "" }
    /// The return code, nil when absent or not an integer.
    public var returnCode: PushReturnCode? { value("Return").flatMap { Int($0) }.map { PushReturnCode(rawValue: $0) } }
    /// The raw `Return` text.
    public var returnText: String? { value("Return") }
    /// The echoed command (first word or full phrase, as the device sent it).
    public var command: String? { value("CMD") }
    /// The first word of the echoed command (`DATA`, `CONTROL`, `SET`…), for matching regardless of firmware style.
    public var commandWord: String? {
        command.map { String($0.split(whereSeparator: { $0 == " " || $0 == "_" }).first ?? "") }
    }
    /// The sub-controller serial number, present only for sub-controller results (Appendix 15).
    public var serialNumber: String? { value("SN") }

    /// The result line followed by its payload lines, each LF-terminated.
    public var text: String {
        var out = fields.map(\.text).joined(separator: "&") + "\n"
        for line in payload { out += line + "\n" }
        return out
    }

    /// Parses a devicecmd body: several results, each possibly followed by payload lines.
    public static func parseAll(_ body: [UInt8]) throws(PushParseError) -> [CommandResult] {
        var results: [CommandResult] = []
        for line in try body.pushLines() {
            let (text, _) = PushTextEncoding.decode(line.bytes)
            if isResultLine(text) {
                results.append(CommandResult(fields: splitFields(text)))
            } else if results.isEmpty {
                throw PushParseError(line: line.number, field: "ID", problem: "expected a command result `ID=…&Return=…&CMD=…`, found `\(text.prefix(40))`")
            } else {
                results[results.count - 1].payload.append(text)
            }
        }
        return results
    }

    public static func emitAll(_ results: [CommandResult]) -> [UInt8] {
        Array(results.map(\.text).joined().utf8)
    }

    static func isResultLine(_ text: String) -> Bool {
        let head = text.prefix(3).uppercased()
        return head == "ID=" && text.contains("&")
    }

    static func splitFields(_ text: String) -> [PushField] {
        text.split(separator: "&", omittingEmptySubsequences: false).map { part in
            if let equals = part.firstIndex(of: "=") {
                return PushField(String(part[..<equals]), String(part[part.index(after: equals)...]))
            }
            return PushField(String(part), nil)
        }
    }
}
