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
}
