import Foundation
import Hummingbird
import Logging
import NIOCore
import PushProtocol

/// The request context of the device-facing listener: it carries the peer address (for the allowlist and the
/// registry) and accepts bodies as large as the codec does.
public struct PushRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The connection's event loop, where the request's work runs (see ``EventLoopTaskExecutor``).
    public let connectionExecutor: EventLoopTaskExecutor

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        connectionExecutor = EventLoopTaskExecutor(source.channel.eventLoop)
    }

    public var maxUploadSize: Int { PushLimits.maximumBodyBytes }
}

/// The thin HTTP adapter: every request, whatever its path, goes to `PushServer.handle(_:)` (the codec decides
/// what is a PUSH endpoint, so `/iclock/cdata.aspx` and trailing slashes work as in the field).
public struct PushServerResponder: HTTPResponder {
    public typealias Context = PushRequestContext
    let server: PushServer

    public init(server: PushServer) { self.server = server }

    public func respond(to request: Request, context: PushRequestContext) async throws -> Response {
        await context.connectionExecutor.run { await answer(request, context: context) }
    }

    private func answer(_ request: Request, context: PushRequestContext) async -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: PushLimits.maximumBodyBytes)
        } catch {
            return Self.response(PushHTTPResponse(status: 413, body: Array("body too large".utf8)))
        }
        let reply = await server.handle(
            PushHTTPRequest(
                method: request.method.rawValue, target: request.uri.string, cookie: request.headers[.cookie],
                body: Array(buffer: body), remoteAddress: context.remoteAddress?.ipAddress))
        return Self.response(reply)
    }

    static func response(_ reply: PushHTTPResponse) -> Response {
        Response(
            status: HTTPResponse.Status(code: reply.status),
            headers: [.contentType: reply.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

/// Builds the device-facing listeners. The results are swift-service-lifecycle `Service`s: the composition root
/// adds them to its service group. Plain HTTP and TLS are separate listeners (some devices fail certificate
/// validation, others only speak HTTPS); both serve the same `PushServer`.
public enum PushListener {
    public static func application(
        server: PushServer, host: String, port: Int, logger: Logger = Logger(label: "gatehouse.push.listener"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> Application<PushServerResponder> {
        Application(
            responder: PushServerResponder(server: server),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Gatehouse"),
            onServerRunning: onServerRunning,
            logger: logger)
    }
}
