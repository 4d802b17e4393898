import Foundation

/// A journal kept in memory: for the default site and tests. Real, not a mock: it stores and answers queries.
public actor InMemoryJournal: JournalSink {
    public private(set) var stored: [JournalEntry] = []

    public init() {}

    public func lastIndex() -> UInt64 { stored.last?.index ?? 0 }
    public func append(_ entries: [JournalEntry]) { stored.append(contentsOf: entries) }

    public func entries(indices: ClosedRange<UInt64>, limit: Int) -> [JournalEntry] {
        Array(stored.lazy.filter { indices.contains($0.index) }.prefix(max(0, limit)))
    }

    public func entries(from: Date, to: Date, limit: Int) -> [JournalEntry] {
        Array(stored.lazy.filter { $0.time >= from && $0.time < to }.prefix(max(0, limit)))
    }
}

/// Users kept in memory.
public actor InMemoryUserDirectory: UserDirectory {
    private var users: [UserPIN: User] = [:]

    public init(_ users: [User] = []) {
        for user in users { self.users[user.pin] = user }
    }

    public func loadUsers() -> [User] { users.values.sorted { $0.pin < $1.pin } }

    public func apply(_ change: UserChange) {
        switch change {
        case .upsert(let user): users[user.pin] = user
        case .delete(let pin): users[pin] = nil
        }
    }
}

/// Configuration and runtime state kept in memory.
public actor InMemoryStateStore: SiteStateStore {
    private var configuration: SiteConfiguration?
    private var runtime = RuntimeState()

    public init(_ configuration: SiteConfiguration? = nil) { self.configuration = configuration }

    public func loadConfiguration() -> SiteConfiguration? { configuration }
    public func loadRuntime() -> RuntimeState { runtime }

    public func apply(_ change: ConfigurationChange) {
        var config = configuration ?? SiteConfiguration()
        config.apply(change)
        configuration = config
    }

    public func apply(_ changes: [RuntimeChange]) {
        for change in changes {
            switch change {
            case .door(let id, let state): runtime.doors[id] = state
            case .position(let key, let position): runtime.positions[key] = position
            }
        }
    }
}

extension SiteConfiguration {
    /// Applies a change to the value (no validation: ``Site`` validates before it stores).
    public mutating func apply(_ change: ConfigurationChange) {
        func upsert<T>(_ list: inout [T], _ item: T, same: (T) -> Bool) {
            if let at = list.firstIndex(where: same) { list[at] = item } else { list.append(item) }
        }
        switch change {
        case .replace(let config): self = config
        case .settings(let settings): self.settings = settings
        case .upsertDoor(let door): upsert(&doors, door) { $0.id == door.id }
        case .deleteDoor(let id): doors.removeAll { $0.id == id }
        case .upsertReader(let reader): upsert(&readers, reader) { $0.id == reader.id }
        case .deleteReader(let id): readers.removeAll { $0.id == id }
        case .upsertRelay(let relay): upsert(&relays, relay) { $0.id == relay.id }
        case .deleteRelay(let id): relays.removeAll { $0.id == id }
        case .upsertInput(let input): upsert(&inputs, input) { $0.id == input.id }
        case .deleteInput(let id): inputs.removeAll { $0.id == id }
        case .upsertTimezone(let timezone): upsert(&timezones, timezone) { $0.id == timezone.id }
        case .deleteTimezone(let id): timezones.removeAll { $0.id == id }
        case .upsertHoliday(let holiday): upsert(&holidays, holiday) { $0.date == holiday.date }
        case .deleteHoliday(let date): holidays.removeAll { $0.date == date }
        case .upsertFirstCardRule(let rule):
            upsert(&firstCardRules, rule) { $0.door == rule.door && $0.user == rule.user }
        case .deleteFirstCardRule(let rule): firstCardRules.removeAll { $0.door == rule.door && $0.user == rule.user }
        case .upsertMultiCardCombination(let combination):
            upsert(&multiCardCombinations, combination) { $0.index == combination.index }
        case .deleteMultiCardCombination(let index): multiCardCombinations.removeAll { $0.index == index }
        }
    }
}
