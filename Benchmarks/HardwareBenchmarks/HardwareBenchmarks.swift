import AccessControl
import Benchmark
import CardFormats
import Foundation
import Hardware
import Logging
import PushProtocol
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// Card read to relay command on the OSDP path, as the issue sets it: 9600 baud, 4 readers polled on one bus.
// The line is Tests/GatehouseTests/Peers/rs485_bus.py (pseudo-terminals joined at the real baud rate, half-duplex);
// the readers are libosdp's Python bindings (Peers/osdp_reader.py, from the repository's .venv). The panel, the
// readers' service and the door engine run here, in this release build. Two metrics:
// - "card read to relay": from the instant a reader hands the card to its libosdp to the instant the door engine
//   drives the relay. It includes the wait for that reader's next poll and the reply's time on the wire, which
//   the bus sets, not the panel: at 9600 baud a poll and its answer are ≥ 18 bytes (≈ 19 ms), so 4 readers take
//   turns every ≥ 76 ms and a card shown just after its reader's poll waits most of that.
// - "card reply to relay": from the instant the reply carrying the card has fully reached the panel's serial port
//   (the bus's --trace) to the relay: the panel's own share (serial read, libosdp, card formats, door engine).
// Target: ≤ 50 ms.

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let peers = repository.appendingPathComponent("Tests/GatehouseTests/Peers")
let python = repository.appendingPathComponent(".venv/bin/python").path

/// A Python peer whose first stdout line is JSON; killed at the end.
final class Peer: @unchecked Sendable {
    // @unchecked: set in init, then read only.
    let process = Process()
    let input = Pipe()
    var first: [String: Any] = [:]

    init(_ script: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", peers.appendingPathComponent(script).path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let value = byte.first, value != 0x0A {
            line.append(value)
        }
        first = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] ?? [:]
    }

    var port: Int { first["port"] as? Int ?? 0 }

    deinit { kill(process.processIdentifier, SIGKILL) }
}

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

func post(_ port: Int, _ path: String, _ body: String) throws -> [String: Any] {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = "POST"
    request.httpBody = Data(body.utf8)
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: [String: Any] = [:]
    URLSession.shared.dataTask(with: request) { data, _, _ in
        result = data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        semaphore.signal()
    }.resume()
    semaphore.wait()
    return result
}

let latency = BenchmarkMetric.custom("card read to relay (µs)", polarity: .prefersSmaller, useScalingFactor: false)
let panelShare = BenchmarkMetric.custom("card reply to relay (µs)", polarity: .prefersSmaller, useScalingFactor: false)

/// The instant reader `index`'s last transmission before `instant` reached the panel, from the bus's trace.
func lastReply(from index: Int, before instant: Date, trace: URL) -> Date? {
    guard let text = try? String(contentsOf: trace, encoding: .utf8) else { return nil }
    var latest: Date?
    for line in text.split(separator: "\n") {
        let fields = line.split(separator: " ")
        guard fields.count == 2, Int(fields[0]) == index, let seconds = Double(fields[1]) else { continue }
        let time = Date(timeIntervalSince1970: seconds)
        if time <= instant { latest = time }
    }
    return latest
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [latency, panelShare], timeUnits: .microseconds, warmupIterations: 0, maxDuration: .seconds(120),
        maxIterations: 1)

    for baud in [9600, 38400, 115200] {
        Benchmark("OSDP card read to relay, \(baud) baud, 4 readers polled") { benchmark in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-osdp-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let addresses = [1, 2, 3, 4]
            let trace = directory.appendingPathComponent("bus.trace")
            var busArguments = [
                "--baud", String(baud), "--panel", directory.appendingPathComponent("cp").path, "--trace", trace.path,
            ]
            for address in addresses { busArguments += ["--reader", directory.appendingPathComponent("pd\(address)").path] }
            let bus = try Peer("rs485_bus.py", busArguments)
            let readers = try addresses.map {
                try Peer(
                    "osdp_reader.py", ["--device", directory.appendingPathComponent("pd\($0)").path, "--address", String($0)])
            }

            var configuration = SiteConfiguration.fourDoorPanel()
            for index in configuration.doors.indices { configuration.doors[index].lockDriveTime = 1 }
            let card = CardNumber(4567)
            let relays = RelayTimes()
            let site = try Site(
                configuration: configuration,
                users: [
                    User(
                        pin: "1001", name: "Bench", cards: [Card(number: card)],
                        authorisations: [Authorisation(timezone: 1, doors: .all)])
                ],
                clock: SystemClock(), relayDriver: relays)
            var logger = Logger(label: "bench.osdp")
            logger.logLevel = .error
            let port = try SerialPort(path: directory.appendingPathComponent("cp").path, baudRate: baud)
            let panel = try OSDPControlPanel(
                port: port, peripherals: addresses.map { OSDPPeripheral(address: $0, name: "reader \($0)") }, logger: logger)
            let service = OSDPReaders(
                panel: panel, readers: addresses.map { ReaderID($0) }, site: site, cardFormats: nil, logger: logger)
            let running = Task { await service.run() }
            defer {
                running.cancel()
                panel.stop()
                _ = bus
                _ = readers
            }
            let deadline = Date().addingTimeInterval(20)
            while !addresses.indices.allSatisfy({ panel.isOnline($0) }), Date() < deadline { usleep(20_000) }
            guard addresses.indices.allSatisfy({ panel.isOnline($0) }) else {
                print("OSDP benchmark: the readers did not come online")
                return
            }
            // An H10301 frame of facility 1, card 4567.
            let frame = "0088eb80"
            var missed = 0
            for _ in benchmark.scaledIterations {
                for round in 0..<40 {
                    let index = round % addresses.count
                    let relay = RelayID(index + 1)
                    let before = relays.energised(relay)
                    let reply = try post(readers[index].port, "/card", #"{"bits": 26, "hex": "\#(frame)"}"#)
                    guard let submitted = reply["t"] as? Double else { continue }
                    let start = Date(timeIntervalSince1970: submitted)
                    var energised: Date?
                    let wait = Date().addingTimeInterval(2)
                    while Date() < wait {
                        if let time = relays.energised(relay), time != before { energised = time; break }
                        usleep(200)
                    }
                    if let energised {
                        benchmark.measurement(latency, Int(energised.timeIntervalSince(start) * 1_000_000))
                    } else {
                        missed += 1
                    }
                    // Each door every ≥ 2.4 s: past its 2 s punch interval and 1 s strike time. The extra random
                    // 0–100 ms puts the next card at a random point of the polling cycle: a fixed pause would show
                    // the cards at much the same phase each time and the percentiles would depend on that phase.
                    usleep(600_000 + UInt32.random(in: 0..<100_000))
                    // Read after the pause, so the bus has surely written the reply's line.
                    if let energised, let reply = lastReply(from: index, before: energised, trace: trace) {
                        benchmark.measurement(panelShare, Int(energised.timeIntervalSince(reply) * 1_000_000))
                    }
                }
            }
            if missed > 0 { print("OSDP benchmark: \(missed) card reads opened nothing") }
        }
    }
}
