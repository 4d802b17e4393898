#if canImport(HummingbirdTLS)
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

/// A TLS listener that cannot start: which file, and why.
public enum PushListenerError: Error, Sendable, Hashable, CustomStringConvertible {
    case certificate(path: String, reason: String)
    case privateKey(path: String, reason: String)
    case tls(String)

    public var description: String {
        switch self {
        case .certificate(let path, let reason): "push.tls_certificate `\(path)` is not a usable PEM certificate chain: \(reason)"
        case .privateKey(let path, let reason): "push.tls_key `\(path)` is not a usable PEM private key: \(reason)"
        case .tls(let reason): "the PUSH TLS listener cannot be configured: \(reason)"
        }
    }
}

/// The HTTPS listener (`push.tls_listen`).
extension PushListener {
    /// The TLS listener (Hummingbird's `HummingbirdTLS` on swift-nio-ssl), HTTP/1.1 with keep-alive like the plain
    /// one. The certificate chain and key are PEM files, read once at start-up.
    public static func tlsApplication(
        server: PushServer, host: String, port: Int, certificatePath: String, privateKeyPath: String,
        logger: Logger = Logger(label: "gatehouse.push.tls-listener"),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws(PushListenerError) -> Application<PushServerResponder> {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw .certificate(path: certificatePath, reason: "\(error)")
        }
        guard !chain.isEmpty else { throw .certificate(path: certificatePath, reason: "no certificate in the file") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw .privateKey(path: privateKeyPath, reason: "\(error)")
        }
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do {
            return try Application(
                responder: PushServerResponder(server: server), server: .tls(.http1(), tlsConfiguration: tls),
                configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Gatehouse"),
                onServerRunning: onServerRunning,
                logger: logger)
        } catch {
            throw .tls("\(error)")
        }
    }
}
#endif
