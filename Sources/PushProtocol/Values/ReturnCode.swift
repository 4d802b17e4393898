/// A command result code (`Return=` of a devicecmd result): Appendix 1 plus codes real firmware sends
/// (-1002 invalid command syntax, -1004 table/feature not supported; -629 is in Appendix 1 as "Incorrect table name").
///
/// Any integer is representable: unknown codes keep their value and get a generic description.
public struct PushReturnCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// Zero and positive values mean success (positive values often carry a count).
    public var isSuccess: Bool { rawValue >= 0 }

    /// Whether Appendix 1 (or the field list above) names this code.
    public var isDocumented: Bool { rawValue >= 0 || Self.descriptions[rawValue] != nil }

    public var description: String {
        if rawValue >= 0 { return "Successful" }
        return Self.descriptions[rawValue] ?? "Undocumented return code \(rawValue)"
    }

    public static let success = PushReturnCode(0)
    public static let invalidCommandSyntax = PushReturnCode(-1002)
    public static let notSupported = PushReturnCode(-1004)
    public static let incorrectTableName = PushReturnCode(-629)

    static let descriptions: [Int: String] = [
        -1: "Failed to send the command",
        -2: "No response to the command",
        -3: "Insufficient cache",
        -4: "Failed to decompress",
        -5: "Incorrect length of read data",
        -6: "The length after decompression does not meet the required one",
        -7: "Repeated command",
        -8: "Unauthorized connection",
        -9: "Incorrect data. CRC failed",
        -10: "Incorrect data. Failed to resolve data API",
        -11: "Incorrect data parameter",
        -12: "Command execution error",
        -13: "Incorrect command. The command does not exist",
        -14: "Incorrect communication password",
        -15: "Failed to write the file",
        -16: "Failed to read the file",
        -17: "The file does not exist",
        -18: "The device has insufficient space",
        -19: "Checksum error",
        -20: "The length of the received data is inconsistent with the specified data length",
        -21: "No platform parameter is set on the device",
        -22: "The received firmware platform for upgrade is not same to the local platform",
        -23: "The firmware version for upgrade is earlier than that in the device",
        -24: "Incorrect flag of the upgrade file",
        -25: "The name of the received file for firmware upgrade is not emfw.cfg",
        -26: "The length of the received fingerprint template is 0",
        -27: "The PIN of the received fingerprint template is incorrect. Failed to find the user.",
        -28: "Door opening command is executed during the open time period.",
        -30: "The integrated template algorithm's version is inconsistent",
        -100: "The table structure does not exist",
        -101: "The conditional field in the table structure does not exist",
        -102: "The total field count is inconsistent",
        -103: "The field sequence is inconsistent",
        -104: "Incorrect real-time event data",
        -105: "Incorrect data for resolution",
        -106: "The size of the delivered data exceeds 4 MB",
        -107: "Failed to get the table structure",
        -108: "Invalid OPTIONS",
        -201: "LoadLibrary failed",
        -202: "Failed to call the interface",
        -203: "Communication initialization failed",
        -206: "Failed to start the serial port agent program. A general cause is that the serial port does not exist or has been occupied",
        -301: "Failed to get the TCP/IP version",
        -601: "Reserved. For firmware internal use only",
        -603: "Internal error: invalid handle",
        -604: "Insufficient memory",
        -609: "Internal error: invalid handle",
        -612: "The device failed to save the parameter",
        -614: "Failed to remotely cancel the alarm",
        -615: "Remote restart failed",
        -616: "Remotely enabling or canceling normal open failed",
        -618: "Incorrect URL format",
        -619: "Firmware internal error: blank input parameter",
        -620: "The format of the data delivered by the server is incorrect",
        -621: "The table structure does not support this field",
        -628: "Main failed to load the fingerprint to the memory",
        -629: "Incorrect table name",
        -630: "Failed to execute the shell command",
        -631: "Incorrect base64 length",
        -632: "Incorrect file name",
        -701: "Reserved. For firmware internal use only",
        -702: "Reserved. For firmware internal use only",
        -703: "Reserved. For firmware internal use only",
        -704: "Reserved. For firmware internal use only",
        -705: "Reserved. For firmware internal use only",
        -706: "Reserved. For firmware internal use only",
        -707: "Reserved. For firmware internal use only",
        -708: "The firmware does not support this command",
        -709: "Failed to upload options",
        -720: "Failed to upgrade the firmware",
        -721: "The device downloads the file",
        -722: "Failed to upload the data to the software",
        -723: "Reserved. For firmware internal use only",
        -724: "Reserved. For firmware internal use only",
        -725: "It times out when the device waits for the result",
        -726: "The server returns an HTTP error",
        -727: "Reserved. For firmware internal use only",
        -728: "Failed to upload the number of table data entries",
        -729: "Reserved. For firmware internal use only",
        -730: "No response from the server",
        -731: "An error occurs when the server receives the data",
        -732: "Reserved. For firmware internal use only",
        -801: "Incorrect command format. The correct format is cmd:SN:command",
        -1002: "Invalid command syntax (seen on real devices)",
        -1004: "Table or feature not supported (seen on real devices)",
    ]
}
