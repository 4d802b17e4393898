import Dispatch
import Foundation
import Logging
import Synchronization
import Testing

@testable import Gatehouse

#if canImport(Glibc)
    import Glibc
#endif

/// The backstop that ends a host whose shutdown never finishes. Deadlines of 0 s with no grace, on a queue of the
/// test's, so what is due has run once the queue has served a later block.
@Suite struct ShutdownDeadlineTests {
    final class Exits: Sendable {
        let count = Atomic<Int>(0)
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        var value: Int { count.load(ordering: .acquiring) }
        func exit() {
            count.add(1, ordering: .releasing)
            continuation.yield()
        }
    }

    static let quiet: Logger = {
        var logger = Logger(label: "ShutdownDeadlineTests")
        logger.logLevel = .critical
        return logger
    }()

    static func immediate(_ queue: DispatchQueue, _ exits: Exits) -> ShutdownDeadline {
        ShutdownDeadline(seconds: 0, logger: quiet, grace: .milliseconds(0), queue: queue, exit: { exits.exit() })
    }

    /// Returns once `queue` has run everything that was due a little before now.
    static func settle(_ queue: DispatchQueue) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.asyncAfter(deadline: .now() + .milliseconds(20)) { done.resume() }
        }
    }

    @Test("an armed deadline that passes ends the process, once however often it was armed")
    func armedDeadlineExitsOnce() async {
        let queue = DispatchQueue(label: "deadline")
        let exits = Exits()
        let deadline = Self.immediate(queue, exits)
        deadline.arm(reason: "graceful shutdown")
        deadline.arm(reason: "signal 15")
        await Self.settle(queue)
        #expect(deadline.isArmed)
        #expect(exits.value == 1)
    }

    @Test("a host whose run() returned in time is not ended, nor one never told to stop")
    func finishedOrUnarmedDoesNotExit() async {
        let queue = DispatchQueue(label: "deadline")
        let exits = Exits()
        let finished = Self.immediate(queue, exits)
        // A deadline of 0 s is due at once: the queue is held until the host has finished, as a host that returned
        // within its deadline would have, so the two cannot race.
        queue.suspend()
        finished.arm(reason: "graceful shutdown")
        finished.finish()
        queue.resume()
        let idle = Self.immediate(queue, exits)
        await Self.settle(queue)
        #expect(finished.isFinished)
        #expect(!idle.isArmed)
        #expect(exits.value == 0)
    }

    /// SIGWINCH stands in for SIGTERM: the same dispatch path, and harmless to the test process if it got lost.
    @Test("the signal itself arms the deadline, through libdispatch rather than any Swift executor", .timeLimit(.minutes(1)))
    func signalArmsTheDeadline() async {
        let queue = DispatchQueue(label: "deadline")
        let exits = Exits()
        let deadline = Self.immediate(queue, exits)
        await deadline.arm(on: [SIGWINCH])
        #expect(!deadline.isArmed)
        kill(getpid(), SIGWINCH)
        for await _ in exits.stream { break }
        #expect(deadline.isArmed)
        #expect(exits.value == 1)
        deadline.finish()
    }
}
