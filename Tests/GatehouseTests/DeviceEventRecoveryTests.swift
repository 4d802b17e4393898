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
    /// A host's stores on a fresh database: the door model (and its site) and the PUSH server's.
    static func host() async throws -> (GatehouseDatabase, DoorModelStore, Site, PushServerStore) {
        let database = try GatehouseStore.open(directory: try temporaryDirectory().path)
        let doorStore = DoorModelStore(writer: database.pool)
        let site = try await Site.load(
            clock: SystemClock(), relayDriver: VirtualRelayDriver(), userDirectory: doorStore, stateStore: doorStore,
            journalSink: doorStore)
        return (database, doorStore, site, PushServerStore(writer: database.pool))
    }

    @Test("rows stored but not journaled are journaled once at start; rows whose entry made it are only marked")
    func recoversExactlyOnce() async throws {
        let (_, doorStore, site, push) = try await Self.host()
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

    @Test("rows whose text no longer parses cannot hide the rows after them, however many there are")
    func unparseableRowsDoNotHideLaterOnes() async throws {
        let (database, doorStore, site, push) = try await Self.host()
        // More fields than a record may have: refused by the parser (such a row could only come from an older build).
        let garbage = (0...PushLimits.maximumFieldsPerRecord).map { "f\($0)=1" }.joined(separator: "\t")
        #expect((try? PushRecord.parse(garbage)) == nil, "the test needs text that does not parse")
        // More unparseable unmarked rows than one recovery page (2 here; 1,000 in the host), then a good one.
        try await database.pool.write { db in
            for number in 1...3 {
                try db.execute(
                    sql: """
                        INSERT INTO push_event (sn, kind, dedupe_key, time_text, time_valid, raw, received_at, journaled)
                        VALUES ('BAD1', 'event', ?, '', 0, ?, 0, 0)
                        """, arguments: ["bad\(number)", garbage])
            }
        }
        let good = try PushRecord.parse(
            "time=2026-11-21 10:00:01\tpin=0\tcardno=0\teventaddr=1\tevent=27\tinoutstatus=0\tverifytype=200\tindex=1")
        let stored = try push.storeRealtime("REC2", rows: [RealtimeRow(record: good)], now: Date())
        #expect(stored.count == 1)

        let sink = SiteDeviceEventSink(site: site, store: push, journal: doorStore, logger: Logger(label: "test"))
        #expect(try await sink.recover(pageSize: 2) == 1, "the good row behind a page and more of bad ones is journaled")
        let fromDevice = try await site.journal(indices: 1...1000).filter { $0.source == .push(deviceSN: "REC2") }
        #expect(fromDevice.count == 1)
    }
}
