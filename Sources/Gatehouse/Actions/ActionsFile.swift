import Foundation
import Outbound

/// What a site does to the outside world (issue 8), as declared in `<site dir>/actions.toml`: cameras, the
/// FTP/TFTP/mail targets of input actions, per-input actions, web relays, action URLs, the reception button and
/// the third-party verification client. A site without the file has no outbound actions.
///
/// Why a file beside `main.lua` rather than keys in the main configuration: these are per-item lists (up to 50
/// web relay actions, one table per input or camera) that belong to the site, and they reload with it.
struct SiteActionSettings: Sendable, Equatable {
    /// The `$mac $ip $model $firmware` of action URLs, and the third-party `{DeviceID}`.
    var mac = ""
    var ip = ""
    var model = "Gatehouse"
    var firmware = GatehouseHost.version
    var deviceID = ""
    var cameras: [Camera] = []
    var targets = ActionTargets()
    var inputs: [InputActionSettings] = []
    /// Input → camera, when an input takes its picture from another camera than the first one.
    var inputCameras: [String: String] = [:]
    var webRelay = WebRelaySettings()
    /// User PIN → web relay action id (Akuvox user "Web Relay"; 0 or absent = none).
    var userWebRelays: [String: Int] = [:]
    var actionURLs = ActionURLSettings(enabled: false)
    var reception = ReceptionSettings()
    var thirdParty = ThirdPartySettings()
    /// The file these came from and where inputs and reception relays were declared, for errors found later
    /// (checks against the site's inputs and relays).
    var source = fileName
    var lines: [String: Int] = [:]

    static let fileName = "actions.toml"

    var device: ActionURLContext {
        ActionURLContext(mac: mac, ip: ip, model: model, firmware: firmware, time: Date(timeIntervalSince1970: 0))
    }
}

extension SiteActionSettings {
    /// Reads `<site>/actions.toml`; no file means no actions. Errors name file:line: key.
    static func load(siteDirectory: URL?) throws(ConfigurationError) -> SiteActionSettings {
        guard let siteDirectory else { return SiteActionSettings() }
        let file = siteDirectory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return SiteActionSettings() }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ConfigurationError(
                source: file.path, line: nil, key: "", reason: "cannot read the file (\(GatehouseConfiguration.reason(error)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(source: file.path, line: nil, key: "", reason: "not valid UTF-8")
        }
        return try parse(text, source: file.path)
    }

    static func parse(_ text: String, source: String) throws(ConfigurationError) -> SiteActionSettings {
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw ConfigurationError(source: source, line: error.line, key: "", reason: error.message)
        }
        var settings = SiteActionSettings()
        settings.source = source
        let known = ["device", "ftp", "tftp", "mail", "webrelay", "action_urls", "reception", "third_party"]
        for (name, line) in document.sectionLines.sorted(by: { $0.value < $1.value }) where !known.contains(name) {
            throw ConfigurationError(
                source: source, line: line, key: name,
                reason:
                    "unknown section (known: \(known.joined(separator: ", ")), and [[camera]], [[input]], [[webrelay_action]])")
        }
        for (name, tables) in document.tableArrays where !["camera", "input", "webrelay_action"].contains(name) {
            throw ConfigurationError(
                source: source, line: tables.first?.line, key: name,
                reason: "unknown table array (known: [[camera]], [[input]], [[webrelay_action]])")
        }
        func section(_ name: String) -> TableReader {
            TableReader(source: source, prefix: name, line: document.sectionLines[name], entries: document.sections[name] ?? [:])
        }
        func tables(_ name: String) -> [TableReader] {
            (document.tableArrays[name] ?? []).enumerated().map { index, table in
                TableReader(source: source, prefix: "\(name)[\(index + 1)]", line: table.line, entries: table.entries)
            }
        }

        var device = section("device")
        settings.mac = try device.string("mac") ?? ""
        settings.ip = try device.string("ip") ?? ""
        settings.model = try device.string("model") ?? settings.model
        settings.firmware = try device.string("firmware") ?? settings.firmware
        settings.deviceID = try device.string("device_id") ?? ""
        try device.finish()

        for var table in tables("camera") {
            let name = try table.required("name")
            guard !settings.cameras.contains(where: { $0.name == name }) else {
                throw table.problem("name", "camera \"\(name)\" is declared twice")
            }
            let url = try table.required("url")
            guard url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") else {
                throw table.problem("url", "a camera snapshot URL must be http:// or https://")
            }
            let camera = Camera(
                name: name, snapshotURL: url, authentication: try table.authentication(),
                options: try table.options(defaultTimeout: 10_000))
            try table.finish()
            settings.cameras.append(camera)
        }

        var ftpTable = section("ftp")
        if ftpTable.isPresent {
            let url = try ftpTable.required("url")
            guard url.lowercased().hasPrefix("ftp://") || url.lowercased().hasPrefix("ftps://") else {
                throw ftpTable.problem("url", "expected ftp://host[:port]/dir or ftps://…")
            }
            let security: FTPSecurity =
                switch try ftpTable.choice("security", ["none", "explicit_tls", "implicit_tls"]) ?? "none" {
                case "explicit_tls": .explicitTLS
                case "implicit_tls": .implicitTLS
                default: .none
                }
            settings.targets.ftp = .init(
                url: url, user: try ftpTable.string("user"), password: try ftpTable.string("password"), security: security,
                fileNameTemplate: try ftpTable.string("file_name") ?? InputActionSettings.defaultFileName,
                options: try ftpTable.options(defaultTimeout: 30_000))
        }
        try ftpTable.finish()

        var tftpTable = section("tftp")
        if tftpTable.isPresent {
            let url = try tftpTable.required("url")
            guard url.lowercased().hasPrefix("tftp://") else { throw tftpTable.problem("url", "expected tftp://host[:port]/dir") }
            settings.targets.tftp = .init(
                url: url, fileNameTemplate: try tftpTable.string("file_name") ?? InputActionSettings.defaultFileName,
                options: try tftpTable.options(defaultTimeout: 30_000))
        }
        try tftpTable.finish()

        var mailTable = section("mail")
        if mailTable.isPresent {
            let server = try mailTable.required("server")
            guard server.lowercased().hasPrefix("smtp://") || server.lowercased().hasPrefix("smtps://") else {
                throw mailTable.problem("server", "expected smtp://host[:port] or smtps://host[:port]")
            }
            let chosen = try mailTable.choice("security", ["none", "starttls", "tls"])
            let security: MailSecurity =
                chosen == "starttls"
                ? .startTLS : chosen == "tls" || server.lowercased().hasPrefix("smtps:") ? .implicitTLS : .none
            let to = try mailTable.stringList("to") ?? []
            guard !to.isEmpty else { throw mailTable.problem("to", "name at least one recipient") }
            var mail = ActionTargets.Mail(
                server: server, security: security, user: try mailTable.string("user"),
                password: try mailTable.string("password"),
                from: try mailTable.required("from"), to: to, options: try mailTable.options(defaultTimeout: 30_000))
            if let subject = try mailTable.string("subject") { mail.subjectTemplate = subject }
            if let body = try mailTable.string("body") { mail.bodyTemplate = body }
            settings.targets.mail = mail
        }
        try mailTable.finish()
        settings.targets.camera = settings.cameras.first?.name

        for var table in tables("input") {
            let id = try table.requiredInteger("id", 1...255)
            guard !settings.inputs.contains(where: { $0.input == String(id) }) else {
                throw table.problem("id", "input \(id) is declared twice")
            }
            var input = InputActionSettings(input: String(id), door: try table.string("door") ?? "")
            for name in try table.stringList("actions") ?? [] {
                guard let action = InputActionSettings.Action(rawValue: name) else {
                    throw table.problem("actions", "unknown action '\(name)' (expected ftp, email, http, tftp)")
                }
                input.actions.insert(action)
            }
            input.httpURL = try table.string("http_url") ?? ""
            input.delaySeconds = try table.integer("delay_s", 0...86_400) ?? 0
            input.delayMode =
                try table.choice("delay_mode", ["unconditional", "still_triggered"]) == "still_triggered"
                ? .executeIfStillTriggered : .unconditional
            input.executeRelay = try table.integer("relay", 1...255).map(String.init)
            if let camera = try table.string("camera") {
                guard settings.cameras.contains(where: { $0.name == camera }) else {
                    throw table.problem("camera", "no [[camera]] named \"\(camera)\"")
                }
                settings.inputCameras[input.input] = camera
            }
            if input.actions.contains(.http), input.httpURL.trimmingCharacters(in: .whitespaces).isEmpty {
                throw table.problem("http_url", "the http action needs an http_url")
            }
            for (action, present, section) in [
                (InputActionSettings.Action.ftp, settings.targets.ftp != nil, "[ftp]"),
                (.email, settings.targets.mail != nil, "[mail]"), (.tftp, settings.targets.tftp != nil, "[tftp]"),
            ]
            where input.actions.contains(action) {
                guard present else { throw table.problem("actions", "the \(action.rawValue) action needs a \(section) section") }
                if action != .email, settings.cameras.isEmpty {
                    throw table.problem("actions", "the \(action.rawValue) action uploads a snapshot: declare a [[camera]]")
                }
            }
            try table.finish()
            settings.lines["input \(input.input)"] = table.headerLine
            settings.lines["input \(input.input) relay"] = table.line(of: "relay")
            settings.inputs.append(input)
        }

        var relay = section("webrelay")
        let type = try relay.choice("type", ["disabled", "web_relay_only", "local_then_web_relay"])
        settings.webRelay.type =
            type == "web_relay_only" ? .webRelayOnly : type == "local_then_web_relay" ? .localThenWebRelay : .disabled
        settings.webRelay.address = try relay.string("address") ?? ""
        settings.webRelay.user = try relay.string("user") ?? ""
        settings.webRelay.password = try relay.string("password") ?? ""
        settings.webRelay.authentication = try relay.scheme("auth") ?? .any
        settings.webRelay.key = try relay.string("key") ?? ""
        settings.webRelay.callExtension = try relay.string("extension") ?? ""
        settings.webRelay.options = try relay.options(defaultTimeout: 10_000)
        let userLine = relay.line(of: "users")
        for item in try relay.stringList("users") ?? [] {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let id = Int(parts[1]), (0...WebRelaySettings.maximumActions).contains(id)
            else {
                throw ConfigurationError(
                    source: source, line: userLine, key: "webrelay.users",
                    reason: "expected \"<user pin>=<web relay id 0-50>\", got '\(item)'")
            }
            settings.userWebRelays[parts[0]] = id
        }

        for var table in tables("webrelay_action") {
            let id = try table.requiredInteger("id", 1...WebRelaySettings.maximumActions)
            let action: WebRelayAction
            if let presetName = try table.string("preset") {
                guard
                    let preset = WebRelayPreset(
                        name: presetName, number: try table.integer("number", 0...65_535), relay: try table.string("relay"))
                else {
                    throw table.problem(
                        "preset", "unknown preset '\(presetName)' (expected \(WebRelayPreset.names.joined(separator: ", ")))")
                }
                let seconds = try table.integer("seconds", 1...65_535) ?? 5
                let commandName = try table.choice("command", WebRelayCommand.names) ?? "pulse"
                guard let command = WebRelayCommand(name: commandName, seconds: seconds) else {
                    throw table.problem("command", "unknown command")
                }
                do {
                    action = try preset.action(id: id, command)
                } catch {
                    throw table.problem("command", error.description)
                }
                if try table.string("url") != nil { throw table.problem("url", "give either a preset or a url, not both") }
                // A preset knows its vendor's scheme; an explicit [webrelay] auth still wins.
                if relay.line(of: "auth") == nil, preset.authentication != .any {
                    settings.webRelay.authentication = preset.authentication
                }
            } else {
                action = WebRelayAction(
                    id: id, url: try table.required("url"), method: try table.string("method") ?? "GET",
                    body: try table.string("body"),
                    contentType: try table.string("content_type"))
            }
            try table.finish()
            if settings.webRelay.actions.contains(where: { $0.id == id }) {
                throw table.problem("id", "web relay action \(id) is declared twice")
            }
            settings.webRelay.actions.append(action)
        }
        if let problem = settings.webRelay.problems().first {
            throw ConfigurationError(
                source: source, line: relay.headerLine ?? document.tableArrays["webrelay_action"]?.first?.line, key: "webrelay",
                reason: problem.description)
        }
        for (user, id) in settings.userWebRelays.sorted(by: { $0.key < $1.key }) where id != 0 {
            guard settings.webRelay.actions.contains(where: { $0.id == id }) else {
                throw ConfigurationError(
                    source: source, line: userLine, key: "webrelay.users",
                    reason: "user \(user) refers to web relay action \(id), which is not declared")
            }
        }
        try relay.finish()

        var urls = section("action_urls")
        settings.actionURLs.enabled = try urls.bool("enabled") ?? urls.isPresent
        settings.actionURLs.method = try urls.choice("method", ["GET", "POST", "PUT"]) ?? "GET"
        settings.actionURLs.revealCodes = try urls.bool("reveal_codes") ?? false
        settings.actionURLs.authentication = try urls.authentication()
        settings.actionURLs.options = try urls.options(defaultTimeout: 10_000)
        for event in ActionURLEvent.allCases {
            if let template = try urls.string(event.rawValue) { settings.actionURLs.templates[event] = template }
        }
        try urls.finish(hint: "event names are \(ActionURLEvent.allCases.map(\.rawValue).joined(separator: ", "))")

        var reception = section("reception")
        if let relays = try reception.integerList("relays", 1...255) { settings.reception.relays = relays.map(String.init) }
        settings.lines["reception.relays"] = reception.line(of: "relays")
        if let url = try reception.string("http_url") {
            settings.reception.httpURL = url
            settings.reception.httpActionEnabled = !url.trimmingCharacters(in: .whitespaces).isEmpty
        }
        settings.reception.dialAccount = try reception.string("dial_account") ?? settings.reception.dialAccount
        try reception.finish()

        var third = section("third_party")
        if third.isPresent {
            let mode = try third.choice("mode", ["none", "general", "customize"]) ?? "general"
            settings.thirdParty.mode = ThirdPartySettings.Mode(rawValue: mode) ?? ThirdPartySettings.Mode.none
            for name in try third.stringList("methods") ?? [] {
                let method: ThirdPartySettings.Method? =
                    switch name {
                    case "qr_code": .qrCode
                    case "card": .card
                    case "pin": .pin
                    default: nil
                    }
                guard let method else { throw third.problem("methods", "unknown method '\(name)' (expected qr_code, card, pin)") }
                settings.thirdParty.remoteMethods.insert(method)
            }
            if settings.thirdParty.mode == .customize, settings.thirdParty.remoteMethods.isEmpty {
                throw third.problem("methods", "customize mode needs at least one of qr_code, card, pin")
            }
            let url = try third.required("url")
            guard url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") else {
                throw third.problem("url", "expected an http:// or https:// URL template")
            }
            settings.thirdParty.urlTemplate = url
            settings.thirdParty.deviceID = try third.string("device_id") ?? settings.deviceID
            settings.thirdParty.successParameter = try third.required("success")
            settings.thirdParty.failedParameter = try third.required("failure")
            if settings.thirdParty.successParameter == settings.thirdParty.failedParameter {
                throw third.problem("failure", "must differ from success")
            }
            settings.thirdParty.method = try third.choice("method", ["GET", "POST"]) ?? "GET"
            settings.thirdParty.onTimeout = try third.choice("on_timeout", ["deny", "grant"]) == "grant" ? .grant : .deny
            settings.thirdParty.authentication = try third.authentication()
            var options = try third.options(defaultTimeout: 3_000)
            options.connectTimeoutMilliseconds = min(options.connectTimeoutMilliseconds, options.totalTimeoutMilliseconds)
            settings.thirdParty.options = options
        }
        try third.finish()
        return settings
    }
}

/// One `[section]` or `[[table]]` of the actions file: typed reads that name file:line: key on error, and a final
/// check that no key was left unread (a typo must not be silently ignored).
struct TableReader {
    let source: String
    let prefix: String
    let headerLine: Int?
    private let entries: [String: TOMLDocument.Entry]
    private var read: Set<String> = []

    init(source: String, prefix: String, line: Int?, entries: [String: TOMLDocument.Entry]) {
        self.source = source
        self.prefix = prefix
        self.headerLine = line
        self.entries = entries
    }

    var isPresent: Bool { headerLine != nil || !entries.isEmpty }

    func line(of key: String) -> Int? { entries[key]?.line }

    func problem(_ key: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(source: source, line: entries[key]?.line ?? headerLine, key: "\(prefix).\(key)", reason: reason)
    }

    private mutating func value(_ key: String) -> TOMLDocument.Value? {
        read.insert(key)
        return entries[key]?.value
    }

    mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw problem(key, "expected a string, got a \(value.typeName)") }
        return text
    }

    mutating func required(_ key: String) throws(ConfigurationError) -> String {
        guard let text = try string(key), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw problem(key, "is required")
        }
        return text
    }

    mutating func integer(_ key: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .integer(let number) = value else { throw problem(key, "expected an integer, got a \(value.typeName)") }
        guard range.contains(number) else {
            throw problem(key, "\(number) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    mutating func requiredInteger(_ key: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let number = try integer(key, range) else { throw problem(key, "is required") }
        return number
    }

    mutating func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .boolean(let flag) = value else { throw problem(key, "expected true or false, got a \(value.typeName)") }
        return flag
    }

    mutating func choice(_ key: String, _ choices: [String]) throws(ConfigurationError) -> String? {
        guard let text = try string(key) else { return nil }
        guard choices.contains(text) else {
            throw problem(key, "expected one of \(choices.joined(separator: ", ")), got '\(text)'")
        }
        return text
    }

    mutating func stringList(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw problem(key, "expected an array of strings, got a \(value.typeName)") }
        var strings: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw problem(key, "expected an array of strings") }
            strings.append(text)
        }
        return strings
    }

    mutating func integerList(_ key: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> [Int]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw problem(key, "expected an array of integers, got a \(value.typeName)") }
        var numbers: [Int] = []
        for item in items {
            guard case .integer(let number) = item, range.contains(number) else {
                throw problem(key, "expected integers in \(range.lowerBound)...\(range.upperBound)")
            }
            numbers.append(number)
        }
        return numbers
    }

    mutating func scheme(_ key: String) throws(ConfigurationError) -> HTTPAuthentication.Scheme? {
        try choice(key, ["any", "basic", "digest"]).flatMap(HTTPAuthentication.Scheme.init(rawValue:))
    }

    /// `user`, `password` and `auth` (any, basic, digest; Digest covers MD5 and SHA-256) when a user is given.
    mutating func authentication() throws(ConfigurationError) -> HTTPAuthentication? {
        let user = try string("user")
        let password = try string("password")
        let scheme = try scheme("auth")
        guard let user, !user.isEmpty else {
            if password != nil { throw problem("password", "a password needs a user") }
            return nil
        }
        return HTTPAuthentication(scheme ?? .any, user: user, password: password ?? "")
    }

    /// `timeout_ms`, `ca_file` and `verify_tls`.
    mutating func options(defaultTimeout: Int) throws(ConfigurationError) -> TransportOptions {
        var options = TransportOptions(totalTimeoutMilliseconds: try integer("timeout_ms", 1...600_000) ?? defaultTimeout)
        options.connectTimeoutMilliseconds = min(options.connectTimeoutMilliseconds, options.totalTimeoutMilliseconds)
        if let file = try string("ca_file") {
            guard FileManager.default.isReadableFile(atPath: file) else { throw problem("ca_file", "cannot read \(file)") }
            options.caFile = file
        }
        options.verifyTLS = try bool("verify_tls") ?? true
        return options
    }

    /// Every key must have been read: an unknown one is a typo.
    func finish(hint: String? = nil) throws(ConfigurationError) {
        if let unread = entries.filter({ !read.contains($0.key) }).min(by: { $0.value.line < $1.value.line }) {
            throw ConfigurationError(
                source: source, line: unread.value.line, key: "\(prefix).\(unread.key)",
                reason: "unknown key" + (hint.map { " (\($0))" } ?? ""))
        }
    }
}

/// For `gatehouse check DIR`: the site's actions file checked offline (without the site's database, so inputs and
/// relays are not matched against the site's). Empty when the file is fine or absent.
public enum SiteActionsCheck {
    public static func problems(siteDirectory: URL) -> [String] {
        do {
            _ = try SiteActionSettings.load(siteDirectory: siteDirectory)
            return []
        } catch {
            return [error.description]
        }
    }
}
