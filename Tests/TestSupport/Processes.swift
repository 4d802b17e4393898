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

/// Tells an HTTP peer started with `--listen-later` (Tests/OutboundTests/Peers/http_peer.py), which holds its port
/// but refuses connections until then, to start listening; returns once it accepts them.
public func startListening(input: FileHandle, output: FileHandle) async throws {
    try input.write(contentsOf: Data("listen\n".utf8))
    let line = try await firstLine(of: output)
    guard (try? JSONSerialization.jsonObject(with: line) as? [String: Any])?["listening"] as? Bool == true else {
        throw PeerNotListening(reply: String(decoding: line, as: UTF8.self))
    }
}

public struct PeerNotListening: Error, CustomStringConvertible {
    public let reply: String
    public var description: String { "the peer did not start listening: \(reply)" }
}

/// Runs a tool to its end and returns its exit status and standard output. Standard error goes to the test log
/// unless `quiet`. Blocks: call it off the pool (``runToEnd(_:_:in:quiet:)``) unless the caller is synchronous by
/// nature (a static initialiser).
public func runToEndBlocking(
    _ executable: URL, _ arguments: [String], in directory: URL? = nil, quiet: Bool = false
) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe()
    process.standardOutput = output
    if quiet { process.standardError = FileHandle.nullDevice }
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    // Not `waitUntilExit()` (see `stopProcess`): the output has ended, so the exit is moments away.
    while process.isRunning { usleep(1_000) }
    return (process.terminationStatus, data)
}

/// ``runToEndBlocking(_:_:in:quiet:)`` on a thread of its own.
public func runToEnd(
    _ executable: URL, _ arguments: [String], in directory: URL? = nil, quiet: Bool = false
) async throws -> (status: Int32, output: Data) {
    try await offThePool { try runToEndBlocking(executable, arguments, in: directory, quiet: quiet) }
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
