import AccessControl
import Foundation

/// Conveniences the REST API needs, built on the door engine's public API only.
extension Site {
    func doorList() -> [DoorSnapshot] {
        currentConfiguration.doors.map(\.id).sorted().compactMap { try? status(of: $0) }
    }

    /// Feeds an input as active or inactive, whatever its trigger level.
    func setInput(_ id: InputID, active: Bool) throws {
        guard let input = currentConfiguration.inputs.first(where: { $0.id == id }) else {
            throw ModelError(field: "input \(id)", rule: .notFound)
        }
        let inactive: Level = input.triggerLevel == .low ? .high : .low
        try self.input(id, level: active ? input.triggerLevel : inactive)
    }

    func entryReader(of door: DoorID) -> ReaderID? {
        let readers = currentConfiguration.readers.filter { $0.door == door }
        return (readers.first { $0.direction == .entry } ?? readers.first)?.id
    }
}
