import Foundation
import PushProtocol

extension Site {
    /// An input changed level. Debounced; then dispatched by role: exit button, door sensor or auxiliary input
    /// (226 when triggered, 225 when back to normal, and its relay if it has one).
    ///
    /// A change within the input's debounce time of the last accepted one is contact bounce: it is not acted on at
    /// once, but the level the contact settles at is applied when the debounce time has passed (``tick()``).
    public func input(_ id: InputID, level: Level) throws(ModelError) {
        guard let input = inputs[id], inputStates[id] != nil else {
            throw ModelError(field: "input \(id)", rule: .notFound)
        }
        let instant = now
        settleInputs(at: instant)
        var state = inputStates[id] ?? InputState()
        let active = level == input.triggerLevel
        if let last = state.lastChange, instant < bounceEnds(after: last, for: input) {
            state.settlingActive = active == state.isActive ? nil : active
            inputStates[id] = state
            return
        }
        guard active != state.isActive else { return }
        try apply(input, active: active, at: instant)
    }

    /// Applies the levels inputs settled at once their debounce time has passed. The level is taken first; the
    /// only error its dispatch can raise is an input whose door is missing, which validation rules out, and with
    /// no caller to hear it, it is dropped.
    func settleInputs(at instant: Date) {
        for pending in settling() where pending.at <= instant {
            try? apply(pending.input, active: pending.active, at: pending.at)
        }
    }

    /// When the next settling input is due, for ``nextDeadline()``.
    func nextInputSettling() -> Date? { settling().map(\.at).min() }

    /// The inputs with a settling level, in id order, and when each is applied.
    private func settling() -> [(input: Input, active: Bool, at: Date)] {
        inputStates.keys.sorted().compactMap { id in
            guard let state = inputStates[id], let active = state.settlingActive, let last = state.lastChange,
                let input = inputs[id]
            else { return nil }
            return (input, active, bounceEnds(after: last, for: input))
        }
    }

    /// Until when a change after the one accepted at `last` is contact bounce.
    private func bounceEnds(after last: Date, for input: Input) -> Date {
        last.addingTimeInterval(Double(input.debounceMilliseconds) / 1000)
    }

    /// Accepts a level change and dispatches it by the input's role.
    private func apply(_ input: Input, active: Bool, at instant: Date) throws(ModelError) {
        let id = input.id
        inputStates[id] = InputState(isActive: active, lastChange: instant, settlingActive: nil)
        // Every accepted change is an input event, whatever the role; an exit button's press and a sensor's door
        // change follow as their own events.
        let inactive: Level = input.triggerLevel == .low ? .high : .low
        emit(
            .input(
                InputChange(
                    input: id, name: input.name, role: input.role, isActive: active,
                    level: active ? input.triggerLevel : inactive)), at: instant, source: .local)
        switch input.role {
        case .exitButton(let door):
            if active { _ = try exitButton(door: door, source: .local) }
        case .doorSensor(let door):
            doorSensorChanged(door, open: active, at: instant)
        case .auxiliary(let relay):
            if active, let relay {
                advanceRelays(to: instant)
                triggerRelay(relay, hold: nil, at: instant)
            }
        }
    }

    /// Whether the input is triggered (after debouncing).
    public func isInputActive(_ id: InputID) throws(ModelError) -> Bool {
        guard let state = inputStates[id] else { throw ModelError(field: "input \(id)", rule: .notFound) }
        return state.isActive
    }
}
