import Testing

@testable import SIP

struct DTMFCollectorTests {
    static let second: UInt64 = 1_000_000_000

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var codes: Set<String>
        /// Digits with the instant (seconds) each arrives.
        var keys: [(Character, Double)]
        /// Sequences ended, with the instant they ended at (the digit's, or the timeout's).
        var expected: [(String, DTMFCollector.End)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "# ends a sequence and is not part of it", codes: [], keys: [("1", 0), ("2", 0.3), ("#", 0.6)],
            expected: [("12", .hash)]),
        Case(name: "a relay's code ends it at once", codes: ["1"], keys: [("1", 0)], expected: [("1", .code)]),
        Case(
            name: "a code with # in it wins over the #", codes: ["1#"], keys: [("1", 0), ("#", 0.2)], expected: [("1#", .code)]),
        Case(
            name: "a code that starts a longer code waits for the timeout", codes: ["1", "12"], keys: [("1", 0), ("9", 10)],
            expected: [("1", .timeout)]),
        Case(
            name: "the longer code matches when it is typed", codes: ["1", "12"], keys: [("1", 0), ("2", 0.5)],
            expected: [("12", .code)]),
        Case(name: "a lone # ends nothing", codes: [], keys: [("#", 0), ("#", 1)], expected: []),
        Case(
            name: "a pause longer than the timeout ends what was typed", codes: [], keys: [("4", 0), ("2", 6)],
            expected: [("4", .timeout)]),
        Case(
            name: "a pause just under the timeout does not", codes: [], keys: [("4", 0), ("2", 4.9), ("#", 9.8)],
            expected: [("42", .hash)]),
    ]

    @Test(arguments: cases)
    func sequences(_ test: Case) {
        var collector = DTMFCollector(codes: test.codes, timeoutNanoseconds: 5 * Self.second)
        var ended: [(String, DTMFCollector.End)] = []
        for (digit, at) in test.keys {
            ended += collector.add(digit, at: UInt64(at * Double(Self.second))).map { ($0.digits, $0.end) }
        }
        #expect(ended.map(\.0) == test.expected.map(\.0))
        #expect(ended.map(\.1) == test.expected.map(\.1))
    }

    @Test("the timeout is reported by expire once the deadline passes, not before")
    func expiry() {
        var collector = DTMFCollector(codes: [], timeoutNanoseconds: 5 * Self.second)
        #expect(collector.add("7", at: 10 * Self.second).isEmpty)
        #expect(collector.deadline == 15 * Self.second)
        #expect(collector.expire(at: 15 * Self.second - 1) == nil)
        #expect(collector.expire(at: 15 * Self.second) == .init(digits: "7", end: .timeout))
        #expect(collector.deadline == nil)
        #expect(collector.expire(at: 20 * Self.second) == nil)
    }

    @Test("a sequence is cut at the limit, so a stuck key cannot grow it without end")
    func limit() {
        var collector = DTMFCollector(codes: [], timeoutNanoseconds: 5 * Self.second, limit: 4)
        var ended: [DTMFCollector.Sequence] = []
        for index in 0..<9 { ended += collector.add("5", at: UInt64(index)) }
        #expect(ended == [.init(digits: "5555", end: .limit), .init(digits: "5555", end: .limit)])
        #expect(collector.digits == "5")
    }
}

struct SIPSettingsTests {
    static func problem(_ change: (inout SIPSettings) -> Void) -> SIPSettings.Problem? {
        var settings = SIPSettings()
        settings.enabled = true
        change(&settings)
        do {
            _ = try settings.resolved()
            return nil
        } catch {
            return error
        }
    }

    @Test("the defaults resolve: loopback 5060, UDP and TCP, answer allowed callers, PT 101")
    func defaults() throws {
        let resolved = try SIPSettings().resolved()
        #expect(resolved.host == "127.0.0.1" && resolved.port == 5060)
        #expect(resolved.transports == [.udp, .tcp])
        #expect(resolved.rtpPorts == 16000...16999)
        #expect(resolved.answer == .allowed && resolved.telephoneEventPayloadType == 101)
        #expect(resolved.registration == nil && resolved.receptionURI == nil)
    }

    @Test("a registrar takes account and password; the domain defaults to its host")
    func registration() throws {
        var settings = SIPSettings()
        settings.registrar = "pbx.example:5070"
        settings.account = "door1"
        settings.password = "s3cret"
        let account = try #require(try settings.resolved().registration)
        #expect(account.domain == "pbx.example" && account.account == "door1" && account.expires == 1800)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var key: String
        var change: @Sendable (inout SIPSettings) -> Void
        var testDescription: String { key }
    }

    static let bad: [Bad] = [
        Bad(key: "listen") { $0.listen = "door.local:5060" },
        Bad(key: "listen") { $0.listen = "127.0.0.1" },
        Bad(key: "listen") { $0.listen = "127.0.0.1:70000" },
        Bad(key: "listen") { $0.listen = "127.0.0.1:0" },
        Bad(key: "transports") { $0.transports = ["udp", "sctp"] },
        Bad(key: "transports") { $0.transports = [] },
        Bad(key: "rtp_ports") { $0.rtpPorts = "20000" },
        Bad(key: "rtp_ports") { $0.rtpPorts = "900-1000" },
        Bad(key: "rtp_ports") { $0.rtpPorts = "30000-20000" },
        Bad(key: "user") { $0.user = "door phone" },
        Bad(key: "display_name") { $0.displayName = "Front \"door\"" },
        Bad(key: "account") { $0.registrar = "pbx.example" },
        Bad(key: "password") {
            $0.registrar = "pbx.example"
            $0.account = "door1"
        },
        Bad(key: "registrar") { $0.account = "door1" },
        Bad(key: "answer") { $0.answer = "sometimes" },
        Bad(key: "max_call_s") { $0.maxCallSeconds = 1 },
        Bad(key: "dtmf_timeout_s") { $0.dtmfTimeoutSeconds = 0 },
        Bad(key: "telephone_event_pt") { $0.telephoneEventPayloadType = 8 },
        Bad(key: "reception_uri") { $0.receptionURI = "reception" },
        Bad(key: "reception_uri") { $0.receptionURI = "sip:guard@" },
    ]

    @Test("a bad value is refused naming its key", arguments: bad)
    func refused(_ test: Bad) {
        let problem = Self.problem(test.change)
        #expect(problem?.key == test.key, "\(problem.map(\.description) ?? "accepted")")
    }
}
