import Foundation
import Testing
@testable import Outbound

@Suite("HTTP through libcurl against a real loopback server")
struct HTTPTransportTests {
    let transport: Transport
    let peer: Peer
    let snapshotFile: URL

    init() async throws {
        transport = try Transport()
        let directory = try TestEnvironment.temporaryDirectory("http")
        snapshotFile = directory.appendingPathComponent("snapshot.jpg")
        try TestEnvironment.snapshotBytes.write(to: snapshotFile)
        peer = try await Peer.launch("http_peer.py", ["--snapshot", snapshotFile.path, "--user", "admin", "--password", "s3cret"])
    }

    var base: String { "http://127.0.0.1:\(peer.port)" }

    @Test func getReturnsStatusHeadersAndBody() async throws {
        let response = try await transport.send(HTTPRequest(url: "\(base)/message?text=door"))
        #expect(response.status == 200)
        #expect(response.body == Data("OK".utf8))
        #expect(response.header(named: "x-peer") == "gatehouse-test")
        let recorded = try await peer.recordedRequests()
        #expect(recorded.last?["path"] as? String == "/message?text=door")
        #expect(recorded.last?["method"] as? String == "GET")
    }

    @Test(arguments: ["POST", "PUT", "PATCH", "DELETE"])
    func methodsCarryHeadersAndBody(method: String) async throws {
        let body = Data("<RemoteControlDoor><cmd>open</cmd></RemoteControlDoor>".utf8)
        let request = HTTPRequest(
            method: method, url: "\(base)/ISAPI/AccessControl/RemoteControl/door/1",
            headers: [HTTPHeader("Content-Type", "application/xml"), HTTPHeader("X-Site", "lobby")], body: body)
        let response = try await transport.send(request)
        #expect(response.status == 200)
        let last = try #require(try await peer.recordedRequests().last)
        #expect(last["method"] as? String == method)
        #expect(Data(base64Encoded: last["body"] as? String ?? "") == body)
        let headers = last["headers"] as? [String: String] ?? [:]
        #expect(headers["X-Site"] == "lobby")
        #expect(headers["Content-Type"] == "application/xml")
    }

    @Test(arguments: [
        (HTTPAuthentication.Scheme.basic, "basic"), (.digest, "digest"), (.digest, "digest-sha256"),
        (.any, "basic"), (.any, "digest"), (.any, "digest-sha256"),
    ])
    func authenticationSchemesSucceed(scheme: HTTPAuthentication.Scheme, path: String) async throws {
        let request = HTTPRequest(
            url: "\(base)/\(path)/relay/0?turn=on", authentication: HTTPAuthentication(scheme, user: "admin", password: "s3cret"))
        let response = try await transport.send(request)
        #expect(response.status == 200, "\(scheme) against /\(path)")
        try response.requireSuccess(url: request.url)
    }

    @Test(arguments: ["basic", "digest", "digest-sha256"])
    func wrongPasswordIsAnAuthenticationError(path: String) async throws {
        let request = HTTPRequest(
            url: "\(base)/\(path)/x", authentication: HTTPAuthentication(.any, user: "admin", password: "wrong"))
        let response = try await transport.send(request)
        #expect(response.status == 401)
        #expect(throws: TransportError.authenticationFailed(url: request.url, status: 401)) {
            try response.requireSuccess(url: request.url)
        }
    }

    @Test func redirectsAreNotFollowedByDefault() async throws {
        let response = try await transport.send(HTTPRequest(url: "\(base)/redirect"))
        #expect(response.status == 302)
        #expect(response.header(named: "Location") == "/elsewhere")
        let followed = try await transport.send(HTTPRequest(url: "\(base)/redirect", followRedirects: true))
        #expect(followed.status == 200)
    }

    @Test func serverErrorStatusIsTransientClientErrorIsNot() async throws {
        let failing = try await transport.send(HTTPRequest(url: "\(base)/status/503"))
        do {
            try failing.requireSuccess(url: "\(base)/status/503")
            Issue.record("503 must throw")
        } catch {
            #expect(error.isTransient)
            #expect(error.description.contains("503"))
        }
        let missing = try await transport.send(HTTPRequest(url: "\(base)/status/404"))
        #expect(throws: TransportError.self) { try missing.requireSuccess(url: "\(base)/status/404") }
        do { try missing.requireSuccess(url: "\(base)/status/404") } catch { #expect(!error.isTransient) }
    }

    @Test func cameraSnapshotArrivesIntact() async throws {
        let image = try await transport.fetch(HTTPRequest(
            url: "\(base)/digest/snapshot.jpg", authentication: HTTPAuthentication(.digest, user: "admin", password: "s3cret")))
        #expect(image == TestEnvironment.snapshotBytes)
    }

    @Test func totalTimeoutIsReported() async throws {
        let request = HTTPRequest(url: "\(base)/slow", options: TransportOptions(totalTimeoutMilliseconds: 300))
        await #expect(throws: TransportError.timedOut(url: request.url, afterMilliseconds: 300)) {
            _ = try await transport.send(request)
        }
    }

    @Test func oversizedResponseIsRefused() async throws {
        let request = HTTPRequest(url: "\(base)/snapshot.jpg", options: TransportOptions(maxResponseBytes: 1_000))
        await #expect(throws: TransportError.responseTooLarge(url: request.url, limit: 1_000)) {
            _ = try await transport.send(request)
        }
    }
}

@Suite("Transport failures are typed")
struct TransportFailureTests {
    @Test func refusedConnection() async throws {
        let transport = try Transport()
        // Port 1 on loopback: nothing listens there.
        do {
            _ = try await transport.send(HTTPRequest(url: "http://127.0.0.1:1/"))
            Issue.record("expected a connection failure")
        } catch {
            guard case .connectionFailed(let host, _) = error else { Issue.record("got \(error)"); return }
            #expect(host == "127.0.0.1")
            #expect(error.isTransient)
        }
    }

    @Test func unknownHost() async throws {
        let transport = try Transport()
        await #expect(throws: TransportError.hostNotFound(host: "gatehouse-no-such-host.invalid")) {
            _ = try await transport.send(HTTPRequest(url: "http://gatehouse-no-such-host.invalid/x"))
        }
    }

    @Test(arguments: ["file:///etc/passwd", "gopher://127.0.0.1/", "not a url", "http:///nohost"])
    func schemesOtherThanHTTPAreRefused(url: String) async throws {
        let transport = try Transport()
        do {
            _ = try await transport.send(HTTPRequest(url: url))
            Issue.record("\(url) must be refused")
        } catch {
            guard case .invalidURL = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func passwordsAreRedactedInErrors() async throws {
        let transport = try Transport()
        do {
            _ = try await transport.send(HTTPRequest(url: "http://admin:topsecret@127.0.0.1:1/state.xml"))
        } catch {
            #expect(!error.description.contains("topsecret"))
        }
    }
}

@Suite("HTTPS verification")
struct HTTPSTransportTests {
    @Test func verifiesAgainstConfiguredCAAndRefusesUnknownCertificates() async throws {
        let transport = try Transport()
        let directory = try TestEnvironment.temporaryDirectory("https")
        let peer = try await Peer.launch("http_peer.py", ["--tls-dir", directory.path])
        defer { peer.stop() }
        let url = "https://localhost:\(peer.port)/state.xml?relayState=2"
        let trusted = try await transport.send(HTTPRequest(url: url, options: TransportOptions(caFile: peer.caFile)))
        #expect(trusted.status == 200)
        do {
            _ = try await transport.send(HTTPRequest(url: url))
            Issue.record("a self-signed certificate must fail verification by default")
        } catch {
            guard case .tls(let host, _) = error else { Issue.record("got \(error)"); return }
            #expect(host == "localhost")
            #expect(!error.isTransient)
        }
        let unverified = try await transport.send(HTTPRequest(url: url, options: TransportOptions(verifyTLS: false)))
        #expect(unverified.status == 200)
        await #expect(throws: TransportError.localFile(path: "/nonexistent/ca.pem", detail: "CA file is missing or unreadable")) {
            _ = try await transport.send(HTTPRequest(url: url, options: TransportOptions(caFile: "/nonexistent/ca.pem")))
        }
    }
}

@Suite("Cancellation")
struct CancellationTests {
    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let transport = try Transport()
        let url = "http://127.0.0.1:\(peer.port)/slow?seconds=60"
        let task = Task { try await transport.send(HTTPRequest(url: url)) }
        // Cancel once the server has seen the request, so the transfer is really in flight.
        while try await peer.recordedRequests().isEmpty { await Task.yield() }
        let start = ContinuousClock.now
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("a cancelled transfer must not succeed")
        } catch let error as TransportError {
            #expect(error == .cancelled(url: url))
        }
        #expect(ContinuousClock.now - start < .seconds(20), "cancellation does not wait for the 60 s answer")
    }
}
