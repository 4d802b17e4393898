/// What went wrong while reading a PUSH message, and where: `line N, field F: what is wrong`.
///
/// Lines count from 1 within the part being parsed (a body, a command reply, a query string counts as line 1).
public struct PushParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var field: String
    public var problem: String

    public init(line: Int, field: String, problem: String) {
        self.line = line
        self.field = field
        self.problem = problem
    }

    public var description: String { "line \(line), field \(field): \(problem)" }
}
