import Foundation

/// A door's live state: what the sensor says, what normal-open modes hold it, who passed when.
struct DoorRuntime: Sendable {
    var persistent = PersistentDoorState()
    /// Inside a `DoorKeepOpenTimeZone` period.
    var scheduleNormalOpen = false
    var sensorOpen = false
    var openedAt: Date?
    var heldOpenReported = false
    /// Last grant per user, for the punch interval.
    var lastPass: [UserPIN: Date] = [:]
    /// Multi-card presentations waiting for the rest of their combination.
    var multiCardPending: [MultiCardPresentation] = []

    var isNormalOpen: Bool {
        persistent.remoteNormalOpen || persistent.firstCardNormalOpen || scheduleNormalOpen
    }
}

struct MultiCardPresentation: Hashable, Sendable {
    var user: UserPIN
    var group: Int
    var time: Date
}

/// Appendix 9 interlock groups: doors of a group may not be open at the same time.
enum InterlockRule {
    static func groups(for value: Int) -> [[Int]] {
        switch value {
        case 1: [[1, 2]]
        case 2: [[3, 4]]
        case 3: [[1, 2, 3]]
        case 4: [[1, 2], [3, 4]]
        case 5: [[1, 2, 3, 4]]
        default: []
        }
    }

    static let validValues = 0...5
}

/// Appendix 8 device anti-passback.
enum AntiPassbackRule {
    /// Values 1–6: two sides, each a set of doors; passing a door on the side last passed is refused.
    static func doorSides(for value: Int) -> [[Int]]? {
        switch value {
        case 1: [[1], [2]]
        case 2: [[3], [4]]  // value 3 combines 1 and 2 as two separate zones (see `zones`)
        case 4: [[1, 2], [3, 4]]
        case 5: [[1], [2, 3]]
        case 6: [[1], [2, 3, 4]]
        default: nil
        }
    }

    /// Values 16–240: bit 4 + n − 1 set means in/out APB between the readers of door n.
    static func readerDoors(for value: Int) -> [Int] {
        guard value >= 16 else { return [] }
        return (1...4).filter { value & (1 << ($0 + 3)) != 0 }
    }

    static func isValid(_ value: Int) -> Bool {
        (0...6).contains(value) || (value >= 16 && value <= 240 && value & 0x0F == 0)
            || value == 196  // listed in the reference table (its "3 and 4" row); read as 192
    }
}
