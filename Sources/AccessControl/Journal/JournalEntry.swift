import Foundation
import PushProtocol

/// Where an event came from.
public struct JournalSource: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A local reader, keypad, input or button.
        case local
        /// The REST API (name: the token or client).
        case api
        /// A PUSH server command or device upload (name: the device SN).
        case push
        /// A site script (name: the script).
        case script
        /// DTMF during a call (name: the caller).
        case dtmf
        /// The reception tab.
        case reception
        /// A SIP call's progress (name: the other party).
        case sip
        /// Time passing: schedules, timeouts.
        case schedule
        /// An MQTT command (name: the topic's client, when known).
        case mqtt
    }

    public var kind: Kind
    public var name: String?

    public init(_ kind: Kind, name: String? = nil) {
        self.kind = kind
        self.name = name
    }

    public static let local = JournalSource(.local)
    public static let schedule = JournalSource(.schedule)
    public static func api(_ name: String? = nil) -> JournalSource { JournalSource(.api, name: name) }
    public static func push(deviceSN: String) -> JournalSource { JournalSource(.push, name: deviceSN) }
    public static func script(_ name: String) -> JournalSource { JournalSource(.script, name: name) }
    public static let mqtt = JournalSource(.mqtt)

    public var description: String { name.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue }
}

/// One append-only journal record: a decision or a state change, with its PUSH event code.
public struct JournalEntry: Hashable, Sendable, Codable {
    /// Monotonic, gap-free within one database; survives restarts.
    public var index: UInt64
    public var time: Date
    /// Site local time `YYYY-MM-DD HH:MM:SS` at `time`.
    public var localTime: String
    /// Raw PUSH event code (Appendix 2).
    public var event: Int
    /// Raw verify mode code (Appendix 3); 200 ("other") for events that are not a verification.
    public var verifyMode: Int
    public var door: DoorID?
    public var reader: ReaderID?
    public var direction: Direction?
    public var pin: UserPIN?
    /// Card number, decimal.
    public var card: String?
    public var siteCode: Int?
    public var linkID: Int?
    public var source: JournalSource
    /// Human-readable detail: the deny reason, the relay, the input.
    public var detail: String?

    public init(
        index: UInt64, time: Date, localTime: String, event: Int, verifyMode: Int = VerifyMode.other.rawValue,
        door: DoorID? = nil, reader: ReaderID? = nil, direction: Direction? = nil, pin: UserPIN? = nil,
        card: String? = nil, siteCode: Int? = nil, linkID: Int? = nil, source: JournalSource, detail: String? = nil
    ) {
        self.index = index
        self.time = time
        self.localTime = localTime
        self.event = event
        self.verifyMode = verifyMode
        self.door = door
        self.reader = reader
        self.direction = direction
        self.pin = pin
        self.card = card
        self.siteCode = siteCode
        self.linkID = linkID
        self.source = source
        self.detail = detail
    }

    public var eventCode: PushEventCode? { PushEventCode(rawValue: event) }
}

extension JournalEntry {
    /// A decision on a presented credential (it names a reader, a user or a card).
    public var isCredentialDecision: Bool { reader != nil || pin != nil || card != nil }

    /// Appendix 2: codes 20–99 are refusals; everything else a decision journals is a pass.
    public var isRefusal: Bool { (20..<100).contains(event) }
}
