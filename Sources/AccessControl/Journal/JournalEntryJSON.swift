import Foundation
import PushProtocol

/// A journal entry as every outside reader sees it: the REST API's `/api/v1/events`, its SSE stream and MQTT's
/// `…/events` topic, so the fields cannot drift apart. `pin` is the user's number; no PIN code is ever journalled.
public struct JournalEntryJSON: Encodable, Sendable {
    public var entry: JournalEntry

    public init(entry: JournalEntry) { self.entry = entry }

    enum CodingKeys: String, CodingKey {
        case index, time, event, door, reader, direction, pin, card, source, detail
        case localTime = "local_time"
        case eventName = "event_name"
        case eventClass = "event_class"
        case verifyMode = "verify_mode"
        case siteCode = "site_code"
        case linkID = "link_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.index, forKey: .index)
        try container.encode(RFC3339.format(entry.time), forKey: .time)
        try container.encode(entry.localTime, forKey: .localTime)
        try container.encode(entry.event, forKey: .event)
        let code = PushEventCode(rawValue: entry.event)
        try container.encode(code?.name, forKey: .eventName)
        try container.encode(code.map { "\($0.eventClass)" }, forKey: .eventClass)
        try container.encode(entry.verifyMode, forKey: .verifyMode)
        try container.encode(entry.door?.rawValue, forKey: .door)
        try container.encode(entry.reader?.rawValue, forKey: .reader)
        try container.encode(entry.direction.map { $0 == .entry ? "in" : "out" }, forKey: .direction)
        try container.encode(entry.pin?.rawValue, forKey: .pin)
        try container.encode(entry.card, forKey: .card)
        try container.encode(entry.siteCode, forKey: .siteCode)
        try container.encode(entry.linkID, forKey: .linkID)
        try container.encode(entry.source.description, forKey: .source)
        try container.encode(entry.detail, forKey: .detail)
    }
}
