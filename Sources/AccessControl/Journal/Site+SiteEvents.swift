import Foundation

extension Site {
    /// The journal code of Gatehouse's own site events (script errors and reloads, `journal.emit`, script alarms).
    /// It is outside the PUSH event codes of Appendix 2, so PUSH uploads can tell these apart.
    public static let siteEventCode = 1000

    /// Records a site event named `name` (e.g. `script.error`, `parcel.delivered`) with a free-form detail.
    @discardableResult
    public func recordSiteEvent(_ name: String, detail: String? = nil, source: JournalSource) -> UInt64 {
        emitJournalled(.note(SiteNote(name: name, detail: detail)), at: now, source: source)
    }

    /// Records a hardware reader's supervision report (offline and tamper are alarms), with the reader's door.
    @discardableResult
    public func report(_ change: ReaderReport.Change, reader: ReaderID, detail: String) -> UInt64 {
        let door = readers[reader]?.door
        return emitJournalled(
            .reader(ReaderReport(reader: reader, door: door, change: change, detail: detail)), at: now, source: .local)
    }
}
