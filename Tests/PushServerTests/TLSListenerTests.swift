#if canImport(HummingbirdTLS)
import Foundation
import Logging
import PushProtocol
import Testing
@testable import PushServer

@Suite struct TLSListenerTests {
    /// A self-signed certificate for 127.0.0.1 made with the openssl CLI.
    static func certificate() async throws -> (certificate: String, key: String) {
        let directory = try temporaryDirectory("push-tls")
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let made = try await run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        #expect(made.status == 0)
        return (certificate, key)
    }

    @Test func devicesSpeakHTTPSToTheSecondListener() async throws {
        let (certificate, key) = try await Self.certificate()
        let (store, _, _) = try makeStore()
        let server = PushServer(store: store, configuration: PushServerConfiguration(registration: .open), now: { Date(timeIntervalSince1970: 1_763_700_000) })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "test.push.tls")
        quiet.logLevel = .critical
        let app = try PushListener.tlsApplication(
            server: server, host: "127.0.0.1", port: 0, certificatePath: certificate, privateKeyPath: key, logger: quiet
        ) { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let task = Task { try await app.runService() }
        defer { task.cancel() }
        var port = 0
        for await value in ports { port = value }
        let base = "https://127.0.0.1:\(port)"
        // A client that trusts the certificate registers over TLS …
        let handshake = try await run("/usr/bin/curl", ["-sS", "--cacert", certificate, "\(base)/iclock/cdata?SN=TLS1&options=all&pushver=3.1.2"])
        #expect(handshake.status == 0)
        #expect(handshake.output == "OK")
        let registry = try await run("/usr/bin/curl", ["-sS", "--cacert", certificate, "--data-binary", "DeviceType=acc,~DeviceName=TLS", "\(base)/iclock/registry?SN=TLS1"])
        #expect(registry.output.hasPrefix("RegistryCode="))
        #expect(try store.device("TLS1")?.status == .approved)
        // … one that does not trust it fails certificate validation (curl exit 60), so this is really TLS.
        #expect(try await run("/usr/bin/curl", ["-sS", "\(base)/iclock/ping?SN=TLS1"]).status == 60)
    }

    @Test func unusableFilesAreNamed() async throws {
        let (store, _, _) = try makeStore()
        let server = PushServer(store: store, configuration: PushServerConfiguration(), now: { Date() })
        let (certificate, key) = try await Self.certificate()
        #expect(throws: PushListenerError.self) {
            try PushListener.tlsApplication(server: server, host: "127.0.0.1", port: 0, certificatePath: "/nonexistent/cert.pem", privateKeyPath: key)
        }
        do {
            _ = try PushListener.tlsApplication(server: server, host: "127.0.0.1", port: 0, certificatePath: certificate, privateKeyPath: certificate)
            Issue.record("a certificate given as the key was accepted")
        } catch {
            #expect(error.description.contains("push.tls_key"))
        }
    }
}
#endif
