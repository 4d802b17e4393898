import HummingbirdCore
import Logging
import NIOCore

/// Runs a task's jobs on one NIO event loop.
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
}

/// A server child channel whose connection task runs on the connection's own event loop.
///
/// Swift concurrency runs on the NIO event loops (see `GatehouseMain`), and a job goes to whichever loop its
/// waker ran on. A request that waited on the door engine (held by the other loop at that moment) or on the
/// journal's disk sync (woken from the sync thread) therefore often went on on the *other* loop, and its reply
/// then crossed back to the connection's loop: thread hand-offs, each a wake-up, on every request. With the
/// connection's loop as the task-executor preference of the whole connection task, everything a request does
/// outside an actor runs there. Actors still run where they run; only the way back is fixed.
struct ConnectionLoopChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 as `.http1()`, with each connection's work on the connection's own event loop
    /// (see ``ConnectionLoopChannel``).
    public static func http1OnConnectionLoop(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            ConnectionLoopChannel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
