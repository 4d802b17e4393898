import NIOCore

/// Runs a task's jobs on one NIO event loop: the one that owns the request's connection.
///
/// Swift concurrency runs on the NIO event loops (see `GatehouseMain`), and a job goes to whichever loop its
/// waker ran on. A request that waited on the door engine (held by the other loop at that moment) or on the
/// journal's disk sync (woken from the sync thread) therefore often went on on the *other* loop, and its reply
/// then crossed back to the connection's loop: two thread hand-offs, each a wake-up, per request. Interleaved A/B
/// runs of the access API used 5–12% less CPU per request without them in 5 of 6 series, on a 2-core VM whose
/// run-to-run spread is larger (Benchmarks/wrk/README.md). With this executor as the request's task-executor
/// preference (`withTaskExecutorPreference`), everything the request does outside an actor runs on its own
/// connection's loop. Actors still run where they run; only the way back is fixed.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }

    /// Runs `body` with its jobs on this executor's event loop.
    public func run<Result, Failure: Error>(_ body: () async throws(Failure) -> Result) async throws(Failure) -> Result {
        try await withTaskExecutorPreference(self, operation: body)
    }
}
