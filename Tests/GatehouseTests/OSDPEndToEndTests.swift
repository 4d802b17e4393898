import Foundation
import Testing

/// An emulated RS-485 line (Peers/rs485_bus.py) with OSDP readers on it: libosdp's own Python bindings acting as
/// the peripheral devices (Peers/osdp_reader.py).
final class OSDPBus: @unchecked Sendable {
    // @unchecked: every property is set in init and never changes.
    let directory: URL
    let bus: PythonPeer
    let readers: [PythonPeer]
    var panelPath: String { directory.appendingPathComponent("cp").path }
    var collisionLog: URL { directory.appendingPathComponent("collisions") }

    /// `addresses[i]` is the OSDP address of reader i; `scbk`/`installMode` as the readers are keyed.
    init(addresses: [Int], baud: Int = 9600, scbk: String? = nil, installMode: Bool = false) async throws {
        directory = try temporaryDirectory("osdp")
        var arguments = [
            "--baud", String(baud), "--panel", directory.appendingPathComponent("cp").path,
            "--collisions", directory.appendingPathComponent("collisions").path,
        ]
        for index in addresses.indices { arguments += ["--reader", directory.appendingPathComponent("pd\(index)").path] }
        bus = try await PythonPeer.start("rs485_bus.py", arguments, in: MQTTPeer.directory)
        var started: [PythonPeer] = []
        for (index, address) in addresses.enumerated() {
            var reader = ["--device", directory.appendingPathComponent("pd\(index)").path, "--address", String(address)]
            if installMode { reader.append("--install-mode") } else if let scbk { reader += ["--scbk", scbk] }
            started.append(try await PythonPeer.start("osdp_reader.py", reader, in: MQTTPeer.directory))
        }
        readers = started
    }

    /// How often two ends drove the line at once (each garbled both on a real bus).
    var collisions: Int {
        ((try? String(contentsOf: collisionLog, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    func stop() {
        readers.forEach { $0.stop() }
        bus.stop()
    }

    @discardableResult
    func post(_ reader: Int, _ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        let (_, data) = try await httpExchange(
            "POST", "http://127.0.0.1:\(readers[reader].port)\(path)", headers: ["Content-Type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: body))
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// What the panel told reader `reader` so far (LED = 2, buzzer = 3, keyset = 5: libosdp's command ids).
    func commands(_ reader: Int) async throws -> [[String: Any]] {
        let (_, data) = try await httpGet("http://127.0.0.1:\(readers[reader].port)/commands")
        return (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
    }

    func state(_ reader: Int) async throws -> [String: Any] {
        let (_, data) = try await httpGet("http://127.0.0.1:\(readers[reader].port)/state")
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// An H10301 (26-bit) frame for facility `facility` and card `card`, left-justified in 4 bytes, as hex.
    static func h10301(facility: Int, card: Int) -> String {
        let body = (facility << 16) | card
        let bits = (0..<24).map { (body >> (23 - $0)) & 1 }
        let even = bits[0..<12].reduce(0, +) % 2
        let odd = 1 - bits[12..<24].reduce(0, +) % 2
        let frame = ([even] + bits + [odd]).reduce(0) { $0 << 1 | $1 } << 6
        return String(format: "%08x", frame)
    }
}

@Suite(.serialized)
struct OSDPEndToEndTests {
    static let key = "8a1f3c5e7b9d0246ace13579bdf02468"

    static func startHost(_ bus: OSDPBus, readers: String, extra: [String: String] = [:], site: URL? = nil) async throws
        -> (HostProcess, AdminAPI)
    {
        let data = try temporaryDirectory("osdp-host")
        let environment = [
            "GATEHOUSE_OSDP_ENABLED": "true", "GATEHOUSE_OSDP_PORT": bus.panelPath, "GATEHOUSE_OSDP_READERS": readers,
        ].merging(extra) { $1 }
        let (host, port) = try await HostProcessTests.startHost(data: data, site: site, environment: environment)
        let api = try AdminAPI(port: port, data: data)
        let (status, body) = try await api.call(
            "POST", "/api/v1/users",
            json:
                #"{"pin": "1001", "name": "Alice", "cards": [{"number": "4567"}], "pin_code": "2580", "authorizations": [{"timezone": 1, "doors": [1, 2, 3, 4]}]}"#
        )
        #expect(status == 201, "\(body)")
        return (host, api)
    }

    static func readerLinks(_ api: AdminAPI) async throws -> [[String: Any]] {
        try await api.call("GET", "/api/v1/hardware/readers").1["readers"] as? [[String: Any]] ?? []
    }

    static func waitOnline(_ api: AdminAPI, count: Int, within seconds: Double = 20) async throws -> Bool {
        try await waitFor(within: seconds) {
            let links = try await readerLinks(api)
            return links.count == count && links.allSatisfy { $0["online"] as? Bool == true } ? true : nil
        } ?? false
    }

    static func journal(_ api: AdminAPI) async throws -> [[String: Any]] {
        try await api.call("GET", "/api/v1/events?after=0&limit=1000").1["events"] as? [[String: Any]] ?? []
    }

    @Test(
        "plain channel at 9600 baud: a card read is decided and journalled, a grant lights the LED green, a PIN typed on the keypad opens, an unknown card is refused in red"
    )
    func cardsAndKeypad() async throws {
        let bus = try await OSDPBus(addresses: [0])
        defer { bus.stop() }
        let (host, api) = try await Self.startHost(bus, readers: "1@0")
        defer { host.terminate() }
        #expect(try await Self.waitOnline(api, count: 1), "\(host.stderr)")

        try await bus.post(0, "/card", ["bits": 26, "hex": OSDPBus.h10301(facility: 1, card: 4567)])
        let granted = try await waitFor {
            try await Self.journal(api).first { $0["card"] as? String == "4567" && $0["event"] as? Int == 0 }
        }
        let entry = try #require(granted, "no grant journalled; \(host.stderr)")
        #expect(entry["reader"] as? Int == 1 && entry["door"] as? Int == 1 && entry["pin"] as? String == "1001")
        // The strike, read at once: it is released again after the door's 5 s, and the reader feedback below can
        // take longer than that on a loaded machine.
        let (_, door) = try await api.call("GET", "/api/v1/doors/1")
        #expect(door["relay_active"] as? Bool == true)
        let green = try await waitFor {
            try await bus.commands(0).first { $0["command"] as? Int == 2 && $0["on_color"] as? Int == 2 }
        }
        let sent = try await bus.commands(0)
        #expect(green?["timer_count"] as? Int == 30, "\(sent)")
        let beep = try await waitFor {
            try await bus.commands(0).first { $0["command"] as? Int == 3 && $0["rep_count"] as? Int == 1 }
        }
        #expect(beep != nil)

        // The PIN on the keypad: digits, then '#' (after the door's 2-second punch interval).
        try await Task.sleep(for: .milliseconds(2100))
        try await bus.post(0, "/keys", ["keys": "2580#"])
        let byPIN = try await waitFor {
            try await Self.journal(api).first {
                $0["pin"] as? String == "1001" && $0["card"] is NSNull && $0["event"] as? Int == 207
            }
        }
        let latest = try await Self.journal(api).suffix(3)
        #expect(byPIN != nil, "the keypad PIN was not granted: \(latest)")
        // '*' starts again: the digits before it are forgotten.
        try await Task.sleep(for: .milliseconds(2100))
        try await bus.post(0, "/keys", ["keys": "99*2580#"])
        let restarted = try await waitFor {
            try await Self.journal(api).filter {
                $0["pin"] as? String == "1001" && $0["card"] is NSNull && $0["event"] as? Int == 207
            }.count >= 2
                ? true : nil
        }
        #expect(restarted == true)

        // A card nobody has: refused, journalled, red LED flashing and three beeps.
        try await bus.post(0, "/card", ["bits": 26, "hex": OSDPBus.h10301(facility: 1, card: 999)])
        let refused = try await waitFor { try await Self.journal(api).first { $0["card"] as? String == "999" } }
        #expect(refused?["event"] as? Int != 0)
        let red = try await waitFor {
            try await bus.commands(0).first { $0["command"] as? Int == 2 && $0["on_color"] as? Int == 1 }
        }
        #expect(red?["off_count"] as? Int == 2)
        let beeps = try await waitFor {
            try await bus.commands(0).first { $0["command"] as? Int == 3 && $0["rep_count"] as? Int == 3 }
        }
        #expect(beeps != nil)
        let links = try await Self.readerLinks(api)
        #expect(links.first?["card_reads"] as? Int == 2 && links.first?["secure"] as? Bool == false)
    }

    @Test(
        "four readers on one line at 9600 baud: each reader's card opens its own door, and the panel never talks over a reader"
    )
    func fourReadersShareTheLine() async throws {
        let bus = try await OSDPBus(addresses: [1, 2, 3, 4])
        defer { bus.stop() }
        let (host, api) = try await Self.startHost(bus, readers: "1@1,2@2,3@3,4@4")
        defer { host.terminate() }
        #expect(try await Self.waitOnline(api, count: 4), "\(host.stderr)")
        for reader in 0..<4 {
            try await bus.post(reader, "/card", ["bits": 26, "hex": OSDPBus.h10301(facility: 1, card: 4567)])
        }
        let doors = try await waitFor(within: 15) {
            let opened = Set(
                try await Self.journal(api).filter { $0["card"] as? String == "4567" && $0["event"] as? Int == 0 }
                    .compactMap { $0["door"] as? Int })
            return opened.count == 4 ? opened : nil
        }
        #expect(doors == [1, 2, 3, 4], "\(host.stderr.suffix(2000))")
        // Half-duplex: the panel waits for each reader's answer (or its timeout) before the next poll. A panel
        // polling the next reader early would collide with the answer, which a real RS-485 line garbles.
        #expect(bus.collisions == 0)
        let links = try await Self.readerLinks(api)
        #expect(links.map { $0["errors"] as? Int } == [0, 0, 0, 0], "\(links)")
    }

    @Test("secure channel with the site's key; a reader with another key stays offline and /healthz says degraded")
    func secureChannel() async throws {
        let bus = try await OSDPBus(addresses: [3], scbk: Self.key)
        defer { bus.stop() }
        let (host, api) = try await Self.startHost(bus, readers: "1@3", extra: ["GATEHOUSE_OSDP_SCBK": Self.key])
        #expect(try await Self.waitOnline(api, count: 1), "\(host.stderr)")
        #expect(try await Self.readerLinks(api).first?["secure"] as? Bool == true)
        #expect(try await bus.state(0)["secure"] as? Bool == true)
        try await bus.post(0, "/card", ["bits": 26, "hex": OSDPBus.h10301(facility: 1, card: 4567)])
        let granted = try await waitFor {
            try await Self.journal(api).first { $0["card"] as? String == "4567" && $0["event"] as? Int == 0 }
        }
        #expect(granted != nil)
        #expect(!host.stderr.lowercased().contains(Self.key), "the key is in the log")
        host.terminate()

        // The same reader, a host with another key: never online, never trusted.
        let other = "00112233445566778899aabbccddeeff"
        let (wrong, wrongAPI) = try await Self.startHost(bus, readers: "1@3", extra: ["GATEHOUSE_OSDP_SCBK": other])
        defer { wrong.terminate() }
        try await Task.sleep(for: .seconds(4))
        #expect(try await Self.readerLinks(wrongAPI).first?["online"] as? Bool == false)
        let (_, health) = try await httpGet("http://127.0.0.1:\(wrongAPI.port)/healthz")
        let report = try JSONSerialization.jsonObject(with: health) as? [String: Any] ?? [:]
        #expect(report["status"] as? String == "degraded")
        #expect((report["readers"] as? [String: Any])?["offline"] as? [Int] == [1])
        try await bus.post(0, "/card", ["bits": 26, "hex": OSDPBus.h10301(facility: 1, card: 4567)])
        try await Task.sleep(for: .seconds(1))
        #expect(try await Self.journal(wrongAPI).allSatisfy { $0["card"] is NSNull })
    }

    @Test("install mode: a reader on the default key is given the site's key inside the secure channel, and it is journalled")
    func installMode() async throws {
        let bus = try await OSDPBus(addresses: [7], installMode: true)
        defer { bus.stop() }
        let (host, api) = try await Self.startHost(
            bus, readers: "1@7", extra: ["GATEHOUSE_OSDP_SCBK": Self.key, "GATEHOUSE_OSDP_INSTALL_MODE": "true"])
        defer { host.terminate() }
        #expect(try await Self.waitOnline(api, count: 1), "\(host.stderr)")
        let installed = try await waitFor {
            try await Self.journal(api).first { ($0["detail"] as? String)?.hasPrefix("reader.key_installed") == true }
        }
        #expect(installed != nil)
        let keyset = try await bus.commands(0).first { $0["command"] as? Int == 5 }
        #expect(keyset?["data"] as? String == Self.key)
        #expect(try await Self.readerLinks(api).first?["secure"] as? Bool == true)
    }

    @Test(
        "a reader that stops answering is journalled offline and /healthz degrades; back, it is online again; tamper journalled; garbage on the line is survived"
    )
    func offlineTamperAndGarbage() async throws {
        let bus = try await OSDPBus(addresses: [1, 2])
        defer { bus.stop() }
        let site = try temporarySite(
            mainLua: """
                on("alarm", function(ev)
                  if ev.reader then log.warn("alarm " .. ev.alarm .. " raised=" .. tostring(ev.raised) .. " reader=" .. ev.reader) end
                end)
                """)
        let (host, api) = try await Self.startHost(bus, readers: "1@1,2@2", site: site)
        defer { host.terminate() }
        #expect(try await Self.waitOnline(api, count: 2), "\(host.stderr)")

        try await bus.post(1, "/stop")
        let offline = try await waitFor(within: 15) {
            // Event 110, "reader offline": an alarm, at the reader and its door.
            try await Self.journal(api).first {
                $0["event"] as? Int == 110 && $0["reader"] as? Int == 2 && $0["door"] as? Int == 2
            }
        }
        #expect(offline != nil)
        let (_, health) = try await httpGet("http://127.0.0.1:\(api.port)/healthz")
        #expect(String(decoding: health, as: UTF8.self).contains(#""offline":[2]"#))
        #expect(String(decoding: health, as: UTF8.self).contains(#""status":"degraded""#))
        // The other reader still works meanwhile.
        try await bus.post(0, "/card", ["bits": 26, "hex": OSDPBus.h10301(facility: 1, card: 4567)])
        #expect(try await waitFor { try await Self.journal(api).first { $0["card"] as? String == "4567" } } != nil)

        try await bus.post(1, "/start")
        let back = try await waitFor(within: 15) {
            try await Self.journal(api).first {
                ($0["detail"] as? String)?.hasPrefix("reader.online: OSDP reader 2") == true
                    && $0["index"] as? Int ?? 0 > offline?["index"] as? Int ?? 0
            }
        }
        #expect(back != nil)
        #expect(try await Self.waitOnline(api, count: 2))
        let (_, healthy) = try await httpGet("http://127.0.0.1:\(api.port)/healthz")
        #expect(String(decoding: healthy, as: UTF8.self).contains(#""status":"ok""#))

        try await bus.post(0, "/tamper", ["on": true])
        let tamper = try await waitFor {
            try await Self.journal(api).first { $0["event"] as? Int == 100 && $0["reader"] as? Int == 1 }
        }
        #expect(tamper?["event_class"] as? String == "alarm")
        // The site's Lua heard each as an alarm, raised and cleared.
        let log = try await waitFor {
            let lines = (try await api.call("GET", "/api/v1/scripts/log").1["lines"] as? [[String: Any]] ?? []).compactMap {
                $0["message"] as? String
            }
            return lines.contains("alarm reader_tamper raised=true reader=1") ? lines : nil
        }
        #expect(log?.contains("alarm reader_offline raised=true reader=2") == true, "\(log ?? [])")
        #expect(log?.contains("alarm reader_offline raised=false reader=2") == true, "\(log ?? [])")
        #expect(try await waitFor { try await Self.readerLinks(api).first?["tamper"] as? Bool == true ? true : nil } == true)

        // Noise and a forged frame with a bad checksum on the line, from a reader's side: no crash, and the next
        // card still works.
        for garbage in [
            "00ff00ff", "537f0800000000000000", "53010d00006a0102030405060708aa", String(repeating: "53", count: 300),
        ] {
            try await bus.post(1, "/garbage", ["hex": garbage])
        }
        try await Task.sleep(for: .milliseconds(500))
        try await Task.sleep(for: .seconds(2))  // the punch interval of the first read passes
        try await bus.post(1, "/card", ["bits": 26, "hex": OSDPBus.h10301(facility: 1, card: 4567)])
        let after = try await waitFor(within: 15) {
            try await Self.journal(api).first { $0["card"] as? String == "4567" && $0["reader"] as? Int == 2 }
        }
        #expect(after != nil, "\(host.stderr.suffix(2000))")
        #expect(host.process.isRunning)
    }

    @Test("a site's Lua cardformat transform decides what an OSDP card's bits are, before the built-in layouts")
    func luaCardFormat() async throws {
        let bus = try await OSDPBus(addresses: [0])
        defer { bus.stop() }
        // The site's cards carry 100000 + the card-number field of a 26-bit frame.
        let site = try temporarySite(
            mainLua: """
                cardformat("offset26", function(bits, length)
                  if length ~= 26 then return nil end
                  return tostring(tonumber(bits:sub(10, 25), 2) + 100000)
                end, {samples = {{bits = "00000000100010001110101110", expect = "104567"}}})
                """)
        let (host, api) = try await Self.startHost(bus, readers: "1@0", site: site)
        defer { host.terminate() }
        let (status, body) = try await api.call(
            "POST", "/api/v1/users",
            json:
                #"{"pin": "2002", "name": "Bob", "cards": [{"number": "104567"}], "authorizations": [{"timezone": 1, "doors": [1]}]}"#
        )
        #expect(status == 201, "\(body)")
        #expect(try await Self.waitOnline(api, count: 1), "\(host.stderr)")
        try await bus.post(0, "/card", ["bits": 26, "hex": OSDPBus.h10301(facility: 1, card: 4567)])
        let granted = try await waitFor { try await Self.journal(api).first { $0["card"] as? String == "104567" } }
        #expect(granted?["event"] as? Int == 0 && granted?["pin"] as? String == "2002", "\(String(describing: granted))")
    }

    @Test(
        "a relay wired to a reader output (osdp_OUT): opening its door switches the output on, and off when the door's time is up"
    )
    func relayOnReaderOutput() async throws {
        let bus = try await OSDPBus(addresses: [0])
        defer { bus.stop() }
        let (host, api) = try await Self.startHost(bus, readers: "1@0", extra: ["GATEHOUSE_OSDP_OUTPUTS": "3@1/1"])
        defer { host.terminate() }
        #expect(try await Self.waitOnline(api, count: 1), "\(host.stderr)")
        let (status, _) = try await api.call("POST", "/api/v1/doors/3/open", json: #"{"seconds": 1}"#)
        #expect(status == 200)
        let on = try await waitFor {
            try await bus.commands(0).first {
                $0["command"] as? Int == 1 && $0["output_no"] as? Int == 1 && $0["control_code"] as? Int == 2
            }
        }
        let sent = try await bus.commands(0)
        #expect(on != nil, "\(sent)")
        let off = try await waitFor(within: 10) {
            try await bus.commands(0).first {
                $0["command"] as? Int == 1 && $0["output_no"] as? Int == 1 && $0["control_code"] as? Int == 1
            }
        }
        #expect(off != nil)
        let elapsed = ((off?["t"] as? Double) ?? 0) - ((on?["t"] as? Double) ?? 0)
        #expect(elapsed > 0.8 && elapsed < 3, "the output was on for \(elapsed) s")
    }

    @Test(
        "bad [osdp] settings stop the start, naming the key",
        arguments: [
            (["GATEHOUSE_OSDP_BAUD": "9601"], "osdp.baud"),
            (["GATEHOUSE_OSDP_READERS": "1@200"], "osdp.readers"),
            (["GATEHOUSE_OSDP_READERS": "1@1,2@1"], "osdp.readers"),
            (["GATEHOUSE_OSDP_READERS": "one"], "osdp.readers"),
            (["GATEHOUSE_OSDP_SCBK": "0011"], "osdp.scbk"),
            (["GATEHOUSE_OSDP_SCBK": "303132333435363738393a3b3c3d3e3f"], "osdp.scbk"),
            (["GATEHOUSE_OSDP_INSTALL_MODE": "true"], "osdp.install_mode"),
            (["GATEHOUSE_OSDP_PORT": "/nonexistent/ttyUSB9"], "osdp.port"),
            (["GATEHOUSE_OSDP_PORT": "/etc/hostname"], "osdp.port"),
            (["GATEHOUSE_OSDP_OUTPUTS": "3@9/0"], "osdp.outputs"),
            (["GATEHOUSE_OSDP_OUTPUTS": "3@1/99"], "osdp.outputs"),
        ])
    func badSettings(environment: [String: String], key: String) async throws {
        let data = try temporaryDirectory("osdp-bad")
        var settings = ["GATEHOUSE_OSDP_ENABLED": "true", "GATEHOUSE_OSDP_PORT": "/dev/null", "GATEHOUSE_OSDP_READERS": "1@0"]
        settings.merge(environment) { $1 }
        let (status, _, stderr) = try await HostProcess.run(
            ["run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "off"], environment: settings)
        #expect(status == 2, "\(stderr)")
        #expect(stderr.contains(key), "\(stderr)")
    }
}

/// `[gpio]` as an operator meets it on a machine without a GPIO chip: the start stops, naming the key and what the
/// machine has; malformed lines name their key too.
@Suite struct GPIOHostTests {
    static let noChip = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []).allSatisfy {
        !$0.hasPrefix("gpiochip")
    }

    @Test(
        "[gpio] without the chip it names stops the start with the key and the chips the machine has",
        .enabled(if: noChip, "this machine has a GPIO chip; the missing-chip path needs one that is absent"))
    func missingChip() async throws {
        let data = try temporaryDirectory("gpio")
        let (status, _, stderr) = try await HostProcess.run(
            ["run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "off"],
            environment: ["GATEHOUSE_GPIO_ENABLED": "true", "GATEHOUSE_GPIO_RELAYS": "1@gpiochip0:17"])
        #expect(status == 2, "\(stderr)")
        #expect(
            stderr.contains("gpio.relays") && stderr.contains("no GPIO chip 'gpiochip0'")
                && stderr.contains("this machine has none"), "\(stderr)")
    }

    @Test(
        "bad [gpio] lines stop the start naming the key",
        arguments: [
            (["GATEHOUSE_GPIO_RELAYS": "1@gpiochip0"], "gpio.relays"),
            (["GATEHOUSE_GPIO_INPUTS": "5@gpiochip0:3:sideways"], "gpio.inputs"),
            (["GATEHOUSE_GPIO_RELAYS": "1@gpiochip0:3", "GATEHOUSE_GPIO_INPUTS": "5@gpiochip0:3"], "gpio.inputs"),
        ])
    func badLines(environment: [String: String], key: String) async throws {
        let data = try temporaryDirectory("gpio-bad")
        let (status, _, stderr) = try await HostProcess.run(
            ["run", "--data", data.path, "--http-listen", "127.0.0.1:0", "--push-listen", "off"],
            environment: environment.merging(["GATEHOUSE_GPIO_ENABLED": "true"]) { $1 })
        #expect(status == 2, "\(stderr)")
        #expect(stderr.contains(key), "\(stderr)")
    }
}
