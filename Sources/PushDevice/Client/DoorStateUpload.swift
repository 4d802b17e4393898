import AccessControl
import Digests
import PushProtocol

/// Door states as the rtstate row of §7.3: `sensor` two bits per door (0b00 no sensor, 0b01 closed, 0b10 open),
/// four doors per byte, door 1 in the low bits; `relay` one bit per door, set when the lock relay is energised
/// (the reference's "disconnected" for a fail-secure lock, i.e. released); `alarm` one byte per door (bit 0
/// accidental opening, bit 4 door-open timeout).
public enum DoorStateUpload {
    public static func fields(_ doors: [(DoorSnapshot, DoorSensorType)]) -> [PushField] {
        let count = max(1, doors.count)
        var sensor = [UInt8](repeating: 0, count: (count + 3) / 4)
        var relay = [UInt8](repeating: 0, count: (count + 7) / 8)
        var alarm = [UInt8](repeating: 0, count: max(8, count))
        for (offset, (snapshot, type)) in doors.enumerated() {
            let bits: UInt8 = type == .none ? 0b00 : (snapshot.isSensorOpen ? 0b10 : 0b01)
            sensor[offset / 4] |= bits << UInt8((offset % 4) * 2)
            if snapshot.isRelayActive { relay[offset / 8] |= 1 << UInt8(offset % 8) }
            if snapshot.isBreakInLatched { alarm[offset] |= DoorAlarms.accidentalOpening.rawValue }
        }
        return [PushField("sensor", hex(sensor)), PushField("relay", hex(relay)), PushField("alarm", hex(alarm))]
    }

    public static func request(serialNumber: String, time: String, fields: [PushField]) -> PushRequest {
        PushRequest(
            method: .post, endpoint: .cdata,
            query: PushQuery(items: [PushField("SN", serialNumber), PushField("table", "rtstate")]),
            message: .realtimeState([RealtimeState(record: PushRecord(fields: [PushField("time", time)] + fields))]))
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes, uppercase: true) }
}
