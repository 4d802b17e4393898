/// The `[upstream]` section: Gatehouse as a PUSH device (controller role) of an upstream server such as
/// ZKBioSecurity or another Gatehouse.
public struct UpstreamSettings: Sendable, Equatable {
    public var enabled = false
    /// `http://host:port` (or `https://`) of the upstream PUSH server.
    public var server: String?
    /// The serial number this controller registers with.
    public var serialNumber: String?
    public var deviceName = "Gatehouse"
    /// Local door IDs exposed upstream, in upstream order (upstream door 1 is the first); empty means every door.
    public var doors: [Int] = []
    /// Local reader IDs whose events go up; empty means every reader of an exposed door.
    public var readers: [Int] = []
    /// The longest wait between attempts after failures, in seconds (the server's ErrorDelay doubles up to it).
    public var maximumRetrySeconds = 600

    public init() {}

    /// Rules across the section's keys, checked once every configuration layer is applied.
    public func validate() throws(ConfigurationError) {
        guard enabled else { return }
        func problem(_ key: String, _ reason: String) -> ConfigurationError {
            ConfigurationError(source: "configuration", line: nil, key: "upstream.\(key)", reason: reason)
        }
        guard let server, !server.isEmpty else { throw problem("server", "required when upstream.enabled = true") }
        let lowered = server.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw problem("server", "expected an http:// or https:// URL, got '\(server)'")
        }
        guard let serialNumber, !serialNumber.isEmpty else { throw problem("serial_number", "required when upstream.enabled = true") }
        guard serialNumber.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "=") }) else {
            throw problem("serial_number", "printable ASCII without spaces, & or = (it travels in URLs)")
        }
        for door in doors where !(1...64).contains(door) { throw problem("doors", "door \(door) is outside 1…64") }
        if Set(doors).count != doors.count { throw problem("doors", "a door is listed twice") }
    }
}
