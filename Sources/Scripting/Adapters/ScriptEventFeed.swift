import AccessControl
import Foundation

/// Follows the door engine's typed events and hands them to the site's observer handlers (`decision`, `dtmf`,
/// `button`, `input`, `door`, `relay`, `alarm`, `device_event`). One follower for the host's lifetime; scripts
/// reloaded meanwhile get the next events. The decision never waits for it: events reach the scripts after the
/// engine has moved on.
public enum ScriptEventFeed {
    public static func run(site: Site, scripts: ScriptHost) async {
        for await batch in await site.events() {
            await deliver(batch, to: scripts)
        }
    }

    /// Maps a batch (off the script thread, skipping events no handler observes) and delivers it in one hop.
    public static func deliver(_ batch: [SiteEvent], to scripts: ScriptHost) async {
        guard let last = batch.last?.sequence else { return }
        var observed: [(ScriptEvent, [String: LuaValue])] = []
        for event in batch where candidates(event.kind).contains(where: scripts.isObserving) {
            for (name, fields) in ScriptEventFields.events(for: event) where scripts.isObserving(name) {
                observed.append((name, fields))
            }
        }
        await scripts.deliver(observed, through: last)
    }

    /// The handler events a kind can stand for: lets the feed skip building tables nobody reads.
    static func candidates(_ kind: SiteEvent.Kind) -> [ScriptEvent] {
        switch kind {
        case .decision: [.decision, .alarm]
        case .dtmf: [.dtmf]
        case .button: [.button]
        case .input: [.input]
        case .door: [.door, .alarm]
        case .relay: [.relay]
        case .device: [.deviceEvent, .alarm]
        case .reader: [.alarm]
        case .call: [.call]
        case .output, .note, .configured: []
        }
    }
}
