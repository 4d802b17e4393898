import AccessControl
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Akuvox `userdata.xml` and `DoorSchedule.xml` (the two files of `UserData.tgz`, as the E18C exports them):
///
/// ```xml
/// <UserData>
///   <Data ID="1" UserID="1" Name="…" WebRelay="0" Floor="0" … Schedule-Relay="1001-1;" Schedule-SRelay="">
///     <Pin Code="" />
///   </Data>
/// </UserData>
/// <Schedule>
///   <Data ID="1" ScheduleID="1001" Name="Always" Type="2" Date="" Weekly="" Daily="00:00-23:59" />
/// </Schedule>
/// ```
///
/// Cards are `<Card Code="…" Type=""/>` children (the second generator's form). `Daily` is `HH:MM-HH:MM`; for the
/// other schedule types the research saw no example, so `Date` is written `YYYYMMDD-YYYYMMDD` and `Weekly` as the
/// weekday digits 0–6 (0 = Sunday), and both are read tolerantly.
enum AkuvoxXML {
    /// `Data` elements with their attributes and child elements' attributes.
    private final class Collector: NSObject, XMLParserDelegate {
        struct Element {
            var line: Int
            var attributes: [String: String]
            var children: [(name: String, attributes: [String: String])] = []
        }

        var root: String?
        var elements: [Element] = []
        private var depth = 0
        weak var parser: XMLParser?

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            depth += 1
            switch depth {
            case 1: root = name
            case 2 where name == "Data": elements.append(Element(line: parser.lineNumber, attributes: attributes))
            case 3: if !elements.isEmpty { elements[elements.count - 1].children.append((name, attributes)) }
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
        }

        /// The first error, where it was seen. Foundation runs libxml2 in recovery mode: `parse()` can return true
        /// after errors (an unquoted attribute, text after the root), with elements dropped, and its `parserError`
        /// is the last error, often a consequence of the first.
        var firstError: (code: Int, line: Int)?

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            if firstError == nil { firstError = ((parseError as NSError).code, parser.lineNumber) }
        }
    }

    /// libxml2's `xmlParserErrors` codes seen on damaged Akuvox files, each checked against a document that causes it
    /// (`TransferFuzzTests`). Others are reported by number.
    static let libxml2Errors: [Int: String] = [
        5: "the document does not end where it should (cut short, or text after its root element)",
        9: "a character that XML does not allow",
        26: "an entity that is not declared",
        39: "an attribute value without quotes",
        41: "an attribute without a value",
        42: "an attribute given twice in one element",
        68: "a name expected",
        76: "an end tag that does not match its start tag",
        80: "'--' inside a comment",
        89: "entities that expand too far (an entity loop or an amplification attack)",
    ]

    private static func collect(_ bytes: [UInt8], root: String, errors: inout [UserTransfer.RowError]) -> [Collector.Element]? {
        // Foundation's XMLParser traps (a force-unwrapped UTF-8 decode) when an element or attribute name, a comment
        // or a processing instruction is not UTF-8, which libxml2's recovery mode lets through: one damaged byte in
        // an uploaded file would end the host. So the bytes are checked first; Akuvox devices write UTF-8.
        if let line = UserTransfer.firstLineNotUTF8(bytes) {
            errors.append(.init(row: line, field: nil, message: "XML error: line \(line) is not UTF-8; save the file as UTF-8"))
            return nil
        }
        let parser = XMLParser(data: Data(bytes))
        let collector = Collector()
        parser.delegate = collector
        let parsed = parser.parse()
        if let (code, line) = collector.firstError
            ?? (parsed ? nil : ((parser.parserError as NSError?)?.code ?? 0, parser.lineNumber))
        {
            let what = libxml2Errors[code] ?? "not well-formed (libxml2 error \(code))"
            errors.append(.init(row: line, field: nil, message: "XML error: line \(line): \(what)"))
            return nil
        }
        guard collector.root == root else {
            errors.append(
                .init(row: 1, field: nil, message: "expected a <\(root)> document, found <\(collector.root ?? "nothing")>"))
            return nil
        }
        return collector.elements
    }

    static func parseUsers(_ bytes: [UInt8]) -> UserTransfer.Batch {
        var batch = UserTransfer.Batch()
        guard let elements = collect(bytes, root: "UserData", errors: &batch.errors) else { return batch }
        for element in elements {
            var record = element.attributes
            guard let pin = record["UserID"].flatMap({ $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }) else {
                batch.errors.append(.init(row: element.line, field: "UserID", message: "UserID is missing"))
                continue
            }
            record["ID"] = nil
            let cards = element.children.filter { $0.name == "Card" }.compactMap { $0.attributes["Code"] }.filter { !$0.isEmpty }
            if !cards.isEmpty {
                record["CardCode"] = ([record["CardCode"]].compactMap { $0 }.filter { !$0.isEmpty } + cards).joined(
                    separator: ";")
            }
            if let pinCode = element.children.first(where: { $0.name == "Pin" })?.attributes["Code"] {
                record["PrivatePIN"] = pinCode
            }
            batch.users.append((element.line, pin, .akuvox(record)))
        }
        return batch
    }

    static func parseSchedules(_ bytes: [UInt8]) -> UserTransfer.Batch {
        var batch = UserTransfer.Batch()
        guard let elements = collect(bytes, root: "Schedule", errors: &batch.errors) else { return batch }
        for element in elements {
            guard let record = scheduleRecord(element.attributes, row: element.line, errors: &batch.errors) else { continue }
            if let id = record["ID"], id == "1001" || id == "1002" { continue }
            batch.schedules.append((element.line, record))
        }
        return batch
    }

    /// A `DoorSchedule.xml` / `ScheduleData` row in the JSON API's schedule shape (ID, Type, TimeStart, Mon…).
    static func scheduleRecord(
        _ attributes: [String: String], row: Int, errors: inout [UserTransfer.RowError]
    ) -> AkuvoxUserMapping.Record? {
        var record: AkuvoxUserMapping.Record = [:]
        guard let id = attributes["ScheduleID"] ?? attributes["ID"], !id.isEmpty else {
            errors.append(.init(row: row, field: "ScheduleID", message: "ScheduleID is missing"))
            return nil
        }
        record["ID"] = id
        record["Name"] = attributes["Name"]
        record["Type"] = attributes["Type"] ?? "2"
        if let daily = attributes["Daily"], !daily.isEmpty {
            let times = daily.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard times.count == 2 else {
                errors.append(.init(row: row, field: "Daily", message: "'\(daily)' is not HH:MM-HH:MM"))
                return nil
            }
            record["TimeStart"] = times[0]
            record["TimeEnd"] = times[1]
        }
        if let weekly = attributes["Weekly"], !weekly.isEmpty {
            let days = Set(weekly.compactMap { Int(String($0)) })
            guard !days.isEmpty, days.allSatisfy({ (0...6).contains($0) }) else {
                errors.append(.init(row: row, field: "Weekly", message: "'\(weekly)' is not weekday digits 0–6 (0 = Sunday)"))
                return nil
            }
            for (key, index) in AkuvoxScheduleMapping.weekdayKeys { record[key] = days.contains(index) ? "1" : "0" }
        }
        if let date = attributes["Date"], !date.isEmpty {
            let parts = date.split(whereSeparator: { $0 == "-" || $0 == "~" || $0 == "," }).map { $0.filter(\.isNumber) }
            guard parts.count == 2 else {
                errors.append(.init(row: row, field: "Date", message: "'\(date)' is not YYYYMMDD-YYYYMMDD"))
                return nil
            }
            record["DateStart"] = parts[0]
            record["DateEnd"] = parts[1]
        }
        return record
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            default: out.append(character)
            }
        }
        return out
    }

    static func exportUsers(_ users: [User], configuration: SiteConfiguration) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<UserData>\n"
        for (index, user) in users.enumerated() {
            let floor = user.residence?.floor.isEmpty == false ? user.residence?.floor ?? "0" : "0"
            let scheduleRelay = AkuvoxUserMapping.scheduleRelay(user, configuration: configuration, trailing: true)
            out += "  <Data ID=\"\(index + 1)\" UserID=\"\(escape(user.pin.rawValue))\" Name=\"\(escape(user.name))\""
            out += " WebRelay=\"0\" Floor=\"\(escape(floor))\" Phone=\"\" Group=\"\" PriorityOfCall=\"0\" DialAccount=\"0\""
            out += " Schedule-Relay=\"\(escape(scheduleRelay))\" Schedule-SRelay=\"\">\n"
            out += "    <Pin Code=\"\(escape(user.privatePIN ?? ""))\" />\n"
            for card in user.cards { out += "    <Card Code=\"\(card.number.decimal)\" Type=\"\" />\n" }
            out += "  </Data>\n"
        }
        return out + "</UserData>\n"
    }

    static func scheduleCells(_ schedule: AkuvoxScheduleMapping.Schedule, index: Int) -> [String] {
        let daily = AkuvoxScheduleMapping.time(schedule.start) + "-" + AkuvoxScheduleMapping.time(schedule.end)
        let weekly = schedule.type == 1 ? schedule.weekdays.sorted().map(String.init).joined() : ""
        let date =
            schedule.type == 0 ? "\(schedule.dateStart?.pushValue ?? "")-\(schedule.dateEnd?.pushValue ?? "")" : ""
        return [String(index), String(schedule.id), schedule.name, String(schedule.type), date, weekly, daily]
    }

    static func exportSchedules(_ configuration: SiteConfiguration) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Schedule>\n"
        for (index, schedule) in AkuvoxScheduleMapping.schedules(of: configuration).enumerated() {
            let cells = scheduleCells(schedule, index: index + 1)
            out += "  <Data ID=\"\(cells[0])\" ScheduleID=\"\(cells[1])\" Name=\"\(escape(cells[2]))\" Type=\"\(cells[3])\""
            out += " Date=\"\(cells[4])\" Weekly=\"\(cells[5])\" Daily=\"\(cells[6])\" />\n"
        }
        return out + "</Schedule>\n"
    }
}
