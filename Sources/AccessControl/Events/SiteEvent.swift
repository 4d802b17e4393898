import Foundation
import PushProtocol

/// One thing that happened on the site, as the door engine saw it: the single source every follower reads.
///
/// The engine emits one typed event per occurrence (a credential decided, DTMF digits during a call, a button
/// pressed, an input or relay changing level, a door changing state, a device's report, a site note). The journal
/// is one subscriber: an event it records carries the index of its entry (``journalIndex``); the journal entry is a
/// projection of the event (``Kind/journalRecord``), never the other way round. Scripts, site actions, SSE and
/// uploads follow the same stream (``Site/events(bufferingNewest:)``), so none of them re-derives what happened from
/// journal codes.
public struct SiteEvent: Hashable, Sendable {
    /// Monotonic per site run, from 1: a follower that has seen `sequence` has seen everything before it.
    public var sequence: UInt64
    public var time: Date
    /// Site local time `YYYY-MM-DD HH:MM:SS`.
    public var localTime: String
    public var source: JournalSource
    /// The journal entry recording the event; nil for events the journal does not keep (input levels of door
    /// sensors and exit buttons, whose door or button event is journalled; relay output levels).
    public var journalIndex: UInt64?
    public var kind: Kind

    public enum Kind: Hashable, Sendable {
        /// A credential was presented and decided (the built-in rule, refined by the site's advisor).
        case decision(CredentialDecision)
        /// A DTMF digit sequence during a call, with what the built-in relay codes did with it.
        case dtmf(DTMFSequence)
        /// An exit button or the reception tab was pressed.
        case button(ButtonPress)
        /// An input changed level (after debouncing), whatever its role.
        case input(InputChange)
        /// A door changed state or was commanded.
        case door(DoorChange)
        /// A relay output changed level.
        case relay(RelayChange)
        /// An auxiliary output was switched remotely (events 12 and 13); its level change follows as ``relay``.
        case output(OutputCommand)
        /// An event a PUSH device uploaded.
        case device(DeviceReport)
        /// Gatehouse's own site events: script errors and reloads, `journal.emit`, actions fired.
        case note(SiteNote)
        /// A hardware reader's supervision: offline, back online, tamper, a key installed.
        case reader(ReaderReport)
        /// A SIP call at the door: ringing, answered or refused, dialled, ended.
        case call(CallReport)
        /// The site's configuration changed (a door, relay, input … added, replaced or deleted); not journalled.
        /// Followers that mirror the configuration (MQTT discovery) re-read it.
        case configured(String)
    }
}

/// The decision on a presented credential.
public struct CredentialDecision: Hashable, Sendable {
    public var credential: Credential
    public var reader: ReaderID?
    public var door: DoorID?
    public var direction: Direction?
    public var user: UserPIN?
    public var userName: String?
    public var outcome: Decision.Outcome
    public var event: PushEventCode
    public var verifyMode: VerifyMode
    /// The card number the decision was made on (the credential's, or the user's card).
    public var card: CardNumber?
    public var siteCode: Int?
    /// Why, in words: the script's own reason when a script refused, "public PIN", "duress password", …
    public var detail: String?

    public var isGranted: Bool { outcome == .granted }
}

/// DTMF digits received during a call.
public struct DTMFSequence: Hashable, Sendable {
    public enum Result: String, Hashable, Sendable {
        /// A relay's DTMF code matched and the caller may open: the relay was triggered.
        case opened
        /// A relay's code matched, but the caller is not on the allowlist.
        case callerNotAllowed = "caller_not_allowed"
        /// No relay has this code: the built-in rule did nothing (scripts may still act).
        case noMatchingCode = "no_matching_code"
    }

    public var call: String
    public var caller: String
    public var digits: String
    /// Whether the caller passes the site's DTMF allowlist (none / phonebook / all).
    public var callerAllowed: Bool
    public var result: Result
    /// The relay whose code matched, and its door.
    public var relay: RelayID?
    public var door: DoorID?
}

/// A button press and its outcome.
public struct ButtonPress: Hashable, Sendable {
    public var button: Button
    public var door: DoorID?
    public var outcome: Decision.Outcome
    public var event: PushEventCode
    /// Relays the press triggered (the exit button's door relay, the reception tab's relays).
    public var relays: [RelayID]
}

/// An input's debounced level change.
public struct InputChange: Hashable, Sendable {
    public var input: InputID
    public var name: String
    public var role: Input.Role
    public var isActive: Bool
    /// The electrical level the input is at now.
    public var level: Level

    /// The door an exit button or door sensor belongs to.
    public var door: DoorID? {
        switch role {
        case .exitButton(let door), .doorSensor(let door): door
        case .auxiliary: nil
        }
    }

    /// The relay an auxiliary input energises, if any.
    public var relay: RelayID? {
        if case .auxiliary(let relay) = role { return relay }
        return nil
    }

    /// `exit_button`, `door_sensor` or `auxiliary`, as the REST API names roles.
    public var roleName: String {
        switch role {
        case .exitButton: "exit_button"
        case .doorSensor: "door_sensor"
        case .auxiliary: "auxiliary"
        }
    }
}

/// What the door's state is after an event, in the words status pages, MQTT and scripts use.
public enum DoorState: String, Hashable, Sendable, CaseIterable {
    case closed
    case open
    case heldOpen = "held_open"
    case alarm
    case locked
    case normalOpen = "normal_open"
}

/// A door's state change or a command on it.
public struct DoorChange: Hashable, Sendable {
    public enum Change: String, Hashable, Sendable, CaseIterable {
        /// The sensor reports the door open (200).
        case opened
        /// The sensor reports it closed (201).
        case closed
        /// Open longer than its timeout (28).
        case heldOpen = "held_open"
        /// Opened without a grant (102): the break-in latch is set.
        case forced
        /// Opened from the API, a script, an MQTT or Akuvox command (8).
        case openedRemotely = "opened_remotely"
        /// Closed remotely (9).
        case closedRemotely = "closed_remotely"
        /// Held open until closed remotely (205).
        case normalOpenEnabled = "normal_open_enabled"
        /// A normal-open timezone started (5).
        case normalOpenStarted = "normal_open_started"
        /// A normal-open period ended (204).
        case normalOpenEnded = "normal_open_ended"
        /// Its alarms were cleared (7).
        case alarmCleared = "alarm_cleared"
        /// Locked: every credential is refused (the mask flag). Journalled as a site event (1000).
        case locked
        /// Unlocked again.
        case unlocked
    }

    public var door: DoorID
    public var change: Change
    /// The door's state after the change.
    public var state: DoorState
    public var relay: RelayID?
    public var detail: String?

    /// The code the journal records for the change: its PUSH code, or the site-event code for lock changes, which
    /// the PUSH protocol has no event for.
    public var journalEvent: Int { event?.rawValue ?? Site.siteEventCode }

    /// The PUSH code of the change; nil for lock and unlock.
    public var event: PushEventCode? {
        switch change {
        case .opened: .doorOpened
        case .closed: .doorClosed
        case .heldOpen: .doorOpenTimeout
        case .forced: .openedAccidentally
        case .openedRemotely: .openedRemotely
        case .closedRemotely: .closedRemotely
        case .normalOpenEnabled: .normalOpenEnabledRemotely
        case .normalOpenStarted: .openedDuringNormalOpen
        case .normalOpenEnded: .normalOpenPeriodEnded
        case .alarmCleared: .alarmCancelled
        case .locked, .unlocked: nil
        }
    }

    /// Held open and forced doors are alarms.
    public var raisesAlarm: Bool { change == .heldOpen || change == .forced }
}

/// A relay output's level change.
public struct RelayChange: Hashable, Sendable {
    public var relay: RelayID
    public var isActive: Bool
    /// The door the relay drives, if any.
    public var door: DoorID?
}

/// A remote command switching an auxiliary output.
public struct OutputCommand: Hashable, Sendable {
    public var relay: RelayID
    public var on: Bool
    public var door: DoorID?
}

/// An event a PUSH device uploaded, with its own codes.
public struct DeviceReport: Hashable, Sendable {
    public var serialNumber: String
    public var event: Int
    public var verifyMode: Int
    public var door: DoorID?
    public var pin: UserPIN?
    public var card: String?
    public var detail: String?

    /// Whether the device's code is an alarm (Appendix 2's alarm class).
    public var isAlarm: Bool { PushEventCode(rawValue: event)?.eventClass == .alarm }
}

/// A hardware reader's supervision report (OSDP): offline (event 110) and tamper (100) are alarms; back online,
/// tamper cleared and a key installed are site events (1000, `reader.online` …).
public struct ReaderReport: Hashable, Sendable {
    public enum Change: String, Hashable, Sendable {
        case offline, online, tamper
        case tamperCleared = "tamper_cleared"
        case keyInstalled = "key_installed"
    }

    public var reader: ReaderID
    public var door: DoorID?
    public var change: Change
    public var detail: String

    public init(reader: ReaderID, door: DoorID?, change: Change, detail: String) {
        self.reader = reader
        self.door = door
        self.change = change
        self.detail = detail
    }

    /// The alarm this report raises, if it is one.
    public var alarmEvent: PushEventCode? {
        switch change {
        case .offline: .readerOffline
        case .tamper: .tamperAlarm
        case .online, .tamperCleared, .keyInstalled: nil
        }
    }
}

/// A SIP call's progress, as the door's SIP endpoint saw it. The journal keeps answered, refused, dialled, failed
/// and ended calls (events 239, 72 and 240), which is what the Akuvox `calllog` lists; DTMF digits heard during the
/// call enter the engine separately, as ``DTMFSequence``s with the same call id.
public struct CallReport: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable {
        /// A phone or monitor called the door.
        case incoming
        /// The door called out (the reception tab's `dial_account`).
        case outgoing
    }

    public enum Phase: String, Hashable, Sendable {
        /// An incoming call is ringing; the answer policy decides next. Not journalled.
        case ringing
        /// The door answered the incoming call (239).
        case answered
        /// The door refused the incoming call (72, with the reason).
        case refused
        /// The door placed an outgoing call (239).
        case dialing
        /// The called party answered the door's call. Not journalled.
        case connected
        /// The call ended after it was up (240).
        case ended
        /// An outgoing call was not answered or could not be placed, or an incoming one ended before it was up (72).
        case failed
    }

    public var call: String
    public var direction: Direction
    /// The caller of an incoming call (SIP user or host), the callee URI of an outgoing one.
    public var party: String
    public var phase: Phase
    public var detail: String?
    /// Seconds the call was up, for ``Phase/ended``.
    public var duration: Double?

    public init(
        call: String, direction: Direction, party: String, phase: Phase, detail: String? = nil, duration: Double? = nil
    ) {
        self.call = call
        self.direction = direction
        self.party = party
        self.phase = phase
        self.detail = detail
        self.duration = duration
    }

    /// The journal code of the phase; nil for the phases the journal does not keep.
    public var journalEvent: PushEventCode? {
        switch phase {
        case .answered, .dialing: .deviceCall
        case .refused, .failed: .callUnanswered
        case .ended: .callEnded
        case .ringing, .connected: nil
        }
    }
}

/// Gatehouse's own site events (`script.error`, `script.reload`, `parcel.code`, …), journalled with code 1000.
public struct SiteNote: Hashable, Sendable {
    public var name: String
    public var detail: String?
}

/// How the journal records an event: the fields of its ``JournalEntry`` other than index, time and source.
public struct JournalRecord: Hashable, Sendable {
    public var event: Int
    public var verifyMode: Int = VerifyMode.other.rawValue
    public var door: DoorID?
    public var reader: ReaderID?
    public var direction: Direction?
    public var pin: UserPIN?
    public var card: String?
    public var siteCode: Int?
    public var detail: String?
}

extension SiteEvent.Kind {
    /// The journal's projection of the event; nil when the journal does not keep it.
    public var journalRecord: JournalRecord? {
        switch self {
        case .decision(let decision):
            return JournalRecord(
                event: decision.event.rawValue, verifyMode: decision.verifyMode.rawValue, door: decision.door,
                reader: decision.reader, direction: decision.direction, pin: decision.user, card: decision.card?.decimal,
                siteCode: decision.siteCode, detail: decision.detail ?? decision.outcome.denyDetail)
        case .dtmf(let sequence):
            // The digits are not journalled: they may be a relay's code.
            let who = "call \(sequence.call) from \(sequence.caller)"
            switch sequence.result {
            case .opened:
                return JournalRecord(
                    event: PushEventCode.openedRemotely.rawValue, door: sequence.door,
                    detail: "\(who): DTMF code of relay \(sequence.relay.map(\.description) ?? "?")")
            case .callerNotAllowed:
                return JournalRecord(
                    event: DenyReason.callerNotAllowed.event.rawValue, door: sequence.door,
                    detail: "\(who): caller not allowed to open by DTMF")
            case .noMatchingCode:
                return JournalRecord(
                    event: DenyReason.unregistered.event.rawValue, detail: "\(who): no relay has this DTMF code")
            }
        case .button(let press):
            switch press.button {
            case .exit: return JournalRecord(event: press.event.rawValue, door: press.door)
            case .reception:
                return JournalRecord(
                    event: press.event.rawValue, door: press.door,
                    detail: "relays \(press.relays.map(\.description).joined(separator: ","))")
            }
        case .input(let change):
            // Exit buttons and door sensors are journalled as their button or door event.
            guard case .auxiliary = change.role else { return nil }
            let code: PushEventCode = change.isActive ? .auxiliaryInputTriggered : .auxiliaryInputNormal
            return JournalRecord(event: code.rawValue, detail: "input \(change.input)")
        case .door(let change):
            if change.event == nil {
                return JournalRecord(
                    event: change.journalEvent, door: change.door, detail: "door.\(change.change.rawValue): door \(change.door)")
            }
            return JournalRecord(event: change.journalEvent, door: change.door, detail: change.detail)
        case .relay:
            return nil
        case .output(let command):
            let code: PushEventCode = command.on ? .auxiliaryOutputEnabledRemotely : .auxiliaryOutputDisabledRemotely
            return JournalRecord(event: code.rawValue, door: command.door, detail: "relay \(command.relay)")
        case .device(let report):
            return JournalRecord(
                event: report.event, verifyMode: report.verifyMode, door: report.door, pin: report.pin, card: report.card,
                detail: report.detail)
        case .note(let note):
            let text = note.detail.map { "\(note.name): \($0)" } ?? note.name
            return JournalRecord(event: Site.siteEventCode, detail: String(text.prefix(1024)))
        case .reader(let report):
            if let alarm = report.alarmEvent {
                return JournalRecord(event: alarm.rawValue, door: report.door, reader: report.reader, detail: report.detail)
            }
            return JournalRecord(
                event: Site.siteEventCode, door: report.door, reader: report.reader,
                detail: "reader.\(report.change.rawValue): \(report.detail)")
        case .call(let report):
            guard let code = report.journalEvent else { return nil }
            let who = "call \(report.call) \(report.direction == .incoming ? "from" : "to") \(report.party)"
            var words = [report.phase.rawValue]
            if let duration = report.duration { words.append(String(format: "after %.0f s", duration)) }
            if let detail = report.detail { words.append(detail) }
            return JournalRecord(event: code.rawValue, detail: String("\(who): \(words.joined(separator: ", "))".prefix(1024)))
        case .configured:
            return nil
        }
    }
}

extension SiteEvent {
    /// The journal entry recording this event, as the journal stored it; nil when the journal does not keep it.
    public var journalEntry: JournalEntry? {
        guard let index = journalIndex, let record = kind.journalRecord else { return nil }
        return JournalEntry(
            index: index, time: time, localTime: localTime, event: record.event, verifyMode: record.verifyMode,
            door: record.door, reader: record.reader, direction: record.direction, pin: record.pin, card: record.card,
            siteCode: record.siteCode, source: source, detail: record.detail)
    }
}
