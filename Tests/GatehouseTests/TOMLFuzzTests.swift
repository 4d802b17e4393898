import Foundation
import TestSupport
import Testing

@testable import Gatehouse

/// The configuration and actions files are edited by hand on live sites, and the actions file is re-read while the
/// host runs: whatever is in them, the parser answers with a document or an error naming a line of the file.
@Suite("TOML parser fuzz")
struct TOMLFuzzTests {
    static let fragments = [
        "[http]", "[[input]]", "[[input", "[ a ]", "[]", "key", "key2", "-k_", "=", " = ", "\"", "'", "\"\\u00e9\"",
        "\"\\uD800\"",
        "\"\\", "1", "-9_223_372_036_854_775_808", "99999999999999999999", "1e400", "2.5", "true", "[", "]", ",",
        "[1, [2, ['x']]]",
        "#", " # c", "\t", "\r\n", "\n", "é", "😀", "\0", "\u{FEFF}", "'''", "\"a#b\"", "[[", "]]",
    ]

    static let lines = [
        "[http]", "listen = \"127.0.0.1:8080\" # where", "[[input]]", "id = 1", "actions = [\"http\", 'ftp']", "n = 1_000",
        "f = -2.5e3", "b = false", "a = [1,", "  2, [3, 4],", "]", "s = 'C:\\raw'", "u = \"\\u00e9\\t\"", "", "# comment",
    ]

    /// Lines of a plausible file, a third of them with a fragment spliced in somewhere.
    static func file(_ random: inout SplitMix64) -> String {
        var text: [String] = []
        for _ in 0..<Int.random(in: 1..<30, using: &random) {
            var line = Array(lines.randomElement(using: &random)!)
            if Int.random(in: 0..<3, using: &random) == 0 {
                let at = Int.random(in: 0...line.count, using: &random)
                line.insert(contentsOf: fragments.randomElement(using: &random)!, at: at)
            }
            text.append(String(line))
        }
        return text.joined(separator: Bool.random(using: &random) ? "\n" : "\r\n")
    }

    @Test("seeded random files: a document or an error on a line of the file", arguments: 0..<8)
    func randomFiles(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<500 {
            let text = Self.file(&random)
            let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
                .count
            do {
                _ = try TOMLDocument(parsing: text)
            } catch {
                #expect((1...lines).contains(error.line), "\(error) for \(text.debugDescription)")
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("arrays nested past the limit are refused, not recursed into", arguments: [64, 100_000])
    func deepArrays(depth: Int) {
        let text = "[x]\nok = 1\ndeep = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        #expect(throws: TOMLDocument.ParseError(line: 3, message: "arrays nested deeper than 32 levels")) {
            try TOMLDocument(parsing: text)
        }
        let allowed = "a = " + String(repeating: "[", count: 32) + "1" + String(repeating: "]", count: 32) + "\n"
        #expect(throws: Never.self) { try TOMLDocument(parsing: allowed) }
    }

    /// An unclosed array swallows the rest of the file; reading on must stay linear in the file's size.
    @Test("an array left open on line 1 of a long file is reported on line 1", .timeLimit(.minutes(1)))
    func unclosedArrayInLongFile() {
        let text = "a = [1,\n" + String(repeating: "2, \"[\" , 'x',\n", count: 100_000)
        #expect(throws: TOMLDocument.ParseError(line: 1, message: "unterminated array")) { try TOMLDocument(parsing: text) }
    }
}
