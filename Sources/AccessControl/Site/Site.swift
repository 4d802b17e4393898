import Foundation
import PushProtocol

/// One site's doors, readers, relays, inputs, users and journal, owned by a single actor.
///
/// Everything time-dependent reads ``SiteClock``; relay holds, door-open timeouts and normal-open periods are
/// processed by ``tick()``, which the live host calls from a timer and tests call after advancing a ``TestClock``.
/// Decisions use in-memory indexes only; journal entries and runtime state go to storage in batches by a writer
/// task (``flush()`` waits until they are durable).
public actor Site {
    let clock: any SiteClock
    var calendar: SiteCalendar
    var configuration: SiteConfiguration
    var schedules: ScheduleBook
    var doors: [DoorID: Door] = [:]
    var readers: [ReaderID: Reader] = [:]
    var relays: [RelayID: RelayStateMachine] = [:]
    /// The earliest relay deadline (nil when no relay is timing), so `advanceRelays` is O(1) when nothing is due.
    var earliestRelayDeadline: Date?
    var inputs: [InputID: Input] = [:]
    var inputStates: [InputID: InputState] = [:]
    var doorStates: [DoorID: DoorRuntime] = [:]
    var firstCardRules: [DoorID: [FirstCardRule]] = [:]
    var multiCardCombinations: [DoorID: [MultiCardCombination]] = [:]
    var positions: [AntiPassbackKey: AntiPassbackPosition]
    var users: UserIndex
    /// PINs in order, for paging; nil after users are added or removed.
    var sortedPINs: [UserPIN]?

    let relayDriver: any RelayDriver
    let userDirectory: any UserDirectory
    let stateStore: any SiteStateStore
    let journalSink: any JournalSink
    var advisor: (any DecisionAdvisor)?
    var actionHook: (any SiteActionHook)?

    // Journal and runtime-state writer.
    var nextIndex: UInt64
    var pendingJournal: [JournalEntry] = []
    var pendingRuntime: [RuntimeChange] = []
    var writerRunning = false
    /// Callers of `flush()`, each with the journal index and runtime-change count it needs stored.
    var flushWaiters: [FlushWaiter] = []
    /// Highest journal index, and number of runtime changes, known durable (stored, and synced when the sink defers
    /// its syncs).
    var journalDurableThrough: UInt64 = 0
    var runtimeQueued: UInt64 = 0
    var runtimeDurable: UInt64 = 0
    var subscribers: [UUID: AsyncStream<JournalEntry>.Continuation] = [:]
    /// Followers that take entries a batch at a time, and the entries they have not been handed yet.
    var batchSubscribers: [UUID: AsyncStream<[JournalEntry]>.Continuation] = [:]
    var unpublished: [JournalEntry] = []
    /// Followers of the typed event stream (``events(bufferingNewest:)``), the events not yet handed to them, and
    /// whether a task to hand them over is already on its way (one per burst, not one per event).
    var eventSubscribers: [UUID: AsyncStream<[SiteEvent]>.Continuation] = [:]
    var unpublishedEvents: [SiteEvent] = []
    var eventPublishScheduled = false
    var nextEventSequence: UInt64 = 1

    /// Builds a site from values already loaded. The configuration is validated; users are trusted (they come from
    /// storage, which only ever received validated users).
    public init(
        configuration: SiteConfiguration, users: [User] = [], runtime: RuntimeState = RuntimeState(),
        clock: any SiteClock, relayDriver: any RelayDriver = VirtualRelayDriver(),
        userDirectory: any UserDirectory = InMemoryUserDirectory(),
        stateStore: any SiteStateStore = InMemoryStateStore(), journalSink: any JournalSink = InMemoryJournal(),
        nextJournalIndex: UInt64 = 1
    ) throws(ModelError) {
        try Site.validate(configuration)
        self.clock = clock
        self.calendar = try SiteCalendar(
            timeZoneIdentifier: configuration.settings.timeZoneIdentifier, daylightSaving: configuration.settings.daylightSaving)
        self.configuration = configuration
        self.schedules = ScheduleBook(timezones: configuration.timezones, holidays: configuration.holidays)
        self.positions = runtime.positions
        self.users = UserIndex(loading: users)
        self.relayDriver = relayDriver
        self.userDirectory = userDirectory
        self.stateStore = stateStore
        self.journalSink = journalSink
        self.nextIndex = max(1, nextJournalIndex)
        self.journalDurableThrough = max(1, nextJournalIndex) - 1
        var derived = Derived(configuration)
        for (id, persistent) in runtime.doors where derived.doorStates[id] != nil {
            derived.doorStates[id]?.persistent = persistent
        }
        doors = derived.doors
        readers = derived.readers
        relays = derived.relays
        inputs = derived.inputs
        inputStates = derived.inputStates
        doorStates = derived.doorStates
        firstCardRules = derived.firstCardRules
        multiCardCombinations = derived.multiCardCombinations
        // A door left normally open before a restart is normally open again.
        let now = clock.now
        for (id, state) in doorStates where state.isNormalOpen {
            guard let relay = derived.doors[id]?.relay, var machine = relays[relay] else { continue }
            if machine.setHeld(true, now: now) { relayDriver.apply(machine.output) }
            relays[relay] = machine
        }
    }

    /// The virtual four-door panel of ``SiteConfiguration/fourDoorPanel(timeZoneIdentifier:)`` with in-memory
    /// stores and a ``VirtualRelayDriver``.
    public static func defaultSite(clock: any SiteClock, relayDriver: any RelayDriver = VirtualRelayDriver()) -> Site {
        do {
            return try Site(configuration: .fourDoorPanel(), clock: clock, relayDriver: relayDriver)
        } catch {
            // The panel is a constant; a failure here is a bug in this module, not bad input.
            fatalError("the default four-door panel failed validation: \(error)")
        }
    }

    /// Loads a site from its stores. A site never configured gets the four-door panel, which is stored at once so
    /// later changes edit it rather than replace it.
    public static func load(
        clock: any SiteClock, relayDriver: any RelayDriver, userDirectory: any UserDirectory,
        stateStore: any SiteStateStore, journalSink: any JournalSink
    ) async throws -> Site {
        let configuration: SiteConfiguration
        if let stored = try await stateStore.loadConfiguration() {
            configuration = stored
        } else {
            configuration = .fourDoorPanel()
            try await stateStore.apply(.replace(configuration))
        }
        let users = try await userDirectory.loadUsers()
        let runtime = try await stateStore.loadRuntime()
        let last = try await journalSink.lastIndex()
        return try Site(
            configuration: configuration, users: users, runtime: runtime, clock: clock, relayDriver: relayDriver,
            userDirectory: userDirectory, stateStore: stateStore, journalSink: journalSink, nextJournalIndex: last + 1)
    }

    /// Installs (or removes) the script hook consulted on credential decisions.
    public func setAdvisor(_ advisor: (any DecisionAdvisor)?) { self.advisor = advisor }

    /// Installs (or removes) the hook that performs outbound actions (reception tab URLs).
    public func setActionHook(_ hook: (any SiteActionHook)?) { self.actionHook = hook }

    var now: Date { clock.now }

    /// Site local time of `instant`.
    func local(_ instant: Date) -> LocalTime { calendar.localTime(at: instant) }
}

/// Lookup tables derived from a configuration, rebuilt when it changes (live state is carried over).
struct Derived {
    var doors: [DoorID: Door] = [:]
    var readers: [ReaderID: Reader] = [:]
    var relays: [RelayID: RelayStateMachine] = [:]
    var inputs: [InputID: Input] = [:]
    var inputStates: [InputID: InputState] = [:]
    var doorStates: [DoorID: DoorRuntime] = [:]
    var firstCardRules: [DoorID: [FirstCardRule]] = [:]
    var multiCardCombinations: [DoorID: [MultiCardCombination]] = [:]

    init(_ configuration: SiteConfiguration) {
        for door in configuration.doors {
            doors[door.id] = door
            doorStates[door.id] = DoorRuntime()
        }
        for reader in configuration.readers { readers[reader.id] = reader }
        for relay in configuration.relays { relays[relay.id] = RelayStateMachine(relay: relay) }
        for input in configuration.inputs {
            inputs[input.id] = input
            inputStates[input.id] = InputState()
        }
        for rule in configuration.firstCardRules { firstCardRules[rule.door, default: []].append(rule) }
        for combination in configuration.multiCardCombinations {
            multiCardCombinations[combination.door, default: []].append(combination)
        }
    }
}

/// An input's debounced state.
struct InputState: Hashable, Sendable {
    var isActive = false
    var lastChange: Date?
    /// The level a change inside the debounce window left the input at, when it differs from `isActive`: applied
    /// once the window has passed, so the input ends where the contact settled (a door that closes 30 ms after it
    /// opened must not stay open in the model).
    var settlingActive: Bool?
}
