import Foundation
import Logging

/// `gatehouse test <site>`: runs the `test(name, fn)` blocks of every
/// `*_test.lua` file against the site, each test in a fresh VM with a fake
/// clock (2026-01-01 00:00 UTC), fake I/O (`sim.reply`) and an empty kv store.
public enum ScriptTestRunner {
    public struct Result: Sendable, Equatable {
        public var file: String
        public var name: String
        /// nil when the test passed.
        public var failure: ScriptDiagnostic?
    }

    public struct Report: Sendable, Equatable {
        public var results: [Result]
        /// Problems that stopped a whole file (or the site) from loading.
        public var loadFailures: [ScriptDiagnostic]
        public var passed: Int { results.filter { $0.failure == nil }.count }
        public var failed: Int { results.count - passed + loadFailures.count }
        public var succeeded: Bool { failed == 0 }

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

    public static let start = Date(timeIntervalSince1970: 1_767_225_600)

    public static func run(siteDirectory: URL, limits: ScriptLimits = .init()) -> Report {
        do {
            return run(bundle: try SiteBundle.snapshot(of: siteDirectory), limits: limits)
        } catch {
            return Report(results: [], loadFailures: [ScriptDiagnostic(file: siteDirectory.path, line: 0, message: error.description)])
        }
    }

    static func run(bundle: SiteBundle, limits: ScriptLimits) -> Report {
        var logger = Logger(label: "gatehouse.scripts.test")
        logger.logLevel = .critical
        let testFiles = bundle.files.keys.filter { $0.hasSuffix("_test.lua") }.sorted()
        var report = Report(results: [], loadFailures: [])
        for file in testFiles {
            // Discover the file's tests.
            let names: [String]
            do throws(LuaVM.Failure) {
                let driver = try SimulationDriver.make(bundle: bundle, files: ["main.lua", file], limits: limits, start: start, logger: logger)
                names = driver.vm.tests.filter { $0.file == file }.map(\.name)
                driver.vm.close()
            } catch {
                var diagnostic = error.diagnostic
                if diagnostic.line == 0 && diagnostic.file == "main.lua" && bundle.files["main.lua"] != nil
                    && diagnostic.message.hasPrefix("cannot open \(file)")
                {
                    diagnostic.file = file
                }
                report.loadFailures.append(diagnostic)
                continue
            }
            for (index, name) in names.enumerated() {
                report.results.append(Result(file: file, name: name, failure: runOne(bundle: bundle, file: file, index: index, limits: limits, logger: logger)))
            }
        }
        return report
    }

    /// Runs test number `index` of `file` in a fresh VM; nil when it passed.
    private static func runOne(bundle: SiteBundle, file: String, index: Int, limits: ScriptLimits, logger: Logger) -> ScriptDiagnostic? {
        let driver: SimulationDriver
        do throws(LuaVM.Failure) {
            driver = try SimulationDriver.make(bundle: bundle, files: ["main.lua", file], limits: limits, start: start, logger: logger)
        } catch {
            return error.diagnostic
        }
        defer { driver.vm.close() }
        let tests = driver.vm.tests.filter { $0.file == file }
        guard index < tests.count else { return ScriptDiagnostic(file: file, line: 0, message: "test list changed between runs") }
        let test = tests[index]
        switch driver.run(test.reference, arguments: [], origin: .test(test.name)) {
        case .returned: return nil
        case .failed(let failure): return failure.diagnostic
        case .abandoned(let reason): return ScriptDiagnostic(file: test.file, line: test.line, message: reason)
        }
    }
}
