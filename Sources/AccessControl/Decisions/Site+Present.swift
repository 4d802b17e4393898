import Foundation
import PushProtocol

/// The outcome of the built-in rules before it is applied: what to journal and what a grant changes.
struct Evaluation: Sendable {
    var outcome: Decision.Outcome
    var event: PushEventCode
    var verifyMode: VerifyMode
    var user: User?
    var door: Door?
    var reader: Reader?
    var card: CardNumber?
    var siteCode: Int?
    var detail: String?
    /// What a grant does to the door.
    var grant: Grant = .pulse(hold: nil)
    /// The door's multi-card queue after this presentation, when it changes.
    var multiCardQueue: [MultiCardPresentation]?

    enum Grant: Sendable {
        /// Release the lock for `hold` seconds (nil: the relay's hold delay).
        case pulse(hold: Int?)
        /// The door is already held open.
        case none
        /// Start first-card normal open.
        case firstCardNormalOpen
        /// Record first-card activation and release the lock.
        case firstCardActivation(hold: Int?)
    }

    static func denied(_ reason: DenyReason, _ mode: VerifyMode, user: User? = nil, door: Door? = nil, reader: Reader? = nil) -> Evaluation {
        Evaluation(outcome: .denied(reason), event: reason.event, verifyMode: mode, user: user, door: door, reader: reader)
    }
}

extension Site {
    /// Decides on a credential presented at a reader, applies the decision (relay, anti-passback, first-card and
    /// multi-card state) and journals it. A ``DecisionAdvisor``, when installed, may refine the built-in decision
    /// within the site's advisor deadline.
    public func present(_ credential: Credential, at reader: ReaderID, source: JournalSource = .local) async -> Decision {
        let instant = now
        advanceRelays(to: instant)
        let localTime = local(instant)
        var evaluation = evaluate(credential, at: reader, instant: instant, localTime: localTime)
        if let advisor {
            let request = DecisionRequest(
                credential: credential, reader: reader, door: evaluation.door?.id, direction: evaluation.reader?.direction,
                user: evaluation.user, time: instant, localTime: localTime.formatted)
            guard advisor.mayAdvise(request) else { return apply(evaluation, credential: credential, at: reader, instant: instant, source: source) }
            let builtIn = Decision(
                outcome: evaluation.outcome, event: evaluation.event, verifyMode: evaluation.verifyMode,
                user: evaluation.user?.pin, door: evaluation.door?.id, reader: reader, journalIndex: 0)
            let deadline = instant.addingTimeInterval(Double(configuration.settings.advisorDeadlineMilliseconds) / 1000)
            let verdict = await Site.consult(advisor, request: request, builtIn: builtIn, clock: clock, deadline: deadline)
            evaluation = refine(evaluation, with: verdict, credential: credential)
        }
        return apply(evaluation, credential: credential, at: reader, instant: instant, source: source)
    }

    /// Asks the advisor, giving up at `deadline`. The advisor keeps running if late, but its answer is ignored.
    private static func consult(
        _ advisor: any DecisionAdvisor, request: DecisionRequest, builtIn: Decision, clock: any SiteClock, deadline: Date
    ) async -> Verdict? {
        let gate = FirstAnswer()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Verdict?, Never>) in
            gate.set(continuation)
            let work = Task {
                let verdict = await advisor.advise(request, builtIn: builtIn)
                gate.answer(verdict)
            }
            // The deadline timer ends with the answer: left sleeping, every decision would keep a timer alive for
            // the whole deadline, and under load thousands of them crowd the scheduler.
            gate.setTimer(
                Task {
                    try? await clock.sleep(until: deadline)
                    guard !Task.isCancelled else { return }
                    gate.answer(nil)
                    work.cancel()
                })
        }
    }

    private func refine(_ evaluation: Evaluation, with verdict: Verdict?, credential: Credential) -> Evaluation {
        guard let verdict else { return evaluation }
        var refined = evaluation
        switch (verdict, evaluation.outcome) {
        case (.grant, .granted):
            break
        case (.deny(let reason, let because), .denied):
            // Already refused: the advisor's words say why, and its reason replaces the built-in one.
            refined.outcome = .denied(reason)
            refined.event = reason.event
            refined.detail = because ?? (evaluation.outcome != .denied(reason) ? "refined by script" : evaluation.detail)
        case (.grant, .denied):
            guard refined.door != nil else { return evaluation }  // no door to open
            refined.outcome = .granted
            refined.event = .openedAfterVerification
            refined.grant = .pulse(hold: refined.door.flatMap { driveTime($0, extended: refined.user?.hasExtendedUnlock ?? false) })
            refined.multiCardQueue = nil
            refined.detail = "granted by script"
        case (.deny(let reason, let because), .granted):
            refined.outcome = .denied(reason)
            refined.event = reason.event
            refined.multiCardQueue = nil
            refined.detail = because ?? "denied by script"
        }
        return refined
    }

    func evaluate(_ credential: Credential, at readerID: ReaderID, instant: Date, localTime: LocalTime) -> Evaluation {
        let mode = credential.verifyMode
        guard let reader = readers[readerID], let door = doors[reader.door], let state = doorStates[door.id] else {
            return .denied(.unknownReader, mode)
        }
        guard !door.isDisabled else { return .denied(.doorDisabled, mode, door: door, reader: reader) }

        // Codes that belong to the door or the site rather than to a user.
        if case .pin(let code) = credential {
            if let emergency = door.emergencyPassword, code == emergency {
                return Evaluation(
                    outcome: .granted, event: .openedWithEmergencyPassword, verifyMode: .password, door: door, reader: reader,
                    grant: .pulse(hold: driveTime(door, extended: false)))
            }
            if let duress = door.duressPassword, code == duress {
                return Evaluation(
                    outcome: .granted, event: .duressPassword, verifyMode: .password, door: door, reader: reader,
                    detail: "duress password", grant: .pulse(hold: driveTime(door, extended: false)))
            }
            if configuration.settings.siteCodes.publicPINs.contains(code) {
                if door.isLocked { return .denied(.doorLocked, mode, door: door, reader: reader) }
                guard schedules.isActive(door.validTimezone, at: localTime, instant: instant) else {
                    return .denied(.doorOutsideValidTimezone, mode, door: door, reader: reader)
                }
                if isInterlocked(door) { return .denied(.interlock, mode, door: door, reader: reader) }
                return Evaluation(
                    outcome: .granted, event: state.isNormalOpen ? .verifiedDuringNormalOpen : .openedByPassword,
                    verifyMode: .password, door: door, reader: reader, detail: "public PIN",
                    grant: state.isNormalOpen ? .none : .pulse(hold: driveTime(door, extended: false)))
            }
        }

        // Who is it?
        var presentedCard: CardNumber?
        var presentedSiteCode: Int?
        let slot: Int32?
        switch credential {
        case .card(let number, _, let siteCode):
            presentedCard = number
            presentedSiteCode = siteCode
            slot = users.cards[number.value]
        case .cardAndPIN(let number, _):
            presentedCard = number
            slot = users.cards[number.value]
        case .pin(let code):
            slot = users.privatePINs[code]
        case .apartmentPIN(let apartment, let code):
            slot = users.privatePINs[code].flatMap { users[$0]?.residence?.apartment == apartment ? $0 : nil }
        case .userID(let pin, _):
            slot = users.slot(of: pin)
        case .plate(let text):
            slot = users.plates[LicencePlate.normalised(text)]
        case .qrCode(let token):
            slot = users.qrTokens[token]
        case .identity(let identity):
            slot = users.identities[identity]
        }
        guard let slot, let user = users[slot] else {
            var denied = Evaluation.denied(.unregistered, mode, door: door, reader: reader)
            if case .qrCode = credential { denied = .denied(.invalidQRCode, mode, door: door, reader: reader) }
            denied.card = presentedCard
            denied.siteCode = presentedSiteCode
            return denied
        }
        func deny(_ reason: DenyReason) -> Evaluation {
            var denied = Evaluation.denied(reason, mode, user: user, door: door, reader: reader)
            denied.card = presentedCard
            denied.siteCode = presentedSiteCode
            return denied
        }

        // The credential itself.
        switch credential {
        case .card(let number, _, _), .cardAndPIN(let number, _):
            if let card = user.cards.first(where: { $0.number == number }), card.isLost { return deny(.cardLost) }
            if presentedSiteCode == nil { presentedSiteCode = user.cards.first { $0.number == number }?.siteCode }
            if case .cardAndPIN(_, let code) = credential, user.privatePIN != code { return deny(.wrongPassword) }
        case .userID(_, let password):
            if let password, user.privatePIN != password { return deny(.wrongPassword) }
        case .plate(let text):
            let normalised = LicencePlate.normalised(text)
            if let plate = user.plates.first(where: { $0.text == normalised }), let validity = plate.validity,
                !validity.contains(instant)
            {
                return deny(.expired)
            }
        case .qrCode(let token):
            if let qr = user.qrTokens.first(where: { $0.token == token }), !qr.validity.contains(instant) {
                return deny(.expiredQRCode)
            }
        case .pin, .apartmentPIN, .identity:
            break
        }

        // The user.
        if user.isDisabled { return deny(.blacklisted) }
        if let validity = user.validity, !validity.contains(instant) { return deny(.expired) }
        let requiredMode = user.verifyMode ?? door.verifyMode
        guard requiredMode.accepts(credential.factors) else { return deny(.wrongVerifyMode) }
        if door.isLocked { return deny(.doorLocked) }

        var granted = Evaluation(
            outcome: .granted, event: credential.isPassword ? .openedByPassword : .openedAfterVerification,
            verifyMode: mode, user: user, door: door, reader: reader, card: presentedCard, siteCode: presentedSiteCode,
            grant: .pulse(hold: driveTime(door, extended: user.hasExtendedUnlock)))

        if user.isSuperUser {
            granted.event = .superUserOpened
            if state.isNormalOpen { granted.grant = .none }
            return granted
        }

        // When and where.
        guard schedules.isActive(door.validTimezone, at: localTime, instant: instant) else {
            return deny(.doorOutsideValidTimezone)
        }
        var hasDoor = false
        var inTime = false
        for authorisation in user.authorisations where authorisation.doors.contains(door.id) {
            hasDoor = true
            if let validity = authorisation.validity, !validity.contains(instant) { continue }
            if schedules.isActive(authorisation.timezone, at: localTime, instant: instant) {
                inTime = true
                break
            }
        }
        guard hasDoor else { return deny(.noRightToDoor) }
        guard inTime else { return deny(.outsideTimezone) }

        let isFirstCardHolder = (firstCardRules[door.id] ?? []).contains {
            $0.user == user.pin && schedules.isActive($0.timezone, at: localTime, instant: instant)
        }
        if door.firstCardMode == .activation, !state.persistent.firstCardActivated, !isFirstCardHolder {
            return deny(.awaitingFirstCard)
        }
        if door.punchInterval > 0, let last = state.lastPass[user.pin],
            instant.timeIntervalSince(last) < TimeInterval(door.punchInterval)
        {
            return deny(.punchInterval)
        }
        if violatesAntiPassback(user: user.pin, door: door, direction: reader.direction, instant: instant) {
            return deny(.antiPassback)
        }
        if !state.isNormalOpen, isInterlocked(door) { return deny(.interlock) }

        if state.isNormalOpen {
            granted.event = credential.isPassword ? .passwordDuringNormalOpen : .verifiedDuringNormalOpen
            granted.grant = .none
            return granted
        }

        if isFirstCardHolder {
            switch door.firstCardMode {
            case .normalOpen where !state.persistent.firstCardNormalOpen:
                granted.event = .firstUserOpened
                granted.grant = .firstCardNormalOpen
                return granted
            case .activation where !state.persistent.firstCardActivated:
                granted.event = .firstUserOpened
                granted.grant = .firstCardActivation(hold: driveTime(door, extended: user.hasExtendedUnlock))
                return granted
            default:
                break
            }
        }

        if door.multiCardOpen {
            return multiCard(user: user, door: door, state: state, instant: instant, granted: granted, deny: deny)
        }
        return granted
    }

    private func multiCard(
        user: User, door: Door, state: DoorRuntime, instant: Date, granted: Evaluation, deny: (DenyReason) -> Evaluation
    ) -> Evaluation {
        var queue = state.multiCardPending
        if let last = queue.last, instant.timeIntervalSince(last.time) > TimeInterval(door.multiCardInterval) {
            queue = []
        }
        if queue.contains(where: { $0.user == user.pin }) {
            var waiting = deny(.multiCardWaiting)
            waiting.multiCardQueue = queue
            return waiting
        }
        queue.append(MultiCardPresentation(user: user.pin, group: user.group, time: instant))
        var presented: [Int: Int] = [:]
        for item in queue { presented[item.group, default: 0] += 1 }
        var fits = false
        for combination in multiCardCombinations[door.id] ?? [] {
            var needed: [Int: Int] = [:]
            for group in combination.groups where group > 0 { needed[group, default: 0] += 1 }
            guard presented.allSatisfy({ needed[$0.key, default: 0] >= $0.value }) else { continue }
            if presented == needed {
                var opened = granted
                opened.event = .multipleUsersOpened
                opened.multiCardQueue = []
                opened.detail = "with " + queue.dropLast().map(\.user.rawValue).joined(separator: ",")
                return opened
            }
            fits = true
        }
        if fits {
            var waiting = deny(.multiCardWaiting)
            waiting.multiCardQueue = queue
            return waiting
        }
        var failed = deny(.multiCardFailed)
        failed.multiCardQueue = []
        return failed
    }

    func isInterlocked(_ door: Door) -> Bool {
        for group in InterlockRule.groups(for: configuration.settings.interlock) where group.contains(door.id.rawValue) {
            for other in group where other != door.id.rawValue {
                let otherID = DoorID(other)
                guard let otherDoor = doors[otherID] else { continue }
                if doorStates[otherID]?.sensorOpen == true || isRelayActive(otherDoor.relay) { return true }
            }
        }
        return false
    }

    /// The anti-passback zones a pass through `door` in `direction` belongs to, with the side it takes and
    /// whether passing on the same side twice is refused in this zone.
    func antiPassbackZones(door: Door, direction: Direction) -> [(zone: String, side: Int, enforced: Bool)] {
        var zones: [(String, Int, Bool)] = []
        switch door.antiPassback {
        case .none: break
        case .entry: zones.append(("door:\(door.id)", direction.rawValue, direction == .entry))
        case .exit: zones.append(("door:\(door.id)", direction.rawValue, direction == .exit))
        case .both: zones.append(("door:\(door.id)", direction.rawValue, true))
        }
        let value = configuration.settings.antiPassback
        let sideSets: [[[Int]]] =
            switch value {
            case 3: [[[1], [2]], [[3], [4]]]
            default: AntiPassbackRule.doorSides(for: value).map { [$0] } ?? []
            }
        for (number, sides) in sideSets.enumerated() {
            if let side = sides.firstIndex(where: { $0.contains(door.id.rawValue) }) {
                zones.append(("doors:\(value):\(number)", side, true))
            }
        }
        let readerValue = value == 196 ? 192 : value
        if AntiPassbackRule.readerDoors(for: readerValue).contains(door.id.rawValue) {
            zones.append(("readers:\(door.id)", direction.rawValue, true))
        }
        return zones
    }

    func violatesAntiPassback(user: UserPIN, door: Door, direction: Direction, instant: Date) -> Bool {
        for zone in antiPassbackZones(door: door, direction: direction) where zone.enforced {
            guard let position = positions[AntiPassbackKey(user: user, zone: zone.zone)] else { continue }
            if door.antiPassbackDuration > 0,
                instant.timeIntervalSince(position.time) >= TimeInterval(door.antiPassbackDuration)
            {
                continue
            }
            if position.side == zone.side { return true }
        }
        return false
    }

    func apply(
        _ evaluation: Evaluation, credential: Credential, at reader: ReaderID, instant: Date, source: JournalSource
    ) -> Decision {
        if let door = evaluation.door, let queue = evaluation.multiCardQueue {
            doorStates[door.id]?.multiCardPending = queue
        }
        if evaluation.outcome == .granted, let door = evaluation.door {
            switch evaluation.grant {
            case .pulse(let hold):
                triggerRelay(door.relay, hold: hold, at: instant)
            case .none:
                break
            case .firstCardNormalOpen:
                doorStates[door.id]?.persistent.firstCardNormalOpen = true
                persistDoor(door.id)
                holdRelay(door.relay, true, at: instant)
            case .firstCardActivation(let hold):
                doorStates[door.id]?.persistent.firstCardActivated = true
                persistDoor(door.id)
                triggerRelay(door.relay, hold: hold, at: instant)
            }
            if let user = evaluation.user {
                if door.punchInterval > 0 { notePass(of: user.pin, at: door, instant: instant) }
                if let reader = evaluation.reader {
                    for zone in antiPassbackZones(door: door, direction: reader.direction) {
                        let key = AntiPassbackKey(user: user.pin, zone: zone.zone)
                        let position = AntiPassbackPosition(side: zone.side, time: instant)
                        positions[key] = position
                        persist(.position(key, position))
                    }
                }
            }
        }
        let decision = CredentialDecision(
            credential: credential, reader: evaluation.reader?.id, door: evaluation.door?.id,
            direction: evaluation.reader?.direction, user: evaluation.user?.pin, userName: evaluation.user?.name,
            outcome: evaluation.outcome, event: evaluation.event, verifyMode: evaluation.verifyMode, card: evaluation.card,
            siteCode: evaluation.siteCode, detail: evaluation.detail)
        let index = emitJournalled(.decision(decision), at: instant, source: source)
        return Decision(
            outcome: evaluation.outcome, event: evaluation.event, verifyMode: evaluation.verifyMode,
            user: evaluation.user?.pin, door: evaluation.door?.id, reader: evaluation.reader?.id, journalIndex: index,
            detail: evaluation.detail)
    }

    /// Remembers a pass for the punch interval. Entries older than the interval are useless, so the map is pruned
    /// when it grows: memory stays proportional to recent traffic, not to the number of users.
    private func notePass(of user: UserPIN, at door: Door, instant: Date) {
        guard var state = doorStates[door.id] else { return }
        doorStates[door.id] = nil  // keep the dictionary uniquely referenced while editing it
        if state.lastPass.count >= 4096 {
            let horizon = instant.addingTimeInterval(-TimeInterval(door.punchInterval))
            state.lastPass = state.lastPass.filter { $0.value > horizon }
        }
        state.lastPass[user] = instant
        doorStates[door.id] = state
    }

    /// Where a user stands in the site's anti-passback zones.
    public func antiPassbackPositions(of user: UserPIN) -> [AntiPassbackKey: AntiPassbackPosition] {
        positions.filter { $0.key.user == user }
    }

    /// Forgets a user's anti-passback positions (a guard lets them through by hand).
    public func resetAntiPassback(of user: UserPIN) {
        for key in positions.keys where key.user == user {
            positions[key] = nil
            persist(.position(key, nil))
        }
    }
}

extension Decision.Outcome {
    public var denyDetail: String? {
        if case .denied(let reason) = self { return reason.rawValue }
        return nil
    }
}

extension Credential {
    var isPassword: Bool {
        switch self {
        case .pin, .apartmentPIN: true
        case .userID(_, let password): password != nil
        default: false
        }
    }
}

/// Resumes a continuation with the first answer only.
///
/// `@unchecked Sendable`: `continuation` and `done` are touched only while holding `lock`.
final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Verdict?, Never>?
    private var done = false
    private var timer: Task<Void, Never>?

    func set(_ continuation: CheckedContinuation<Verdict?, Never>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    /// The deadline timer, cancelled as soon as an answer arrives (at once if one already has).
    func setTimer(_ task: Task<Void, Never>) {
        lock.lock()
        let answered = done
        if !answered { timer = task }
        lock.unlock()
        if answered { task.cancel() }
    }

    func answer(_ verdict: Verdict?) {
        lock.lock()
        guard !done, let continuation else {
            lock.unlock()
            return
        }
        done = true
        self.continuation = nil
        let timer = self.timer
        self.timer = nil
        lock.unlock()
        timer?.cancel()
        continuation.resume(returning: verdict)
    }
}
