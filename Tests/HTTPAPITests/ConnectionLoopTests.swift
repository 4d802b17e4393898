import Foundation
import Hummingbird
import Testing

@testable import HTTPAPI

/// A request that waited on something another thread finished goes on on its own connection's event loop.
@Suite struct ConnectionLoopTests {
    /// Suspends until a thread of its own resumes the caller: the way the journal's sync thread wakes a request.
    static func wokenByAnotherThread() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread { continuation.resume() }.start()
        }
    }

    @Test(arguments: [(true, "on the connection's loop"), (false, "elsewhere")])
    func requestResumesOnItsConnectionsLoop(withMiddleware: Bool, expected: String) async throws {
        let router = Router(context: AdminRequestContext.self)
        if withMiddleware { router.middlewares.add(ConnectionLoopMiddleware()) }
        router.get("where") { _, context -> String in
            var answers: Set<String> = []
            for _ in 0..<20 {
                await Self.wokenByAnotherThread()
                answers.insert(context.connectionExecutor.eventLoop.inEventLoop ? "on the connection's loop" : "elsewhere")
            }
            return answers.sorted().joined(separator: ", ")
        }
        try await withServer(router) { client in
            let reply = try await client.send("GET", "/where")
            #expect(reply.status == 200)
            #expect(reply.text == expected)
        }
    }
}
