/// The table names of §9.1 (DATA UPDATE/DELETE/COUNT/QUERY), of `tablename=` uploads (§7.5–§7.12) and of the
/// remote-identification and device-authorisation flows, spelled exactly as they travel.
///
/// Unknown names are never an error: messages carry a `PushTableName` (`.known` or `.other(String)`).
public enum PushTable: String, Sendable, CaseIterable, Codable {
    case user
    case extuser
    case mulcarduser
    case identitycard
    case userauthorize
    case holiday
    case timezone
    case templatev10
    case firstcard
    case multimcard
    case inoutfun
    case outrelaysetting
    case dstSetting = "DSTSetting"
    case devProperty = "DevProperty"
    case devParameters = "DevParameters"
    case doorProperty = "DoorProperty"
    case doorParameters = "DoorParameters"
    case readerProperty = "ReaderProperty"
    case readerParameters = "ReaderParameters"
    case auxIn = "AuxIn"
    case auxOut = "AuxOut"
    case defaultWGFormat = "DefaultWGFormat"
    case wgFormat = "WGFormat"
    case readerWGFormat = "ReaderWGFormat"
    case inputIOSetting = "InputIOSetting"
    case diffTimezoneVS = "DiffTimezoneVS"
    case doorVSTimezone = "DoorVSTimezone"
    case personalVSTimezone = "PersonalVSTimezone"
    case superAuthorize = "SuperAuthorize"
    case userpic
    case biophoto
    case biodata
    /// The elevator control privilege group (§9.1.1), spelled as the reference spells it.
    case userleauthorize
    /// Expansion board property and configuration (§9.1.1) share this name.
    case extBoard = "ExtBoardID"
    /// Time rule and passing mode of the channel controller.
    case gatepassrule
    case ntpserverlist
    case contactInfo = "contact_info"
    case contactNumberList = "contact_number_list"
    case contactNumberPatternList = "contact_number_pattern_list"
    case deviceAuthorize = "DeviceAuthorize"
    /// Access control records (DATA DELETE/QUERY transaction).
    case transaction
    case errorlog
    /// Attendance-style photo upload (§7.9).
    case attPhoto = "ATTPHOTO"
    /// Wi-Fi access point list (virtual table of `type=vmtable`).
    case apList = "APList"

    /// Exact-spelling lookup table (the synthesized `init(rawValue:)` compares against every case in turn).
    static let byName: [String: PushTable] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// Looks a name up case-sensitively first, then case-insensitively (firmware is inconsistent about `Pin`/`PIN`
    /// style casing; table names follow suit on some builds).
    public init?(name: String) {
        if let exact = PushTable.byName[name] {
            self = exact
            return
        }
        let lowered = name.lowercased()
        guard let match = PushTable.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else { return nil }
        self = match
    }
}

/// A table name as received: a known `PushTable` or any other name, carried through unchanged.
public enum PushTableName: Sendable, Hashable, Codable, CustomStringConvertible {
    case known(PushTable)
    case other(String)

    public init(_ text: String) {
        if let table = PushTable.byName[text] {
            self = .known(table)
        } else {
            self = .other(text)
        }
    }

    /// The name exactly as it travels.
    public var text: String {
        switch self {
        case .known(let table): table.rawValue
        case .other(let text): text
        }
    }

    public var description: String { text }
}
