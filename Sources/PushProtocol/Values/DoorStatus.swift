/// The door sensor state of one door in an rtstate row (two bits per door).
public enum DoorSensorState: String, Sendable, Codable {
    case noSensor
    case closed
    case open
    case unknown
}

/// The alarms of one door in an rtstate row (one byte per door, bit 0 first).
public struct DoorAlarms: OptionSet, Sendable, Hashable, Codable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let accidentalOpening = DoorAlarms(rawValue: 1 << 0)
    public static let tamper = DoorAlarms(rawValue: 1 << 1)
    public static let duressPassword = DoorAlarms(rawValue: 1 << 2)
    public static let duressFingerprint = DoorAlarms(rawValue: 1 << 3)
    public static let doorSensorTimeout = DoorAlarms(rawValue: 1 << 4)
    public static let mainsPowerFailure = DoorAlarms(rawValue: 1 << 5)
    public static let batteryPowerFailure = DoorAlarms(rawValue: 1 << 6)
    public static let readerDisassembly = DoorAlarms(rawValue: 1 << 7)

    public var names: [String] {
        let all: [(DoorAlarms, String)] = [
            (.accidentalOpening, "accidentalOpening"), (.tamper, "tamper"), (.duressPassword, "duressPassword"),
            (.duressFingerprint, "duressFingerprint"), (.doorSensorTimeout, "doorSensorTimeout"),
            (.mainsPowerFailure, "mainsPowerFailure"), (.batteryPowerFailure, "batteryPowerFailure"),
            (.readerDisassembly, "readerDisassembly"),
        ]
        return all.filter { contains($0.0) }.map(\.1)
    }
}

/// The decoded state of one door from `sensor=`, `relay=` and `alarm=` (§7.3).
public struct DoorStatus: Sendable, Hashable, Codable {
    public var door: Int
    public var sensor: DoorSensorState
    /// True when the relay bit is set. The reference says 0 = connected and 1 = disconnected; for a fail-secure
    /// lock "disconnected" means locked, so this is reported as the raw bit rather than a guess at the lock state.
    public var relayBitSet: Bool
    public var alarms: DoorAlarms
    public var alarmNames: [String] { alarms.names }

    public init(door: Int, sensor: DoorSensorState, relayBitSet: Bool, alarms: DoorAlarms) {
        self.door = door
        self.sensor = sensor
        self.relayBitSet = relayBitSet
        self.alarms = alarms
    }

    /// Decodes the three hex fields. `sensor` holds four doors per byte (door 1 in the low two bits of byte 0),
    /// `relay` one bit per door (door 1 the low bit of byte 0), `alarm` one byte per door. Doors present in any
    /// field are reported; nil when a field is not hex.
    public static func decode(sensor: String, relay: String, alarm: String) -> [DoorStatus]? {
        guard let sensorBytes = hexBytes(sensor), let relayBytes = hexBytes(relay), let alarmBytes = hexBytes(alarm) else {
            return nil
        }
        let doorCount = max(sensorBytes.count * 4, relayBytes.count * 8 > 0 ? min(relayBytes.count * 8, 8) : 0, alarmBytes.count)
        guard doorCount > 0 else { return [] }
        return (1...doorCount).map { door in
            let index = door - 1
            var sensorState = DoorSensorState.unknown
            if index / 4 < sensorBytes.count {
                switch (sensorBytes[index / 4] >> UInt8((index % 4) * 2)) & 0b11 {
                case 0b00: sensorState = .noSensor
                case 0b01: sensorState = .closed
                case 0b10: sensorState = .open
                default: sensorState = .unknown
                }
            }
            let relaySet = index / 8 < relayBytes.count && relayBytes[index / 8] & (1 << UInt8(index % 8)) != 0
            let alarms = index < alarmBytes.count ? DoorAlarms(rawValue: alarmBytes[index]) : []
            return DoorStatus(door: door, sensor: sensorState, relayBitSet: relaySet, alarms: alarms)
        }
    }
}
