import Foundation
import PushProtocol

/// A button a person can press: an exit button (also reachable as an input) or the Akuvox reception tab.
public enum Button: Hashable, Sendable {
    case exit(DoorID)
    case reception
}

/// What a door is doing, for status pages and tests.
public struct DoorSnapshot: Hashable, Sendable {
    public var door: DoorID
    public var isSensorOpen: Bool
    public var isRelayActive: Bool
    public var isNormalOpen: Bool
    public var isBreakInLatched: Bool
    public var isFirstCardActivated: Bool
    public var isLocked: Bool
    /// What the door is doing, in the words status pages, MQTT and scripts use.
    public var state: DoorState = .closed
}

extension Site {
    func door(_ id: DoorID) throws(ModelError) -> Door {
        guard let door = doors[id] else { throw ModelError(field: "door \(id)", rule: .notFound) }
        return door
    }

    public func status(of id: DoorID) throws(ModelError) -> DoorSnapshot {
        let door = try door(id)
        let state = doorStates[id] ?? DoorRuntime()
        return DoorSnapshot(
            door: id, isSensorOpen: state.sensorOpen, isRelayActive: isRelayActive(door.relay),
            isNormalOpen: state.isNormalOpen, isBreakInLatched: state.persistent.breakInLatched,
            isFirstCardActivated: state.persistent.firstCardActivated, isLocked: door.isLocked,
            state: doorState(id) ?? .closed)
    }

    /// Opens a door remotely (event 8) for `seconds`, or the door's drive time.
    @discardableResult
    public func open(door id: DoorID, seconds: Int? = nil, by source: JournalSource) throws(ModelError) -> Decision {
        let door = try door(id)
        if let seconds, !(1...65535).contains(seconds) {
            throw ModelError(field: "open door \(id) seconds", rule: .range(min: 1, max: 65535))
        }
        let instant = now
        advanceRelays(to: instant)
        triggerRelay(door.relay, hold: seconds ?? driveTime(door, extended: false), at: instant)
        let index = emitJournalled(doorChange(id, .openedRemotely), at: instant, source: source)
        return Decision(outcome: .granted, event: .openedRemotely, verifyMode: .other, door: id, journalIndex: index)
    }

    /// Closes a door remotely (event 9): ends remote and first-card normal open and locks it now.
    @discardableResult
    public func close(door id: DoorID, by source: JournalSource) throws(ModelError) -> Decision {
        let door = try door(id)
        let instant = now
        doorStates[id]?.persistent.remoteNormalOpen = false
        doorStates[id]?.persistent.firstCardNormalOpen = false
        persistDoor(id)
        releaseRelay(door.relay)
        if doorStates[id]?.scheduleNormalOpen == true { holdRelay(door.relay, true, at: instant) }
        let index = emitJournalled(doorChange(id, .closedRemotely), at: instant, source: source)
        return Decision(outcome: .granted, event: .closedRemotely, verifyMode: .other, door: id, journalIndex: index)
    }

    /// Holds a door open until closed remotely (event 205). Survives a restart.
    @discardableResult
    public func setNormalOpen(door id: DoorID, by source: JournalSource) throws(ModelError) -> Decision {
        let door = try door(id)
        let instant = now
        doorStates[id]?.persistent.remoteNormalOpen = true
        persistDoor(id)
        holdRelay(door.relay, true, at: instant)
        let index = emitJournalled(doorChange(id, .normalOpenEnabled), at: instant, source: source)
        return Decision(
            outcome: .granted, event: .normalOpenEnabledRemotely, verifyMode: .other, door: id, journalIndex: index)
    }

    /// Clears the door's alarms, the break-in latch included (event 7). Nothing else clears the latch.
    @discardableResult
    public func clearAlarm(door id: DoorID, by source: JournalSource) throws(ModelError) -> Decision {
        _ = try door(id)
        doorStates[id]?.persistent.breakInLatched = false
        let sensorOpen = doorStates[id]?.sensorOpen ?? false
        doorStates[id]?.heldOpenReported = sensorOpen
        persistDoor(id)
        let index = emitJournalled(doorChange(id, .alarmCleared), at: now, source: source)
        return Decision(outcome: .granted, event: .alarmCancelled, verifyMode: .other, door: id, journalIndex: index)
    }

    /// A button press: an exit button (202, or 209 when the door or button is locked, 36 outside the button's
    /// timezone) or the reception tab (its relays, event 8, and its outbound action).
    @discardableResult
    public func press(button: Button) throws(ModelError) -> Decision {
        switch button {
        case .exit(let id): return try exitButton(door: id, source: .local)
        case .reception: return reception()
        }
    }

    func exitButton(door id: DoorID, source: JournalSource) throws(ModelError) -> Decision {
        let door = try door(id)
        let instant = now
        advanceRelays(to: instant)
        if door.isLocked || !door.exitButtonEnabled {
            let index = emitJournalled(
                .button(
                    ButtonPress(button: .exit(id), door: id, outcome: .denied(.doorLocked), event: .exitButtonLocked, relays: [])),
                at: instant, source: source)
            return Decision(
                outcome: .denied(.doorLocked), event: .exitButtonLocked, verifyMode: .other, door: id, journalIndex: index)
        }
        if let timezone = door.exitButtonTimezone, !schedules.isActive(timezone, at: local(instant), instant: instant) {
            let index = emitJournalled(
                .button(
                    ButtonPress(
                        button: .exit(id), door: id, outcome: .denied(.outsideTimezone), event: .exitButtonOutsideValidPeriod,
                        relays: [])), at: instant, source: source)
            return Decision(
                outcome: .denied(.outsideTimezone), event: .exitButtonOutsideValidPeriod, verifyMode: .other, door: id,
                journalIndex: index)
        }
        triggerRelay(door.relay, hold: driveTime(door, extended: false), at: instant)
        let index = emitJournalled(
            .button(ButtonPress(button: .exit(id), door: id, outcome: .granted, event: .exitButtonOpened, relays: [door.relay])),
            at: instant, source: source)
        return Decision(outcome: .granted, event: .exitButtonOpened, verifyMode: .other, door: id, journalIndex: index)
    }

    func reception() -> Decision {
        let instant = now
        advanceRelays(to: instant)
        let settings = configuration.settings.reception
        for relay in settings.relays { triggerRelay(relay, hold: nil, at: instant) }
        let door = settings.relays.lazy.compactMap { relay in self.doors.values.first { $0.relay == relay }?.id }.first
        let index = emitJournalled(
            .button(
                ButtonPress(button: .reception, door: door, outcome: .granted, event: .openedRemotely, relays: settings.relays)),
            at: instant, source: JournalSource(.reception))
        if let hook = actionHook, !settings.actionURLs.isEmpty {
            let urls = settings.actionURLs
            Task { await hook.perform(.reception(urls: urls)) }
        }
        return Decision(outcome: .granted, event: .openedRemotely, verifyMode: .other, door: door, journalIndex: index)
    }

    func driveTime(_ door: Door, extended: Bool) -> Int? {
        let seconds = extended ? door.extendedDriveTime : door.lockDriveTime
        return seconds > 0 ? seconds : nil
    }

    func doorSensorChanged(_ id: DoorID, open: Bool, at instant: Date) {
        guard let door = doors[id], door.sensorType != .none, var state = doorStates[id] else { return }
        advanceRelays(to: instant)
        guard state.sensorOpen != open else { return }
        state.sensorOpen = open
        if open {
            state.openedAt = instant
            state.heldOpenReported = false
            doorStates[id] = state
            let forced = !isRelayActive(door.relay) && !state.isNormalOpen
            emit(doorChange(id, .opened), at: instant, source: .local)
            if forced {
                doorStates[id]?.persistent.breakInLatched = true
                persistDoor(id)
                emit(doorChange(id, .forced, detail: "opened without a grant"), at: instant, source: .local)
            }
        } else {
            state.openedAt = nil
            state.heldOpenReported = false
            doorStates[id] = state
            emit(doorChange(id, .closed), at: instant, source: .local)
            if door.closeAndLock, !state.isNormalOpen, isRelayActive(door.relay),
                relays[door.relay]?.relay.mode == .monostable
            {
                releaseRelay(door.relay)
            }
        }
    }

    /// Processes everything due at the clock's current time: relay holds and trigger delays, door-open timeouts
    /// (event 28), timed normal open starting and ending (5 / 204), first-card periods ending.
    public func tick() {
        let instant = now
        settleInputs(at: instant)
        advanceRelays(to: instant)
        let localTime = local(instant)
        for id in doors.keys.sorted() {
            guard let door = doors[id], var state = doorStates[id] else { continue }
            // Timed normal open.
            let scheduled = door.normalOpenTimezone.map { schedules.isActive($0, at: localTime, instant: instant) } ?? false
            if scheduled != state.scheduleNormalOpen {
                state.scheduleNormalOpen = scheduled
                doorStates[id] = state
                if scheduled {
                    holdRelay(door.relay, true, at: instant)
                    emit(doorChange(id, .normalOpenStarted), at: instant, source: .schedule)
                } else {
                    if !state.isNormalOpen { holdRelay(door.relay, false, at: instant) }
                    emit(doorChange(id, .normalOpenEnded), at: instant, source: .schedule)
                }
            }
            // First-card periods end with their timezone.
            if state.persistent.firstCardNormalOpen || state.persistent.firstCardActivated {
                let rules = firstCardRules[id] ?? []
                let anyActive = rules.contains { schedules.isActive($0.timezone, at: localTime, instant: instant) }
                if !anyActive {
                    let wasNormalOpen = state.persistent.firstCardNormalOpen
                    state.persistent.firstCardNormalOpen = false
                    state.persistent.firstCardActivated = false
                    doorStates[id] = state
                    persistDoor(id)
                    if wasNormalOpen {
                        if !state.isNormalOpen { holdRelay(door.relay, false, at: instant) }
                        emit(doorChange(id, .normalOpenEnded, detail: "first-card period ended"), at: instant, source: .schedule)
                    }
                }
            }
            // Held open too long.
            if state.sensorOpen, door.sensorType != .none, door.openTimeout > 0, !state.heldOpenReported,
                !state.isNormalOpen, let openedAt = state.openedAt,
                instant >= openedAt.addingTimeInterval(TimeInterval(door.openTimeout))
            {
                state.heldOpenReported = true
                doorStates[id] = state
                emit(doorChange(id, .heldOpen, detail: "open longer than \(door.openTimeout) s"), at: instant, source: .schedule)
            }
        }
    }

    /// The earliest instant at which ``tick()`` has timed work (relays, door-open timeouts and inputs settling after
    /// contact bounce; schedules change on
    /// minute boundaries, so a host ticking at least once a minute also catches those).
    public func nextDeadline() -> Date? {
        var deadlines = relays.values.compactMap(\.nextDeadline)
        if let settling = nextInputSettling() { deadlines.append(settling) }
        for (id, state) in doorStates {
            guard state.sensorOpen, !state.heldOpenReported, let door = doors[id], door.openTimeout > 0,
                let openedAt = state.openedAt
            else { continue }
            deadlines.append(openedAt.addingTimeInterval(TimeInterval(door.openTimeout)))
        }
        return deadlines.min()
    }
}
