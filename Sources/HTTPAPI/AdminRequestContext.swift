import Hummingbird
import NIOCore

/// The admin listener's request context: Hummingbird's basic context plus the client's address, which the
/// Akuvox allowlist mode and per-client rate limiting read.
public struct AdminRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
