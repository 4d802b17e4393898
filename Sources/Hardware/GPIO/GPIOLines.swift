import AccessControl
import CGPIOD
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Digital lines the door engine drives and listens to: what the GPIO relays and inputs need, so everything but
/// the kernel calls is reachable through it (``LibgpiodLines`` is the real one).
public protocol DigitalLines: Sendable {
    /// Drives an output line (`active`: energised, whatever its polarity).
    func set(_ line: GPIOLine, active: Bool)
    /// The input lines' electrical levels, now and on every edge, as `(line, high)`.
    func levels() -> AsyncStream<(GPIOLine, Bool)>
}

/// GPIO lines through libgpiod's character-device API. Outputs are requested at start (inactive), inputs with
/// edge events and the requested bias (pull-up/-down where the kernel offers it); a thread waits on the inputs'
/// event descriptors and reports each edge with the level read after it.
public final class LibgpiodLines: DigitalLines, @unchecked Sendable {
    // @unchecked: `chips` and the line handles are set in init and released in deinit; libgpiod calls on outputs
    // are serialised by `outputLock`; the input thread alone reads the input lines.
    public struct OpenError: Error, CustomStringConvertible {
        public var line: GPIOLine
        public var reason: String
        public var description: String { "\(line): \(reason)" }
    }

    private var chips: [String: OpaquePointer] = [:]
    private var outputs: [GPIOLine: OpaquePointer] = [:]
    private var inputs: [(GPIOLine, OpaquePointer)] = []
    private let outputLock = Mutex(())
    private let continuation: AsyncStream<(GPIOLine, Bool)>.Continuation
    private let stream: AsyncStream<(GPIOLine, Bool)>
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var thread: Thread?
    private let logger: Logger
    static let consumer = "gatehouse"

    public init(outputs outputLines: [GPIOLine], inputs inputLines: [GPIOLine], logger: Logger) throws(OpenError) {
        self.logger = logger
        (stream, continuation) = AsyncStream<(GPIOLine, Bool)>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        do throws(OpenError) {
            for line in outputLines {
                let handle = try self.line(line)
                var flags: Int32 = 0
                if line.activeLow { flags |= Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) }
                guard gpiod_line_request_output_flags(handle, Self.consumer, flags, 0) == 0 else {
                    throw OpenError(line: line, reason: "cannot take it as an output: \(String(cString: strerror(errno)))")
                }
                outputs[line] = handle
            }
            for line in inputLines {
                let handle = try self.line(line)
                var flags: Int32 = 0
                switch line.bias {
                case .pullUp: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
                case .pullDown: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
                case .disabled: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
                case .asIs: break
                }
                guard gpiod_line_request_both_edges_events_flags(handle, Self.consumer, flags) == 0 else {
                    throw OpenError(line: line, reason: "cannot watch it as an input: \(String(cString: strerror(errno)))")
                }
                inputs.append((line, handle))
            }
        } catch {
            release()
            throw error
        }
    }

    private func line(_ line: GPIOLine) throws(OpenError) -> OpaquePointer {
        let chip: OpaquePointer
        if let open = chips[line.chip] {
            chip = open
        } else {
            guard let opened = gpiod_chip_open_lookup(line.chip) else {
                let present = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []).filter {
                    $0.hasPrefix("gpiochip")
                }
                throw OpenError(
                    line: line,
                    reason: "no GPIO chip '\(line.chip)' (\(String(cString: strerror(errno)))); this machine has "
                        + (present.isEmpty ? "none" : present.sorted().joined(separator: ", ")))
            }
            chips[line.chip] = opened
            chip = opened
        }
        guard let handle = gpiod_chip_get_line(chip, UInt32(line.offset)) else {
            throw OpenError(line: line, reason: "the chip has no line \(line.offset)")
        }
        return handle
    }

    private func release() {
        for handle in outputs.values { gpiod_line_release(handle) }
        for (_, handle) in inputs { gpiod_line_release(handle) }
        for chip in chips.values { gpiod_chip_close(chip) }
        outputs = [:]
        inputs = []
        chips = [:]
    }

    deinit {
        stop()
        release()
    }

    public func set(_ line: GPIOLine, active: Bool) {
        guard let handle = outputs[line] else { return }
        let result = outputLock.withLock { _ in gpiod_line_set_value(handle, active ? 1 : 0) }
        if result != 0 {
            logger.error("GPIO output not set", metadata: ["line": "\(line)", "error": "\(String(cString: strerror(errno)))"])
        }
    }

    public func levels() -> AsyncStream<(GPIOLine, Bool)> {
        if thread == nil, !inputs.isEmpty {
            let thread = Thread { [self] in
                watch()
                finished.signal()
            }
            thread.name = "gatehouse-gpio"
            self.thread = thread
            thread.start()
        }
        return stream
    }

    public func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        if thread != nil { _ = finished.wait(timeout: .now() + 2) }
        continuation.finish()
    }

    private func watch() {
        // The levels as they are at start, then after every edge.
        for (line, handle) in inputs { report(line, handle) }
        var descriptors = inputs.map { pollfd(fd: gpiod_line_event_get_fd($0.1), events: Int16(POLLIN), revents: 0) }
        while !stopping.load(ordering: .relaxed) {
            let ready = poll(&descriptors, nfds_t(descriptors.count), 100)
            guard ready > 0 else { continue }
            for index in descriptors.indices where descriptors[index].revents & Int16(POLLIN) != 0 {
                var event = gpiod_line_event()
                _ = gpiod_line_event_read(inputs[index].1, &event)
                report(inputs[index].0, inputs[index].1)
            }
        }
    }

    private func report(_ line: GPIOLine, _ handle: OpaquePointer) {
        let value = gpiod_line_get_value(handle)
        guard value >= 0 else { return }
        // With edge events requested without ACTIVE_LOW the value is the electrical level; active_low inverts it.
        continuation.yield((line, (value == 1) != line.activeLow))
    }
}

/// GPIO inputs into the door engine: each level goes to ``Site/input(_:level:)``, which debounces it and acts by
/// the input's role and trigger level, as for every other input.
public struct GPIOInputs: Sendable {
    public let lines: any DigitalLines
    public let inputs: [GPIOLine: InputID]
    public let site: Site
    public let logger: Logger

    public init(lines: any DigitalLines, inputs: [GPIOLine: InputID], site: Site, logger: Logger) {
        self.lines = lines
        self.inputs = inputs
        self.site = site
        self.logger = logger
    }

    public func run() async {
        for await (line, high) in lines.levels() {
            guard let input = inputs[line] else { continue }
            do {
                try await site.input(input, level: high ? .high : .low)
            } catch {
                logger.error(
                    "GPIO input not applied", metadata: ["input": "\(input.rawValue)", "line": "\(line)", "error": "\(error)"])
            }
        }
    }
}
