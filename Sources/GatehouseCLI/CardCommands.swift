import ArgumentParser
import CardFormats
import Foundation
import Gatehouse
import Logging
import Scripting

/// `gatehouse wiegand encode|decode|pin`: thin flag parsing over ``CardInspection``.
struct WiegandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wiegand",
        abstract: "Encode and decode Wiegand card frames and keypad PINs.",
        subcommands: [Encode.self, Decode.self, Pin.self])

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encode",
            abstract: "Pack a facility code and card number; print bit length, bits, hex and the OSDP raw form.")

        @Option(help: "A format name (H10301, C1k35s, raw37, zk26a, …) or a ZKTeco code:parity string.")
        var format: String

        @Option(help: "Facility code (the site code of a ZKTeco layout without a facility field).")
        var fc: String?

        @Option(help: "Card number.")
        var cn: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            try runReporting(json: json) {
                let report = try CardInspection.encode(
                    format: format, facilityCode: try cliNumber(fc, flag: "--fc"), cardNumber: try cliNumber(cn, flag: "--cn"))
                return (json ? try CardInspection.json(report) : report.text, true)
            }
        }
    }

    struct Decode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decode",
            abstract: "Print every format matching a frame with its fields and parity status; exit 1 when none matches.")

        @Option(help: "The frame's bit count (1-128).")
        var bits: String

        @Option(help: "The frame as right-justified hex.")
        var hex: String

        @Option(help: "A format name or ZKTeco string, or 'auto' (default) to try every built-in format.")
        var format: String = "auto"

        @Option(help: "A site directory whose Lua card formats (cardformat(name, fn)) also take part in matching.")
        var site: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            // Site formats run first (they live on the script thread); their outcomes join the report.
            var siteLines: [String] = []
            var siteMatches: [[String: String]] = []
            if let site {
                guard let count = Int(bits), let card = try? CardBits(hex: hex, bitCount: count) else {
                    writeError("gatehouse: --bits and --hex must describe a card")
                    throw ExitCode(1)
                }
                let host = ScriptHost(siteDirectory: URL(fileURLWithPath: site), logger: Logger(label: "gatehouse.cards"))
                let status = await host.load()
                guard status.ok else {
                    writeError("gatehouse: \(site): \(status.error ?? "the site's scripts do not load")")
                    throw ExitCode(1)
                }
                let matcher = CardMatcher(formats: await ScriptCardFormats.formats(for: card, host: host))
                let (matches, failures) = matcher.allMatches(card)
                for match in matches {
                    if case .site(let number) = match.source {
                        siteLines.append("lua:\(match.format): number=\(number)")
                        siteMatches.append(["format": "lua:\(match.format)", "number": number])
                    }
                }
                for failure in failures { writeError("gatehouse: lua:\(failure.format): \(failure.message)") }
                await host.shutdown()
            }
            let luaLines = siteLines
            let luaMatches = siteMatches
            try runReporting(json: json) {
                guard let count = Int(bits) else { throw CardFormatError.invalidDecimal(bits) }
                let report = try CardInspection.decode(bitCount: count, hex: hex, format: format)
                let matched = report.matches.contains { $0.valid } || !luaMatches.isEmpty
                if !matched {
                    let reason = format.lowercased() == "auto"
                        ? "no format matches this \(report.bitCount)-bit card"
                        : "the card does not pass the checks of \(format)"
                    writeError("gatehouse: \(reason)")
                }
                if json {
                    var object = try JSONSerialization.jsonObject(with: Data(try CardInspection.json(report).utf8)) as? [String: Any] ?? [:]
                    if site != nil { object["site_matches"] = luaMatches }
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
                    return (String(decoding: data, as: UTF8.self), matched)
                }
                return (([report.text] + luaLines).joined(separator: "\n"), matched)
            }
        }
    }

    struct Pin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pin",
            abstract: "Encode keypad keys as Wiegand frames: 4bit, 8bit (complemented high nibble) or burst26 (all at once).")

        @Option(help: "4bit, 8bit, burst26, burst34 or burst:<format>.")
        var mode: String

        @Option(help: "Keys, digits with * and #, e.g. 1234#.")
        var keys: String

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            try runReporting(json: json) {
                let report = try CardInspection.pin(mode: mode, keys: keys)
                return (json ? try CardInspection.json(report) : report.text, true)
            }
        }
    }
}

/// `gatehouse card show`: the display forms of a card UID.
struct CardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Show card numbers the way Akuvox and ZKTeco devices display them.",
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the display forms of a UID (8HN, 8HR, 8H10D, 8HR10D, 6H8D, 6H3D5D, 6H3D5D-R, RAW, IDCardStyle0-2).")

        @Option(help: "The UID as hex bytes, first received first, e.g. 11223344.")
        var uid: String

        @Option(help: "One display mode, or 'all' (default).")
        var mode: String = "all"

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            try runReporting(json: json) {
                let forms = try CardInspection.show(uid: uid, mode: mode)
                let text = forms.map { $0.mode.padding(toLength: 14, withPad: " ", startingAt: 0) + $0.value }.joined(separator: "\n")
                return (json ? try CardInspection.json(forms) : text, true)
            }
        }
    }
}

/// Runs `body`, prints its output, and turns failures into exit status 1 with the problem on stderr.
private func runReporting(json: Bool, _ body: () throws -> (output: String, success: Bool)) throws {
    let result: (output: String, success: Bool)
    do {
        result = try body()
    } catch let error as CardFormatError {
        writeError("gatehouse: \(error.description)")
        throw ExitCode(1)
    } catch {
        writeError("gatehouse: \(error)")
        throw ExitCode(1)
    }
    print(result.output)
    if !result.success { throw ExitCode(1) }
}

private func cliNumber(_ text: String?, flag: String) throws -> UInt64? {
    guard let text else { return nil }
    guard let value = UInt64(text) else {
        throw CardFormatError.invalidRecord(table: "command line", field: flag, value: text + " (expected a non-negative decimal number)")
    }
    return value
}

private func writeError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
