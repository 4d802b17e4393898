import AccessControl
import Foundation
import Logging
import PushProtocol
import PushServer
import Storage

/// Events uploaded by PUSH devices enter the site's journal, tagged with the device serial, once they are durable
/// in the PUSH server's tables. The journal time is the arrival time; the device's own timestamp (its clock may be
/// wrong) is kept in the detail.
struct SiteDeviceEventSink: DeviceEventSink {
    let site: Site
    let store: PushServerStore
    let journal: DoorModelStore
    let logger: Logger

    func deviceEventsStored(_ events: [DeviceEvent]) async {
        for stored in events { await record(stored) }
        // Durable before acknowledged: the device gets its 200 (and moves its cursor) only once the journal
        // holds these entries; then the rows are marked, so a restart does not publish them again.
        do {
            try await site.flush()
            try store.markJournaled(events.map(\.id))
        } catch {
            // Left unmarked, the rows are published at the next start (recovery checks the journal first).
            logger.error("device events not confirmed in the journal", metadata: ["error": "\(error)"])
        }
    }

    private func record(_ stored: DeviceEvent) async {
        guard case .event(let event) = stored.row, let code = event.eventCode else { return }
        let deviceTime = event.record["time"] ?? ""
        let detail = deviceTime.isEmpty ? stored.journalMarker : "device time \(deviceTime); \(stored.journalMarker)"
        await site.recordDeviceEvent(
            serialNumber: stored.serialNumber, event: code, verifyMode: event.verifyMode?.rawValue,
            door: event.eventAddress, pin: event.pin, card: event.cardNumberText, time: nil, detail: detail)
    }

    /// At start, before devices connect: rows a crash left between the PUSH tables and the journal. Each is journaled
    /// unless its entry made it (found by its marker), then marked. Returns how many were journaled now.
    func recover(pageSize: Int = 1000) async throws -> Int {
        var journaled = 0
        var cursor: Int64 = 0
        while true {
            let (pending, lastID) = try store.unjournaledEvents(after: cursor, limit: pageSize)
            guard let lastID else { break }
            cursor = lastID
            for stored in pending where !(try await journal.journalHasDeviceEntry(serialNumber: stored.serialNumber, marker: stored.journalMarker)) {
                if case .event(let event) = stored.row, event.eventCode != nil { journaled += 1 }
                await record(stored)
            }
            try await site.flush()
            try store.markJournaled(pending.map(\.id))
        }
        return journaled
    }
}

/// Remote identification (`AuthType=device`): the device asks; the door engine and the site's credential hook
/// decide as for a local reader. A decision that takes longer than the device waits answers TIMEOUT.
struct SiteRemoteIdentifier: RemoteIdentifier {
    let site: Site
    let deadline: Duration

    func identify(serialNumber: String, event: RealtimeEvent) async -> RemoteIdentificationOutcome {
        let credential: Credential
        if let card = event.cardNumber {
            credential = .card(card)
        } else if let pin = event.pin, !pin.isEmpty {
            credential = .userID(UserPIN(pin), password: nil)
        } else {
            return RemoteIdentificationOutcome(result: .failed, tips: "No credential")
        }
        let door = event.eventAddress ?? 1
        guard let reader = await site.currentConfiguration.readers.first(where: { $0.door == DoorID(door) })?.id else {
            return RemoteIdentificationOutcome(result: .failed, tips: "Unknown door")
        }
        let decision: Decision? = await withTaskGroup(of: Decision?.self) { group in
            group.addTask { await site.present(credential, at: reader, source: .push(deviceSN: serialNumber)) }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let decision else { return RemoteIdentificationOutcome(result: .timeout) }
        guard decision.isGranted else {
            return RemoteIdentificationOutcome(result: .failed, tips: decision.denyReason?.rawValue)
        }
        return RemoteIdentificationOutcome(result: .success, door: door, openSeconds: 5, tips: "Welcome")
    }
}
