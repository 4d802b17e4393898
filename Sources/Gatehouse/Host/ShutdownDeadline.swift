import Foundation
import Logging
import Synchronization

/// Bounds a shutdown: once armed, the process exits with status 1 one second after `host.shutdown_timeout_s`
/// unless the host's `run()` has returned by then.
///
/// Two things arm it, whichever comes first: ``ShutdownWatch`` when the service group begins a graceful shutdown
/// (a signal, or a listener that failed), and a dispatch signal source for SIGTERM and SIGINT. The signal source
/// is the one that matters when the host is wedged: it and the timer run on libdispatch's own threads, so they
/// work when every Swift executor is stuck, as they were in the swift-async-algorithms deadlock that once left a
/// host ignoring SIGTERM for good (see `GatehouseHost.checkBindable`). The service group sees the same signal
/// through its own source and shuts down as usual; this only ends a shutdown that never finishes.
final class ShutdownDeadline: Sendable {
    let seconds: Int
    private let grace: DispatchTimeInterval
    private let queue: DispatchQueue
    private let logger: Logger
    private let exit: @Sendable () -> Void
    private let armed = Atomic<Bool>(false)
    private let finishedFlag = Atomic<Bool>(false)
    private let sources = Mutex<[SignalSource]>([])

    /// `exit` ends the process, `grace` past `seconds`, on `queue`; tests give their own.
    init(
        seconds: Int, logger: Logger, grace: DispatchTimeInterval = .seconds(1),
        queue: DispatchQueue = DispatchQueue(label: "gatehouse.shutdown-deadline"),
        exit: @escaping @Sendable () -> Void = { Foundation.exit(1) }
    ) {
        self.seconds = seconds
        self.grace = grace
        self.queue = queue
        self.logger = logger
        self.exit = exit
    }

    /// Arms the deadline when one of `signals` arrives; returns once libdispatch watches them, so no later signal
    /// is missed. Their default actions are the service group's business: its own sources for them take care of it.
    func arm(on signals: [Int32]) async {
        for number in signals {
            let source = SignalSource(DispatchSource.makeSignalSource(signal: number, queue: queue))
            source.source.setEventHandler { [weak self] in self?.arm(reason: "signal \(number)") }
            await withCheckedContinuation { (registered: CheckedContinuation<Void, Never>) in
                source.source.setRegistrationHandler { registered.resume() }
                source.source.resume()
            }
            sources.withLock { $0.append(source) }
        }
    }

    /// Starts the countdown; later calls do nothing.
    func arm(reason: String) {
        guard armed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        queue.asyncAfter(deadline: .now() + .seconds(seconds) + grace) { [self] in
            guard !isFinished else { return }
            logger.error(
                "shutdown overran its deadline; exiting", metadata: ["deadline_s": "\(seconds)", "armed_by": "\(reason)"])
            exit()
        }
    }

    var isArmed: Bool { armed.load(ordering: .acquiring) }
    var isFinished: Bool { finishedFlag.load(ordering: .acquiring) }

    /// The host's `run()` has returned: nothing is left to cut short, and a process that embeds the host must not
    /// be ended by it later. The signal sources are let go.
    func finish() {
        finishedFlag.store(true, ordering: .releasing)
        sources.withLock { sources in
            for source in sources { source.source.cancel() }
            sources = []
        }
    }
}

/// A dispatch signal source. `@unchecked Sendable`: libdispatch sources are thread-safe objects (their handlers
/// run serially on the source's queue), and after `arm(on:)` they are only cancelled.
private struct SignalSource: @unchecked Sendable {
    let source: any DispatchSourceSignal
    init(_ source: any DispatchSourceSignal) { self.source = source }
}
