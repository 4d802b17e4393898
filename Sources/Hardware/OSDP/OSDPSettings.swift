import AccessControl
import Foundation

/// `[osdp]`: the OSDP control panel on one RS-485 port.
public struct OSDPSettings: Sendable, Equatable {
    public var enabled = false
    /// The serial device (`/dev/ttyUSB0`).
    public var port: String?
    public var baudRate = 9600
    /// `"<reader id>@<OSDP address>"`, one per reader on the bus (`["1@0", "2@1"]`).
    public var readers: [String] = []
    /// The Secure Channel Base Key, 32 hex digits; every reader on the bus uses it. None: plain text.
    public var scbk: String?
    /// Readers may still hold the default key (SCBK-D) while they are being installed.
    public var installMode = false
    /// Digits typed without `#` are forgotten after this long.
    public var keypadTimeoutSeconds = 10
    /// Reader outputs driven as the site's relays: `"<relay id>@<reader id>/<output>"` (`["3@1/0"]`: relay 3 is
    /// output 0 of reader 1).
    public var outputs: [String] = []

    public init() {}

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var key: String
        public var reason: String
        public var description: String { "osdp.\(key): \(reason)" }
    }

    /// The readers as (site reader, peripheral), checked: a problem names the key.
    public func peripherals() throws(Problem) -> [(reader: ReaderID, peripheral: OSDPPeripheral)] {
        guard let port, !port.isEmpty else {
            throw Problem(key: "port", reason: "the serial device is required (e.g. /dev/ttyUSB0)")
        }
        guard SerialPort.baudRates[baudRate] != nil else {
            throw Problem(key: "baud", reason: "\(baudRate) is not an OSDP rate: use 9600, 19200, 38400, 57600, 115200 or 230400")
        }
        guard !readers.isEmpty else {
            throw Problem(key: "readers", reason: "list at least one reader as \"<reader id>@<OSDP address>\"")
        }
        let key = try scbkBytes()
        var result: [(ReaderID, OSDPPeripheral)] = []
        var addresses: Set<Int> = []
        var ids: Set<Int> = []
        for entry in readers {
            let parts = entry.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, let reader = Int(parts[0].trimmingCharacters(in: .whitespaces)),
                let address = Int(parts[1].trimmingCharacters(in: .whitespaces))
            else { throw Problem(key: "readers", reason: "'\(entry)' is not \"<reader id>@<OSDP address>\" (e.g. \"1@0\")") }
            guard (1...65_535).contains(reader) else {
                throw Problem(key: "readers", reason: "'\(entry)': reader id \(reader) is not 1–65535")
            }
            guard (0...126).contains(address) else {
                throw Problem(key: "readers", reason: "'\(entry)': OSDP address \(address) is not 0–126 (127 is broadcast)")
            }
            guard addresses.insert(address).inserted else {
                throw Problem(key: "readers", reason: "OSDP address \(address) is listed twice")
            }
            guard ids.insert(reader).inserted else { throw Problem(key: "readers", reason: "reader \(reader) is listed twice") }
            result.append(
                (
                    ReaderID(reader),
                    OSDPPeripheral(address: address, name: "reader \(reader)", scbk: key, installMode: installMode)
                ))
        }
        return result
    }

    /// The relays driven by reader outputs: relay → (peripheral index, output number), checked.
    public func relayOutputs() throws(Problem) -> [RelayID: (peripheral: Int, output: UInt8)] {
        let readers = try peripherals().map(\.reader)
        var result: [RelayID: (Int, UInt8)] = [:]
        for entry in outputs {
            let parts = entry.split(whereSeparator: { $0 == "@" || $0 == "/" }).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let relay = Int(parts[0]), let reader = Int(parts[1]), let output = Int(parts[2]) else {
                throw Problem(key: "outputs", reason: "'\(entry)' is not \"<relay id>@<reader id>/<output>\" (e.g. \"3@1/0\")")
            }
            guard (1...65_535).contains(relay) else {
                throw Problem(key: "outputs", reason: "'\(entry)': relay \(relay) is not 1–65535")
            }
            guard let index = readers.firstIndex(of: ReaderID(reader)) else {
                throw Problem(key: "outputs", reason: "'\(entry)': reader \(reader) is not in osdp.readers")
            }
            guard (0...15).contains(output) else {
                throw Problem(key: "outputs", reason: "'\(entry)': output \(output) is not 0–15")
            }
            guard result[RelayID(relay)] == nil else { throw Problem(key: "outputs", reason: "relay \(relay) is listed twice") }
            result[RelayID(relay)] = (index, UInt8(output))
        }
        return result
    }

    func scbkBytes() throws(Problem) -> [UInt8]? {
        guard let scbk else {
            guard !installMode else {
                throw Problem(key: "install_mode", reason: "install mode needs osdp.scbk, the key the readers are to get")
            }
            return nil
        }
        let hex = scbk.trimmingCharacters(in: .whitespaces)
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else {
            throw Problem(key: "scbk", reason: "the key must be 32 hex digits (16 bytes)")
        }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        // SCBK-D, the published default key, protects nothing outside install mode.
        guard bytes != Array(0x30...0x3F) else {
            throw Problem(key: "scbk", reason: "that is the published default key SCBK-D; choose a random key")
        }
        return bytes
    }
}
