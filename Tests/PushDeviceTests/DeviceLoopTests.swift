import AccessControl
import Foundation
import PushDevice
import PushProtocol
import PushServer
import Synchronization
import Testing

/// A sleeper that never sleeps: it records each wait the live loop asks for, lets the test act between rounds
/// (advance the clock, present a card), and ends the loop after the scripted steps.
final class ScriptedSleeper: DeviceSleeper, @unchecked Sendable {
    // @unchecked: `waits` is only touched under the mutex.
    private let waits = Mutex<[Double]>([])
    private let steps: [@Sendable () async -> Void]

    init(_ steps: [@Sendable () async -> Void]) { self.steps = steps }

    var requested: [Double] { waits.withLock { $0 } }

    func sleep(seconds: Double) async throws {
        let index = waits.withLock { waits in
            waits.append(seconds)
            return waits.count - 1
        }
        guard index < steps.count else { throw CancellationError() }
        await steps[index]()
    }
}

/// The live loop (`PushDeviceClient.run`) against a real Gatehouse server, time driven by a test clock.
@Suite struct DeviceLoopTests {
    @Test func pollsEveryRequestDelayAndUploadsInRealTime() async throws {
        let clock = AccessControl.TestClock()
        try await withGatehouseServer(clock: clock) { (live: LiveServer) async throws in
            let site = Site.defaultSite(clock: clock)
            try await site.upsert(User(pin: "1", cards: [Card(number: CardNumber(11))], authorisations: [Authorisation(timezone: 1, doors: .all)]))
            let sleeper = ScriptedSleeper([
                { _ = await site.present(.card(CardNumber(11)), at: ReaderID(1)) },
                { clock.advance(by: 2) },
            ])
            let looping = PushDeviceClient(
                identity: DeviceIdentity(serialNumber: "GHL1"), transport: try HTTPPushTransport(baseURL: live.url), site: site,
                cursor: PushDeviceCursorStore(writer: try makeDatabase(), upstream: live.url), sleeper: sleeper, now: { clock.now })
            await looping.run()
            // Online at once; the server's RequestDelay (2 s) until the next poll; a new entry goes up without
            // waiting for the poll (the clock did not move: the wait is what is left of the 2 s).
            #expect(sleeper.requested.count == 3)
            #expect(sleeper.requested.first == 2)
            #expect(sleeper.requested.dropFirst().first == 2)
            #expect(try live.server.store.events("GHL1").compactMap(\.card) == ["11"])
        }
    }

    @Test func backsOffFromErrorDelayWithJitterUpToTheCap() async throws {
        let clock = AccessControl.TestClock()
        let sleeper = ScriptedSleeper(Array(repeating: {}, count: 5))
        let site = Site.defaultSite(clock: clock)
        // Nothing listens on the discard port.
        let client = PushDeviceClient(
            identity: DeviceIdentity(serialNumber: "GHL2"), transport: try HTTPPushTransport(baseURL: "http://127.0.0.1:9", timeout: 2),
            site: site, cursor: PushDeviceCursorStore(writer: try makeDatabase(), upstream: "x"), sleeper: sleeper, now: { clock.now })
        await client.configure(maximumRetryDelay: 100)
        await client.run()
        let waits = sleeper.requested
        #expect(waits.count == 6)
        // ErrorDelay (30 s by default) doubled per failure, capped at 100 s, each ±20 %.
        for (index, wait) in waits.enumerated() {
            let base = min(100, 30 * pow(2, Double(index)))
            #expect(wait >= base * 0.8 && wait <= base * 1.2, "wait \(index): \(wait)")
        }
    }

    @Test func honoursTransIntervalWhenTheServerTurnsRealTimeOff() async throws {
        let clock = AccessControl.TestClock()
        let configuration = PushServerConfiguration(registration: .open, requestDelay: 30, transInterval: 2, realtime: false)
        try await withGatehouseServer(configuration: configuration, clock: clock) { (live: LiveServer) async throws in
            let site = Site.defaultSite(clock: clock)
            let store = live.server.store
            let seen = Mutex<[Int]>([])
            let record: @Sendable () -> Void = {
                let count = (try? store.events("GHL3").compactMap(\.card).count) ?? -1
                seen.withLock { $0.append(count) }
            }
            let sleeper = ScriptedSleeper([
                { _ = await site.present(.card(CardNumber(21)), at: ReaderID(1)); clock.advance(by: 30) },
                { record(); clock.advance(by: 30) },
                { record(); clock.advance(by: 60) },
            ])
            let client = PushDeviceClient(
                identity: DeviceIdentity(serialNumber: "GHL3"), transport: try HTTPPushTransport(baseURL: live.url), site: site,
                cursor: PushDeviceCursorStore(writer: try makeDatabase(), upstream: live.url), sleeper: sleeper, now: { clock.now })
            await client.run()
            // The swipe at 0 s waited for TransInterval (2 min after the first upload pass), not for the 30 s polls.
            #expect(seen.withLock { $0 } == [0, 0])
            #expect(try store.events("GHL3").compactMap(\.card) == ["21"])
            #expect(sleeper.requested.allSatisfy { $0 <= 30 })
        }
    }

    /// A sleeper that waits until cancelled: only a signal can end `DeviceWakeup.wait`.
    struct UntilCancelled: DeviceSleeper {
        func sleep(seconds: Double) async throws {
            while !Task.isCancelled { await Task.yield() }
            throw CancellationError()
        }
    }

    @Test func aNewEntryWakesTheLoopBeforeTheDelayEnds() async {
        let wakeup = DeviceWakeup()
        // A signal that arrived while the loop was busy is not lost: the next wait returns at once.
        await wakeup.signal()
        await wakeup.wait(seconds: 3600, sleeper: UntilCancelled())
        // A signal during the wait ends it.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await wakeup.wait(seconds: 3600, sleeper: UntilCancelled()) }
            group.addTask {
                for _ in 0..<100 { await Task.yield() }
                await wakeup.signal()
            }
            await group.waitForAll()
        }
    }
}
