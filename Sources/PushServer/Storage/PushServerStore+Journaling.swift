import Foundation
import GRDB
import PushProtocol
import Storage

/// Exactly-once hand-over of device events to the site journal, across crashes.
///
/// The server stores a row (which makes a resend a replay) before the journal holds it. The journal adapter marks the
/// rows once its journal entries are durable; at start the host publishes the rows a crash left unmarked. The journal
/// entry names its row (`DeviceEvent.journalMarker`), so a crash between the journal write and the mark does not
/// publish it twice.
extension PushServerStore {
    /// The mark is a hint, committed without a sync: a mark lost to a power cut only means recovery looks the rows
    /// up in the journal again, and finds them there.
    public func markJournaled(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try writer.writeWithoutSync { db in
            let statement = try db.cachedStatement(sql: "UPDATE push_event SET journaled = 1 WHERE id = ?")
            for id in ids { try statement.execute(arguments: [id]) }
        }
    }

    /// Stored rows not yet marked journaled, oldest first.
    public func unjournaledEvents(limit: Int = 10_000) throws -> [DeviceEvent] {
        try unjournaledEvents(after: 0, limit: limit).events
    }

    /// One page of unmarked rows with ids above `after`, and the last id the page scanned (nil when none was left):
    /// the next page starts there. Rows were parsed before they were stored, so they parse again; one that somehow
    /// does not is left out of `events` but still moves the cursor, so it cannot hide the rows after it.
    public func unjournaledEvents(after: Int64, limit: Int) throws -> (events: [DeviceEvent], lastID: Int64?) {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, sn, raw FROM push_event WHERE journaled = 0 AND id > ? ORDER BY id LIMIT ?",
                arguments: [after, limit])
            let events = rows.compactMap { row -> DeviceEvent? in
                guard let record = try? PushRecord.parse(row["raw"]) else { return nil }
                return DeviceEvent(serialNumber: row["sn"], id: row["id"], row: RealtimeRow(record: record))
            }
            return (events, rows.last?["id"])
        }
    }
}

extension DeviceEvent {
    /// The text a journal entry made from this row carries, so recovery can tell it is already journaled.
    public var journalMarker: String { "push event #\(id)" }
}
