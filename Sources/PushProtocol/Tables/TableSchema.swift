/// The fields of each table, in the reference's order (§9.1.1 formats; for tables whose format the reference
/// only shows by example — mulcarduser, identitycard, timezone, templatev10, firstcard, multimcard,
/// ReaderProperty — the example's fields). Used to build records in wire order and to tell which fields of a
/// received record the reference does not list (they are still carried, never dropped).
extension PushTable {
    public var referenceFields: [String] {
        switch self {
        case .user: ["CardNo", "Pin", "Password", "Group", "StartTime", "EndTime", "Name", "Privilege"]
        case .extuser: ["Pin", "FunSwitch", "FirstName", "LastName", "PersonalVS"]
        case .mulcarduser: ["Pin", "CardNo", "LossCardFlag", "CardType", "CardBit", "SiteCode", "IMIE"]
        case .identitycard: ["Pin", "SN_Num", "ID_Num", "DN_Num", "Name", "Gender", "Nation", "Birthday", "ValidInfo", "Address", "AdditionalInfo", "Issuer", "Photo", "PhotoJPG", "FP_Template1", "FP_Template2", "Reserve", "Notice"]
        case .userauthorize: ["Pin", "AuthorizeTimezoneId", "AuthorizeDoorId", "DevID", "StartTime", "EndTime"]
        case .holiday: ["Holiday", "HolidayType", "Loop"]
        case .timezone: ["TimezoneId", "SunTime1", "SunTime2", "SunTime3", "MonTime1", "MonTime2", "MonTime3", "TueTime1", "TueTime2", "TueTime3", "WedTime1", "WedTime2", "WedTime3", "ThuTime1", "ThuTime2", "ThuTime3", "FriTime1", "FriTime2", "FriTime3", "SatTime1", "SatTime2", "SatTime3", "Hol1Time1", "Hol1Time2", "Hol1Time3", "Hol2Time1", "Hol2Time2", "Hol2Time3", "Hol3Time1", "Hol3Time2", "Hol3Time3"]
        case .templatev10: ["Pin", "FingerID", "Valid", "Size", "Template"]
        case .firstcard: ["DoorID", "TimezoneID", "Pin", "DevID"]
        case .multimcard: ["Index", "DoorId", "Group1", "Group2", "Group3", "Group4", "Group5", "DevID"]
        case .inoutfun: ["Index", "EventType", "InAddr", "OutType", "OutAddr", "OutTime", "Reserved", "InDevID", "OutDevID"]
        case .outrelaysetting: ["Num", "OutType", "ActionType", "TimezoneId", "DevID"]
        case .dstSetting: ["Year", "StartTime", "EndTime", "Loop"]
        case .devProperty: ["ID", "Type", "BusType", "MachineType", "Address", "Mac", "IPAddress", "SN", "IsMaster"]
        case .devParameters: ["ID", "Name", "Value"]
        case .doorProperty: ["ID", "DevID", "Address", "Disable"]
        case .doorParameters: ["ID", "Name", "Value", "DevID"]
        case .readerProperty: ["ID", "DoorID", "Type", "Address", "IPAddress", "Port", "MAC", "InOut", "Disable", "VerifyType"]
        case .readerParameters: ["ID", "DevID", "Name", "Value"]
        case .auxIn: ["ID", "DevID", "Address", "Disable"]
        case .auxOut: ["ID", "DevID", "Address", "Disable"]
        case .defaultWGFormat: ["ID", "CardBit", "SiteCode", "FormatName", "CardFormat"]
        case .wgFormat: ["ID", "CardBit", "SiteCode", "FormatName", "CardFormat"]
        case .readerWGFormat: ["ReaderID", "DevID", "WGFormatID", "ParityVerifyDisable", "ReversalType"]
        case .inputIOSetting: ["Number", "InType", "TimeZoneId", "DevID"]
        case .diffTimezoneVS: ["TimezoneID", "SunTime1", "SunTime1VSUser", "SunTime1VSDoor", "SunTime2", "SunTime2VSUser", "SunTime2VSDoor", "SunTime3", "SunTime3VSUser", "SunTime3VSDoor", "MonTime1", "MonTime1VSUser", "MonTime1VSDoor", "MonTime2", "MonTime2VSUser", "MonTime2VSDoor", "MonTime3", "MonTime3VSUser", "MonTime3VSDoor", "TueTime1", "TueTime1VSUser", "TueTime1VSDoor", "TueTime2", "TueTime2VSUser", "TueTime2VSDoor", "TueTime3", "TueTime3VSUser", "TueTime3VSDoor", "WedTime1", "WedTime1VSUser", "WedTime1VSDoor", "WedTime2", "WedTime2VSUser", "WedTime2VSDoor", "WedTime3", "WedTime3VSUser", "WedTime3VSDoor", "ThuTime1", "ThuTime1VSUser", "ThuTime1VSDoor", "ThuTime2", "ThuTime2VSUser", "ThuTime2VSDoor", "ThuTime3", "ThuTime3VSUser", "ThuTime3VSDoor", "FriTime1", "FriTime1VSUser", "FriTime1VSDoor", "FriTime2", "FriTime2VSUser", "FriTime2VSDoor", "FriTime3", "FriTime3VSUser", "FriTime3VSDoor", "SatTime1", "SatTime1VSUser", "SatTime1VSDoor", "SatTime2", "SatTime2VSUser", "SatTime2VSDoor", "SatTime3", "SatTime3VSUser", "SatTime3VSDoor", "Hol1Time1", "Hol1Time1VSUser", "Hol1Time1VSDoor", "Hol1Time2", "Hol1Time2VSUser", "Hol1Time2VSDoor", "Hol1Time3", "Hol1Time3VSUser", "Hol1Time3VSDoor", "Hol2Time1", "Hol2Time1VSUser", "Hol2Time1VSDoor", "Hol2Time2", "Hol2Time2VSUser", "Hol2Time2VSDoor", "Hol2Time3", "Hol2Time3VSUser", "Hol2Time3VSDoor", "Hol3Time1", "Hol3Time1VSUser", "Hol3Time1VSDoor", "Hol3Time2", "Hol3Time2VSUser", "Hol3Time2VSDoor", "Hol3Time3", "Hol3Time3VSUser", "Hol3Time3VSDoor"]
        case .doorVSTimezone: ["DoorID", "TimezoneID", "DevID"]
        case .personalVSTimezone: ["PIN", "DoorID", "TimezoneID", "DevID"]
        case .superAuthorize: ["Pin", "DoorID", "DevID"]
        case .userpic: ["pin", "size", "format", "url", "content"]
        case .biophoto: ["PIN", "Type", "Size", "Content", "Format", "Url", "PostBackTmpFlag"]
        case .biodata: ["Pin", "No", "Index", "Valid", "Duress", "Type", "MajorVer", "MinorVer", "Format", "Tmp"]
        case .userleauthorize: ["Pin", "AuthorizeTimezoneId", "AuthorizeFloorId", "AuthorizeFloors", "DevID"]
        case .extBoard: ["ExtBoardID", "DevID", "DevType", "BusType", "Address", "Disable", "ReactType", "EntityID", "SeqNo"]
        case .gatepassrule: ["PasswayTimeZoneId", "SunTime1", "SunPassMode1", "SunTime2", "SunPassMode2", "SunTime3", "SunPassMode3", "SunTime4", "SunPassMode4", "SunTime5", "SunPassMode5", "MonTime1", "MonPassMode1", "MonTime2", "MonPassMode2", "MonTime3", "MonPassMode3", "MonTime4", "MonPassMode4", "MonTime5", "MonPassMode5", "TueTime1", "TuePassMode1", "TueTime2", "TuePassMode2", "TueTime3", "TuePassMode3", "TueTime4", "TuePassMode4", "TueTime5", "TuePassMode5", "WedTime1", "WedPassMode1", "WedTime2", "WedPassMode2", "WedTime3", "WedPassMode3", "WedTime4", "WedPassMode4", "WedTime5", "WedPassMode5", "ThuTime1", "ThuPassMode1", "ThuTime2", "ThuPassMode2", "ThuTime3", "ThuPassMode3", "ThuTime4", "ThuPassMode4", "ThuTime5", "ThuPassMode5", "FriTime1", "FriPassMode1", "FriTime2", "FriPassMode2", "FriTime3", "FriPassMode3", "FriTime4", "FriPassMode4", "FriTime5", "FriPassMode5", "SatTime1", "SatPassMode1", "SatTime2", "SatPassMode2", "SatTime3", "SatPassMode3", "SatTime4", "SatPassMode4", "SatTime5", "SatPassMode5"]
        case .ntpserverlist: ["ServerAddress"]
        case .contactInfo: ["ContactID", "Pin", "GroupName", "DisplayName", "PassCode"]
        case .contactNumberList: ["ContactID", "NumType", "Number", "Priority", "PatternID"]
        case .contactNumberPatternList: ["PatternID", "Pattern", "Strip", "Prepend"]
        case .deviceAuthorize: ["SN", "Online", "IsAuthorize", "AuthorizeInfo", "RegisterInfo"]
        case .transaction: ["cardno", "pin", "verified", "doorid", "eventtype", "inoutstate", "time_second", "index", "sitecode", "devid", "sn"]
        case .errorlog: ["errcode", "errmsg", "dataorigin", "cmdid", "additional"]
        case .attPhoto: ["pin", "sn", "size", "photo"]
        case .apList: ["ecn", "ssid", "rssi", "mac"]
        }
    }

    /// Builds a record with the reference's field order; keys the reference does not list follow, sorted, so the
    /// output is deterministic.
    public func record(_ values: [String: String]) -> PushRecord {
        var fields: [PushField] = []
        var remaining = values
        for name in referenceFields {
            if let value = remaining.removeValue(forKey: name) { fields.append(PushField(name, value)) }
        }
        for name in remaining.keys.sorted() { fields.append(PushField(name, remaining[name] ?? "")) }
        return PushRecord(fields: fields)
    }

    /// Keys of `record` that the reference does not list for this table (case-insensitive).
    public func unlistedFields(in record: PushRecord) -> [String] {
        let known = Set(referenceFields.map { $0.lowercased() })
        return record.fields.map(\.key).filter { !known.contains($0.lowercased()) }
    }
}

/// Builders for the server commands, so callers never assemble command text by hand.
extension ServerCommand {
    /// `DATA UPDATE <table> <records>`.
    public static func update(id: Int, _ table: PushTable, _ records: [PushRecord]) -> ServerCommand {
        ServerCommand(id: id, kind: .dataUpdate(table: .known(table), records: records))
    }

    /// `DATA DELETE <table> <cond>`; nil conditions delete everything (`*`).
    public static func delete(id: Int, _ table: PushTable, where conditions: PushRecord? = nil) -> ServerCommand {
        ServerCommand(id: id, kind: .dataDelete(table: .known(table), condition: conditions.map(DataCondition.fields) ?? .all))
    }

    /// `DATA COUNT <table> [<cond>]`.
    public static func count(id: Int, _ table: PushTable, where conditions: PushRecord? = nil) -> ServerCommand {
        ServerCommand(id: id, kind: .dataCount(table: .known(table), condition: conditions.map(DataCondition.fields) ?? .none))
    }

    /// `DATA QUERY tablename=<t>,fielddesc=*,filter=<conditions or *>`.
    public static func query(id: Int, _ table: PushTable, where conditions: PushRecord? = nil) -> ServerCommand {
        ServerCommand(id: id, kind: .dataQuery(DataQuery(table: .known(table), filter: conditions?.text ?? "*")))
    }

    /// `CONTROL DEVICE AABBCCDD[EE]`.
    public static func control(id: Int, _ action: ControlAction, operator operatorID: UInt8? = nil) -> ServerCommand {
        ServerCommand(id: id, kind: .controlDevice(ControlDeviceCommand(action: action, operator: operatorID)))
    }

    /// `SET OPTIONS k=v,…`.
    public static func setOptions(id: Int, _ options: PushOptionList) -> ServerCommand {
        ServerCommand(id: id, kind: .setOptions(options))
    }

    /// `SET OPTIONS DateTime=<Appendix 5 seconds>` for a clock value the caller supplies.
    public static func setTime(id: Int, _ time: PushDateTime) -> ServerCommand? {
        time.encodedSeconds.map { setOptions(id: id, PushOptionList(fields: [PushField("DateTime", String($0))])) }
    }

    /// `GET OPTIONS name,…`.
    public static func getOptions(id: Int, _ names: [String]) -> ServerCommand {
        ServerCommand(id: id, kind: .getOptions(names))
    }
}
