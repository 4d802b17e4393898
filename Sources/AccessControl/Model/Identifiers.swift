import Foundation

/// A numeric identifier of a site object (door, reader, relay, input, timezone).
public protocol NumericIdentifier: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral where IntegerLiteralType == Int
{
    var rawValue: Int { get }
    init(_ rawValue: Int)
}

extension NumericIdentifier {
    public init(integerLiteral value: Int) { self.init(value) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Int.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public struct DoorID: NumericIdentifier {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
}

public struct ReaderID: NumericIdentifier {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
}

public struct RelayID: NumericIdentifier {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
}

public struct InputID: NumericIdentifier {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
}

public struct TimezoneID: NumericIdentifier {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// Timezone 1: by ZKTeco convention and in the default site, "always".
    public static let always: TimezoneID = 1
    /// Akuvox's built-in schedule 1001 "Always".
    public static let namedAlways: TimezoneID = 1001
    /// Akuvox's built-in schedule 1002 "Never".
    public static let namedNever: TimezoneID = 1002
}

/// The PUSH `Pin` field: a user's string identifier, unique on the site.
public struct UserPIN: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A set of doors as the `AuthorizeDoorId` bitmask: door N is bit N-1 (LOCK1 = 1, LOCK2 = 2, LOCK3 = 4 …).
public struct DoorMask: Hashable, Sendable, Codable {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ doors: [DoorID]) {
        rawValue = 0
        for door in doors where (1...64).contains(door.rawValue) { rawValue |= 1 << UInt64(door.rawValue - 1) }
    }
    public static let all = DoorMask(rawValue: .max)
    public func contains(_ door: DoorID) -> Bool {
        guard (1...64).contains(door.rawValue) else { return false }
        return rawValue & (1 << UInt64(door.rawValue - 1)) != 0
    }
    public var doors: [DoorID] { (1...64).filter { rawValue & (1 << UInt64($0 - 1)) != 0 }.map(DoorID.init) }
}

/// A validity window; either end may be open.
///
/// Stored as two doubles (±infinity for an open end) rather than two optional dates: a million users each carry
/// one, and the compact form halves its size.
public struct DateWindow: Hashable, Sendable, Codable {
    private var lower: Double
    private var upper: Double

    public init(start: Date? = nil, end: Date? = nil) {
        lower = start?.timeIntervalSince1970 ?? -.infinity
        upper = end?.timeIntervalSince1970 ?? .infinity
    }

    public var start: Date? {
        get { lower == -.infinity ? nil : Date(timeIntervalSince1970: lower) }
        set { lower = newValue?.timeIntervalSince1970 ?? -.infinity }
    }

    public var end: Date? {
        get { upper == .infinity ? nil : Date(timeIntervalSince1970: upper) }
        set { upper = newValue?.timeIntervalSince1970 ?? .infinity }
    }

    public func contains(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        return seconds >= lower && seconds <= upper
    }

    private enum CodingKeys: String, CodingKey {
        case start
        case end
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            start: try container.decodeIfPresent(Date.self, forKey: .start),
            end: try container.decodeIfPresent(Date.self, forKey: .end))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(start, forKey: .start)
        try container.encodeIfPresent(end, forKey: .end)
    }
}
