import CSIPShim
import Foundation

/// What the user agent reports, copied out of the C shim's event (see csip.h).
public enum SIPAgentEvent: Sendable, Equatable {
    case incoming(call: Int32, user: String, uri: String, displayName: String, callID: String, remote: String)
    case established(call: Int32)
    /// `time` is the monotonic instant (nanoseconds, CLOCK_MONOTONIC) the packet carrying the digit arrived.
    case digit(call: Int32, digit: Character, source: DigitSource, time: UInt64)
    /// `code` is the SIP status when the peer refused or the call failed, 0 otherwise.
    case closed(call: Int32, code: Int, reason: String)
    case dialing(call: Int32, uri: String, callID: String)
    /// `code` 200 registered; 0 with a reason: the request could not be sent.
    case registration(code: Int, reason: String)
    case malformed(what: String, why: String, sender: String)

    public enum DigitSource: String, Sendable { case rfc4733, info }
}

public struct SIPAgentError: Error, CustomStringConvertible {
    public var description: String
}

/// libre's SIP stack on its own thread, through the csip shim: every method returns at once, every event arrives
/// on ``events``.
// @unchecked: the one mutable thing is the C agent, and every csip call is thread-safe (it only queues a command).
public final class SIPUserAgent: @unchecked Sendable {
    public let events: AsyncStream<SIPAgentEvent>
    /// The port SIP listens on (the configured one, or the one the system picked for port 0).
    public let port: UInt16
    private let agent: OpaquePointer
    private let sink: Unmanaged<SIPEventSink>

    public init(_ settings: SIPSettings.Resolved) throws {
        let (events, continuation) = AsyncStream<SIPAgentEvent>.makeStream()
        self.events = events
        let sink = Unmanaged.passRetained(SIPEventSink(continuation))
        var pointer: OpaquePointer?
        var message = [CChar](repeating: 0, count: 256)
        let registration = settings.registration
        let result: Int32 = settings.host.withCString { host in
            settings.user.withCString { user in
                withOptionalCString(settings.displayName) { display in
                    withOptionalCString(registration?.registrar) { registrar in
                        withOptionalCString(registration?.domain) { domain in
                            withOptionalCString(registration?.account) { account in
                                withOptionalCString(registration?.password) { password in
                                    var config = csip_config()
                                    config.listen_host = host
                                    config.listen_port = settings.port
                                    config.udp = settings.transports.contains(.udp)
                                    config.tcp = settings.transports.contains(.tcp)
                                    config.rtp_port_min = settings.rtpPorts.lowerBound
                                    config.rtp_port_max = settings.rtpPorts.upperBound
                                    config.user = user
                                    config.display_name = display
                                    config.registrar = registrar
                                    config.domain = domain
                                    config.auth_user = account
                                    config.password = password
                                    config.expires = UInt32(registration?.expires ?? 0)
                                    config.telephone_event_pt = settings.telephoneEventPayloadType
                                    config.max_call_ms = UInt32(settings.maxCall.components.seconds * 1000)
                                    return csip_start(
                                        &pointer, &config, sipEventHandler, sink.toOpaque(), &message, Int32(message.count))
                                }
                            }
                        }
                    }
                }
            }
        }
        guard result == 0, let pointer else {
            sink.release()
            continuation.finish()
            let text = String(cString: message)
            throw SIPAgentError(description: text.isEmpty ? "the SIP user agent did not start (error \(result))" : text)
        }
        agent = pointer
        self.sink = sink
        port = csip_sip_port(pointer)
    }

    /// Unregisters, ends every call and stops the agent's thread; the event stream finishes.
    public func stop() {
        csip_stop(agent)
        sink.takeRetainedValue().continuation.finish()
    }

    public func answer(_ call: Int32) { _ = csip_answer(agent, call) }
    public func reject(_ call: Int32, code: Int32) { _ = csip_reject(agent, call, code) }
    public func hangUp(_ call: Int32) { _ = csip_hangup(agent, call) }

    /// Places a call; returns its number, or throws when the agent could not take the command.
    public func dial(_ uri: String) throws -> Int32 {
        let result = csip_dial(agent, uri)
        guard result > 0 else { throw SIPAgentError(description: "could not place a call to \(uri) (error \(-result))") }
        return result
    }
}

/// The stream's end the C callback yields into; retained for as long as the agent runs.
private final class SIPEventSink: Sendable {
    let continuation: AsyncStream<SIPAgentEvent>.Continuation
    init(_ continuation: AsyncStream<SIPAgentEvent>.Continuation) { self.continuation = continuation }
}

private func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}

/// The C callback: runs on the agent's thread, copies the event and hands it to the stream.
private let sipEventHandler: csip_event_handler = { context, event in
    guard let context, let event else { return }
    let text = { (pointer: UnsafePointer<CChar>?) in pointer.map { String(cString: $0) } ?? "" }
    let value = event.pointee
    let copied: SIPAgentEvent?
    switch Int32(value.kind) {
    case Int32(CSIP_EVENT_INCOMING.rawValue):
        copied = .incoming(
            call: value.call, user: text(value.a), uri: text(value.b), displayName: text(value.c), callID: text(value.d),
            remote: text(value.e))
    case Int32(CSIP_EVENT_ESTABLISHED.rawValue):
        copied = .established(call: value.call)
    case Int32(CSIP_EVENT_DIGIT.rawValue):
        copied = .digit(
            call: value.call, digit: Character(Unicode.Scalar(UInt8(bitPattern: value.digit))),
            source: value.code == 2 ? .info : .rfc4733, time: value.time_ns)
    case Int32(CSIP_EVENT_CLOSED.rawValue):
        copied = .closed(call: value.call, code: Int(value.code), reason: text(value.a))
    case Int32(CSIP_EVENT_DIALING.rawValue):
        copied = .dialing(call: value.call, uri: text(value.b), callID: text(value.d))
    case Int32(CSIP_EVENT_REGISTER.rawValue):
        copied = .registration(code: Int(value.code), reason: text(value.a))
    case Int32(CSIP_EVENT_MALFORMED.rawValue):
        copied = .malformed(what: text(value.a), why: text(value.b), sender: text(value.e))
    default:
        copied = nil
    }
    if let copied { Unmanaged<SIPEventSink>.fromOpaque(context).takeUnretainedValue().continuation.yield(copied) }
}
