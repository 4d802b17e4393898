/// One access event row (`table=rtlog`, §7.2; also the remote-identification body of §10 and the event echo of
/// its reply). The record is the source of truth and keeps every field, known or not (`sitecode`, `linkid`,
/// `maskflag`, `temperature`, `convtemperature`, `bitCount`…); the properties below are typed readings of it.
public struct RealtimeEvent: Sendable, Hashable {
    public var record: PushRecord

    public init(record: PushRecord) { self.record = record }

    /// Builds a canonical row in the reference's field order.
    public init(
        time: PushDateTime, pin: String, cardNumber: String, eventAddress: Int, eventCode: Int,
        inOutStatus: Int, verifyType: String, index: Int, extra: [PushField] = []
    ) {
        let fields = [
            PushField("time", time.text), PushField("pin", pin), PushField("cardno", cardNumber),
            PushField("eventaddr", String(eventAddress)), PushField("event", String(eventCode)),
            PushField("inoutstatus", String(inOutStatus)), PushField("verifytype", verifyType),
            PushField("index", String(index)),
        ]
        self.record = PushRecord(fields: fields + extra)
    }

    /// The event time; `.unparsable` keeps the raw text of a device with a broken clock.
    public var time: PushTimestamp { PushTimestamp(record["time"] ?? "") }
    public var pin: String? { record["pin"] }
    public var cardNumberText: String? { record["cardno"] }
    public var cardNumber: CardNumber? { cardNumberText.flatMap { CardNumber(text: $0) } }
    public var eventCode: Int? { record["event"].flatMap { Int($0) } }
    public var event: PushEventCode? { eventCode.flatMap { PushEventCode(rawValue: $0) } }
    public var eventClass: PushEventClass? { eventCode.map { PushEventClass(code: $0) } }
    /// `eventaddr`: the door (or other point, see `addrtype`).
    public var eventAddress: Int? { record["eventaddr"].flatMap { Int($0) } }
    public var addressType: Int? { record["addrtype"].flatMap { Int($0) } }
    /// 0 in, 1 out (2 = none in some records).
    public var inOutStatus: Int? { record["inoutstatus"].flatMap { Int($0) } }
    public var verifyTypeText: String? { record["verifytype"] }
    /// The Appendix 3 mode when `verifytype` is a plain number.
    public var verifyMode: VerifyMode? {
        guard let text = verifyTypeText, text.utf8.count < 6, let value = Int(text) else { return nil }
        return VerifyMode(rawValue: value)
    }
    /// The factors when `verifytype` is the new 16-character form.
    public var verificationFactors: [Capabilities.VerificationFactor]? {
        guard let text = verifyTypeText, text.utf8.count == 16 else { return nil }
        return Capabilities.verificationFactors(text)
    }
    /// The record index on the device (restarts after a reset: deduplicate on serial + index + time).
    public var index: Int? { record["index"].flatMap { Int($0) } }
    public var siteCode: String? { record["sitecode"] }
    public var linkID: String? { record["linkid"] }
    public var maskFlag: Int? { record["maskflag"].flatMap { Int($0) } }
    public var temperature: String? { record["temperature"] }
    public var convertedTemperature: String? { record["convtemperature"] }
    /// `bitCount` or `bitcount` (WGRuleVer 2.0).
    public var bitCount: Int? { record["bitCount"].flatMap { Int($0) } }
}

/// One door-state row (`table=rtstate`, §7.3, and the same shape inside rtlog on some acc firmware).
public struct RealtimeState: Sendable, Hashable {
    public var record: PushRecord

    public init(record: PushRecord) { self.record = record }

    public init(time: PushDateTime, sensor: String, relay: String, alarm: String, extra: [PushField] = []) {
        self.record = PushRecord(fields: [
            PushField("time", time.text), PushField("sensor", sensor), PushField("relay", relay), PushField("alarm", alarm),
        ] + extra)
    }

    public var time: PushTimestamp { PushTimestamp(record["time"] ?? "") }
    public var sensor: String? { record["sensor"] }
    public var relay: String? { record["relay"] }
    public var alarm: String? { record["alarm"] }
    /// `door=` as some acc firmware sends it inside rtlog.
    public var door: String? { record["door"] }
    /// Per-door decoding, nil when a field is missing or not hex.
    public var doors: [DoorStatus]? {
        DoorStatus.decode(sensor: sensor ?? "", relay: relay ?? "", alarm: alarm ?? "")
    }
}

/// A row of an rtlog body: an event, or a door-state row (told apart by their keys: `sensor`/`relay`/`alarm`
/// without `event`).
public enum RealtimeRow: Sendable, Hashable {
    case event(RealtimeEvent)
    case state(RealtimeState)

    public init(record: PushRecord) {
        if !record.contains("event") && (record.contains("sensor") || record.contains("relay") || record.contains("alarm")) {
            self = .state(RealtimeState(record: record))
        } else {
            self = .event(RealtimeEvent(record: record))
        }
    }

    public var record: PushRecord {
        switch self {
        case .event(let event): event.record
        case .state(let state): state.record
        }
    }
}

/// What identifies one event across reconnects and replays: a device re-sends what it was unsure the server
/// stored, and after a reset its `index` starts again, so the index alone is not enough.
public struct EventIdentity: Sendable, Hashable, Codable {
    public var serialNumber: String
    public var index: String
    public var time: String
}

extension RealtimeEvent {
    /// The deduplication key: serial number + index + time (raw texts, so a broken clock still yields a key).
    public func identity(serialNumber: String) -> EventIdentity {
        EventIdentity(serialNumber: serialNumber, index: record["index"] ?? "", time: record["time"] ?? "")
    }
}
