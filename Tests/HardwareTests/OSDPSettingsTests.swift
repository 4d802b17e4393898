import AccessControl
import Hardware
import Testing

@Suite struct OSDPSettingsTests {
    static func settings(_ change: (inout OSDPSettings) -> Void) -> OSDPSettings {
        var settings = OSDPSettings()
        settings.enabled = true
        settings.port = "/dev/ttyUSB0"
        settings.readers = ["1@0", "2@1"]
        change(&settings)
        return settings
    }

    @Test("readers map site readers to OSDP addresses, with the key on each")
    func valid() throws {
        let settings = Self.settings { $0.scbk = "8A1F3C5E7B9D0246ACE13579BDF02468" }
        let peripherals = try settings.peripherals()
        #expect(peripherals.map(\.reader) == [ReaderID(1), ReaderID(2)])
        #expect(peripherals.map(\.peripheral.address) == [0, 1])
        #expect(peripherals[0].peripheral.scbk?.count == 16 && peripherals[0].peripheral.scbk?.first == 0x8A)
        #expect(peripherals[1].peripheral.installMode == false)
    }

    @Test("outputs map relays to a reader's output")
    func outputs() throws {
        let settings = Self.settings { $0.outputs = ["3@2/1", " 4 @ 1 / 0 "] }
        let outputs = try settings.relayOutputs()
        #expect(outputs[RelayID(3)]?.peripheral == 1 && outputs[RelayID(3)]?.output == 1)
        #expect(outputs[RelayID(4)]?.peripheral == 0 && outputs[RelayID(4)]?.output == 0)
    }

    /// (setting, value, key the error must name); the value is applied by `apply`.
    static let wrong: [(String, String, String)] = [
        ("port", "", "port"), ("baud", "14400", "baud"), ("readers", "", "readers"), ("readers", "1@127", "readers"),
        ("readers", "1@-1", "readers"), ("readers", "0@1", "readers"), ("readers", "1@1,1@2", "readers"),
        ("readers", "1:1", "readers"), ("scbk", "not hex at all, thirty-two chars", "scbk"),
        ("scbk", "0011223344556677", "scbk"), ("scbk", "303132333435363738393A3B3C3D3E3F", "scbk"),
        ("install_mode", "true", "install_mode"),
    ]

    static func apply(_ setting: String, _ value: String, to settings: inout OSDPSettings) {
        switch setting {
        case "port": settings.port = value
        case "baud": settings.baudRate = Int(value) ?? 0
        case "readers": settings.readers = value.isEmpty ? [] : value.split(separator: ",").map(String.init)
        case "scbk": settings.scbk = value
        default: settings.installMode = value == "true"
        }
    }

    @Test("each wrong value names its key", arguments: wrong)
    func invalid(setting: String, value: String, key: String) {
        let settings = Self.settings { Self.apply(setting, value, to: &$0) }
        do {
            _ = try settings.peripherals()
            Issue.record("\(setting) = \(value) accepted")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("bad outputs name osdp.outputs", arguments: ["3@9/0", "3@1/16", "x@1/0", "3@1", "0@1/0"])
    func invalidOutputs(entry: String) {
        do {
            _ = try Self.settings { $0.outputs = [entry] }.relayOutputs()
            Issue.record("\(entry) accepted")
        } catch {
            #expect(error.key == "outputs")
        }
    }
}
