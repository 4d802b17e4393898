import Logging

/// What a VM's host functions reach outside Lua. The composition root fills
/// it with the production seams; tests use the in-memory implementations.
public struct ScriptServices: Sendable {
    public var logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }
}

/// An operation a yielding host call waits for.
enum PendingOperation: Sendable, Equatable {
    case sleep(Duration)
}
