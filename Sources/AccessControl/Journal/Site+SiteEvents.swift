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

    /// Records a SIP call's progress; answered, refused, dialled, failed and ended calls are journalled.
    @discardableResult
    public func report(_ call: CallReport) -> UInt64? {
        emit(.call(call), at: now, source: JournalSource(.sip, name: call.party))
    }

    /// Whether `caller` passes the DTMF allowlist (none / phonebook / all): the callers the door answers and whose
    /// relay codes open.
    public func dtmfCallerAllowed(_ caller: String) -> Bool {
        let settings = configuration.settings.dtmf
        return switch settings.whitelist {
        case .none: false
        case .phonebook: settings.phonebook.contains(caller)
        case .all: true
        }
    }

    /// `instant` in the site's local time, `YYYY-MM-DD HH:MM:SS`, as events carry it.
    public func localTimeText(at instant: Date) -> String { local(instant).formatted }

    /// The relays' DTMF codes, so a SIP call can end a digit sequence as soon as it matches one.
    public var dtmfCodes: Set<String> { Set(relays.values.compactMap(\.relay.dtmfCode)) }

    /// Records a hardware reader's supervision report (offline and tamper are alarms), with the reader's door.
    @discardableResult
    public func report(_ change: ReaderReport.Change, reader: ReaderID, detail: String) -> UInt64 {
        let door = readers[reader]?.door
        return emitJournalled(
            .reader(ReaderReport(reader: reader, door: door, change: change, detail: detail)), at: now, source: .local)
    }
}
