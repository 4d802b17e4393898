import Foundation
import Outbound
import Testing

@testable import Gatehouse

/// The site's actions file: what each declaration becomes, and the file:line: key of every mistake.
@Suite("actions.toml")
struct ActionsFileTests {
    static let full = """
        [device]
        mac = "0C:11:05:00:00:01"
        ip = "10.0.0.20"
        device_id = "gate-1"

        [[camera]]
        name = "gate"
        url = "http://10.0.0.8/jpeg.cgi"
        user = "admin"
        password = "pw"
        auth = "digest"

        [[camera]]
        name = "yard"
        url = "https://10.0.0.9/snap.jpg"

        [ftp]
        url = "ftp://10.0.0.9/doors"
        user = "camera"
        password = "upload"

        [mail]
        server = "smtp://10.0.0.9:25"
        security = "starttls"
        from = "door@example.org"
        to = ["guard@example.org"]

        [[input]]
        id = 1
        actions = ["ftp", "email", "http"]
        http_url = "10.0.0.9/Message"
        delay_s = 5
        delay_mode = "still_triggered"
        relay = 2
        camera = "yard"

        [webrelay]
        type = "web_relay_only"
        address = "10.0.0.30"
        user = "admin"
        password = "relay"
        users = ["1001=1", "1002=2", "1003=0"]
        key = "9"

        [[webrelay_action]]
        id = 1
        preset = "shelly_gen2"
        number = 1
        command = "pulse"
        seconds = 4

        [[webrelay_action]]
        id = 2
        url = "http://admin:admin@192.168.1.2/state.xml?relayState=2"

        [action_urls]
        valid_card = "http://10.0.0.9/card?sn=$card_sn"
        reveal_codes = true

        [reception]
        relays = [1, 2]
        http_url = "10.0.0.9/reception"
        dial_account = "Account 2"

        [third_party]
        mode = "customize"
        methods = ["card", "qr_code"]
        url = "http://10.0.0.9/scan?codeKey={Card}&deviceId={DeviceID}"
        success = "OK"
        failure = "DENY"
        on_timeout = "grant"
        timeout_ms = 800
        """

    @Test("every section of a full file becomes the Outbound settings it declares")
    func fullFile() throws {
        let settings = try SiteActionSettings.parse(Self.full, source: "actions.toml")
        #expect(settings.mac == "0C:11:05:00:00:01")
        #expect(settings.cameras.map(\.name) == ["gate", "yard"])
        #expect(settings.cameras.first?.authentication == HTTPAuthentication(.digest, user: "admin", password: "pw"))
        #expect(settings.targets.camera == "gate")
        #expect(settings.targets.ftp?.user == "camera")
        #expect(settings.targets.mail?.security == .startTLS)
        let input = try #require(settings.inputs.first)
        #expect(input.actions == [.ftp, .email, .http])
        #expect(input.delaySeconds == 5 && input.delayMode == .executeIfStillTriggered)
        #expect(input.executeRelay == "2")
        #expect(settings.inputCameras == ["1": "yard"])
        #expect(settings.webRelay.type == .webRelayOnly)
        #expect(settings.webRelay.authentication == .digest)  // from the Shelly Gen2 preset
        #expect(settings.userWebRelays == ["1001": 1, "1002": 2, "1003": 0])
        #expect(try settings.webRelay.request(forAction: 1).url == "http://10.0.0.30/rpc")
        #expect(try settings.webRelay.request(forAction: 1).body == Data(#"{"id":1,"method":"Switch.Set","params":{"id":1,"on":true,"toggle_after":4}}"#.utf8))
        #expect(try settings.webRelay.request(forAction: 2).authentication == HTTPAuthentication(.any, user: "admin", password: "admin"))
        #expect(settings.webRelay.plan(userWebRelayID: 1, trigger: .card) == (false, 1))
        #expect(settings.webRelay.plan(userWebRelayID: 1, trigger: .pin) == (false, nil))  // the key allows cards and DTMF only
        #expect(settings.actionURLs.enabled && settings.actionURLs.revealCodes)
        #expect(settings.reception.relays == ["1", "2"] && settings.reception.dialAccount == "Account 2")
        #expect(settings.thirdParty.mode == .customize && settings.thirdParty.remoteMethods == [.card, .qrCode])
        #expect(settings.thirdParty.deviceID == "gate-1" && settings.thirdParty.onTimeout == .grant)
        #expect(settings.thirdParty.options.totalTimeoutMilliseconds == 800)
    }

    @Test("an empty file declares nothing; action URLs stay off without their section")
    func emptyFile() throws {
        let settings = try SiteActionSettings.parse("# nothing yet\n", source: "actions.toml")
        #expect(settings.inputs.isEmpty && settings.cameras.isEmpty && settings.webRelay.actions.isEmpty)
        #expect(!settings.actionURLs.enabled)
        #expect(settings.thirdParty.mode == .none)
    }

    @Test("every web relay preset of the research table can be declared by name", arguments: WebRelayPreset.names)
    func presets(name: String) throws {
        let settings = try SiteActionSettings.parse(
            "[webrelay]\naddress = \"10.0.0.5\"\n[[webrelay_action]]\nid = 3\npreset = \"\(name)\"\n", source: "actions.toml")
        #expect(try settings.webRelay.request(forAction: 3).url.hasPrefix("http://10.0.0.5/"))
    }

    @Test("mistakes name file:line: key", arguments: [
        ("[[input]]\nid = 1\nactions = [\"ftp\"]\n", "actions.toml:3: input[1].actions: the ftp action needs a [ftp] section"),
        ("[[input]]\nid = 1\nactions = [\"beep\"]\n", "actions.toml:3: input[1].actions: unknown action 'beep' (expected ftp, email, http, tftp)"),
        ("[[input]]\nid = 1\nactions = [\"http\"]\n", "actions.toml:1: input[1].http_url: the http action needs an http_url"),
        ("[[input]]\nid = 1\n[[input]]\nid = 1\n", "actions.toml:4: input[2].id: input 1 is declared twice"),
        ("[[camera]]\nname = \"a\"\n", "actions.toml:1: camera[1].url: is required"),
        ("[[webrelay_action]]\nid = 1\npreset = \"acme\"\n", "actions.toml:3: webrelay_action[1].preset: unknown preset 'acme' (expected \(WebRelayPreset.names.joined(separator: ", ")))"),
        ("[[webrelay_action]]\nid = 1\npreset = \"doorbird\"\ncommand = \"toggle\"\n", "actions.toml:4: webrelay_action[1].command: web relay preset doorBird(relay: \"1\") cannot toggle"),
        ("[[webrelay_action]]\nid = 1\nurl = \"state.xml\"\n", "actions.toml:1: webrelay: web relay: action 1 is relative but no web relay IP address is configured"),
        ("[webrelay]\ntype = \"sometimes\"\n", "actions.toml:2: webrelay.type: expected one of disabled, web_relay_only, local_then_web_relay, got 'sometimes'"),
        ("[webrelay]\nusers = [\"1001\"]\n", "actions.toml:2: webrelay.users: expected \"<user pin>=<web relay id 0-50>\", got '1001'"),
        ("[third_party]\nurl = \"http://x/?c={Card}\"\nsuccess = \"OK\"\nfailure = \"OK\"\n", "actions.toml:4: third_party.failure: must differ from success"),
        ("[third_party]\nmode = \"customize\"\nurl = \"http://x/\"\n", "actions.toml:1: third_party.methods: customize mode needs at least one of qr_code, card, pin"),
        ("[reception]\nrelays = [0]\n", "actions.toml:2: reception.relays: expected integers in 1...255"),
        ("[sip]\n", "actions.toml:1: sip: unknown section (known: device, ftp, tftp, mail, webrelay, action_urls, reception, third_party, and [[camera]], [[input]], [[webrelay_action]])"),
        ("[[door]]\n", "actions.toml:1: door: unknown table array (known: [[camera]], [[input]], [[webrelay_action]])"),
        ("[ftp]\nurl = \"ftp://h/\"\npasword = \"x\"\n", "actions.toml:3: ftp.pasword: unknown key"),
        ("[[input]\n", "actions.toml:1: malformed table array header '[[input]'"),
    ])
    func mistakes(text: String, message: String) {
        #expect(throws: ConfigurationError.self) { try SiteActionSettings.parse(text, source: "actions.toml") }
        do {
            _ = try SiteActionSettings.parse(text, source: "actions.toml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("the offline check (for gatehouse check) reports the file's first problem with file:line: key")
    func offlineCheck() throws {
        let site = try temporaryDirectory("site")
        #expect(SiteActionsCheck.problems(siteDirectory: site).isEmpty)
        let file = site.appendingPathComponent("actions.toml")
        try "[action_urls]\nvalid_card = 1\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(SiteActionsCheck.problems(siteDirectory: site) == ["\(file.path):2: action_urls.valid_card: expected a string, got a integer"])
    }

    @Test("TOML [[tables]]: each header starts a table with its own keys and line; the main configuration refuses them")
    func tableArrays() throws {
        let document = try TOMLDocument(parsing: "[[input]]\nid = 1\n\n[[input]]\nid = 2\n[device]\nmac = \"x\"\n")
        #expect(document.tableArrays["input"]?.map(\.line) == [1, 4])
        #expect(document.tableArrays["input"]?.last?.entries["id"] == TOMLDocument.Entry(value: .integer(2), line: 5))
        #expect(document.sections["device"]?["mac"]?.value == .string("x"))
        #expect(throws: TOMLDocument.ParseError(line: 3, message: "key 'id' defined twice")) {
            try TOMLDocument(parsing: "[[input]]\nid = 1\nid = 2\n")
        }
        let file = try temporaryDirectory().appendingPathComponent("g.toml")
        try "[[input]]\nid = 1\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError(source: file.path, line: 1, key: "input", reason: "unknown section")) {
            try GatehouseConfiguration.load(file: file.path, environment: [:], overrides: .init())
        }
    }
}
