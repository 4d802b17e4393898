import AccessControl
import PushProtocol

/// Which part of the site the upstream server sees, and under which numbers.
///
/// A panel numbers its locks 1…LockCount. A Gatehouse site may expose only some of its doors (`upstream.doors`):
/// upstream door `n` is the `n`-th exposed local door. Door masks (`AuthorizeDoorId`), `CONTROL DEVICE` door
/// numbers and the `eventaddr` of uploaded events are translated through this map, so a server never addresses a
/// door it was not given and never sees events of one.
public struct UpstreamView: Sendable, Hashable {
    /// Local door IDs in upstream order (index 0 is upstream door 1).
    public let doors: [DoorID]
    /// Local readers whose events are uploaded; nil means every reader of an exposed door.
    public let readers: Set<ReaderID>?

    public init(doors: [DoorID], readers: Set<ReaderID>? = nil) {
        var seen = Set<DoorID>()
        self.doors = doors.filter { seen.insert($0).inserted }
        self.readers = readers
    }

    /// Doors 1…count, unchanged numbers (the simulator and tests).
    public static func identity(doors count: Int) -> UpstreamView {
        UpstreamView(doors: (1...max(1, count)).map(DoorID.init))
    }

    /// The local door of upstream door `number` (1-based); nil when the server names a door it was not given.
    public func localDoor(_ number: Int) -> DoorID? {
        guard number >= 1, number <= doors.count else { return nil }
        return doors[number - 1]
    }

    /// The upstream number of a local door; nil when it is not exposed.
    public func upstreamNumber(of door: DoorID) -> Int? {
        doors.firstIndex(of: door).map { $0 + 1 }
    }

    /// An `AuthorizeDoorId` mask (upstream numbering) as a local door mask.
    public func localMask(_ upstreamMask: UInt64) -> DoorMask {
        DoorMask((1...64).filter { upstreamMask & (1 << UInt64($0 - 1)) != 0 }.compactMap(localDoor))
    }

    /// A local door mask as the upstream `AuthorizeDoorId`, limited to exposed doors.
    public func upstreamMask(_ mask: DoorMask) -> UInt64 {
        var value: UInt64 = 0
        for (offset, door) in doors.enumerated() where offset < 64 && mask.contains(door) { value |= 1 << UInt64(offset) }
        return value
    }

    /// The local mask of every exposed door.
    public var exposedMask: DoorMask { DoorMask(doors) }

    /// Whether a journal entry is this controller's event for the upstream server. Not uploaded: Gatehouse's own
    /// site events (code 1000, outside PUSH), events other PUSH devices uploaded to this host's server role (and
    /// decisions it made for them) — they are those devices' events, not this controller's — and events of doors
    /// or readers that are not exposed. Events without a door (device-wide) go up.
    public func uploads(_ entry: JournalEntry, serialNumber: String) -> Bool {
        if entry.event == Site.siteEventCode { return false }
        if entry.source.kind == .push, entry.source.name != serialNumber { return false }
        if let reader = entry.reader, let readers, !readers.contains(reader) { return false }
        if let door = entry.door, upstreamNumber(of: door) == nil { return false }
        return true
    }

    /// The entry as the server sees it: the door renumbered.
    public func upstreamEntry(_ entry: JournalEntry) -> JournalEntry {
        var copy = entry
        if let door = entry.door, let number = upstreamNumber(of: door) { copy.door = DoorID(number) }
        return copy
    }
}
