import AccessControl
import Foundation
import GRDB

extension DoorModelStore {
    public func lastIndex() async throws -> UInt64 {
        try await writer.read { db in
            UInt64(max(0, try Int64.fetchOne(db, sql: "SELECT MAX(idx) FROM access_journal") ?? 0))
        }
    }

    public func append(_ entries: [JournalEntry]) async throws {
        guard !entries.isEmpty else { return }
        try writeInline { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO access_journal (idx, time, local_time, event, verify_mode, door_id, reader_id, direction,
                        pin, card, site_code, link_id, source_kind, source_name, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for entry in entries {
                guard entry.index <= UInt64(Int64.max) else {
                    throw ModelError(field: "journal index", rule: .range(min: 1, max: Int(Int64.max)))
                }
                try insert.execute(arguments: [
                    Int64(entry.index), entry.time.timeIntervalSince1970, entry.localTime, entry.event, entry.verifyMode,
                    entry.door?.rawValue, entry.reader?.rawValue, entry.direction?.rawValue, entry.pin?.rawValue, entry.card,
                    entry.siteCode, entry.linkID, entry.source.kind.rawValue, entry.source.name, entry.detail,
                ])
            }
        }
    }

    public func entries(indices: ClosedRange<UInt64>, limit: Int) async throws -> [JournalEntry] {
        let low = Int64(clamping: indices.lowerBound)
        let high = Int64(clamping: indices.upperBound)
        return try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM access_journal WHERE idx BETWEEN ? AND ? ORDER BY idx LIMIT ?",
                arguments: [low, high, max(0, limit)]
            ).map(DoorModelStore.journalEntry)
        }
    }

    public func entries(from: Date, to: Date, limit: Int) async throws -> [JournalEntry] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM access_journal WHERE time >= ? AND time < ? ORDER BY idx LIMIT ?",
                arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970, max(0, limit)]
            ).map(DoorModelStore.journalEntry)
        }
    }

    static func journalEntry(_ row: Row) -> JournalEntry {
        let door: Int? = row["door_id"]
        let reader: Int? = row["reader_id"]
        let direction: Int? = row["direction"]
        let pin: String? = row["pin"]
        let index: Int64 = row["idx"]
        return JournalEntry(
            index: UInt64(max(0, index)), time: Date(timeIntervalSince1970: row["time"]), localTime: row["local_time"],
            event: row["event"], verifyMode: row["verify_mode"], door: door.map(DoorID.init), reader: reader.map(ReaderID.init),
            direction: direction.flatMap(Direction.init(rawValue:)), pin: pin.map { UserPIN($0) }, card: row["card"],
            siteCode: row["site_code"], linkID: row["link_id"],
            source: JournalSource(JournalSource.Kind(rawValue: row["source_kind"]) ?? .local, name: row["source_name"]),
            detail: row["detail"])
    }
}
