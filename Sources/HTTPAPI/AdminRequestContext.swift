import Hummingbird
import NIOCore
import PushServer

/// The admin listener's request context: Hummingbird's basic context plus the client's address, which the
/// Akuvox allowlist mode and per-client rate limiting read.
public struct AdminRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The connection's event loop, where the request's work runs (``ConnectionLoopMiddleware``).
    public let connectionExecutor: EventLoopTaskExecutor

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        connectionExecutor = EventLoopTaskExecutor(source.channel.eventLoop)
    }
}

/// Runs every admin request on its connection's event loop (see ``EventLoopTaskExecutor`` for why). Outermost, so
/// the whole request, auth and error mapping included, stays there.
struct ConnectionLoopMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        try await context.connectionExecutor.run { try await next(request, context) }
    }
}
