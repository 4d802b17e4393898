import Foundation

extension Site {
    public var currentConfiguration: SiteConfiguration { configuration }

    /// Validates, stores (one transaction) and applies a configuration change. Nothing changes on failure.
    public func change(_ change: ConfigurationChange) async throws {
        var candidate = configuration
        candidate.apply(change)
        try Site.validate(candidate)
        try validateReferences(of: change)
        let newCalendar = try SiteCalendar(
            timeZoneIdentifier: candidate.settings.timeZoneIdentifier, daylightSaving: candidate.settings.daylightSaving)
        try await stateStore.apply(change)
        install(candidate, calendar: newCalendar)
        emit(.configured(Mirror(reflecting: change).children.first?.label ?? "replace"), at: now, source: .local)
    }

    public func upsert(_ door: Door) async throws { try await change(.upsertDoor(door)) }

    /// Locks or unlocks a door (the mask flag: a locked door refuses every credential with event 63).
    /// Journalled (`door.locked` / `door.unlocked`) with its source when it changes anything.
    public func setLocked(_ locked: Bool, door id: DoorID, by source: JournalSource = .api()) async throws {
        guard var door = configuration.doors.first(where: { $0.id == id }) else {
            throw ModelError(field: "door \(id)", rule: .notFound)
        }
        guard door.isLocked != locked else { return }
        door.isLocked = locked
        try await upsert(door)
        emit(doorChange(id, locked ? .locked : .unlocked), at: now, source: source)
    }
    public func deleteDoor(_ id: DoorID) async throws {
        guard doors[id] != nil else { throw ModelError(field: "door \(id)", rule: .notFound) }
        try await change(.deleteDoor(id))
    }
    public func upsert(_ reader: Reader) async throws { try await change(.upsertReader(reader)) }
    public func deleteReader(_ id: ReaderID) async throws {
        guard readers[id] != nil else { throw ModelError(field: "reader \(id)", rule: .notFound) }
        try await change(.deleteReader(id))
    }
    public func upsert(_ relay: Relay) async throws { try await change(.upsertRelay(relay)) }
    public func deleteRelay(_ id: RelayID) async throws {
        guard relays[id] != nil else { throw ModelError(field: "relay \(id)", rule: .notFound) }
        try await change(.deleteRelay(id))
    }
    public func upsert(_ input: Input) async throws { try await change(.upsertInput(input)) }
    public func deleteInput(_ id: InputID) async throws {
        guard inputs[id] != nil else { throw ModelError(field: "input \(id)", rule: .notFound) }
        try await change(.deleteInput(id))
    }
    public func upsert(_ timezone: Timezone) async throws { try await change(.upsertTimezone(timezone)) }
    /// Adds an Akuvox named schedule as the timezone it means.
    public func upsert(_ schedule: NamedSchedule) async throws {
        try await change(.upsertTimezone(try schedule.timezone(in: calendar)))
    }
    public func deleteTimezone(_ id: TimezoneID) async throws {
        guard schedules.timezones[id] != nil else { throw ModelError(field: "timezone \(id)", rule: .notFound) }
        try await change(.deleteTimezone(id))
    }
    public func upsert(_ holiday: Holiday) async throws { try await change(.upsertHoliday(holiday)) }
    public func deleteHoliday(on date: CalendarDate) async throws {
        guard configuration.holidays.contains(where: { $0.date == date }) else {
            throw ModelError(field: "holiday \(date)", rule: .notFound)
        }
        try await change(.deleteHoliday(date))
    }
    public func update(_ settings: SiteSettings) async throws { try await change(.settings(settings)) }
    public func upsert(_ rule: FirstCardRule) async throws { try await change(.upsertFirstCardRule(rule)) }
    public func deleteFirstCardRule(_ rule: FirstCardRule) async throws { try await change(.deleteFirstCardRule(rule)) }
    public func upsert(_ combination: MultiCardCombination) async throws {
        try await change(.upsertMultiCardCombination(combination))
    }
    public func deleteMultiCardCombination(index: Int) async throws {
        try await change(.deleteMultiCardCombination(index: index))
    }
    public func replaceConfiguration(_ configuration: SiteConfiguration) async throws {
        try await change(.replace(configuration))
    }

    public var timezones: [Timezone] { configuration.timezones.sorted { $0.id < $1.id } }
    public var holidays: [Holiday] { configuration.holidays.sorted { $0.date < $1.date } }

    /// Rules that need the live site (users), beyond the configuration's own consistency.
    private func validateReferences(of change: ConfigurationChange) throws(ModelError) {
        switch change {
        case .upsertFirstCardRule(let rule):
            guard users.user(rule.user) != nil else {
                throw ModelError(field: "first-card rule for door \(rule.door): user", rule: .unknownReference("user \(rule.user)"))
            }
        case .settings(let settings):
            for code in settings.siteCodes.publicPINs {
                if let slot = users.privatePINs[code], let owner = users[slot] {
                    throw ModelError(field: "public PIN \(code)", rule: .duplicate(usedBy: "user \(owner.pin)"))
                }
            }
        default:
            break
        }
    }

    /// Swaps in a validated configuration, keeping live state of doors, relays and inputs that remain.
    private func install(_ candidate: SiteConfiguration, calendar newCalendar: SiteCalendar) {
        let derived = Derived(candidate)
        let instant = now
        var newRelays = derived.relays
        for (id, machine) in relays {
            guard var kept = newRelays[id].map({ _ in machine }), let relay = newRelays[id]?.relay else {
                if machine.isActive {
                    var dropped = machine
                    _ = dropped.release()
                    relayDriver.apply(dropped.output)
                }
                continue
            }
            kept.reconfigure(relay)
            newRelays[id] = kept
        }
        var newDoorStates = derived.doorStates
        for (id, state) in doorStates where newDoorStates[id] != nil { newDoorStates[id] = state }
        var newInputStates = derived.inputStates
        for (id, state) in inputStates where newInputStates[id] != nil { newInputStates[id] = state }
        configuration = candidate
        calendar = newCalendar
        schedules = ScheduleBook(timezones: candidate.timezones, holidays: candidate.holidays)
        doors = derived.doors
        readers = derived.readers
        relays = newRelays
        earliestRelayDeadline = newRelays.values.compactMap(\.nextDeadline).min()
        inputs = derived.inputs
        inputStates = newInputStates
        doorStates = newDoorStates
        firstCardRules = derived.firstCardRules
        multiCardCombinations = derived.multiCardCombinations
        for (id, state) in doorStates where state.isNormalOpen {
            if let relay = doors[id]?.relay { holdRelay(relay, true, at: instant) }
        }
    }

    /// Every rule a configuration must satisfy on its own.
    public static func validate(_ config: SiteConfiguration) throws(ModelError) {
        let settings = config.settings
        guard TimeZone(identifier: settings.timeZoneIdentifier) != nil else {
            throw ModelError(field: "site time zone", rule: .format("an IANA time zone name (got \(settings.timeZoneIdentifier))"))
        }
        try settings.daylightSaving?.validate()
        guard (1...100).contains(settings.cardLimitPerUser) else {
            throw ModelError(field: "cards per user", rule: .range(min: 1, max: 100))
        }
        try settings.siteCodes.validate()
        guard AntiPassbackRule.isValid(settings.antiPassback) else {
            throw ModelError(field: "anti-passback", rule: .format("an Appendix 8 value: 0–6 or a multiple of 16 up to 240"))
        }
        guard InterlockRule.validValues.contains(settings.interlock) else {
            throw ModelError(field: "interlock", rule: .range(min: 0, max: 5))
        }
        guard (1...4).contains(settings.dtmf.codeLength) else {
            throw ModelError(field: "DTMF code length", rule: .range(min: 1, max: 4))
        }
        guard (0...60_000).contains(settings.advisorDeadlineMilliseconds) else {
            throw ModelError(field: "advisor deadline", rule: .range(min: 0, max: 60_000))
        }

        var timezoneIDs: Set<TimezoneID> = [.namedAlways, .namedNever]
        for timezone in config.timezones {
            try timezone.validate()
            guard timezone.id != .namedAlways, timezone.id != .namedNever else {
                throw ModelError(field: "timezone \(timezone.id)", rule: .conflict("1001 and 1002 are the built-in Always and Never"))
            }
            guard timezoneIDs.insert(timezone.id).inserted else {
                throw ModelError(field: "timezone \(timezone.id)", rule: .duplicate(usedBy: "timezone \(timezone.id)"))
            }
        }
        func checkTimezone(_ id: TimezoneID?, _ field: String) throws(ModelError) {
            if let id, !timezoneIDs.contains(id) {
                throw ModelError(field: field, rule: .unknownReference("timezone \(id)"))
            }
        }
        var holidayDates = Set<CalendarDate>()
        for holiday in config.holidays {
            try holiday.validate()
            guard holidayDates.insert(holiday.date).inserted else {
                throw ModelError(field: "holiday \(holiday.date)", rule: .duplicate(usedBy: "another holiday"))
            }
        }

        var relayIDs = Set<RelayID>()
        var dtmfCodes: [String: RelayID] = [:]
        for relay in config.relays {
            let field = "relay \(relay.id)"
            guard relay.id.rawValue > 0 else { throw ModelError(field: "\(field) id", rule: .range(min: 1, max: Int(Int32.max))) }
            guard relayIDs.insert(relay.id).inserted else { throw ModelError(field: field, rule: .duplicate(usedBy: field)) }
            guard (0...65535).contains(relay.triggerDelay) else {
                throw ModelError(field: "\(field) trigger delay", rule: .range(min: 0, max: 65535))
            }
            switch relay.mode {
            case .monostable:
                if relay.purpose != .resetByEvent, !(1...65535).contains(relay.holdDelay) {
                    throw ModelError(field: "\(field) hold delay", rule: .range(min: 1, max: 65535))
                }
            case .bistable:
                if relay.holdDelay != 0 {
                    throw ModelError(field: "\(field) hold delay", rule: .conflict("a bistable relay toggles; the hold delay applies to monostable relays only (set 0)"))
                }
                if relay.purpose == .resetByEvent {
                    throw ModelError(field: "\(field) mode", rule: .conflict("a reset-by-event relay must be monostable"))
                }
            }
            if let code = relay.dtmfCode {
                let symbols = Set("0123456789*#")
                let valid =
                    settings.dtmf.codeLength == 1
                    ? code.count == 1 && code.allSatisfy { symbols.contains($0) }
                    : code.count == settings.dtmf.codeLength && code.allSatisfy { symbols.contains($0) }
                guard valid else {
                    throw ModelError(field: "\(field) DTMF code", rule: .length(min: settings.dtmf.codeLength, max: settings.dtmf.codeLength))
                }
                if let other = dtmfCodes[code] {
                    throw ModelError(field: "\(field) DTMF code", rule: .duplicate(usedBy: "relay \(other)"))
                }
                dtmfCodes[code] = relay.id
            }
        }
        for relay in settings.reception.relays where !relayIDs.contains(relay) {
            throw ModelError(field: "reception relays", rule: .unknownReference("relay \(relay)"))
        }

        var doorIDs = Set<DoorID>()
        var relayOwners: [RelayID: DoorID] = [:]
        for door in config.doors {
            let field = "door \(door.id)"
            guard (1...64).contains(door.id.rawValue) else { throw ModelError(field: "\(field) id", rule: .range(min: 1, max: 64)) }
            guard doorIDs.insert(door.id).inserted else { throw ModelError(field: field, rule: .duplicate(usedBy: field)) }
            guard relayIDs.contains(door.relay) else { throw ModelError(field: "\(field) relay", rule: .unknownReference("relay \(door.relay)")) }
            if let owner = relayOwners[door.relay] {
                throw ModelError(field: "\(field) relay", rule: .duplicate(usedBy: "door \(owner)"))
            }
            relayOwners[door.relay] = door.id
            try checkTimezone(door.validTimezone, "\(field) valid timezone")
            try checkTimezone(door.normalOpenTimezone, "\(field) normal-open timezone")
            try checkTimezone(door.exitButtonTimezone, "\(field) exit button timezone")
            for (name, value) in [
                ("lock drive time", door.lockDriveTime), ("extended drive time", door.extendedDriveTime),
                ("door-open timeout", door.openTimeout), ("punch interval", door.punchInterval),
                ("multi-card interval", door.multiCardInterval), ("anti-passback duration", door.antiPassbackDuration),
            ] where !(0...65535).contains(value) {
                throw ModelError(field: "\(field) \(name)", rule: .range(min: 0, max: 65535))
            }
            for (name, code, limit) in [
                ("emergency password", door.emergencyPassword, 8), ("duress password", door.duressPassword, 6),
            ] {
                guard let code else { continue }
                guard code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                    throw ModelError(field: "\(field) \(name)", rule: .format("digits only"))
                }
                guard (1...limit).contains(code.utf8.count) else {
                    throw ModelError(field: "\(field) \(name)", rule: .length(min: 1, max: limit))
                }
                if settings.siteCodes.publicPINs.contains(code) {
                    throw ModelError(field: "\(field) \(name)", rule: .duplicate(usedBy: "a public PIN"))
                }
            }
            if let emergency = door.emergencyPassword, emergency == door.duressPassword {
                throw ModelError(field: "\(field) duress password", rule: .duplicate(usedBy: "the emergency password"))
            }
        }

        var readerIDs = Set<ReaderID>()
        for reader in config.readers {
            guard readerIDs.insert(reader.id).inserted else {
                throw ModelError(field: "reader \(reader.id)", rule: .duplicate(usedBy: "reader \(reader.id)"))
            }
            guard doorIDs.contains(reader.door) else {
                throw ModelError(field: "reader \(reader.id) door", rule: .unknownReference("door \(reader.door)"))
            }
        }

        var inputIDs = Set<InputID>()
        var sensors: [DoorID: InputID] = [:]
        for input in config.inputs {
            let field = "input \(input.id)"
            guard inputIDs.insert(input.id).inserted else { throw ModelError(field: field, rule: .duplicate(usedBy: field)) }
            guard (0...10_000).contains(input.debounceMilliseconds) else {
                throw ModelError(field: "\(field) debounce", rule: .range(min: 0, max: 10_000))
            }
            switch input.role {
            case .exitButton(let door):
                guard doorIDs.contains(door) else { throw ModelError(field: "\(field) door", rule: .unknownReference("door \(door)")) }
            case .doorSensor(let door):
                guard doorIDs.contains(door) else { throw ModelError(field: "\(field) door", rule: .unknownReference("door \(door)")) }
                if let other = sensors[door] {
                    throw ModelError(field: "\(field) door sensor", rule: .duplicate(usedBy: "input \(other)"))
                }
                sensors[door] = input.id
            case .auxiliary(let relay):
                if let relay, !relayIDs.contains(relay) {
                    throw ModelError(field: "\(field) relay", rule: .unknownReference("relay \(relay)"))
                }
            }
        }

        for rule in config.firstCardRules {
            guard doorIDs.contains(rule.door) else {
                throw ModelError(field: "first-card rule door", rule: .unknownReference("door \(rule.door)"))
            }
            try checkTimezone(rule.timezone, "first-card rule for door \(rule.door) timezone")
        }
        var combinationIndexes = Set<Int>()
        for combination in config.multiCardCombinations {
            let field = "multi-card combination \(combination.index)"
            guard combinationIndexes.insert(combination.index).inserted else {
                throw ModelError(field: field, rule: .duplicate(usedBy: field))
            }
            guard doorIDs.contains(combination.door) else {
                throw ModelError(field: "\(field) door", rule: .unknownReference("door \(combination.door)"))
            }
            let groups = combination.groups.filter { $0 > 0 }
            guard (1...5).contains(groups.count) else {
                throw ModelError(field: "\(field) groups", rule: .length(min: 1, max: 5))
            }
        }
    }
}
