import AccessControl
import Benchmark
import Foundation
import Logging
import SIP
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

// DTMF digit to relay command on the SIP path, as the issue sets it: from the RFC 4733 end packet leaving the
// phone to the door engine driving the relay. The SIP endpoint (libre through the csip shim) and the door engine run
// here, in this release build; the phone is a UDP socket on loopback that places one call (INVITE, ACK) and then
// presses the relays' codes 1-4 in turn, each press a start packet and the end packet three times, as phones send
// them. Target: ≤ 100 ms.

/// Records when each relay was last energised.
final class RelayTimes: RelayDriver {
    private let times = Mutex<[RelayID: Date]>([:])
    func apply(_ output: RelayOutput) {
        guard output.isActive else { return }
        let now = Date()
        times.withLock { $0[output.relay] = now }
    }
    func energised(_ relay: RelayID) -> Date? { times.withLock { $0[relay] } }
}

/// The phone's socket.
final class Phone {
    let descriptor: Int32
    let port: Int

    init() {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = Phone.loopback(0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    func send(_ bytes: [UInt8], to port: Int) {
        var address = Phone.loopback(port)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// The next datagram within 500 ms. Never blocks a thread: the SIP endpoint and the door engine run on the
    /// same cooperative pool as this benchmark.
    func receive() async -> String? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + .milliseconds(500)
        while ContinuousClock.now < deadline {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 { return String(decoding: buffer[0..<count], as: UTF8.self) }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return nil
    }
}

let latency = BenchmarkMetric.custom("RTP end packet to relay (µs)", polarity: .prefersSmaller, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [latency], timeUnits: .microseconds, warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 1)

    Benchmark("SIP RFC 4733 digit to relay command") { benchmark in
        var configuration = SiteConfiguration.fourDoorPanel()
        for index in configuration.relays.indices {
            configuration.relays[index].dtmfCode = String(index + 1)
            configuration.relays[index].holdDelay = 1
        }
        let relays = RelayTimes()
        let site = try Site(configuration: configuration, users: [], clock: SystemClock(), relayDriver: relays)
        var settings = SIPSettings()
        let sipPort = Int.random(in: 40_000...45_000)
        settings.listen = "127.0.0.1:\(sipPort)"
        settings.transports = ["udp"]
        settings.rtpPorts = "46000-46100"
        settings.answer = "all"
        var logger = Logger(label: "bench.sip")
        logger.logLevel = .error
        let calls = SIPCalls(settings: try settings.resolved(), site: site, logger: logger)
        try await calls.start()
        defer { Task { await calls.stop() } }

        let phone = Phone()
        let callID = "bench-\(UUID().uuidString)"
        func request(_ method: String, cseq: Int, toTag: String = "", body: String = "") -> [UInt8] {
            let text =
                "\(method) sip:gatehouse@127.0.0.1:\(sipPort) SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:\(phone.port);branch=z9hG4bK\(method)\(cseq)\r\nFrom: <sip:bench@127.0.0.1:\(phone.port)>;tag=b1\r\nTo: <sip:gatehouse@127.0.0.1:\(sipPort)>\(toTag)\r\nCall-ID: \(callID)\r\nCSeq: \(cseq) \(method)\r\nContact: <sip:bench@127.0.0.1:\(phone.port)>\r\nMax-Forwards: 70\r\n"
                + (body.isEmpty ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            return Array(text.utf8)
        }
        let sdp =
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio \(phone.port) RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
        var answer: String?
        var heard: [String] = []
        for _ in 0..<10 where answer == nil {
            phone.send(request("INVITE", cseq: 1, body: sdp), to: sipPort)
            while let message = await phone.receive() {
                heard.append(String(message.prefix(40)))
                if message.hasPrefix("SIP/2.0 200"), message.contains(callID) {
                    answer = message
                    break
                }
            }
        }
        guard let answer,
            let media = answer.split(separator: "\r\n").first(where: { $0.hasPrefix("m=audio ") }).flatMap({
                Int($0.split(separator: " ")[1])
            })
        else {
            print("SIP benchmark: the call was not answered; heard \(heard)")
            return
        }
        let tag =
            answer.split(separator: "\r\n").first { $0.lowercased().hasPrefix("to:") }.map { line -> String in
                guard let range = line.range(of: ";tag=") else { return "" }
                return ";tag=" + line[range.upperBound...].prefix { $0 != ";" && $0 != ">" }
            } ?? ""
        phone.send(request("ACK", cseq: 1, toTag: tag), to: sipPort)
        try await Task.sleep(for: .milliseconds(200))

        var sequence: UInt16 = 1
        var timestamp: UInt32 = 8000
        func packet(event: Int, end: Bool, marker: Bool) -> [UInt8] {
            defer { sequence &+= 1 }
            return [
                0x80, (marker ? 0x80 : 0) | 101, UInt8(sequence >> 8), UInt8(sequence & 0xff),
                UInt8(timestamp >> 24), UInt8((timestamp >> 16) & 0xff), UInt8((timestamp >> 8) & 0xff), UInt8(timestamp & 0xff),
                0, 0, 0, 9, UInt8(event), (end ? 0x80 : 0) | 10, 0, 160,
            ]
        }
        var missed = 0
        for _ in benchmark.scaledIterations {
            for press in 0..<60 {
                let digit = press % 4 + 1
                let relay = RelayID(digit)
                let before = relays.energised(relay)
                phone.send(packet(event: digit, end: false, marker: true), to: media)
                try await Task.sleep(for: .milliseconds(40))
                let sent = Date()
                for _ in 0..<3 { phone.send(packet(event: digit, end: true, marker: false), to: media) }
                timestamp &+= 800
                var energised: Date?
                let wait = Date().addingTimeInterval(2)
                while Date() < wait {
                    if let time = relays.energised(relay), time != before {
                        energised = time
                        break
                    }
                    await Task.yield()
                }
                if let energised {
                    benchmark.measurement(latency, Int(energised.timeIntervalSince(sent) * 1_000_000))
                } else {
                    missed += 1
                }
                try await Task.sleep(for: .milliseconds(300))  // each relay every 1.2 s: past its 1 s hold
            }
        }
        if missed > 0 { print("SIP benchmark: \(missed) presses opened nothing") }
        phone.send(request("BYE", cseq: 2, toTag: tag), to: sipPort)
    }
}
