import Foundation

/// The I/O the scripting layer exposes to Lua (`http.request`, `ftp.put`, `tftp.put`, `mail.send`,
/// `snapshot`, `webrelay.fire`). Every call is async and returns a value or throws a typed error whose
/// `description` is the `err` of Lua's `nil, err`. With `durable: true` the action goes through the
/// outbox (persisted first, retried, surviving a restart) and the call returns after its first attempt:
/// delivered, or pending a retry (both a success for the script: the outbox owns it now), or
/// parked dead on a permanent failure (an error).
public struct ScriptIO: Sendable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case transport(TransportError)
        case outbox(OutboxError)
        case webRelay(String)
        /// A durable action whose first attempt failed permanently: parked dead in the outbox.
        case parked(id: Int64, error: String)

        public var description: String {
            switch self {
            case let .transport(error): error.description
            case let .outbox(error): error.description
            case let .webRelay(detail): detail
            case let .parked(id, error): "action \(id) dead: \(error)"
            }
        }
    }

    private let transport: Transport
    private let outbox: Outbox?
    private let snapshots: (any SnapshotSource)?
    private let webRelays: (any WebRelayFiring)?

    public init(transport: Transport, outbox: Outbox?, snapshots: (any SnapshotSource)?, webRelays: (any WebRelayFiring)?) {
        self.transport = transport
        self.outbox = outbox
        self.snapshots = snapshots
        self.webRelays = webRelays
    }

    /// `http.request{…}`: any status is a result; only transport failures are errors.
    public func httpRequest(_ request: HTTPRequest) async throws(Failure) -> HTTPResponse {
        do { return try await transport.send(request) } catch { throw .transport(error) }
    }

    /// `ftp.put{url=, data=}` and `tftp.put{url=, data=}`.
    public func put(url: String, data: Data, durable: Bool = false) async throws(Failure) -> OutboxAttempt? {
        let upload = FileUpload(url: url, data: data, security: url.lowercased().hasPrefix("ftps:") ? .implicitTLS : .none)
        if durable { return try await deliverDurably(.upload(upload)) }
        do { try await transport.upload(upload) } catch { throw .transport(error) }
        return nil
    }

    /// `mail.send{server=, from=, to=, subject=, body=, attach=, starttls=}`.
    public func sendMail(_ message: MailMessage, durable: Bool = false) async throws(Failure) -> OutboxAttempt? {
        if durable { return try await deliverDurably(.mail(message)) }
        do { try await transport.send(message) } catch { throw .transport(error) }
        return nil
    }

    /// `snapshot{camera=}`: the image bytes; without a name, the first configured camera.
    public func snapshot(camera: String?) async throws(Failure) -> Data {
        guard let snapshots else { throw .transport(.notConfigured("cameras")) }
        let name: String
        if let camera {
            name = camera
        } else if let first = await snapshots.defaultCameraName() {
            name = first
        } else {
            throw .transport(.notConfigured("a default camera"))
        }
        do { return try await snapshots.snapshot(camera: name) } catch { throw .transport(error) }
    }

    /// `webrelay.fire(id)`: always through the outbox.
    public func fireWebRelay(id: Int) async throws(Failure) -> OutboxAttempt {
        guard let webRelays else { throw .webRelay("web relays are not configured") }
        do {
            return try await webRelays.fire(id: id, source: "lua webrelay")
        } catch let error as WebRelayError {
            throw .webRelay(error.description)
        } catch let error as OutboxError {
            throw .outbox(error)
        } catch {
            throw .webRelay("\(error)")
        }
    }

    /// A durable delivery: persisted, attempted once now. Delivered or pending (the outbox retries it)
    /// is returned; a permanent failure on the first attempt throws `parked`.
    public func deliverDurably(_ action: OutboundAction) async throws(Failure) -> OutboxAttempt {
        guard let outbox else { throw .outbox(.storage("no outbox configured")) }
        let attempt: OutboxAttempt
        do { attempt = try await outbox.deliver(action, source: "lua") } catch { throw .outbox(error) }
        if attempt.state == .dead { throw .parked(id: attempt.id, error: attempt.error ?? "") }
        return attempt
    }
}

extension MailMessage {
    /// Builds a message the way Lua's `mail.send` describes it: `smtps://` means implicit TLS,
    /// `starttls = true` requires STARTTLS on `smtp://`.
    public static func script(
        server: String, from: String, to: [String], subject: String, body: String, attachments: [MailAttachment] = [],
        startTLS: Bool = false, user: String? = nil, password: String? = nil, options: TransportOptions = TransportOptions()
    ) -> MailMessage {
        let security: MailSecurity = server.lowercased().hasPrefix("smtps:") ? .implicitTLS : startTLS ? .startTLS : .none
        return MailMessage(server: server, security: security, user: user, password: password, from: from, to: to,
                           subject: subject, body: body, attachments: attachments, options: options)
    }
}
