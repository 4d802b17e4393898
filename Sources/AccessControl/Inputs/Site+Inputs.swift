import Foundation
import PushProtocol

extension Site {
    /// An input changed level. Debounced; then dispatched by role: exit button, door sensor or auxiliary input
    /// (226 when triggered, 225 when back to normal, and its relay if it has one).
    public func input(_ id: InputID, level: Level) throws(ModelError) {
        guard let input = inputs[id], var state = inputStates[id] else {
            throw ModelError(field: "input \(id)", rule: .notFound)
        }
        let instant = now
        let active = level == input.triggerLevel
        guard active != state.isActive else { return }
        if let last = state.lastChange, instant.timeIntervalSince(last) * 1000 < Double(input.debounceMilliseconds) {
            return  // contact bounce
        }
        state.isActive = active
        state.lastChange = instant
        inputStates[id] = state
        switch input.role {
        case .exitButton(let door):
            if active { _ = try exitButton(door: door, source: .local) }
        case .doorSensor(let door):
            doorSensorChanged(door, open: active, at: instant)
        case .auxiliary(let relay):
            record(
                active ? .auxiliaryInputTriggered : .auxiliaryInputNormal, at: instant, source: .local,
                detail: "input \(id)")
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
