import AccessControl
import Foundation
import Logging

/// A ringing incoming call, as the answer policy and site scripts see it.
public struct RingingCall: Sendable, Equatable {
    public var call: String
    /// The caller's SIP user (or host, for a URI without user).
    public var caller: String
    public var uri: String
    public var displayName: String
    /// Whether the caller passes the DTMF allowlist.
    public var callerAllowed: Bool
    /// What the answer policy decided: answer (true) or refuse.
    public var answerByPolicy: Bool
    /// When it rang, and that in the site's local time.
    public var time: Date
    public var localTime: String
}

/// A script's say on a ringing call.
public enum CallVerdict: Sendable, Equatable {
    case answer
    case refuse(reason: String)
}

/// Asks the site's scripts about a ringing call; nil leaves it to the answer policy.
public typealias CallAdvisor = @Sendable (RingingCall) async -> CallVerdict?

/// The door's SIP endpoint: answers incoming calls by the policy (and the site's scripts), places the reception
/// tab's call, collects each call's DTMF digits into sequences and hands them to the door engine exactly as
/// `POST /api/v1/dtmf` does, with the caller's identity, and reports every call's progress as a typed site event
/// (journal, scripts, action URLs, the Akuvox call log).
public actor SIPCalls {
    public struct Status: Sendable, Encodable {
        public struct Registration: Sendable, Encodable {
            public var registrar: String
            public var account: String
            /// `registering`, `registered` or `failed`.
            public var state: String
            public var code: Int?
            public var reason: String?
            public var since: Date?
        }

        public struct ActiveCall: Sendable, Encodable {
            public var call: String
            public var direction: String
            public var party: String
            /// `ringing`, `dialing` or `connected`.
            public var state: String
            public var since: Date
        }

        public struct Latency: Sendable, Encodable {
            public var sequences: Int
            public var lastMilliseconds: Double?
            public var maximumMilliseconds: Double?

            enum CodingKeys: String, CodingKey {
                case sequences
                case lastMilliseconds = "last_milliseconds"
                case maximumMilliseconds = "maximum_milliseconds"
            }
        }

        public var enabled = true
        public var listen: String
        public var transports: [String]
        public var registration: Registration?
        public var calls: [ActiveCall]
        public var callsTotal: Int
        public var digitsTotal: Int
        public var malformedTotal: Int
        /// From the packet that carried a sequence's last digit to the door engine having switched the relay.
        public var digitToRelay: Latency

        enum CodingKeys: String, CodingKey {
            case enabled, listen, transports, registration, calls
            case callsTotal = "calls_total"
            case digitsTotal = "digits_total"
            case malformedTotal = "malformed_total"
            case digitToRelay = "digit_to_relay"
        }
    }

    private struct Call {
        var id: String
        var direction: CallReport.Direction
        var party: String
        var established: Date?
        var since: Date
        var refused = false
        var collector: DTMFCollector
        var timeoutTask: Task<Void, Never>?
    }

    private let settings: SIPSettings.Resolved
    /// `settings.dtmfTimeout` in the collector's unit, converted once.
    private let dtmfTimeout: UInt64
    private let site: Site
    private let advisor: CallAdvisor?
    private let logger: Logger
    /// Call ids are `sip-<run>-<n>`: the agent numbers calls from 1 each run, and the journal (the Akuvox call
    /// log keys calls by id) outlives runs.
    private let run = String(UInt64(Date().timeIntervalSince1970), radix: 36)
    private var agent: SIPUserAgent?
    private var calls: [Int32: Call] = [:]
    private var registration: Status.Registration?
    private var callsTotal = 0
    private var digitsTotal = 0
    private var malformedTotal = 0
    private var malformedSeen: Set<String> = []
    private var latency = Status.Latency(sequences: 0)
    private var tasks: [Task<Void, Never>] = []

    public init(settings: SIPSettings.Resolved, site: Site, advisor: CallAdvisor? = nil, logger: Logger) {
        self.settings = settings
        dtmfTimeout = Self.nanoseconds(settings.dtmfTimeout)
        self.site = site
        self.advisor = advisor
        self.logger = logger
        if let account = settings.registration {
            registration = .init(registrar: account.registrar, account: account.account, state: "registering")
        }
    }

    /// Binds the SIP ports and starts registering; throws (with the reason) when the agent cannot start.
    public func start() async throws {
        let agent = try SIPUserAgent(settings)
        self.agent = agent
        let events = await site.events(bufferingNewest: 1_000)
        tasks.append(
            Task { [weak self] in
                for await event in agent.events { await self?.handle(event) }
            })
        tasks.append(
            Task { [weak self] in
                for await batch in events {
                    for event in batch {
                        if case .button(let press) = event.kind, press.button == .reception { await self?.receptionPressed() }
                    }
                }
            })
        logger.info(
            "sip listening",
            metadata: [
                "listen": "\(settings.host):\(agent.port)",
                "transports": "\(settings.transports.map(\.rawValue).sorted().joined(separator: ","))",
                "registrar": "\(settings.registration?.registrar ?? "none")",
            ])
    }

    /// Unregisters and hangs up every call.
    public func stop() {
        agent?.stop()
        agent = nil
        for task in tasks { task.cancel() }
        tasks = []
        for call in calls.values { call.timeoutTask?.cancel() }
    }

    public var port: UInt16? { agent?.port }

    /// Whether a configured registration is up (true without a registrar).
    public var isRegistered: Bool { registration.map { $0.state == "registered" } ?? true }

    public func status() -> Status {
        Status(
            listen: "\(settings.host):\(agent?.port ?? settings.port)",
            transports: settings.transports.map(\.rawValue).sorted(), registration: registration,
            calls: calls.sorted(by: { $0.key < $1.key }).map { _, call in
                Status.ActiveCall(
                    call: call.id, direction: call.direction.rawValue, party: call.party,
                    state: call.established != nil ? "connected" : call.direction == .incoming ? "ringing" : "dialing",
                    since: call.since)
            }, callsTotal: callsTotal, digitsTotal: digitsTotal, malformedTotal: malformedTotal, digitToRelay: latency)
    }

    /// Places a call to `uri` (the reception tab does this with `reception_uri`).
    public func dial(_ uri: String) throws {
        guard let agent else { throw SIPAgentError(description: "the SIP endpoint is not running") }
        let number = try agent.dial(uri)
        // The callee's user part is its identity, as an incoming caller's is (the DTMF allowlist holds numbers).
        let target = uri.dropFirst(4)
        let party = target.split(separator: "@").first.map(String.init) ?? String(target)
        calls[number] = Call(
            id: callID(number), direction: .outgoing, party: party, since: Date(),
            collector: DTMFCollector(codes: [], timeoutNanoseconds: dtmfTimeout))
        callsTotal += 1
    }

    private func receptionPressed() async {
        guard let uri = settings.receptionURI else { return }
        do {
            try dial(uri)
        } catch {
            logger.error("sip reception call failed", metadata: ["to": "\(uri)", "error": "\(error)"])
        }
    }

    // MARK: The agent's events

    private func handle(_ event: SIPAgentEvent) async {
        switch event {
        case .incoming(let number, let user, let uri, let displayName, _, let remote):
            await ringing(number, caller: user, uri: uri, displayName: displayName, remote: remote)
        case .established(let number):
            guard var call = calls[number] else { return }
            call.established = Date()
            calls[number] = call
            if call.direction == .outgoing {
                await site.report(CallReport(call: call.id, direction: .outgoing, party: call.party, phase: .connected))
            }
        case .digit(let number, let digit, let source, let time):
            await heard(digit, call: number, source: source, at: time)
        case .closed(let number, let code, let reason):
            await closed(number, code: code, reason: reason)
        case .dialing(let number, let uri, _):
            guard let call = calls[number] else { return }
            await site.report(CallReport(call: call.id, direction: .outgoing, party: call.party, phase: .dialing, detail: uri))
        case .registration(let code, let reason):
            registered(code: code, reason: reason)
        case .malformed(let what, let why, let sender):
            malformed(what: what, why: why, sender: sender)
        }
    }

    private func ringing(_ number: Int32, caller: String, uri: String, displayName: String, remote: String) async {
        let id = callID(number)
        callsTotal += 1
        let codes = await site.dtmfCodes
        calls[number] = Call(
            id: id, direction: .incoming, party: caller, since: Date(),
            collector: DTMFCollector(codes: codes, timeoutNanoseconds: dtmfTimeout))
        await site.report(CallReport(call: id, direction: .incoming, party: caller, phase: .ringing, detail: uri))
        let allowed = await site.dtmfCallerAllowed(caller)
        let byPolicy: Bool =
            switch settings.answer {
            case .allowed: allowed
            case .all: true
            case .none: false
            }
        let now = Date()
        let ringing = RingingCall(
            call: id, caller: caller, uri: uri, displayName: displayName, callerAllowed: allowed, answerByPolicy: byPolicy,
            time: now, localTime: await site.localTimeText(at: now))
        let verdict = await advisor?(ringing)
        guard calls[number] != nil, let agent else { return }  // the caller hung up while the script thought
        let answer: Bool
        var detail: String?
        switch verdict {
        case .answer?:
            answer = true
            detail = "answered by a site script"
        case .refuse(let reason)?:
            answer = false
            detail = "refused by a site script: \(reason)"
        case nil:
            answer = byPolicy
            if !answer {
                detail =
                    settings.answer == .none ? "answer policy is none" : "caller not on the DTMF allowlist (sip.answer = allowed)"
            }
        }
        logger.info(
            "sip incoming call", metadata: ["call": "\(id)", "from": "\(uri)", "remote": "\(remote)", "answered": "\(answer)"])
        if answer {
            agent.answer(number)
            await site.report(CallReport(call: id, direction: .incoming, party: caller, phase: .answered, detail: detail))
        } else {
            calls[number]?.refused = true
            agent.reject(number, code: 403)
            await site.report(CallReport(call: id, direction: .incoming, party: caller, phase: .refused, detail: detail))
        }
    }

    private func heard(_ digit: Character, call number: Int32, source: SIPAgentEvent.DigitSource, at time: UInt64) async {
        guard var call = calls[number], call.established != nil else { return }
        digitsTotal += 1
        if call.direction == .outgoing, call.collector.codes.isEmpty { call.collector.codes = await site.dtmfCodes }
        let sequences = call.collector.add(digit, at: time)
        call.timeoutTask?.cancel()
        call.timeoutTask = nil
        if let deadline = call.collector.deadline {
            let now = Self.monotonicNanoseconds()
            let wait = deadline > now ? deadline - now : 0
            call.timeoutTask = Task { [weak self] in
                try? await Task.sleep(for: .nanoseconds(Int64(wait)))
                guard !Task.isCancelled else { return }
                await self?.timedOut(number)
            }
        }
        calls[number] = call
        for sequence in sequences { await enter(sequence, call: call, heardAt: time) }
    }

    private func timedOut(_ number: Int32) async {
        guard var call = calls[number], let sequence = call.collector.expire(at: Self.monotonicNanoseconds()) else { return }
        call.timeoutTask = nil
        calls[number] = call
        await enter(sequence, call: call, heardAt: nil)
    }

    /// The sequence into the door engine, as the REST form enters it.
    private func enter(_ sequence: DTMFCollector.Sequence, call: Call, heardAt: UInt64?) async {
        let decision = await site.dtmf(call: call.id, caller: call.party, digits: sequence.digits)
        if let heardAt {
            let milliseconds = Double(Self.monotonicNanoseconds() - heardAt) / 1_000_000
            latency.sequences += 1
            latency.lastMilliseconds = milliseconds
            latency.maximumMilliseconds = max(latency.maximumMilliseconds ?? 0, milliseconds)
        }
        logger.info(
            "sip dtmf",
            metadata: [
                "call": "\(call.id)", "caller": "\(call.party)", "end": "\(sequence.end.rawValue)",
                "outcome": "\(decision.outcome)",
            ])
        do {
            try await site.flush()
        } catch {
            logger.error("journal flush failed after sip dtmf", metadata: ["error": "\(error)"])
        }
    }

    private func closed(_ number: Int32, code: Int, reason: String) async {
        guard let call = calls.removeValue(forKey: number) else { return }
        call.timeoutTask?.cancel()
        // Digits typed before the hang-up still count: the timeout would have ended them.
        var collector = call.collector
        if let pending = collector.expire(at: UInt64.max) { await enter(pending, call: call, heardAt: nil) }
        if let established = call.established {
            await site.report(
                CallReport(
                    call: call.id, direction: call.direction, party: call.party, phase: .ended, detail: reason,
                    duration: Date().timeIntervalSince(established)))
        } else if !call.refused {
            let detail =
                code > 0 ? reason : call.direction == .incoming ? "caller hung up before it was answered: \(reason)" : reason
            await site.report(
                CallReport(call: call.id, direction: call.direction, party: call.party, phase: .failed, detail: detail))
        }
    }

    private func registered(code: Int, reason: String) {
        guard var current = registration else { return }
        let state = code == 200 ? "registered" : "failed"
        if state != current.state || code != current.code {
            if code == 200 {
                logger.info("sip registered", metadata: ["registrar": "\(current.registrar)", "account": "\(current.account)"])
            } else {
                logger.error(
                    "sip registration failed",
                    metadata: ["registrar": "\(current.registrar)", "code": "\(code)", "reason": "\(reason)"])
            }
            current.since = Date()
        }
        current.state = state
        current.code = code == 0 ? nil : code
        current.reason = reason
        registration = current
    }

    /// Logged once per kind of problem and sender, so a flood does not flood the log; counted always.
    private func malformed(what: String, why: String, sender: String) {
        malformedTotal += 1
        guard malformedSeen.count < 1_000, malformedSeen.insert("\(what)|\(why)|\(sender)").inserted else { return }
        logger.warning("sip malformed \(what) dropped", metadata: ["reason": "\(why)", "sender": "\(sender)"])
    }

    private func callID(_ number: Int32) -> String { "sip-\(run)-\(number)" }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(duration.components.seconds) * 1_000_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000)
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
