import Foundation
import PushProtocol

extension Site {
    /// Records an event a PUSH device uploaded, with its own event code, tagged with the device's serial number,
    /// so it reaches the same journal, event stream, scripts and API as local events.
    @discardableResult
    public func recordDeviceEvent(
        serialNumber: String, event: Int, verifyMode: Int?, door: Int?, pin: String?, card: String?,
        time: Date?, detail: String? = nil
    ) -> UInt64 {
        let report = DeviceReport(
            serialNumber: serialNumber, event: event, verifyMode: verifyMode ?? VerifyMode.other.rawValue,
            door: door.map(DoorID.init), pin: pin.flatMap { $0.isEmpty ? nil : UserPIN($0) },
            card: card.flatMap { $0.isEmpty || $0 == "0" ? nil : $0 }, detail: detail)
        return emitJournalled(.device(report), at: time ?? now, source: .push(deviceSN: serialNumber))
    }
}
