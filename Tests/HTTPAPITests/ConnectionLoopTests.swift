import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import PushServer
import Testing

/// A request that waited on something another thread finished goes on on its own connection's event loop when
/// the server is built with `.http1OnConnectionLoop()`, as the admin and PUSH listeners are.
@Suite struct ConnectionLoopTests {
    /// Knows the loop that owns the request's connection.
    struct LoopContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let connectionLoop: any EventLoop

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            connectionLoop = source.channel.eventLoop
        }
    }

    /// Suspends until a thread of its own resumes the caller: the way the journal's sync thread wakes a request.
    static func wokenByAnotherThread() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread { continuation.resume() }.start()
        }
    }

    @Test(arguments: [(true, "on the connection's loop"), (false, "elsewhere")])
    func requestResumesOnItsConnectionsLoop(pinned: Bool, expected: String) async throws {
        let router = Router(context: LoopContext.self)
        router.get("where") { _, context -> String in
            var answers: Set<String> = []
            for _ in 0..<20 {
                await Self.wokenByAnotherThread()
                answers.insert(context.connectionLoop.inEventLoop ? "on the connection's loop" : "elsewhere")
            }
            return answers.sorted().joined(separator: ", ")
        }
        try await withServer(router, server: pinned ? .http1OnConnectionLoop() : .http1()) { client in
            for _ in 0..<3 {
                let reply = try await client.send("GET", "/where")
                #expect(reply.status == 200)
                #expect(reply.text == expected)
            }
        }
    }
}
