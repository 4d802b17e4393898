import AccessControl
import Foundation

/// One GPIO line: chip, offset and how it is wired.
public struct GPIOLine: Sendable, Hashable, CustomStringConvertible {
    public enum Bias: String, Sendable, Hashable {
        case asIs = "as_is", pullUp = "pull_up", pullDown = "pull_down", disabled = "no_bias"
    }
    /// `gpiochip0`, `/dev/gpiochip0`, a chip number or label (libgpiod's lookup).
    public var chip: String
    public var offset: Int
    /// Active when the line is low (a relay board that switches on a low level; an input contact to ground).
    public var activeLow: Bool
    public var bias: Bias

    public var description: String { "\(chip):\(offset)" }

    public init(chip: String, offset: Int, activeLow: Bool = false, bias: Bias = .asIs) {
        self.chip = chip
        self.offset = offset
        self.activeLow = activeLow
        self.bias = bias
    }
}

/// `[gpio]`: relays and inputs on GPIO lines through libgpiod.
public struct GPIOSettings: Sendable, Equatable {
    public var enabled = false
    /// `"<relay id>@<chip>:<line>[:active_low]"`.
    public var relays: [String] = []
    /// `"<input id>@<chip>:<line>[:active_low][:pull_up|pull_down|no_bias]"`.
    public var inputs: [String] = []

    public init() {}

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var key: String
        public var reason: String
        public var description: String { "gpio.\(key): \(reason)" }
    }

    public func relayLines() throws(Problem) -> [(relay: RelayID, line: GPIOLine)] {
        try parse(relays, key: "relays", allowBias: false).map { (RelayID($0.id), $0.line) }
    }

    public func inputLines() throws(Problem) -> [(input: InputID, line: GPIOLine)] {
        try parse(inputs, key: "inputs", allowBias: true).map { (InputID($0.id), $0.line) }
    }

    /// Both lists, checked together: at least one line, and none used twice across them.
    public func lines() throws(Problem) -> (
        relays: [(relay: RelayID, line: GPIOLine)], inputs: [(input: InputID, line: GPIOLine)]
    ) {
        let relays = try relayLines()
        let inputs = try inputLines()
        guard !relays.isEmpty || !inputs.isEmpty else {
            throw Problem(key: "relays", reason: "list at least one relay or input line")
        }
        var used: Set<String> = []
        for line in relays.map(\.line) + inputs.map(\.line) {
            guard used.insert(line.description).inserted else {
                throw Problem(
                    key: inputs.contains { $0.line == line } ? "inputs" : "relays", reason: "line \(line) is used twice")
            }
        }
        return (relays, inputs)
    }

    private func parse(_ entries: [String], key: String, allowBias: Bool) throws(Problem) -> [(id: Int, line: GPIOLine)] {
        let example = allowBias ? "\"5@gpiochip0:22:active_low:pull_up\"" : "\"1@gpiochip0:17:active_low\""
        var result: [(Int, GPIOLine)] = []
        var ids: Set<Int> = []
        for entry in entries {
            let halves = entry.split(separator: "@", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let fields = halves.count == 2 ? halves[1].split(separator: ":").map(String.init) : []
            guard halves.count == 2, let id = Int(halves[0]), fields.count >= 2, !fields[0].isEmpty,
                let offset = Int(fields[1])
            else { throw Problem(key: key, reason: "'\(entry)' is not \"<id>@<chip>:<line>[:options]\" (e.g. \(example))") }
            guard (1...65_535).contains(id) else { throw Problem(key: key, reason: "'\(entry)': id \(id) is not 1–65535") }
            guard (0...1023).contains(offset) else { throw Problem(key: key, reason: "'\(entry)': line \(offset) is not 0–1023") }
            guard ids.insert(id).inserted else { throw Problem(key: key, reason: "id \(id) is listed twice") }
            var line = GPIOLine(chip: fields[0], offset: offset, activeLow: false, bias: .asIs)
            for option in fields.dropFirst(2) {
                if option == "active_low" {
                    line.activeLow = true
                } else if allowBias, let bias = GPIOLine.Bias(rawValue: option) {
                    line.bias = bias
                } else {
                    let known = allowBias ? "active_low, pull_up, pull_down, no_bias" : "active_low"
                    throw Problem(key: key, reason: "'\(entry)': unknown option '\(option)' (known: \(known))")
                }
            }
            result.append((id, line))
        }
        return result
    }
}
