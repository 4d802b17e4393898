import AccessControl
import Foundation

/// Conveniences the REST API needs, built on the door engine's public API only. Each runs on the site actor in one
/// step, so configuration and live state in one answer agree.
extension Site {
    /// Feeds an input as active or inactive, whatever its trigger level.
    func setInput(_ id: InputID, active: Bool) throws {
        guard let input = currentConfiguration.inputs.first(where: { $0.id == id }) else {
            throw ModelError(field: "input \(id)", rule: .notFound)
        }
        let inactive: Level = input.triggerLevel == .low ? .high : .low
        try self.input(id, level: active ? input.triggerLevel : inactive)
    }

    func entryReader(of door: DoorID) -> ReaderID? {
        let readers = currentConfiguration.readers
        return (readers.first { $0.door == door && $0.direction == .entry } ?? readers.first { $0.door == door })?.id
    }

    /// `POST /api/v1/access` in one turn on the site: the reader (given, or the door's entry reader), the
    /// decision, and the wait until its journal entry is stored. One hop instead of three keeps the decision's
    /// latency flat when many clients present at once.
    func presentDurably(_ credential: Credential, reader: Int?, door: Int?) async throws -> Decision {
        let target: ReaderID
        if let reader {
            target = ReaderID(reader)
            // A reader belongs to one door: naming another is a mistake to point out, not to decide for either.
            if let door, let readerDoor = currentConfiguration.readers.first(where: { $0.id == target })?.door,
                readerDoor != DoorID(door)
            {
                throw unprocessable("reader \(reader) belongs to door \(readerDoor), not door \(door)", field: "reader")
            }
        } else if let door {
            guard let entry = entryReader(of: DoorID(door)) else {
                throw APIError(.notFound, code: "not_found", message: "door \(door) has no entry reader", field: "door")
            }
            target = entry
        } else {
            throw unprocessable("give the reader or the door", field: "reader")
        }
        let decision = await present(credential, at: target, source: .api())
        try await flush()
        return decision
    }

    func doorResources() -> [DoorResource] {
        currentConfiguration.doors.sorted { $0.id < $1.id }.compactMap { door in
            (try? status(of: door.id)).map { DoorResource(door, $0) }
        }
    }

    func doorResource(_ id: DoorID) -> DoorResource? {
        guard let door = currentConfiguration.doors.first(where: { $0.id == id }), let state = try? status(of: id) else {
            return nil
        }
        return DoorResource(door, state)
    }

    func relayResources() -> [RelayResource] {
        currentConfiguration.relays.sorted { $0.id < $1.id }.compactMap { relay in
            (try? relayOutput(relay.id)).map { RelayResource(relay: relay, output: $0) }
        }
    }

    func relayResource(_ id: RelayID) -> RelayResource? {
        guard let relay = currentConfiguration.relays.first(where: { $0.id == id }), let output = try? relayOutput(id) else {
            return nil
        }
        return RelayResource(relay: relay, output: output)
    }

    func inputResources() -> [InputResource] {
        currentConfiguration.inputs.sorted { $0.id < $1.id }.compactMap { input in
            (try? isInputActive(input.id)).map { InputResource(input: input, isActive: $0) }
        }
    }

    func inputResource(_ id: InputID) -> InputResource? {
        guard let input = currentConfiguration.inputs.first(where: { $0.id == id }), let active = try? isInputActive(id) else {
            return nil
        }
        return InputResource(input: input, isActive: active)
    }

    /// Deletes a timezone no user authorisation refers to. The door model checks doors and first-card rules itself
    /// but not users (a user's authorisation to a missing timezone simply never opens), so the API refuses here
    /// rather than leave users with authorisations that silently stopped working. The scan and the start of the
    /// delete run in one step on the actor.
    func deleteUnreferencedTimezone(_ id: TimezoneID, noun: String) async throws {
        var offset = 0
        while true {
            let page = users(offset: offset, limit: 1000)
            if page.isEmpty { break }
            if let user = page.first(where: { $0.authorisations.contains { $0.timezone == id } }) {
                throw APIError(
                    .conflict, code: "in_use",
                    message: "\(noun) \(id) is still referenced by an authorisation of user \(user.pin); change or delete that first")
            }
            offset += page.count
        }
        try await deleteTimezone(id)
    }
}
