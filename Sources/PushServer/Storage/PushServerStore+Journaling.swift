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
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, sn, raw FROM push_event WHERE journaled = 0 ORDER BY id LIMIT ?", arguments: [limit]
            ).compactMap { row -> DeviceEvent? in
                // Rows were parsed before they were stored, so they parse again; one that somehow does not is skipped
                // rather than blocking every later row.
                guard let record = try? PushRecord.parse(row["raw"]) else { return nil }
                return DeviceEvent(serialNumber: row["sn"], id: row["id"], row: RealtimeRow(record: record))
            }
        }
    }
}

extension DeviceEvent {
    /// The text a journal entry made from this row carries, so recovery can tell it is already journaled.
    public var journalMarker: String { "push event #\(id)" }
}
