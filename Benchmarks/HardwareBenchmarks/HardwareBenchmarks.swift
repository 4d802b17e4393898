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
// readers' service and the door engine run here, in this release build. Metric: from the instant a reader hands
// the card to its libosdp (its reply to the next poll carries it) to the instant the door engine drives the relay.
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

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [latency], timeUnits: .microseconds, warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 1)

    for baud in [9600, 38400, 115200] {
        Benchmark("OSDP card read to relay, \(baud) baud, 4 readers polled") { benchmark in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-osdp-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let addresses = [1, 2, 3, 4]
            var busArguments = ["--baud", String(baud), "--panel", directory.appendingPathComponent("cp").path]
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
                    usleep(600_000)  // each door every 2.4 s: past its 2 s punch interval and 1 s strike time
                }
            }
            if missed > 0 { print("OSDP benchmark: \(missed) card reads opened nothing") }
        }
    }
}
