import Digests
import Foundation
import Logging
import PushCrypto
import PushProtocol

/// The device side of Gatehouse's PUSH communication encryption (Appendix 16 steps, the scheme documented in
/// `PushCrypto` and the README's "PUSH roles → Encryption"; ZKTeco's proprietary library is not interoperable).
///
/// It wraps the device's transport, so the connection state machine (`PushDeviceSession`) stays unaware of it:
/// - after a handshake (`cdata?options=all`) whose reply is a registration block with `PushProtVer` ≥ 3.1.1, and
///   after a registry reply that carries a `RegistryCode`, it exchanges public keys and factors with the server
///   (`exchange?type=publickey`, then `type=factors`) and derives the session key;
/// - from then on, every request body is sealed and every 200 reply opened (other statuses are plain);
/// - every handshake starts the connection again in plain text (keys are fresh per connection).
/// When the server refuses the exchange (a server without encryption answers 400 or 404), the device goes on in
/// plain text, as in the reference's Case 1, and says so once in the log.
///
/// One instance per device (it holds that device's session key); the wrapped transport may be shared.
public final class EncryptedPushTransport: PushTransport {
    let base: any PushTransport
    public let serialNumber: String
    let state = EncryptionState()
    let logger: Logger

    public init(
        wrapping base: any PushTransport, serialNumber: String, logger: Logger = Logger(label: "gatehouse.push.device.encryption")
    ) {
        self.base = base
        self.serialNumber = serialNumber
        self.logger = logger
    }

    /// Whether bodies are encrypted on the current connection.
    public var isEncrypting: Bool { get async { await state.key != nil } }

    public func send(
        method: String, target: String, headers: [(String, String)], body: [UInt8]
    ) async throws(PushTransportError) -> PushTransportReply {
        try await send(method: method, target: target, headers: headers, body: body, timeout: nil)
    }

    /// The server's `TimeoutSec` reaches the wrapped transport, for plain and sealed requests alike.
    public func send(
        method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double
    ) async throws(PushTransportError) -> PushTransportReply {
        try await send(method: method, target: target, headers: headers, body: body, timeout: Optional(timeout))
    }

    func send(
        method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double?
    ) async throws(PushTransportError) -> PushTransportReply {
        func forward(_ body: [UInt8]) async throws(PushTransportError) -> PushTransportReply {
            if let timeout {
                return try await base.send(method: method, target: target, headers: headers, body: body, timeout: timeout)
            }
            return try await base.send(method: method, target: target, headers: headers, body: body)
        }
        let path = String(target.prefix(while: { $0 != "?" }))
        let query = target.firstIndex(of: "?").flatMap { try? PushQuery.parse(target[target.index(after: $0)...]) } ?? PushQuery()
        let endpoint = PushEndpoint(path: path)
        if endpoint == .cdata, method.uppercased() == "GET", query["options"] != nil {
            await state.reset(deviceVersion: query["pushver"].flatMap { PushProtocolVersion($0) })
            let reply = try await forward(body)
            if reply.status == 200,
                case .registration(let configuration)? = try? ServerReply.parse(reply.body, endpoint: .cdata, query: query)
            {
                let deviceVersion = await state.deviceVersion
                let version = PushProtocolVersion.negotiated(device: deviceVersion, server: configuration.pushProtocolVersion)
                if version.supportsEncryption {
                    await negotiate(
                        headers: headers, registryCode: configuration.registryCode, sessionID: configuration.sessionID)
                }
            }
            return reply
        }
        guard let endpoint, endpoint != .exchange, let key = await state.key else {
            let reply = try await forward(body)
            if endpoint == .registry, reply.status == 200,
                case .registryCode? = try? ServerReply.parse(reply.body, endpoint: .registry, query: query),
                await state.deviceVersion?.supportsEncryption == true
            {
                await negotiate(headers: headers, registryCode: nil, sessionID: nil)
            }
            return reply
        }
        var sealed = body
        if !body.isEmpty {
            do {
                sealed = try key.seal(body, direction: .deviceToServer, serialNumber: serialNumber, endpoint: endpoint.path)
            } catch {
                throw .unreachable(url: target, reason: "cannot encrypt the request: \(error)")
            }
        }
        let reply = try await forward(sealed)
        guard reply.status == 200 else { return reply }
        do {
            let plain = try key.open(reply.body, direction: .serverToDevice, serialNumber: serialNumber, endpoint: endpoint.path)
            return PushTransportReply(status: 200, body: plain)
        } catch {
            // The keys no longer agree: the next handshake negotiates afresh.
            await state.forgetKey()
            throw .unreachable(url: target, reason: "the server's reply is not readable under the session key: \(error)")
        }
    }

    /// Public keys, then factors, then the session key. Failures leave the connection in plain text.
    func negotiate(headers: [(String, String)], registryCode: String?, sessionID: String?) async {
        var exchangeHeaders = headers.filter { $0.0.lowercased() != "cookie" }
        // The handshake just opened a new session: the token is computed from its SessionID (§4.5).
        if let registryCode, let sessionID {
            exchangeHeaders.append(
                (
                    "Cookie",
                    "token="
                        + SessionToken.compute(
                            registryCode: registryCode, serialNumber: serialNumber, sessionID: sessionID)
                ))
        }
        if !exchangeHeaders.contains(where: { $0.0.lowercased() == "content-type" }) {
            exchangeHeaders.append(("Content-Type", "application/push;charset=UTF-8"))
        }
        do {
            let keys = try RSAKeyPair.generate()
            let serverKeyText = try await exchange(
                .publicKey(keys.publicKey.wireText), type: "publickey", headers: exchangeHeaders)
            guard case .publicKey(let text) = serverKeyText else { return }
            let serverKey = try RSAPublicKey(wireText: text)
            let deviceFactor = try PushFactor.generate()
            let factorsReply = try await exchange(
                .factors(try PushFactor.wireText(deviceFactor, to: serverKey)), type: "factors", headers: exchangeHeaders)
            guard case .factors(let factorText) = factorsReply else { return }
            let serverFactor = try PushFactor.read(factorText, with: keys)
            let key = try PushSessionKey.derive(
                deviceFactor: deviceFactor, serverFactor: serverFactor, devicePublicKey: keys.publicKey,
                serverPublicKey: serverKey)
            await state.set(key)
            logger.info("PUSH encryption negotiated", metadata: ["sn": "\(serialNumber)"])
        } catch {
            await noteOnce("encryption not negotiated (\(error)); continuing in plain text")
        }
    }

    /// One `exchange` request; nil-equivalent `.text` replies are returned for the caller to refuse.
    func exchange(_ message: PushRequestMessage, type: String, headers: [(String, String)]) async throws -> ServerReply {
        let request = PushRequest(
            method: .post, endpoint: .exchange,
            query: PushQuery(items: [PushField("SN", serialNumber), PushField("type", type)]), message: message)
        let reply = try await base.send(
            method: request.method.rawValue, target: request.target, headers: headers, body: request.body)
        guard reply.status == 200 else {
            await noteOnce("the server answered \(reply.status) to exchange?type=\(type); continuing in plain text")
            return .text(reply.text)
        }
        return try ServerReply.parse(reply.body, endpoint: .exchange, query: request.query)
    }

    func noteOnce(_ message: String) async {
        if await state.note(message) {
            logger.notice("PUSH encryption", metadata: ["sn": "\(serialNumber)", "detail": "\(message)"])
        }
    }
}

/// The session key of the current connection.
actor EncryptionState {
    private(set) var key: PushSessionKey?
    private(set) var deviceVersion: PushProtocolVersion?
    private var notes: Set<String> = []

    func reset(deviceVersion: PushProtocolVersion?) {
        key = nil
        self.deviceVersion = deviceVersion
    }

    func set(_ key: PushSessionKey) { self.key = key }
    func forgetKey() { key = nil }

    /// True the first time a message is noted.
    func note(_ message: String) -> Bool { notes.insert(message).inserted }
}

extension PushTransport {
    /// This transport with Gatehouse's PUSH encryption for one device: the one-line hook for the device role
    /// (`PushDeviceClient(identity:transport: base.encrypting(serialNumber: identity.serialNumber), …)`).
    public func encrypting(serialNumber: String, logger: Logger = Logger(label: "gatehouse.push.device.encryption"))
        -> EncryptedPushTransport
    {
        EncryptedPushTransport(wrapping: self, serialNumber: serialNumber, logger: logger)
    }
}
