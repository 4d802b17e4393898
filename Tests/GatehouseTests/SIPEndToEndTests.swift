import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's baresip as the phone (Peers/sip_phone.py drives it over its ctrl_tcp module).
final class SIPPhone: @unchecked Sendable {
    // @unchecked: every property is set in init and never changes.
    let peer: PythonPeer

    init(user: String, autoAnswer: Bool = false) async throws {
        var arguments = ["--user", user]
        if autoAnswer { arguments.append("--auto-answer") }
        peer = try await PythonPeer.start("sip_phone.py", arguments, in: MQTTPeer.directory)
    }

    /// The phone's own address (`sip:user@127.0.0.1:PORT`), for the door to call.
    func uri() async throws -> String {
        let (_, data) = try await httpGet("http://127.0.0.1:\(peer.port)/info")
        let info = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return info?["uri"] as? String ?? ""
    }

    func stop() { peer.stop() }

    @discardableResult
    func post(_ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        let (_, data) = try await httpExchange(
            "POST", "http://127.0.0.1:\(peer.port)\(path)", headers: ["Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: body))
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// baresip's events so far (`CALL_ESTABLISHED`, `CALL_CLOSED`, `CALL_INCOMING` …).
    func events() async throws -> [String] {
        let (_, data) = try await httpGet("http://127.0.0.1:\(peer.port)/events")
        let list = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
        return list.compactMap { $0["type"] as? String }
    }

    func log() async throws -> String {
        let (_, data) = try await httpGet("http://127.0.0.1:\(peer.port)/log")
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["log"] as? String ?? ""
    }
}

/// SIPp (Debian's sip-tester) running a scenario from Peers/sipp.
enum SIPp {
    static let directory = MQTTPeer.directory.appendingPathComponent("sipp")
    static let executable = URL(fileURLWithPath: "/usr/bin/sipp")

    static func run(_ scenario: String, _ arguments: [String]) async throws -> (status: Int32, errors: String) {
        let errors = try temporaryDirectory("sipp").appendingPathComponent("errors.log")
        let run = try await runToEnd(
            executable,
            [
                "-sf", directory.appendingPathComponent(scenario).path, "-m", "1", "-i", "127.0.0.1", "-nostdin", "-timeout",
                "30s",
                "-timeout_error", "-trace_err", "-error_file", errors.path,
            ] + arguments, quiet: true)
        return (run.status, (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
    }
}

/// A free loopback port for both UDP and TCP (the host listens on both).
func freeSIPPort() throws -> Int {
    for _ in 0..<50 {
        let port = try freeLoopbackPort(SOCK_DGRAM)
        if (try? freeLoopbackPort(SOCK_STREAM, port: port)) != nil { return port }
    }
    throw PeerLaunchError(description: "no free port for SIP")
}

/// A UDP socket on loopback for hand-made SIP and RTP: what no real phone sends (fuzzed packets), and the RTP
/// end packets whose arrival the digit-to-relay time is measured from.
final class LoopbackUDP: @unchecked Sendable {
    // @unchecked: the descriptor is only used from the test's own task.
    let descriptor: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8], to port: Int) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    func send(_ text: String, to port: Int) { send(Array(text.utf8), to: port) }

    /// The next datagram within `seconds`, as text (SIP) — nil when none came.
    func receive(within seconds: Double = 5) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { return String(decoding: buffer[0..<count], as: UTF8.self) }
        }
        return nil
    }
}

@Suite(.serialized)
struct SIPEndToEndTests {
    static func startHost(_ environment: [String: String], site: URL? = nil) async throws -> (HostProcess, AdminAPI, Int) {
        let sip = try freeSIPPort()
        let rtp = Int.random(in: 20_000...29_000)
        let data = try temporaryDirectory("sip-host")
        let (host, port) = try await HostProcessTests.startHost(
            data: data, site: site,
            environment: [
                "GATEHOUSE_SIP_ENABLED": "true", "GATEHOUSE_SIP_LISTEN": "127.0.0.1:\(sip)",
                "GATEHOUSE_SIP_RTP_PORTS": "\(rtp)-\(rtp + 200)",
            ].merging(environment) { $1 })
        let api = try AdminAPI(port: port, data: data)
        // Relay 1 (door 1's strike) opens on DTMF 1.
        let (status, body) = try await api.call("PUT", "/api/v1/relays/1", json: #"{"dtmf_code": "1"}"#)
        #expect(status == 200 || status == 204, "\(body)")
        return (host, api, sip)
    }

    static func journal(_ api: AdminAPI) async throws -> [[String: Any]] {
        try await api.call("GET", "/api/v1/events?after=0&limit=1000").1["events"] as? [[String: Any]] ?? []
    }

    static func relayActive(_ api: AdminAPI) async throws -> Bool {
        try await api.call("GET", "/api/v1/relays/1").1["active"] as? Bool == true
    }

    static func entries(_ api: AdminAPI, event: Int, detailContains text: String = "") async throws -> [[String: Any]] {
        try await journal(api).filter {
            $0["event"] as? Int == event && (text.isEmpty || ($0["detail"] as? String ?? "").contains(text))
        }
    }

    @Test(
        "baresip calls the door and sends 1 as RFC 4733: the caller on the phonebook opens relay 1, a stranger's 1 does not, and the calls are in the journal and the Akuvox call log"
    )
    func rfc4733FromBaresip() async throws {
        let (host, api, sip) = try await Self.startHost([
            "GATEHOUSE_SIP_ANSWER": "all", "GATEHOUSE_DTMF_ALLOWLIST": "phonebook", "GATEHOUSE_DTMF_PHONEBOOK": "+4930111",
        ])
        defer { host.terminate() }
        let resident = try await SIPPhone(user: "+4930111")
        defer { resident.stop() }
        try await resident.post("/dial", ["uri": "sip:gatehouse@127.0.0.1:\(sip)"])
        let established = try await waitFor { try await resident.events().contains("CALL_ESTABLISHED") ? true : nil }
        let context1 = try await resident.log()
        #expect(established == true, "baresip: \(context1)\nhost: \(host.stderr)")
        #expect(try await Self.relayActive(api) == false)
        try await resident.post("/digits", ["digits": "1"])
        let opened = try await waitFor { try await Self.relayActive(api) ? true : nil }
        #expect(opened == true, "relay 1 did not open; \(host.stderr)")
        let grant = try await waitFor { try await Self.entries(api, event: 8, detailContains: "DTMF code of relay 1").first }
        #expect(grant?["source"] as? String == "dtmf:+4930111")
        // One key press is one digit: baresip sends the end packet three times, one sequence entered the engine.
        let (_, status) = try await api.call("GET", "/api/v1/sip")
        #expect(status["digits_total"] as? Int == 1, "\(status)")
        let latency = try #require(status["digit_to_relay"] as? [String: Any])
        let lastMilliseconds = try #require(latency["last_milliseconds"] as? Double)
        #expect(lastMilliseconds < 100, "digit to relay took \(lastMilliseconds) ms")
        print("sip: RFC 4733 digit to relay command \(lastMilliseconds) ms (live host, debug build)")
        try await resident.post("/hangup")
        let ended = try await waitFor { try await Self.entries(api, event: 240, detailContains: "from +4930111").first }
        let context2 = try await Self.journal(api)
        #expect(ended != nil, "no call-ended entry; \(context2)")

        // A stranger's call is answered (sip.answer = all) but its 1 opens nothing.
        try await Task.sleep(for: .seconds(6))  // relay 1's 5 s hold ends
        #expect(try await Self.relayActive(api) == false)
        let stranger = try await SIPPhone(user: "+4930999")
        defer { stranger.stop() }
        try await stranger.post("/dial", ["uri": "sip:gatehouse@127.0.0.1:\(sip)"])
        #expect(try await waitFor { try await stranger.events().contains("CALL_ESTABLISHED") ? true : nil } == true)
        try await stranger.post("/digits", ["digits": "1"])
        let refused = try await waitFor {
            try await Self.journal(api).first { ($0["detail"] as? String ?? "").contains("+4930999: caller not allowed") }
        }
        let context3 = try await Self.journal(api)
        #expect(refused != nil, "\(context3)")
        #expect(try await Self.relayActive(api) == false)
        try await stranger.post("/hangup")
        _ = try await waitFor { try await Self.entries(api, event: 240, detailContains: "from +4930999").first }

        let calls = try await Self.journal(api).filter { ($0["source"] as? String ?? "").hasPrefix("sip:") }
        #expect(calls.compactMap { $0["event"] as? Int } == [239, 240, 239, 240], "\(calls)")
    }

    @Test("answer = allowed: a caller off the allowlist is refused with 403 and journalled as unanswered (72)")
    func strangerRefused() async throws {
        let (host, api, sip) = try await Self.startHost([
            "GATEHOUSE_DTMF_ALLOWLIST": "phonebook", "GATEHOUSE_DTMF_PHONEBOOK": "+4930111",
        ])
        defer { host.terminate() }
        let stranger = try await SIPPhone(user: "+4930999")
        defer { stranger.stop() }
        try await stranger.post("/dial", ["uri": "sip:gatehouse@127.0.0.1:\(sip)"])
        let closed = try await waitFor { try await stranger.events().contains("CALL_CLOSED") ? true : nil }
        let context4 = try await stranger.log()
        #expect(closed == true, "\(context4)")
        #expect(try await stranger.events().contains("CALL_ESTABLISHED") == false)
        let context5 = try await stranger.log()
        #expect(try await stranger.log().contains("403"), "\(context5)")
        let refused = try await Self.entries(api, event: 72, detailContains: "from +4930999: refused")
        let context6 = try await Self.journal(api)
        #expect(refused.count == 1, "\(context6)")
    }

    @Test(
        "SIP INFO: SIPp sends 1 as application/dtmf-relay and as application/dtmf; each opens relay 1; bad bodies get 400 and 415"
    )
    func sipInfo() async throws {
        let (host, api, sip) = try await Self.startHost([
            "GATEHOUSE_DTMF_ALLOWLIST": "phonebook", "GATEHOUSE_DTMF_PHONEBOOK": "+4930111",
        ])
        defer { host.terminate() }
        let run = try await SIPp.run(
            "info_dtmf.xml",
            [
                "-inf", SIPp.directory.appendingPathComponent("caller.csv").path, "-s", "gatehouse", "127.0.0.1:\(sip)", "-p",
                String(try freeSIPPort()), "-mp", String(Int.random(in: 30_000...31_000)),
            ])
        #expect(run.status == 0, "sipp: \(run.errors)\nhost: \(host.stderr)")
        let opened = try await waitFor {
            let entries = try await Self.entries(api, event: 8, detailContains: "DTMF code of relay 1")
            return entries.count >= 2 ? entries : nil
        }
        let context7 = try await Self.journal(api)
        #expect(opened?.count == 2, "\(context7)")
        #expect(opened?.allSatisfy { $0["source"] as? String == "dtmf:+4930111" } == true)
        let ended = try await waitFor {
            try await Self.entries(api, event: 240, detailContains: "BYE from the other party").first
        }
        let context8 = try await Self.journal(api)
        #expect(ended != nil, "\(context8)")
        // The refused bodies were logged as malformed INFO, once each.
        #expect(host.stderr.components(separatedBy: "sip malformed info dropped").count - 1 == 2, "\(host.stderr)")
    }

    @Test(
        "registers with a digest-authenticating registrar (SIPp): registered on /api/v1/sip and /healthz; a wrong password is a failed registration and a degraded host"
    )
    func registration() async throws {
        let (host, api, registrar) = try await Self.registerWithSIPp(password: "s3cret")
        defer { host.terminate() }
        let registered = try await waitFor {
            let (_, status) = try await api.call("GET", "/api/v1/sip")
            return (status["registration"] as? [String: Any])?["state"] as? String == "registered" ? status : nil
        }
        #expect(registered != nil, "\(host.stderr)")
        let (_, health) = try await httpGet("http://127.0.0.1:\(api.port)/healthz")
        let report = try #require(try JSONSerialization.jsonObject(with: health) as? [String: Any])
        #expect(report["status"] as? String == "ok", "\(report)")
        #expect((report["sip"] as? [String: Any])?["registration"] as? String == "registered")
        let run = try await registrar.value
        #expect(run.status == 0, "registrar: \(run.errors)")
        // The password never reaches the log.
        #expect(!host.stderr.contains("s3cret"))

        let (wrong, wrongAPI, strict) = try await Self.registerWithSIPp(password: "not-it")
        defer { wrong.terminate() }
        let failed = try await waitFor {
            let (_, status) = try await wrongAPI.call("GET", "/api/v1/sip")
            let registration = status["registration"] as? [String: Any]
            return registration?["state"] as? String == "failed" ? registration : nil
        }
        #expect(failed?["code"] as? Int == 403, "\(wrong.stderr)")
        let (_, degraded) = try await httpGet("http://127.0.0.1:\(wrongAPI.port)/healthz")
        #expect((try JSONSerialization.jsonObject(with: degraded) as? [String: Any])?["status"] as? String == "degraded")
        _ = try await strict.value
    }

    /// SIPp's registrar (account `door1`, password `s3cret`) and a host registering with it as `door1`/`password`.
    static func registerWithSIPp(password: String) async throws -> (
        HostProcess, AdminAPI, Task<(status: Int32, errors: String), any Error>
    ) {
        let port = try freeSIPPort()
        let registrar = Task { try await SIPp.run("registrar.xml", ["-p", String(port)]) }
        try await Task.sleep(for: .milliseconds(300))
        let (host, api, _) = try await startHost([
            "GATEHOUSE_SIP_REGISTRAR": "127.0.0.1:\(port)", "GATEHOUSE_SIP_ACCOUNT": "door1", "GATEHOUSE_SIP_PASSWORD": password,
        ])
        return (host, api, registrar)
    }

    @Test(
        "the reception tab calls reception_uri: baresip answers, its 1 opens relay 1; the call is dialled and ended in the journal"
    )
    func receptionCall() async throws {
        let guardPhone = try await SIPPhone(user: "guard", autoAnswer: true)
        defer { guardPhone.stop() }
        let uri = try await guardPhone.uri()
        let (host, api, _) = try await Self.startHost(["GATEHOUSE_SIP_RECEPTION_URI": uri])
        defer { host.terminate() }
        let (pressed, body) = try await api.call("POST", "/api/v1/buttons/reception/press")
        #expect(pressed == 200, "\(body)")
        let answered = try await waitFor { try await guardPhone.events().contains("CALL_ESTABLISHED") ? true : nil }
        let context9 = try await guardPhone.log()
        #expect(answered == true, "guard phone: \(context9)\nhost: \(host.stderr)")
        let dialled = try await Self.entries(api, event: 239, detailContains: "to guard: dialing")
        let context10 = try await Self.journal(api)
        #expect(dialled.count == 1, "\(context10)")
        try await guardPhone.post("/digits", ["digits": "1"])
        #expect(try await waitFor { try await Self.relayActive(api) ? true : nil } == true, "\(host.stderr)")
        try await guardPhone.post("/hangup")
        #expect(try await waitFor { try await Self.entries(api, event: 240, detailContains: "to guard").first } != nil)
    }

    @Test(
        "a site script decides with on(\"call\"): it refuses one caller while the policy would answer, and observes every later phase"
    )
    func scriptDecides() async throws {
        let site = try temporarySite(
            mainLua: """
                on('call', function(ev)
                  if ev.phase == 'ringing' then
                    if ev.party == '+4930555' then return {deny = 'blocked by the site'} end
                    return nil
                  end
                  journal.emit{event = 'call.seen', phase = ev.phase, party = ev.party}
                end)
                """)
        let (host, api, sip) = try await Self.startHost(["GATEHOUSE_SIP_ANSWER": "all"], site: site)
        defer { host.terminate() }
        let blocked = try await SIPPhone(user: "+4930555")
        defer { blocked.stop() }
        try await blocked.post("/dial", ["uri": "sip:gatehouse@127.0.0.1:\(sip)"])
        #expect(try await waitFor { try await blocked.events().contains("CALL_CLOSED") ? true : nil } == true)
        let refused = try await Self.entries(api, event: 72, detailContains: "refused by a site script: blocked by the site")
        let context11 = try await Self.journal(api)
        #expect(refused.count == 1, "\(context11)")
        let seen = try await waitFor {
            try await Self.journal(api).first { ($0["detail"] as? String ?? "").contains("call.seen") }
        }
        #expect((seen?["detail"] as? String ?? "").contains("refused"), "\(seen ?? [:])")
    }

    @Test(
        "fuzzed SIP and RTP datagrams never crash the host: garbage and broken requests are dropped or refused, each kind logged once, and a real digit still opens"
    )
    func fuzzedDatagrams() async throws {
        let (host, api, sip) = try await Self.startHost(["GATEHOUSE_SIP_ANSWER": "all"])
        defer { host.terminate() }
        let peer = try LoopbackUDP()
        var generator = SeededGenerator(seed: 23)
        // Garbage, then requests libre decodes but must refuse (missing headers, CSeq not matching the method).
        for _ in 0..<300 {
            let length = Int.random(in: 1...1400, using: &generator)
            peer.send((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }, to: sip)
        }
        let broken = [
            "INVITE sip:gatehouse@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK1\r\n\r\n",
            "OPTIONS sip:gatehouse@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK2\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            "SIP/2.0 200 OK\r\nContent-Length: 99999\r\n\r\n",
        ]
        for _ in 0..<20 { for message in broken { peer.send(message, to: sip) } }
        // A real call from the same socket: INVITE, 200 with the door's RTP port, ACK.
        let callID = "fuzz-\(UUID().uuidString)"
        let sdp =
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio \(peer.port) RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
        func request(_ method: String, cseq: Int, toTag: String = "", body: String = "") -> String {
            "\(method) sip:gatehouse@127.0.0.1:\(sip) SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK\(method)\(cseq)\r\nFrom: <sip:fuzzer@127.0.0.1:\(peer.port)>;tag=f1\r\nTo: <sip:gatehouse@127.0.0.1:\(sip)>\(toTag)\r\nCall-ID: \(callID)\r\nCSeq: \(cseq) \(method)\r\nContact: <sip:fuzzer@127.0.0.1:\(peer.port)>\r\nMax-Forwards: 70\r\n"
                + (body.isEmpty ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
        // Retransmitted every 500 ms until answered, as RFC 3261's timer A does: the flood before it may have
        // filled the host's receive buffer, and UDP drops what does not fit.
        var answer: String?
        var received: [String] = []
        for _ in 0..<40 where answer == nil {
            peer.send(request("INVITE", cseq: 1, body: sdp), to: sip)
            while let message = peer.receive(within: 0.5) {
                received.append(String(message.prefix(60)))
                if message.hasPrefix("SIP/2.0 200") && message.contains("Call-ID: \(callID)") {
                    answer = message
                    break
                }
            }
        }
        let ok = try #require(answer, "no 200 OK; received \(received); \(host.stderr)")
        let tag =
            ok.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") }.map { line -> String in
                guard let range = line.range(of: ";tag=") else { return "" }
                return ";tag=" + line[range.upperBound...].prefix { $0 != ";" && $0 != ">" }
            } ?? ""
        let media = try #require(
            ok.split(separator: "\r\n").first { $0.hasPrefix("m=audio ") }.flatMap { Int($0.split(separator: " ")[1]) }, "\(ok)")
        peer.send(request("ACK", cseq: 1, toTag: tag), to: sip)
        // RTP garbage at the call's media port: too short, not version 2, a CSRC count longer than the packet.
        for _ in 0..<50 {
            peer.send([0x80, 0x65, 0x00], to: media)
            peer.send([UInt8](repeating: 0x40, count: 40), to: media)
            peer.send([0x8f, 0x65, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2], to: media)
            peer.send([0x80, 101, 0, 9, 0, 0, 0x10, 0, 0, 0, 0, 7, 1], to: media)  // telephone-event shorter than 4 bytes
        }
        #expect(try await Self.relayActive(api) == false)
        // A digit, as a phone sends it: start packets, then the end packet three times, one timestamp.
        for sequence in 0..<6 {
            let end: UInt8 = sequence >= 3 ? 0x80 : 0
            peer.send(
                [0x80, sequence == 0 ? 0xe5 : 0x65, 0, UInt8(10 + sequence), 0, 0, 0x20, 0, 0, 0, 0, 7, 1, end | 10, 0, 160],
                to: media)
        }
        #expect(try await waitFor { try await Self.relayActive(api) ? true : nil } == true, "\(host.stderr)")
        let (health, _) = try await httpGet("http://127.0.0.1:\(api.port)/healthz")
        #expect(health == 200)
        let (_, status) = try await api.call("GET", "/api/v1/sip")
        #expect(status["digits_total"] as? Int == 1, "\(status)")
        #expect((status["malformed_total"] as? Int ?? 0) >= 200, "\(status)")
        // Each kind of problem from one sender is logged once, however often it came.
        let lines = host.stderr.split(separator: "\n").filter { $0.contains("sip malformed") }
        #expect(lines.count >= 4 && lines.count <= 8, "\(lines.joined(separator: "\n"))")
        peer.send(request("BYE", cseq: 2, toTag: tag), to: sip)
        #expect(try await waitFor { try await Self.entries(api, event: 240, detailContains: "fuzzer").first } != nil)
    }
}

/// SplitMix64: a seeded generator, so a fuzz failure is repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
