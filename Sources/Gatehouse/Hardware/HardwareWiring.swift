import AccessControl
import CardFormats
import Foundation
import HTTPAPI
import Hardware
import Logging
import Scripting
import ServiceLifecycle

/// The site's Lua card formats for the OSDP readers.
struct ScriptSiteCardFormats: SiteCardFormats {
    let scripts: ScriptHost

    func formats(for card: CardBits) async -> [AcceptedFormat] {
        await ScriptCardFormats.formats(for: card, host: scripts)
    }
}

/// The readers of every hardware driver, for the API and /healthz.
struct HardwareStatus: ReaderStatusSource {
    let osdp: OSDPReaders?

    func readerLinks() async -> [ReaderLinkStatus] {
        guard let osdp else { return [] }
        return await osdp.status().map {
            ReaderLinkStatus(
                reader: $0.reader, driver: "osdp", address: $0.address, name: $0.name, online: $0.online, secure: $0.secure,
                tamper: $0.tamper, lastSeen: $0.lastSeen.map(RFC3339.format), cardReads: $0.cardReads, errors: $0.errors)
        }
    }

    func health() async -> HealthReport.ReaderInfo? {
        guard let osdp else { return nil }
        let readers = await osdp.status()
        return .init(configured: readers.count, offline: readers.filter { !$0.online }.map(\.reader))
    }
}

/// Polls the OSDP readers while the host runs.
struct OSDPService: Service {
    let readers: OSDPReaders

    func run() async throws {
        await cancelWhenGracefulShutdown { await readers.run() }
        readers.panel.stop()
    }
}

/// The OSDP bus `[osdp]` describes, opened: the panel, the site reader of each peripheral, the relays on outputs.
struct OSDPBusSetup {
    let panel: OSDPControlPanel
    let readers: [ReaderID]
    let outputs: [RelayID: (peripheral: Int, output: UInt8)]
    let keypadTimeout: TimeInterval
}

extension GatehouseHost {
    /// A hardware setting the host cannot start with, as a configuration error naming the key (exit 2).
    static func refusal(_ key: String, _ reason: String) -> HostError {
        .configuration(ConfigurationError(source: "configuration", line: nil, key: key, reason: reason))
    }

    /// Opens the OSDP bus `[osdp]` asks for; nil when OSDP is off. A port that cannot be opened stops the start,
    /// naming the key, like any other configuration error. Made before the site, whose relays may be reader outputs.
    static func osdpBus(_ settings: OSDPSettings, logger: Logger) throws -> OSDPBusSetup? {
        guard settings.enabled else { return nil }
        func refuse(_ key: String, _ reason: String) -> HostError { refusal("osdp.\(key)", reason) }
        let configured: [(reader: ReaderID, peripheral: OSDPPeripheral)]
        let outputs: [RelayID: (peripheral: Int, output: UInt8)]
        do {
            configured = try settings.peripherals()
            outputs = try settings.relayOutputs()
        } catch {
            throw refuse(error.key, error.reason)
        }
        let port: SerialPort
        do {
            port = try SerialPort(path: settings.port ?? "", baudRate: settings.baudRate)
        } catch {
            throw refuse("port", error.description)
        }
        do {
            let panel = try OSDPControlPanel(port: port, peripherals: configured.map(\.peripheral), logger: logger)
            return OSDPBusSetup(
                panel: panel, readers: configured.map(\.reader), outputs: outputs,
                keypadTimeout: TimeInterval(settings.keypadTimeoutSeconds))
        } catch {
            throw refuse("readers", error.description)
        }
    }

    /// The readers feeding the door engine, once the site and its scripts exist.
    static func osdpReaders(_ bus: OSDPBusSetup?, site: Site, scripts: ScriptHost, logger: Logger) -> OSDPReaders? {
        guard let bus else { return nil }
        return OSDPReaders(
            panel: bus.panel, readers: bus.readers, site: site, cardFormats: ScriptSiteCardFormats(scripts: scripts),
            keypadTimeout: bus.keypadTimeout, logger: logger)
    }
}

/// The GPIO lines `[gpio]` names, opened.
struct GPIOSetup {
    let lines: LibgpiodLines
    let relays: [RelayID: GPIOLine]
    let inputs: [GPIOLine: InputID]
}

/// Feeds the GPIO inputs to the door engine while the host runs.
struct GPIOService: Service {
    let inputs: GPIOInputs
    let lines: LibgpiodLines

    func run() async throws {
        await cancelWhenGracefulShutdown { await inputs.run() }
        lines.stop()
    }
}

extension GatehouseHost {
    /// Opens the GPIO lines `[gpio]` asks for; nil when GPIO is off. A chip or line that cannot be had stops the
    /// start, naming the key and what the machine has.
    static func gpioLines(_ settings: GPIOSettings, logger: Logger) throws -> GPIOSetup? {
        guard settings.enabled else { return nil }
        func refuse(_ key: String, _ reason: String) -> HostError { refusal("gpio.\(key)", reason) }
        let relays: [(relay: RelayID, line: GPIOLine)]
        let inputs: [(input: InputID, line: GPIOLine)]
        do {
            (relays, inputs) = try settings.lines()
        } catch {
            throw refuse(error.key, error.reason)
        }
        do {
            let lines = try LibgpiodLines(outputs: relays.map(\.line), inputs: inputs.map(\.line), logger: logger)
            return GPIOSetup(
                lines: lines, relays: Dictionary(uniqueKeysWithValues: relays.map { ($0.relay, $0.line) }),
                inputs: Dictionary(uniqueKeysWithValues: inputs.map { ($0.line, $0.input) }))
        } catch {
            throw refuse(relays.contains { $0.line == error.line } ? "relays" : "inputs", error.description)
        }
    }
}
