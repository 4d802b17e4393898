import AccessControl
import Foundation
import HTTPAPI
import Outbound

/// "Execute if the input is still triggered" asks the door engine at fire time.
struct SiteInputStates: InputStateReader {
    let site: Site

    func isTriggered(input: String) async -> Bool {
        guard let number = Int(input) else { return false }
        return (try? await site.isInputActive(InputID(number))) ?? false
    }
}

/// The outbox behind `GET /api/v1/actions` and `POST /api/v1/actions/{id}/retry`.
struct OutboxActionQueue: ActionQueue {
    let outbox: Outbox

    var states: [String] { OutboxState.allCases.map(\.rawValue) }

    /// Entries encode their own times; sorted keys keep the listing diffable.
    static func encode(_ entry: OutboxEntry) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(entry)
    }

    func list(state: String?, limit: Int) async throws -> [Data] {
        try await outbox.entries(state: state.flatMap(OutboxState.init(rawValue:)), limit: limit).map(Self.encode)
    }

    func retry(id: Int64) async throws -> Data? {
        let entry: OutboxEntry
        do {
            entry = try await outbox.retry(id: id)
        } catch {
            switch error {
            case .notFound: return nil
            case .notRetryable: throw ActionQueueConflict(error.description)
            default: throw error
            }
        }
        return try Self.encode(entry)
    }
}
