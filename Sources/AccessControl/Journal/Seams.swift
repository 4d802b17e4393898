import Foundation

/// Durable, append-only journal storage. ``Site`` hands it batches off the decision path, in index order.
public protocol JournalSink: Sendable {
    /// The highest index stored, 0 when empty: the site continues numbering after it.
    func lastIndex() async throws -> UInt64
    /// Stores the batch atomically (all or none).
    func append(_ entries: [JournalEntry]) async throws
    /// Entries with `indices.lowerBound ... indices.upperBound`, ascending, at most `limit`.
    func entries(indices: ClosedRange<UInt64>, limit: Int) async throws -> [JournalEntry]
    /// Entries with `from <= time < to`, ascending, at most `limit`.
    func entries(from: Date, to: Date, limit: Int) async throws -> [JournalEntry]
    /// Returns once everything stored so far, by `append` and by the site's state store, is durable. A sink that
    /// syncs in `append` need not implement it; one that defers its syncs (so the next batch is written while the
    /// last is synced) waits for them here. ``Site/flush()`` waits for this, never `append` alone.
    func waitUntilDurable() async throws
}

extension JournalSink {
    public func waitUntilDurable() async throws {}
}

/// A change to one user (with all their credentials and authorisations), applied in one transaction.
public enum UserChange: Hashable, Sendable {
    case upsert(User)
    case delete(UserPIN)
}

/// Persists users. The site validates a change before handing it over; the store applies it all or nothing.
/// Deleting a user also deletes their anti-passback positions and first-card rules.
public protocol UserDirectory: Sendable {
    func loadUsers() async throws -> [User]
    func apply(_ change: UserChange) async throws
}

/// A change to the site configuration, applied in one transaction.
public enum ConfigurationChange: Hashable, Sendable {
    case replace(SiteConfiguration)
    case settings(SiteSettings)
    case upsertDoor(Door)
    case deleteDoor(DoorID)
    case upsertReader(Reader)
    case deleteReader(ReaderID)
    case upsertRelay(Relay)
    case deleteRelay(RelayID)
    case upsertInput(Input)
    case deleteInput(InputID)
    case upsertTimezone(Timezone)
    case deleteTimezone(TimezoneID)
    case upsertHoliday(Holiday)
    case deleteHoliday(CalendarDate)
    case upsertFirstCardRule(FirstCardRule)
    case deleteFirstCardRule(FirstCardRule)
    case upsertMultiCardCombination(MultiCardCombination)
    case deleteMultiCardCombination(index: Int)
}

/// The door state that must survive a restart.
public struct PersistentDoorState: Hashable, Sendable, Codable {
    /// Normal open enabled remotely (event 205) and not yet closed remotely (event 9).
    public var remoteNormalOpen: Bool
    /// Opened by a first card (event 2) in first-card normal-open mode; ends with the rule's timezone (event 204).
    public var firstCardNormalOpen: Bool
    /// First-card activation done for the current period.
    public var firstCardActivated: Bool
    /// Opened without a grant (event 102); only an explicit clear (event 7) resets it.
    public var breakInLatched: Bool

    public init(
        remoteNormalOpen: Bool = false, firstCardNormalOpen: Bool = false, firstCardActivated: Bool = false,
        breakInLatched: Bool = false
    ) {
        self.remoteNormalOpen = remoteNormalOpen
        self.firstCardNormalOpen = firstCardNormalOpen
        self.firstCardActivated = firstCardActivated
        self.breakInLatched = breakInLatched
    }
}

/// An anti-passback zone: a single door's in/out pair, a pair of door groups (Appendix 8 values 1–6) or a door's
/// readers (Appendix 8 values 16–240).
public struct AntiPassbackKey: Hashable, Sendable, Codable {
    public var user: UserPIN
    public var zone: String

    public init(user: UserPIN, zone: String) {
        self.user = user
        self.zone = zone
    }
}

/// Where a user last passed in a zone: `side` is the direction or the door group.
public struct AntiPassbackPosition: Hashable, Sendable, Codable {
    public var side: Int
    public var time: Date

    public init(side: Int, time: Date) {
        self.side = side
        self.time = time
    }
}

public struct RuntimeState: Hashable, Sendable {
    public var doors: [DoorID: PersistentDoorState]
    public var positions: [AntiPassbackKey: AntiPassbackPosition]

    public init(doors: [DoorID: PersistentDoorState] = [:], positions: [AntiPassbackKey: AntiPassbackPosition] = [:]) {
        self.doors = doors
        self.positions = positions
    }
}

public enum RuntimeChange: Hashable, Sendable {
    case door(DoorID, PersistentDoorState)
    /// nil clears the position.
    case position(AntiPassbackKey, AntiPassbackPosition?)
}

/// Persists the site configuration and the runtime state that must survive a restart.
public protocol SiteStateStore: Sendable {
    /// nil when the site was never configured (the default panel is used and stored).
    func loadConfiguration() async throws -> SiteConfiguration?
    func apply(_ change: ConfigurationChange) async throws
    func loadRuntime() async throws -> RuntimeState
    /// Applied in one transaction, in order.
    func apply(_ changes: [RuntimeChange]) async throws
}

/// Actions the site asks the outer ring to perform (the outbound-actions issue fills it).
public enum SiteAction: Hashable, Sendable {
    /// The reception tab was pressed: call these HTTP URLs.
    case reception(urls: [String])
}

public protocol SiteActionHook: Sendable {
    func perform(_ action: SiteAction) async
}
