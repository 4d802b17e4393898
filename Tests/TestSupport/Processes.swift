import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs blocking work (a pipe read, a short-lived tool run to its end) on a thread of its own: the test runner's
/// cooperative pool has one thread per core (two here), and a test blocked on it starves every other test.
///
/// Spawn long-lived children (peers the test stops later) on the calling task, not in here: a peer spawned on
/// such a thread came up with SIGTERM blocked and could not be stopped, and clearing the thread's mask instead let
/// it take the SIGCHLDs Foundation waits for, so no child was reaped. Both hung a full run.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Reads until the first newline (or end of file), off the cooperative pool: a starting peer prints its details
/// as its first line.
public func firstLine(of handle: FileHandle) async throws -> Data {
    try await offThePool {
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        return Data(line.prefix { $0 != 0x0A })
    }
}

/// Stops a child process: SIGTERM, a bounded wait, then SIGKILL. Not `waitUntilExit()`, which on Linux spins on a
/// run loop for as long as the child lives, with no bound.
public func stopProcess(_ process: Process, grace: TimeInterval = 5) {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = Date().addingTimeInterval(grace)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        let killed = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < killed { usleep(5_000) }
    }
}
