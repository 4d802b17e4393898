import Foundation

/// Fires a local relay; the composition root adapts the door engine (AccessControl) to it.
public protocol RelayFirer: Sendable {
    func fire(relay: String) async
}

public enum InputLevel: String, Sendable, Codable {
    case low, high
}

/// Where the "preconfigured" FTP server, mail account and TFTP server of the input page are.
public struct ActionTargets: Sendable, Codable, Equatable {
    public struct FTP: Sendable, Codable, Equatable {
        /// `ftp://host:port/dir` or `ftps://…`; the file name comes from the template.
        public var url: String
        public var user: String?
        public var password: String?
        public var security: FTPSecurity
        public var fileNameTemplate: String
        public var options: TransportOptions
        public init(url: String, user: String? = nil, password: String? = nil, security: FTPSecurity = .none,
                    fileNameTemplate: String = InputActionSettings.defaultFileName, options: TransportOptions = TransportOptions()) {
            self.url = url
            self.user = user
            self.password = password
            self.security = security
            self.fileNameTemplate = fileNameTemplate
            self.options = options
        }
    }

    public struct TFTP: Sendable, Codable, Equatable {
        public var url: String
        public var fileNameTemplate: String
        public var options: TransportOptions
        public init(url: String, fileNameTemplate: String = InputActionSettings.defaultFileName, options: TransportOptions = TransportOptions()) {
            self.url = url
            self.fileNameTemplate = fileNameTemplate
            self.options = options
        }
    }

    public struct Mail: Sendable, Codable, Equatable {
        public var server: String
        public var security: MailSecurity
        public var user: String?
        public var password: String?
        public var from: String
        public var to: [String]
        public var subjectTemplate: String
        public var bodyTemplate: String
        public var options: TransportOptions
        public init(server: String, security: MailSecurity = .none, user: String? = nil, password: String? = nil, from: String,
                    to: [String], subjectTemplate: String = "Gatehouse: $event at $door",
                    bodyTemplate: String = "Event $event on input at $door, $time.", options: TransportOptions = TransportOptions()) {
            self.server = server
            self.security = security
            self.user = user
            self.password = password
            self.from = from
            self.to = to
            self.subjectTemplate = subjectTemplate
            self.bodyTemplate = bodyTemplate
            self.options = options
        }
    }

    public var ftp: FTP?
    public var tftp: TFTP?
    public var mail: Mail?
    /// The camera whose snapshot FTP, TFTP and e-mail actions carry.
    public var camera: String?

    public init(ftp: FTP? = nil, tftp: TFTP? = nil, mail: Mail? = nil, camera: String? = nil) {
        self.ftp = ftp
        self.tftp = tftp
        self.mail = mail
        self.camera = camera
    }
}

/// One input's "Intercom > Input" settings (the parts that act on the outside world).
public struct InputActionSettings: Sendable, Codable, Equatable {
    public static let defaultFileName = "$door-$event-$time.jpg"

    public enum Action: String, Sendable, Codable, Hashable, CaseIterable {
        case ftp, email, http, tftp
    }

    public enum DelayMode: String, Sendable, Codable {
        case unconditional
        /// Checked when the delay has elapsed, through `InputStateReader`.
        case executeIfStillTriggered
    }

    public var input: String
    public var door: String
    public var triggerLevel: InputLevel
    public var actions: Set<Action>
    /// `http://server/Message` as on Akuvox (the scheme may be left out), or any full URL; `$variables` allowed.
    public var httpURL: String
    public var delaySeconds: Int
    public var delayMode: DelayMode
    /// Relay to fire when the input triggers (immediately, not delayed).
    public var executeRelay: String?

    public init(
        input: String, door: String = "", triggerLevel: InputLevel = .low, actions: Set<Action> = [], httpURL: String = "",
        delaySeconds: Int = 0, delayMode: DelayMode = .unconditional, executeRelay: String? = nil
    ) {
        self.input = input
        self.door = door
        self.triggerLevel = triggerLevel
        self.actions = actions
        self.httpURL = httpURL
        self.delaySeconds = delaySeconds
        self.delayMode = delayMode
        self.executeRelay = executeRelay
    }
}

/// What one input firing produced, for the journal.
public struct InputFiring: Sendable, Equatable {
    public var input: String
    public var at: Date
    public var relayFired: String?
    /// Outbox ids of the actions, in the order FTP, e-mail, HTTP, TFTP.
    public var actionIDs: [Int64]
    /// Actions that could not be queued (missing target, bad URL), with why.
    public var problems: [String]
}

/// Turns input edges into relay firings and outbox entries. Delays live in the outbox (`notBefore`),
/// so a pending delayed action survives a restart, and the "still triggered" check happens at fire
/// time through the outbox's `InputStateReader`.
public struct InputActions: Sendable {
    public var settings: [String: InputActionSettings]
    public var targets: ActionTargets
    public var device: ActionURLContext
    private let outbox: Outbox
    private let relays: (any RelayFirer)?

    public init(settings: [InputActionSettings], targets: ActionTargets, device: ActionURLContext, outbox: Outbox,
                relays: (any RelayFirer)?) {
        self.settings = Dictionary(settings.map { ($0.input, $0) }, uniquingKeysWith: { _, last in last })
        self.targets = targets
        self.device = device
        self.outbox = outbox
        self.relays = relays
    }

    /// Whether a level means "triggered" for this input.
    public func isTriggered(input: String, level: InputLevel) -> Bool {
        settings[input]?.triggerLevel == level
    }

    /// Call on every level change of an input. Returns the firing when the new level is the trigger level.
    public func levelChanged(input: String, to level: InputLevel, at time: Date) async -> InputFiring? {
        guard let setting = settings[input], setting.triggerLevel == level else { return nil }
        return await fire(setting, at: time)
    }

    /// Call when the door engine reports the input triggered (its trigger level already applied there).
    /// Returns nil when the input has no actions configured.
    public func triggered(input: String, at time: Date) async -> InputFiring? {
        guard let setting = settings[input] else { return nil }
        return await fire(setting, at: time)
    }

    private func fire(_ setting: InputActionSettings, at time: Date) async -> InputFiring {
        let input = setting.input
        var firing = InputFiring(input: input, at: time, relayFired: nil, actionIDs: [], problems: [])
        if let relay = setting.executeRelay, let relays {
            await relays.fire(relay: relay)
            firing.relayFired = relay
        }
        var context = device
        context.time = time
        context.event = "input_\(input)_triggered"
        context.door = setting.door.isEmpty ? input : setting.door
        let fireAt = time.addingTimeInterval(TimeInterval(max(0, setting.delaySeconds)))
        let condition: FireCondition? = setting.delayMode == .executeIfStillTriggered ? .inputStillTriggered(input: input) : nil
        let names = TemplateRenderer(revealCodes: false, encodeForURL: false)
        let fileName = { (template: String) in
            names.render(template, context).replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ":", with: "")
        }

        var planned: [(OutboundAction, Bool)] = []
        for action in InputActionSettings.Action.allCases where setting.actions.contains(action) {
            switch action {
            case .ftp:
                guard let ftp = targets.ftp else { firing.problems.append("FTP action without an FTP server"); continue }
                let base = ftp.url.hasSuffix("/") ? ftp.url : ftp.url + "/"
                planned.append((.upload(FileUpload(
                    url: base + fileName(ftp.fileNameTemplate), data: Data(), user: ftp.user, password: ftp.password,
                    security: ftp.url.lowercased().hasPrefix("ftps:") ? .implicitTLS : ftp.security, options: ftp.options)), true))
            case .email:
                guard let mail = targets.mail else { firing.problems.append("e-mail action without a mail account"); continue }
                planned.append((.mail(MailMessage(
                    server: mail.server, security: mail.security, user: mail.user, password: mail.password, from: mail.from,
                    to: mail.to, subject: names.render(mail.subjectTemplate, context), body: names.render(mail.bodyTemplate, context),
                    options: mail.options)), true))
            case .http:
                var url = TemplateRenderer().render(setting.httpURL.trimmingCharacters(in: .whitespaces), context)
                guard !url.isEmpty else { firing.problems.append("HTTP action without an HTTP URL"); continue }
                if !WebRelaySettings.isAbsolute(url) { url = "http://" + url }
                planned.append((.http(HTTPRequest(url: url)), false))
            case .tftp:
                guard let tftp = targets.tftp else { firing.problems.append("TFTP action without a TFTP server"); continue }
                let base = tftp.url.hasSuffix("/") ? tftp.url : tftp.url + "/"
                planned.append((.upload(FileUpload(url: base + fileName(tftp.fileNameTemplate), data: Data(), options: tftp.options)), true))
            }
        }
        for (action, wantsImage) in planned {
            let camera = wantsImage ? targets.camera : nil
            if wantsImage, camera == nil, case .upload = action {
                firing.problems.append("\(action.summary): no camera configured for the snapshot")
                continue
            }
            do {
                let id = try await outbox.enqueue(
                    action, source: "input \(input)", notBefore: fireAt, condition: condition, snapshotCamera: camera)
                firing.actionIDs.append(id)
            } catch {
                firing.problems.append("\(action.summary): \(error)")
            }
        }
        return firing
    }
}

/// The reception button: fire its relays, call its URL, and remember the dial account for SIP.
public struct ReceptionSettings: Sendable, Codable, Equatable {
    public var relays: [String]
    public var httpActionEnabled: Bool
    public var httpURL: String
    /// The SIP account to call the receptionist with ("Default" = account 1); recorded for the SIP work.
    public var dialAccount: String

    public init(relays: [String] = [], httpActionEnabled: Bool = false, httpURL: String = "", dialAccount: String = "Default") {
        self.relays = relays
        self.httpActionEnabled = httpActionEnabled
        self.httpURL = httpURL
        self.dialAccount = dialAccount
    }
}

public struct ReceptionPress: Sendable, Equatable {
    public var relaysFired: [String]
    public var actionID: Int64?
    public var dialAccount: String
    public var problem: String?
}

public struct ReceptionButton: Sendable {
    public var settings: ReceptionSettings
    private let outbox: Outbox
    private let relays: (any RelayFirer)?

    public init(settings: ReceptionSettings, outbox: Outbox, relays: (any RelayFirer)?) {
        self.settings = settings
        self.outbox = outbox
        self.relays = relays
    }

    public func press() async -> ReceptionPress {
        var result = ReceptionPress(relaysFired: [], actionID: nil, dialAccount: settings.dialAccount, problem: nil)
        if let relays {
            for relay in settings.relays {
                await relays.fire(relay: relay)
                result.relaysFired.append(relay)
            }
        }
        let url = settings.httpURL.trimmingCharacters(in: .whitespaces)
        if settings.httpActionEnabled, !url.isEmpty {
            let absolute = WebRelaySettings.isAbsolute(url) ? url : "http://" + url
            do {
                result.actionID = try await outbox.enqueue(.http(HTTPRequest(url: absolute)), source: "reception")
            } catch {
                result.problem = error.description
            }
        }
        return result
    }
}
