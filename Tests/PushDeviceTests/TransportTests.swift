import Foundation
import Testing

@testable import PushDevice

#if canImport(Glibc)
    import Glibc
#endif

/// The device role's HTTP client against real sockets: what an operator reads when the upstream server is down or
/// silent, and that a server which keeps refusing does not take the host down with it.
@Suite struct TransportTests {
    /// A loopback TCP port that accepts connections (the kernel completes the handshake from the backlog) and never
    /// answers: a hung server. With `listening: false` the port is only bound, so connections are refused (a server
    /// that is down) and no other test's server can take the port meanwhile.
    final class SilentListener {
        let socket: Int32
        let port: Int

        init(listening: Bool = true) throws {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.socket = socket
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
            }
            guard bound == 0, !listening || listen(socket, 16) == 0 else {
                close(socket)
                throw POSIXError(.EADDRINUSE)
            }
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(socket, $0, &length) }
            }
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(socket) }
    }

    @Test func aRefusedConnectionSaysWhereAndWhy() async throws {
        let down = try SilentListener(listening: false)
        defer { withExtendedLifetime(down) {} }
        let port = down.port
        let transport = try HTTPPushTransport(baseURL: "http://127.0.0.1:\(port)/", timeout: 5)
        do {
            _ = try await transport.send(method: "GET", target: "/iclock/ping?SN=T1", headers: [], body: [])
            Issue.record("a refused connection returned a reply")
        } catch {
            guard case .unreachable(let url, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(url == "http://127.0.0.1:\(port)/iclock/ping?SN=T1")
            #expect(reason == "connection refused")
        }
    }

    @Test func aSilentServerTimesOutAtTheRequestsTimeout() async throws {
        let listener = try SilentListener()
        let transport = try HTTPPushTransport(baseURL: "http://127.0.0.1:\(listener.port)", timeout: 300)
        let started = ContinuousClock.now
        do {
            _ = try await transport.send(
                method: "POST", target: "/iclock/cdata?SN=T1&table=rtlog", headers: [], body: Array("x".utf8), timeout: 0.3)
            Issue.record("a silent server returned a reply")
        } catch {
            #expect(
                error
                    == .unreachable(url: "http://127.0.0.1:\(listener.port)/iclock/cdata?SN=T1&table=rtlog", reason: "timed out"))
        }
        // The per-request timeout (the server's TimeoutSec), not the transport's 300 s default. The bound is loose on
        // purpose: under a full parallel test run the task may wait seconds for a thread after the timeout fires.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func theEncryptingWrapperPassesTheRequestsTimeoutOn() async throws {
        let listener = try SilentListener()
        let transport = EncryptedPushTransport(
            wrapping: try HTTPPushTransport(baseURL: "http://127.0.0.1:\(listener.port)", timeout: 300), serialNumber: "T1")
        let started = ContinuousClock.now
        await #expect(throws: PushTransportError.self) {
            try await transport.send(method: "GET", target: "/iclock/getrequest?SN=T1", headers: [], body: [], timeout: 0.3)
        }
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func malformedServerURLsAreRefusedUpFront() {
        for url in ["", "127.0.0.1:8080", "ftp://host", "http://", "http:///iclock"] {
            #expect(throws: PushTransportError.invalidURL(url)) { try HTTPPushTransport(baseURL: url) }
        }
    }

    /// URLSession on Linux could crash the process when refused connections raced its socket teardown; the host kept
    /// retrying a down upstream server, so this is the path that must hold.
    @Test func hundredsOfRefusedAndTimedOutRequestsLeaveTheProcessStanding() async throws {
        let down = try SilentListener(listening: false)
        let refused = try HTTPPushTransport(baseURL: "http://127.0.0.1:\(down.port)", timeout: 5)
        let listener = try SilentListener()
        defer { withExtendedLifetime((down, listener)) {} }
        let silent = try HTTPPushTransport(baseURL: "http://127.0.0.1:\(listener.port)", timeout: 5)
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<300 {
                group.addTask {
                    let transport = index % 10 == 0 ? silent : refused
                    do {
                        _ = try await transport.send(
                            method: "GET", target: "/iclock/getrequest?SN=T\(index)", headers: [], body: [], timeout: 0.2)
                        return false
                    } catch {
                        return true
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 300)
    }
}
