import COSDP
import Foundation
import Logging
import Synchronization

/// One OSDP peripheral (a reader) on the bus.
public struct OSDPPeripheral: Sendable, Hashable {
    /// The 7-bit OSDP address (0…126).
    public var address: Int
    public var name: String
    /// The Secure Channel Base Key (16 bytes); nil for a plain-text channel.
    public var scbk: [UInt8]?
    /// Install mode: the reader may still hold the default key (SCBK-D), which the panel then accepts to set up
    /// the secure channel. Outside install mode a reader that only knows SCBK-D is refused.
    public var installMode: Bool

    public init(address: Int, name: String, scbk: [UInt8]? = nil, installMode: Bool = false) {
        self.address = address
        self.name = name
        self.scbk = scbk
        self.installMode = installMode
    }
}

/// What a reader reported.
public enum OSDPEvent: Sendable, Equatable {
    /// Raw card data: `bits` bits, MSB first in `bytes` (Wiegand format when `wiegand`).
    case cardRead(peripheral: Int, wiegand: Bool, bits: Int, bytes: [UInt8])
    /// Keys pressed on the reader's keypad, as the PD sent them (`0`…`9`, `*` = 0x7F, `#` = 0x0D).
    case keypress(peripheral: Int, keys: [UInt8])
    /// The reader answers polls again (true) or stopped answering (false).
    case online(peripheral: Int, Bool)
    /// The secure channel came up (with the default key when `defaultKey`) or went down.
    case secureChannel(peripheral: Int, active: Bool, defaultKey: Bool)
    /// The reader's local status: tamper switch and power.
    case localStatus(peripheral: Int, tamper: Bool, powerFailure: Bool)
}

/// What the panel tells a reader to do.
public enum OSDPCommand: Sendable, Equatable {
    public enum Color: UInt8, Sendable { case off = 0, red, green, amber, blue }
    /// Shows `color` on the reader's LED for `tenths` of a second (flashing when `off` tenths are given), then
    /// returns to its permanent state.
    case led(reader: UInt8, color: Color, tenths: UInt16, flashOn: UInt8 = 0, flashOff: UInt8 = 0)
    /// Beeps `count` times, `on` and `off` tenths of a second each.
    case buzzer(reader: UInt8, on: UInt8, off: UInt8, count: UInt8)
    /// Switches output `number` (0-based) on or off; `tenths` > 0 turns it back off after that time.
    case output(number: UInt8, on: Bool, tenths: UInt16 = 0)
}

/// An OSDP control panel on one serial bus, on libosdp (the reference implementation; a C library, built by
/// scripts/setup). libosdp is not thread-safe: one thread of this class's own runs `osdp_cp_refresh` every
/// couple of milliseconds and is the only one to touch the context; commands from elsewhere wait in a queue it
/// drains, and what the readers report comes out on ``events``.
public final class OSDPControlPanel: @unchecked Sendable {
    // @unchecked: `context` and `infos` are touched only by the loop thread (and by init/deinit before and after
    // it runs); `pending`, `state` are Mutexes; `port` is used by the loop thread only.
    public let peripherals: [OSDPPeripheral]
    public let events: AsyncStream<OSDPEvent>
    private let continuation: AsyncStream<OSDPEvent>.Continuation
    private let port: SerialPort
    private let logger: Logger
    private var context: UnsafeMutableRawPointer?
    private let infos: UnsafeMutablePointer<osdp_pd_info_t>
    private var keys: [UnsafeMutablePointer<UInt8>] = []
    private var names: [UnsafeMutablePointer<CChar>] = []
    private let pending = Mutex<[(Int, OSDPCommand)]>([])
    private let state = Mutex<(stopping: Bool, online: [Bool], secure: [Bool], lastSeen: [Date?])>((false, [], [], []))
    private let finished = DispatchSemaphore(value: 0)
    private var thread: Thread?

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(port: SerialPort, peripherals: [OSDPPeripheral], logger: Logger) throws(SetupError) {
        guard !peripherals.isEmpty else { throw SetupError(description: "no readers configured") }
        self.port = port
        self.peripherals = peripherals
        self.logger = logger
        (events, continuation) = AsyncStream<OSDPEvent>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        infos = .allocate(capacity: peripherals.count)
        state.withLock {
            $0.online = Array(repeating: false, count: peripherals.count)
            $0.secure = Array(repeating: false, count: peripherals.count)
            $0.lastSeen = Array(repeating: nil, count: peripherals.count)
        }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        for (index, peripheral) in peripherals.enumerated() {
            var info = osdp_pd_info_t()
            let name = strdup(peripheral.name)!
            names.append(name)
            info.name = UnsafePointer(name)
            info.baud_rate = Int32(port.baudRate)
            info.address = Int32(peripheral.address)
            var flags = OSDP_FLAG_ENABLE_NOTIFICATION
            if let key = peripheral.scbk {
                let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
                copy.initialize(from: key, count: 16)
                keys.append(copy)
                info.scbk = UnsafePointer(copy)
                // A keyed reader must talk secure: one answering in plain text, or only with the default key, is
                // refused, not trusted. In install mode libosdp may fall back to the default key (SCBK-D) and then
                // gives the reader the site's key itself (osdp_KEYSET, inside that secure channel).
                if !peripheral.installMode { flags |= OSDP_FLAG_ENFORCE_SECURE }
            }
            info.flags = Int32(flags)
            // Every reader shares the bus: one channel (the same id), read and written by the loop thread.
            info.channel.data = opaque
            info.channel.id = 0
            info.channel.recv = { data, buffer, count in
                guard let data, let buffer else { return -1 }
                let panel = Unmanaged<OSDPControlPanel>.fromOpaque(data).takeUnretainedValue()
                return Int32(panel.port.read(into: buffer, count: Int(count)))
            }
            info.channel.send = { data, buffer, count in
                guard let data, let buffer else { return -1 }
                let panel = Unmanaged<OSDPControlPanel>.fromOpaque(data).takeUnretainedValue()
                return Int32(panel.port.write(buffer, count: Int(count)))
            }
            info.channel.flush = { data in
                guard let data else { return }
                Unmanaged<OSDPControlPanel>.fromOpaque(data).takeUnretainedValue().port.flush()
            }
            (infos + index).initialize(to: info)
        }
        osdp_set_log_callback { level, _, _, message in
            // libosdp's own lines (a timed-out reply, a bad MAC) at debug: the panel reports what matters itself.
            guard level <= Int32(OSDP_LOG_WARNING.rawValue), let message else { return }
            OSDPControlPanel.libraryLogger.debug("\(String(cString: message).trimmingCharacters(in: .newlines))")
        }
        guard let context = osdp_cp_setup(Int32(peripherals.count), infos) else {
            throw SetupError(description: "libosdp refused the reader configuration")
        }
        self.context = context
        osdp_cp_set_event_callback(
            context,
            { arg, pd, event in
                guard let arg, let event else { return 0 }
                Unmanaged<OSDPControlPanel>.fromOpaque(arg).takeUnretainedValue().received(Int(pd), event.pointee)
                return 0
            }, opaque)
        osdp_cp_set_command_completion_callback(
            context,
            { _, _, command, _ in
                // Commands are the panel's own allocations (libosdp's app-owned queue data): freed once done with.
                if let command { UnsafeMutablePointer(mutating: command).deallocate() }
            }, opaque)
    }

    static let libraryLogger = Logger(label: "gatehouse.osdp.libosdp")

    deinit {
        stop()
        if let context { osdp_cp_teardown(context) }
        infos.deinitialize(count: peripherals.count)
        infos.deallocate()
        for key in keys {
            key.update(repeating: 0, count: 16)
            key.deallocate()
        }
        names.forEach { free($0) }
        port.close()
    }

    /// Starts polling the readers.
    public func start() {
        guard thread == nil else { return }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "gatehouse-osdp"
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    /// Stops polling and ends ``events``.
    public func stop() {
        let running = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping && thread != nil
        }
        if running { _ = finished.wait(timeout: .now() + 2) }
        continuation.finish()
    }

    /// Queues a command for the reader at `peripheral` (an index into ``peripherals``).
    public func submit(_ command: OSDPCommand, to peripheral: Int) {
        guard peripherals.indices.contains(peripheral) else { return }
        pending.withLock { $0.append((peripheral, command)) }
    }

    public func isOnline(_ peripheral: Int) -> Bool { state.withLock { $0.online[peripheral] } }
    public func isSecure(_ peripheral: Int) -> Bool { state.withLock { $0.secure[peripheral] } }
    public func lastSeen(_ peripheral: Int) -> Date? { state.withLock { $0.lastSeen[peripheral] } }

    private func run() {
        while !state.withLock({ $0.stopping }) {
            let commands = pending.withLock { queue -> [(Int, OSDPCommand)] in
                defer { queue.removeAll() }
                return queue
            }
            for (peripheral, command) in commands { send(command, to: peripheral) }
            osdp_cp_refresh(context)
            usleep(1000)
        }
    }

    private func send(_ command: OSDPCommand, to peripheral: Int) {
        let pointer = UnsafeMutablePointer<osdp_cmd>.allocate(capacity: 1)
        pointer.initialize(to: osdp_cmd())
        switch command {
        case .led(let reader, let color, let tenths, let flashOn, let flashOff):
            pointer.pointee.id = OSDP_CMD_LED
            pointer.pointee.led.reader = reader
            pointer.pointee.led.led_number = 0
            pointer.pointee.led.temporary.control_code = 2  // set the temporary state and start its timer
            pointer.pointee.led.temporary.on_count = flashOn == 0 ? UInt8(clamping: tenths) : flashOn
            pointer.pointee.led.temporary.off_count = flashOff
            pointer.pointee.led.temporary.on_color = color.rawValue
            pointer.pointee.led.temporary.off_color = flashOff == 0 ? color.rawValue : 0
            pointer.pointee.led.temporary.timer_count = tenths
        case .buzzer(let reader, let on, let off, let count):
            pointer.pointee.id = OSDP_CMD_BUZZER
            pointer.pointee.buzzer.reader = reader
            pointer.pointee.buzzer.control_code = 2  // the default tone
            pointer.pointee.buzzer.on_count = on
            pointer.pointee.buzzer.off_count = off
            pointer.pointee.buzzer.rep_count = count
        case .output(let number, let on, let tenths):
            pointer.pointee.id = OSDP_CMD_OUTPUT
            pointer.pointee.output.output_no = number
            // Timed: the temporary state for `tenths`, then back to the permanent one (5 on, 6 off); untimed: the
            // permanent state, aborting any timer (2 on, 1 off).
            pointer.pointee.output.control_code = tenths > 0 ? (on ? 5 : 6) : (on ? 2 : 1)
            pointer.pointee.output.timer_count = tenths
        }
        if osdp_cp_submit_command(context, Int32(peripheral), pointer) != 0 {
            pointer.deallocate()
            logger.warning(
                "OSDP command not queued (reader offline?)",
                metadata: ["reader": "\(peripherals[peripheral].name)", "command": "\(command)"])
        }
    }

    /// On the loop thread, inside `osdp_cp_refresh`.
    private func received(_ peripheral: Int, _ event: osdp_event) {
        guard peripherals.indices.contains(peripheral) else { return }
        state.withLock { $0.lastSeen[peripheral] = Date() }
        switch event.type {
        case OSDP_EVENT_CARDREAD:
            let read = event.cardread
            let bits = Int(read.length)
            let wiegand = read.format == OSDP_CARD_FMT_RAW_WIEGAND
            let byteCount = min(Int(OSDP_EVENT_CARDREAD_MAX_DATALEN), (bits + 7) / 8)
            let bytes = withUnsafeBytes(of: read.data) { Array($0.prefix(byteCount)) }
            continuation.yield(.cardRead(peripheral: peripheral, wiegand: wiegand, bits: bits, bytes: bytes))
        case OSDP_EVENT_KEYPRESS:
            let press = event.keypress
            let count = min(Int(OSDP_EVENT_KEYPRESS_MAX_DATALEN), max(0, Int(press.length)))
            let keys = withUnsafeBytes(of: press.data) { Array($0.prefix(count)) }
            continuation.yield(.keypress(peripheral: peripheral, keys: keys))
        case OSDP_EVENT_STATUS:
            let report = event.status
            guard report.type == OSDP_STATUS_REPORT_LOCAL || report.type == OSDP_STATUS_REPORT_REMOTE else { return }
            // One byte per entry: tamper first, then power.
            let entries = withUnsafeBytes(of: report.report) { Array($0.prefix(max(0, min(Int(report.nr_entries), 2)))) }
            continuation.yield(
                .localStatus(
                    peripheral: peripheral, tamper: (entries.first ?? 0) != 0, powerFailure: entries.count > 1 && entries[1] != 0)
            )
        case OSDP_EVENT_NOTIFICATION:
            let notification = event.notif
            switch notification.type {
            case OSDP_EVENT_NOTIFICATION_PD_STATUS:
                let online = notification.arg0 == 1
                let changed = state.withLock { state -> Bool in
                    defer { state.online[peripheral] = online }
                    return state.online[peripheral] != online
                }
                if changed { continuation.yield(.online(peripheral: peripheral, online)) }
            case OSDP_EVENT_NOTIFICATION_SC_STATUS:
                let active = notification.arg0 == 1
                state.withLock { $0.secure[peripheral] = active }
                continuation.yield(.secureChannel(peripheral: peripheral, active: active, defaultKey: notification.arg1 == 1))
            default:
                break
            }
        default:
            break
        }
    }
}
