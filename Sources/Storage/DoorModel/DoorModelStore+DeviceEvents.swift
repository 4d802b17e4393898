import AccessControl
import Foundation
import GRDB

extension DoorModelStore {
    /// Whether the journal already holds an entry from PUSH device `serialNumber` whose detail contains `marker`:
    /// how crash recovery tells a device event that reached the journal from one that did not.
    public func journalHasDeviceEntry(serialNumber: String, marker: String) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM access_journal WHERE source_kind = ? AND source_name = ? AND instr(detail, ?) > 0)
                    """,
                arguments: [JournalSource.Kind.push.rawValue, serialNumber, marker]) ?? false
        }
    }
}
