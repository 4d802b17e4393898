import AccessControl
import Foundation
import Logging
import PushProtocol
import PushServer
import Storage
import Testing

@testable import Gatehouse

/// A crash between the PUSH server's tables and the site journal must neither lose a device event (the device's
/// resend is a replay by then) nor journal it twice (its entry may have been written before the crash).
@Suite("Device event recovery")
struct DeviceEventRecoveryTests {
    @Test("rows stored but not journaled are journaled once at start; rows whose entry made it are only marked")
    func recoversExactlyOnce() async throws {
        let directory = try temporaryDirectory()
        let database = try GatehouseStore.open(directory: directory.path)
        let doorStore = DoorModelStore(writer: database.pool)
        let site = try await Site.load(
            clock: SystemClock(), relayDriver: VirtualRelayDriver(), userDirectory: doorStore, stateStore: doorStore,
            journalSink: doorStore)
        let push = PushServerStore(writer: database.pool)
        let rows = try (1...3).map { index in
            RealtimeRow(
                record: try PushRecord.parse(
                    "time=2026-11-21 10:00:0\(index)\tpin=0\tcardno=0\teventaddr=1\tevent=27\tinoutstatus=0\tverifytype=200\tindex=\(index)"
                ))
        }
        // The crash: the PUSH tables hold three rows; the journal got the first one's entry but no row was marked.
        let stored = try push.storeRealtime("REC1", rows: rows, now: Date())
        #expect(stored.count == 3)
        await site.recordDeviceEvent(
            serialNumber: "REC1", event: 27, verifyMode: 200, door: 1, pin: nil, card: nil, time: nil,
            detail: "device time 2026-11-21 10:00:01; \(stored[0].journalMarker)")
        try await site.flush()

        let sink = SiteDeviceEventSink(site: site, store: push, journal: doorStore, logger: Logger(label: "test"))
        #expect(try await sink.recover() == 2)

        let fromDevice = try await site.journal(indices: 1...1000).filter { $0.source == .push(deviceSN: "REC1") }
        #expect(fromDevice.count == 3)
        for event in stored {
            #expect(fromDevice.filter { $0.detail?.contains(event.journalMarker) == true }.count == 1, "\(event.journalMarker)")
        }
        #expect(try push.unjournaledEvents().isEmpty)
        #expect(try await sink.recover() == 0, "a second start finds nothing to do")
        // A resend after the restart is a replay: stored nothing new.
        #expect(try push.storeRealtime("REC1", rows: rows, now: Date()).isEmpty)
    }
}
