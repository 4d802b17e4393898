import ArgumentParser
import Foundation
import PushDevice

/// `gatehouse simulate-device`: N virtual Gatehouse controllers registering with a PUSH server, for demos, tests
/// and load tests. Each is the full device role over its own in-memory door model.
struct SimulateDeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-device",
        abstract: "Run virtual PUSH controllers against a server (Gatehouse, ZKBioSecurity, …).")

    @Option(name: .long, help: "Server base URL, e.g. http://127.0.0.1:8088.")
    var server: String
    @Option(name: .long, help: "Serial number (with --count > 1, devices are <sn>-0001, <sn>-0002, …).")
    var sn: String
    @Option(name: .long, help: "Doors per virtual controller (1–64).")
    var doors: Int = 4
    @Option(name: .long, help: "Number of virtual controllers.")
    var count: Int = 1
    @Option(name: .customLong("events-per-second"), help: "Card swipes per second across all controllers (0 = none).")
    var eventsPerSecond: Double = 0
    @Option(name: .long, help: "Stop after this many seconds (default: run until interrupted).")
    var duration: Double?

    func run() async throws {
        let simulation = DeviceSimulation(
            serverURL: server, serialNumber: sn, doors: doors, count: count, eventsPerSecond: eventsPerSecond,
            duration: duration)
        do {
            let summary = try await simulation.run()
            print("simulated \(summary.devices) device(s): \(summary.rounds) rounds (\(summary.failedRounds) failed), \(summary.swipes) card swipes")
        } catch let error as DeviceSimulation.SimulationError {
            throw fail(error.description, code: 64)
        } catch {
            throw fail("simulate-device: \(error)")
        }
    }
}
