import Foundation
import Logging

/// What `gatehouse test <site>` reports: the `test(name, fn)` blocks of every `*_test.lua` file, each run against
/// the site's real door engine (see the Gatehouse module's `SiteTestRunner`).
public enum ScriptTestRunner {
    public struct Result: Sendable, Equatable {
        public var file: String
        public var name: String
        /// nil when the test passed.
        public var failure: ScriptDiagnostic?

        public init(file: String, name: String, failure: ScriptDiagnostic?) {
            self.file = file
            self.name = name
            self.failure = failure
        }
    }

    public struct Report: Sendable, Equatable {
        public var results: [Result]
        /// Problems that stopped a whole file (or the site) from loading.
        public var loadFailures: [ScriptDiagnostic]
        public var passed: Int { results.filter { $0.failure == nil }.count }
        public var failed: Int { results.count - passed + loadFailures.count }
        public var succeeded: Bool { failed == 0 }

        public init(results: [Result] = [], loadFailures: [ScriptDiagnostic] = []) {
            self.results = results
            self.loadFailures = loadFailures
        }

        /// TAP-like output ending with `N passed, N failed`.
        public var lines: [String] {
            var lines = ["TAP version 14", "1..\(results.count + loadFailures.count)"]
            var number = 0
            for failure in loadFailures {
                number += 1
                lines.append("not ok \(number) - load \(failure.file)")
                lines.append("  # \(failure)")
            }
            for result in results {
                number += 1
                if let failure = result.failure {
                    lines.append("not ok \(number) - \(result.file): \(result.name)")
                    lines.append("  # \(failure)")
                } else {
                    lines.append("ok \(number) - \(result.file): \(result.name)")
                }
            }
            lines.append("\(passed) passed, \(failed) failed")
            return lines
        }
    }

    /// Where the fake clock starts: Thursday 2026-01-01 00:00 UTC.
    public static let start = Date(timeIntervalSince1970: 1_767_225_600)
}
