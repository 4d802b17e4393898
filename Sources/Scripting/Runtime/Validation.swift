import Foundation
import Logging

extension LuaVM {
    /// The checks after the top level ran and before a version may serve:
    /// every card-format sample gives its expected number, then every declared
    /// `selftest` passes. Both are pure, so a refused reload leaves no trace.
    /// Handlers and events were already checked as they registered (`on`).
    func validate(logger: Logger) throws(Failure) {
        for name in cardFormats.keys.sorted() {
            guard let format = cardFormats[name] else { continue }
            for (index, sample) in format.samples.enumerated() {
                let outcome = ScriptHost.transform(vm: self, registration: format, format: name, bits: sample.bits, logger: logger)
                let got: String
                switch outcome {
                case .number(let number) where number == sample.expected: continue
                case .rejected where sample.expected == nil: continue
                case .number(let number): got = "'\(number)'"
                case .rejected: got = "a rejection (nil)"
                case .unknownFormat: got = "no transform"
                case .failed(let diagnostic): got = "an error: \(diagnostic)"
                }
                let bits = sample.bits.count > 40 ? String(sample.bits.prefix(40)) + "…" : sample.bits
                throw Failure(
                    diagnostic: ScriptDiagnostic(
                        file: format.file, line: format.line,
                        message: "cardformat '\(name)' sample \(index + 1) (\(sample.bits.count) bits \(bits)): expected \(sample.expected.map { "'\($0)'" } ?? "a rejection (nil)"), got \(got)"),
                    traceback: "", killed: false)
            }
        }
        for test in selfTests {
            inSelfTest = true
            defer { inSelfTest = false }
            do throws(Failure) {
                _ = try call(
                    reference: test.reference, arguments: [], results: 0, instructions: limits.handlerInstructions,
                    wallClock: limits.handlerWallClock)
            } catch {
                var failure = error
                failure.diagnostic.message = "selftest '\(test.name)' failed: \(failure.diagnostic.message)"
                throw failure
            }
        }
    }
}
