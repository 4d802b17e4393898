import AccessControl
import PushProtocol

/// Journal entries as the rtlog rows of §7.2.
public enum JournalUpload {
    /// The row for one entry: time (site local), pin, cardno, eventaddr (door), event, inoutstatus, verifytype,
    /// index (the journal index, unique on this device).
    public static func record(for entry: JournalEntry) -> PushRecord {
        let event = RealtimeEvent(record: PushRecord(fields: [
            PushField("time", entry.localTime), PushField("pin", entry.pin?.rawValue ?? "0"),
            PushField("cardno", entry.card ?? "0"), PushField("eventaddr", String(entry.door?.rawValue ?? 0)),
            PushField("event", String(entry.event)), PushField("inoutstatus", String(entry.direction?.rawValue ?? 2)),
            PushField("verifytype", String(entry.verifyMode)), PushField("index", String(entry.index)),
        ]))
        return event.record
    }

    /// An rtlog upload of entries.
    public static func request(serialNumber: String, entries: [JournalEntry]) -> PushRequest {
        PushRequest(
            method: .post, endpoint: .cdata,
            query: PushQuery(items: [PushField("SN", serialNumber), PushField("table", "rtlog")]),
            message: .realtimeLog(entries.map { .event(RealtimeEvent(record: record(for: $0))) }))
    }
}
