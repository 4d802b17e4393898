import AccessControl
import Foundation
import Hardware
import Logging
import Synchronization
import Testing

/// Lines in memory: the other implementation of `DigitalLines`, for the GPIO relays' and inputs' routing into and
/// out of a real door engine (the kernel side is `LibgpiodLines`, exercised by `realChip` where a chip exists).
final class MemoryLines: DigitalLines {
    private let driven = Mutex<[(GPIOLine, Bool)]>([])
    private let stream: AsyncStream<(GPIOLine, Bool)>
    let feed: AsyncStream<(GPIOLine, Bool)>.Continuation

    init() { (stream, feed) = AsyncStream<(GPIOLine, Bool)>.makeStream() }

    func set(_ line: GPIOLine, active: Bool) { driven.withLock { $0.append((line, active)) } }
    func levels() -> AsyncStream<(GPIOLine, Bool)> { stream }
    var history: [(GPIOLine, Bool)] { driven.withLock { $0 } }
}

@Suite struct GPIOTests {
    static func line(_ offset: Int) -> GPIOLine { GPIOLine(chip: "gpiochip0", offset: offset, activeLow: false, bias: .asIs) }

    @Test("an exit button on a GPIO line releases its door, and the strike's relay line follows the relay, on then off")
    func routing() async throws {
        let clock = TestClock()
        let lines = MemoryLines()
        let strike = Self.line(17)
        let button = Self.line(22)
        let site = try Site(
            configuration: .fourDoorPanel(), clock: clock,
            relayDriver: ForwardingRelayDriver.gpio(base: VirtualRelayDriver(), lines: lines, relays: [RelayID(1): strike]))
        let inputs = GPIOInputs(lines: lines, inputs: [button: InputID(1)], site: site, logger: Logger(label: "test"))
        let running = Task { await inputs.run() }
        defer { running.cancel() }

        // The exit button is wired to ground: pressed is low (its trigger level), released high.
        lines.feed.yield((button, true))
        lines.feed.yield((button, false))
        let opened = await waitUntil { lines.history.contains { $0.0 == strike && $0.1 } }
        #expect(opened, "the strike line was never energised: \(lines.history)")
        #expect(try await site.status(of: DoorID(1)).isRelayActive)
        lines.feed.yield((button, true))
        clock.advance(by: 6)
        await site.tick()
        let released = await waitUntil { lines.history.last.map { $0.0 == strike && !$0.1 } ?? false }
        #expect(released, "\(lines.history)")
        // Only the relay on a line is driven there.
        #expect(lines.history.allSatisfy { $0.0 == strike })
    }

    @Test("settings: relays and inputs with polarity and bias; every mistake names its key")
    func settings() throws {
        var settings = GPIOSettings()
        settings.relays = ["1@gpiochip0:17", "2@/dev/gpiochip1:3:active_low"]
        settings.inputs = ["5@gpiochip0:22:active_low:pull_up"]
        _ = try settings.lines()
        #expect(try settings.relayLines().map(\.line.activeLow) == [false, true])
        #expect(try settings.inputLines().first?.line.bias == .pullUp)
        let wrong: [([String], [String], String)] = [
            ([], [], "relays"), (["1@gpiochip0"], [], "relays"), (["x@gpiochip0:1"], [], "relays"),
            (["1@gpiochip0:1:pull_up"], [], "relays"), (["1@gpiochip0:1", "1@gpiochip0:2"], [], "relays"),
            ([], ["5@gpiochip0:2000"], "inputs"), ([], ["5@gpiochip0:2:sideways"], "inputs"),
            (["1@gpiochip0:4"], ["5@gpiochip0:4"], "inputs"),
        ]
        for (relays, inputs, key) in wrong {
            var bad = GPIOSettings()
            bad.relays = relays
            bad.inputs = inputs
            do {
                _ = try bad.lines()
                Issue.record("\(relays) \(inputs) accepted")
            } catch {
                #expect(error.key == key, "\(relays) \(inputs): \(error)")
            }
        }
    }

    static let chips = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []).filter { $0.hasPrefix("gpiochip") }

    @Test(
        "a real GPIO chip: an output line is taken and driven (skipped: this machine has no /dev/gpiochip*)",
        .enabled(if: !chips.isEmpty, "this machine has no GPIO chip (/dev/gpiochip*); the routing is tested through DigitalLines")
    )
    func realChip() throws {
        let line = GPIOLine(chip: Self.chips.sorted()[0], offset: 0, activeLow: false, bias: .asIs)
        let lines = try LibgpiodLines(outputs: [line], inputs: [], logger: Logger(label: "test"))
        lines.set(line, active: true)
        lines.set(line, active: false)
    }

    @Test("without a chip, opening a line says what the machine has")
    func missingChip() {
        do {
            _ = try LibgpiodLines(
                outputs: [GPIOLine(chip: "gpiochip97", offset: 1, activeLow: false, bias: .asIs)], inputs: [],
                logger: Logger(label: "test"))
            Issue.record("a missing chip opened")
        } catch let error as LibgpiodLines.OpenError {
            #expect(error.reason.contains("no GPIO chip 'gpiochip97'"), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }
}

/// Polls `condition` (the lines are fed asynchronously) for up to two seconds.
func waitUntil(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<200 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
