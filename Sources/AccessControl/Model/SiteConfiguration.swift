import Foundation

/// Site-wide settings that are not a door, relay, input or reader.
public struct SiteSettings: Hashable, Sendable, Codable {
    /// The site's IANA time zone; schedules are evaluated in it and journal entries carry its local time.
    public var timeZoneIdentifier: String
    /// A configured DST rule (ZKTeco `DSTSetting`); nil follows the IANA zone's own rules.
    public var daylightSaving: DaylightSavingRule?
    /// Cards a user may hold (the Akuvox limit is 5).
    public var cardLimitPerUser: Int
    public var siteCodes: SiteCodes
    /// Appendix 8 device APB value (0 none, 1–6 between doors, 16–240 between readers of doors).
    public var antiPassback: Int
    /// Appendix 9 interlock value (0–5).
    public var interlock: Int
    public var dtmf: DTMFSettings
    public var reception: ReceptionSettings
    /// How long a ``DecisionAdvisor`` may take before the built-in decision stands.
    public var advisorDeadlineMilliseconds: Int

    public init(
        timeZoneIdentifier: String = "UTC", daylightSaving: DaylightSavingRule? = nil, cardLimitPerUser: Int = 5, siteCodes: SiteCodes = SiteCodes(),
        antiPassback: Int = 0, interlock: Int = 0, dtmf: DTMFSettings = DTMFSettings(),
        reception: ReceptionSettings = ReceptionSettings(), advisorDeadlineMilliseconds: Int = 200
    ) {
        self.timeZoneIdentifier = timeZoneIdentifier
        self.daylightSaving = daylightSaving
        self.cardLimitPerUser = cardLimitPerUser
        self.siteCodes = siteCodes
        self.antiPassback = antiPassback
        self.interlock = interlock
        self.dtmf = dtmf
        self.reception = reception
        self.advisorDeadlineMilliseconds = advisorDeadlineMilliseconds
    }
}

/// Everything that shapes a site except its users: doors, readers, relays, inputs, time rules and site settings.
public struct SiteConfiguration: Hashable, Sendable, Codable {
    public var settings: SiteSettings
    public var doors: [Door]
    public var readers: [Reader]
    public var relays: [Relay]
    public var inputs: [Input]
    public var timezones: [Timezone]
    public var holidays: [Holiday]
    public var firstCardRules: [FirstCardRule]
    public var multiCardCombinations: [MultiCardCombination]

    public init(
        settings: SiteSettings = SiteSettings(), doors: [Door] = [], readers: [Reader] = [], relays: [Relay] = [],
        inputs: [Input] = [], timezones: [Timezone] = [], holidays: [Holiday] = [], firstCardRules: [FirstCardRule] = [],
        multiCardCombinations: [MultiCardCombination] = []
    ) {
        self.settings = settings
        self.doors = doors
        self.readers = readers
        self.relays = relays
        self.inputs = inputs
        self.timezones = timezones
        self.holidays = holidays
        self.firstCardRules = firstCardRules
        self.multiCardCombinations = multiCardCombinations
    }

    /// The virtual four-door panel used when a site has no configuration: doors 1–4, each with its own monostable
    /// 5 s relay, exit button (inputs 1–4) and door sensor (inputs 5–8); readers 1–4 enter and 5–8 leave;
    /// timezone 1 is "always".
    public static func fourDoorPanel(timeZoneIdentifier: String = "UTC") -> SiteConfiguration {
        let ids = 1...4
        return SiteConfiguration(
            settings: SiteSettings(timeZoneIdentifier: timeZoneIdentifier),
            doors: ids.map { Door(id: DoorID($0), relay: RelayID($0)) },
            readers: ids.map { Reader(id: ReaderID($0), door: DoorID($0), direction: .entry) }
                + ids.map { Reader(id: ReaderID($0 + 4), door: DoorID($0), direction: .exit) },
            relays: ids.map { Relay(id: RelayID($0), mode: .monostable, holdDelay: 5) },
            inputs: ids.map { Input(id: InputID($0), name: "Exit button \($0)", role: .exitButton(DoorID($0))) }
                + ids.map { Input(id: InputID($0 + 4), name: "Door sensor \($0)", role: .doorSensor(DoorID($0))) },
            timezones: [.always(id: .always)])
    }
}
