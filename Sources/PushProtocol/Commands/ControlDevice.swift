/// `CONTROL DEVICE AABBCCDDEE` (§9.4): AA is the action, BB/CC/DD its arguments, EE the operator; each a byte
/// written `%02X`. Elevator actions 17 and 18 carry a 32-byte floor bitmap in place of BB.
///
/// The bytes are the source of truth (the command is re-emitted exactly, upper-case hex); `action` is their typed
/// reading and `init(action:operator:)` builds the bytes.
public struct ControlDeviceCommand: Sendable, Hashable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(text: String, lineNumber: Int = 1) throws(PushParseError) {
        try self.init(hex: Array(text.utf8)[...], lineNumber: lineNumber)
    }

    /// Reads the hex argument from bytes, ignoring spaces and tabs between digits.
    init(hex: ArraySlice<UInt8>, lineNumber: Int) throws(PushParseError) {
        var digits: [UInt8] = []
        digits.reserveCapacity(hex.count)
        for byte in hex where byte != ASCII.space && byte != ASCII.tab { digits.append(byte) }
        guard !digits.isEmpty else {
            throw PushParseError(line: lineNumber, field: "AA", problem: "CONTROL DEVICE without its AABBCCDDEE argument")
        }
        guard digits.count % 2 == 0 else {
            throw PushParseError(line: lineNumber, field: "AA", problem: "`\(String(decoding: digits.prefix(40), as: UTF8.self))` is not an even-length hexadecimal string")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
                throw PushParseError(line: lineNumber, field: "AA", problem: "`\(String(decoding: digits.prefix(40), as: UTF8.self))` is not an even-length hexadecimal string")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// Builds the canonical bytes: AA BB CC DD (and EE when an operator is given).
    public init(action: ControlAction, operator operatorID: UInt8? = nil) {
        var bytes = action.argumentBytes
        if let operatorID { bytes.append(operatorID) }
        self.bytes = bytes
    }

    public var text: String { bytes.map(hexByte).joined() }

    /// The AA code.
    public var code: UInt8 { bytes.first ?? 0 }

    /// The operator byte (EE) when present.
    public var operatorID: UInt8? {
        let expected = (code == 17 || code == 18) ? 35 : 5
        return bytes.count >= expected ? bytes[expected - 1] : nil
    }

    public var action: ControlAction { ControlAction(bytes: bytes) }
}

/// What an output should do: off, normally open, or open for N seconds (DD: 00 off, FF normal open, 01–FE seconds).
public enum OutputDuration: Sendable, Hashable, Codable {
    case off
    case normallyOpen
    case seconds(Int)

    init(byte: UInt8) {
        switch byte {
        case 0x00: self = .off
        case 0xFF: self = .normallyOpen
        default: self = .seconds(Int(byte))
        }
    }

    var byte: UInt8 {
        switch self {
        case .off: 0x00
        case .normallyOpen: 0xFF
        case .seconds(let seconds): UInt8(clamping: max(1, min(seconds, 254)))
        }
    }
}

/// The actions of §9.4, with the meaning of their arguments. Door 0 means all doors; slave 0 the current device.
public enum ControlAction: Sendable, Hashable {
    /// 01: drive a door's lock (CC=01) or its auxiliary output (CC=02).
    case output(door: Int, target: UInt8, duration: OutputDuration)
    /// 02: cancel the alarm.
    case cancelAlarm(door: Int)
    /// 03: restart the device (0) or a slave.
    case restart(slave: Int)
    /// 04: enable/disable normal open for a door (0 = all).
    case normalOpen(door: Int, enabled: Bool)
    /// 05: obtain battery power.
    case batteryQuery
    /// 06: lock (true) or unlock a door.
    case lock(door: Int, locked: Bool)
    /// 07: emergency dual-on (1) / dual-off (2).
    case emergency(mode: UInt8)
    /// 08: Zigbee: 1 re-network, 2 stop, 3 allow access, 4 stop access.
    case zigbee(operation: UInt8)
    /// 09: Wiegand test: 1 start, 2 stop.
    case wiegandTest(operation: UInt8)
    /// 10: RS485 lighting.
    case rs485Lighting
    /// 11: network switch: 1 wired→4G, 2 wired→Wi-Fi, 3 4G→wired, 4 Wi-Fi→wired.
    case networkSwitch(operation: UInt8)
    /// 12: registering by identity card on (true)/off, door, timeout.
    case identityCardRegistration(enabled: Bool, door: Int, timeout: Int)
    /// 13: query sub-device connection status.
    case querySubDevices
    /// 14: test the switched network.
    case testSwitchedNetwork
    /// 15: cancel the elevator emergency state.
    case cancelElevatorEmergency
    /// 16: reset counters: 1 out, 2 in, 3 alarms, 4 all.
    case resetCounter(operation: UInt8)
    /// 17: drive elevator floor outputs.
    case elevatorOutput(floors: FloorSet, duration: OutputDuration)
    /// 18: elevator floors normally open.
    case elevatorNormalOpen(floors: FloorSet, duration: OutputDuration)
    /// An AA code the reference does not define, with its argument bytes.
    case unknown(code: UInt8, arguments: [UInt8])

    /// The lock / auxiliary output selectors of action 01 (CC).
    public static let lockTarget: UInt8 = 0x01
    public static let auxiliaryOutputTarget: UInt8 = 0x02

    init(bytes: [UInt8]) {
        func byte(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }
        let code = byte(0)
        switch code {
        case 1: self = .output(door: Int(byte(1)), target: byte(2), duration: OutputDuration(byte: byte(3)))
        case 2: self = .cancelAlarm(door: Int(byte(1)))
        case 3: self = .restart(slave: Int(byte(1)))
        case 4: self = .normalOpen(door: Int(byte(1)), enabled: byte(2) == 1)
        case 5: self = .batteryQuery
        case 6: self = .lock(door: Int(byte(1)), locked: byte(2) == 1)
        case 7: self = .emergency(mode: byte(1))
        case 8: self = .zigbee(operation: byte(1))
        case 9: self = .wiegandTest(operation: byte(1))
        case 10: self = .rs485Lighting
        case 11: self = .networkSwitch(operation: byte(1))
        case 12: self = .identityCardRegistration(enabled: byte(1) == 1, door: Int(byte(2)), timeout: Int(byte(3)))
        case 13: self = .querySubDevices
        case 14: self = .testSwitchedNetwork
        case 15: self = .cancelElevatorEmergency
        case 16: self = .resetCounter(operation: byte(1))
        case 17, 18:
            let bitmap = bytes.count > 1 ? Array(bytes[1..<min(bytes.count, 33)]) : []
            let floors = FloorSet(bitmap: bitmap)
            let duration = OutputDuration(byte: byte(33))
            self = code == 17 ? .elevatorOutput(floors: floors, duration: duration) : .elevatorNormalOpen(floors: floors, duration: duration)
        default:
            self = .unknown(code: code, arguments: Array(bytes.dropFirst()))
        }
    }

    /// AA followed by BB CC DD (four bytes; 34 for the elevator actions).
    var argumentBytes: [UInt8] {
        func door(_ value: Int) -> UInt8 { UInt8(clamping: value) }
        switch self {
        case .output(let doorID, let target, let duration): return [1, door(doorID), target, duration.byte]
        case .cancelAlarm(let doorID): return [2, door(doorID), 0, 0]
        case .restart(let slave): return [3, door(slave), 0, 0]
        case .normalOpen(let doorID, let enabled): return [4, door(doorID), enabled ? 1 : 0, 0]
        case .batteryQuery: return [5, 0, 0, 0]
        case .lock(let doorID, let locked): return [6, door(doorID), locked ? 1 : 0, 0]
        case .emergency(let mode): return [7, mode, 0, 0]
        case .zigbee(let operation): return [8, operation, 0, 0]
        case .wiegandTest(let operation): return [9, operation, 0, 0]
        case .rs485Lighting: return [10, 0, 0, 0]
        case .networkSwitch(let operation): return [11, operation, 0, 0]
        case .identityCardRegistration(let enabled, let doorID, let timeout): return [12, enabled ? 1 : 0, door(doorID), UInt8(clamping: timeout)]
        case .querySubDevices: return [13, 0, 0, 0]
        case .testSwitchedNetwork: return [14, 0, 0, 0]
        case .cancelElevatorEmergency: return [15, 0, 0, 0]
        case .resetCounter(let operation): return [16, operation, 0, 0]
        case .elevatorOutput(let floors, let duration): return [17] + floors.bitmap + [duration.byte]
        case .elevatorNormalOpen(let floors, let duration): return [18] + floors.bitmap + [duration.byte]
        case .unknown(let code, let arguments): return [code] + arguments
        }
    }

    /// A short description of the action for logs and `push decode`.
    public var summary: String {
        switch self {
        case .output(let door, let target, let duration):
            let what = target == 1 ? "lock" : target == 2 ? "auxiliary output" : "output \(target)"
            let doorText = door == 0 ? "all doors" : "door \(door)"
            switch duration {
            case .off: return "\(what) of \(doorText) off"
            case .normallyOpen: return "\(what) of \(doorText) normally open"
            case .seconds(let seconds): return "open \(what) of \(doorText) for \(seconds) s"
            }
        case .cancelAlarm(let door): return door == 0 ? "cancel all alarms" : "cancel the alarm of door \(door)"
        case .restart(let slave): return slave == 0 ? "restart the device" : "restart slave device \(slave)"
        case .normalOpen(let door, let enabled): return "\(enabled ? "enable" : "disable") normal open for \(door == 0 ? "all doors" : "door \(door)")"
        case .batteryQuery: return "obtain battery power"
        case .lock(let door, let locked): return "\(locked ? "lock" : "unlock") \(door == 0 ? "all doors" : "door \(door)")"
        case .emergency(let mode): return mode == 1 ? "emergency dual-on" : mode == 2 ? "emergency dual-off" : "emergency mode \(mode)"
        case .zigbee(let operation): return "Zigbee operation \(operation)"
        case .wiegandTest(let operation): return operation == 2 ? "stop the Wiegand test" : "start the Wiegand test"
        case .rs485Lighting: return "RS485 lighting"
        case .networkSwitch(let operation): return ["", "wired to 4G", "wired to Wi-Fi", "4G to wired", "Wi-Fi to wired"].indices.contains(Int(operation)) ? "switch network: \(["", "wired to 4G", "wired to Wi-Fi", "4G to wired", "Wi-Fi to wired"][Int(operation)])" : "switch network \(operation)"
        case .identityCardRegistration(let enabled, let door, let timeout): return "\(enabled ? "enable" : "disable") identity card registration, door \(door), timeout \(timeout)"
        case .querySubDevices: return "query sub-device connection status"
        case .testSwitchedNetwork: return "test the switched network"
        case .cancelElevatorEmergency: return "cancel the elevator emergency state"
        case .resetCounter(let operation): return "reset counter \(operation)"
        case .elevatorOutput(let floors, _): return "drive elevator floors \(floors.floors)"
        case .elevatorNormalOpen(let floors, _): return "elevator floors \(floors.floors) normally open"
        case .unknown(let code, _): return "undocumented action \(code)"
        }
    }
}
