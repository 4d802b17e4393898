import AccessControl
import CardFormats
import Foundation
import Logging
import PushProtocol

/// The site's own card formats (Lua `cardformat` transforms), resolved for one card; the composition root adapts
/// the script host to it, so OSDP cards go through the same transforms as everywhere else.
public protocol SiteCardFormats: Sendable {
    func formats(for card: CardBits) async -> [AcceptedFormat]
}

/// One reader's state as the API and /healthz show it.
public struct OSDPReaderStatus: Sendable, Equatable, Codable {
    public var reader: Int
    public var address: Int
    public var name: String
    public var online: Bool
    public var secure: Bool
    public var tamper: Bool
    public var lastSeen: Date?
    public var cardReads: Int
    public var errors: Int

    enum CodingKeys: String, CodingKey {
        case reader, address, name, online, secure, tamper, errors
        case lastSeen = "last_seen"
        case cardReads = "card_reads"
    }
}

/// OSDP readers feeding the door engine: card data through the card-format decoder (the site's Lua formats
/// first, then the built-in layouts) into ``Site/present(_:at:source:)``, keypad digits ended by `#` as a PIN,
/// the decision shown on the reader (green LED and one beep, or red flashing and three beeps), and a reader going
/// offline, coming back or reporting tamper journalled through ``Site/report(_:reader:detail:)`` (offline and tamper
/// are alarms 110 and 100).
public actor OSDPReaders {
    public nonisolated let panel: OSDPControlPanel
    /// The site's reader id of each peripheral, in the panel's order.
    public let readers: [ReaderID]
    private let site: Site
    private let cardFormats: (any SiteCardFormats)?
    private let storedNumber: StoredNumberForm
    private let keypadTimeout: TimeInterval
    private let logger: Logger
    private var typed: [Int: (digits: String, at: Date)] = [:]
    private var tamper: [Bool]
    private var cardReads: [Int]
    private var errors: [Int]
    private var onDefaultKey: Set<Int> = []
    /// The built-in layouts, after the site's own formats: the same for every card, so built once.
    private let builtInFormats = CardFormatCatalog.autoDecodeLayouts.map { AcceptedFormat.layout($0) }

    public init(
        panel: OSDPControlPanel, readers: [ReaderID], site: Site, cardFormats: (any SiteCardFormats)?,
        storedNumber: StoredNumberForm = .zkteco(.wholeNumber), keypadTimeout: TimeInterval = 10, logger: Logger
    ) {
        self.panel = panel
        self.readers = readers
        self.site = site
        self.cardFormats = cardFormats
        self.storedNumber = storedNumber
        self.keypadTimeout = keypadTimeout
        self.logger = logger
        tamper = Array(repeating: false, count: readers.count)
        cardReads = Array(repeating: 0, count: readers.count)
        errors = Array(repeating: 0, count: readers.count)
    }

    /// Follows the panel until it stops.
    public func run() async {
        panel.start()
        for await event in panel.events {
            await handle(event)
        }
    }

    public func status() -> [OSDPReaderStatus] {
        panel.peripherals.enumerated().map { index, peripheral in
            OSDPReaderStatus(
                reader: Int(readers[index].rawValue), address: peripheral.address, name: peripheral.name,
                online: panel.isOnline(index), secure: panel.isSecure(index), tamper: tamper[index],
                lastSeen: panel.lastSeen(index), cardReads: cardReads[index], errors: errors[index])
        }
    }

    func handle(_ event: OSDPEvent) async {
        switch event {
        case .cardRead(let index, _, let bits, let bytes):
            cardReads[index] += 1
            await cardRead(index, bits: bits, bytes: bytes)
        case .keypress(let index, let keys):
            await keypress(index, keys: keys)
        case .online(let index, let online):
            let peripheral = panel.peripherals[index]
            if online {
                logger.info(
                    "OSDP reader online", metadata: ["reader": "\(readers[index].rawValue)", "address": "\(peripheral.address)"])
            } else {
                errors[index] += 1
                logger.error(
                    "OSDP reader offline", metadata: ["reader": "\(readers[index].rawValue)", "address": "\(peripheral.address)"])
            }
            await site.report(online ? .online : .offline, reader: readers[index], detail: describe(index))
        case .secureChannel(let index, let active, let defaultKey):
            logger.info(
                "OSDP secure channel \(active ? "up" : "down")",
                metadata: ["reader": "\(readers[index].rawValue)", "key": "\(defaultKey ? "SCBK-D (install mode)" : "SCBK")"])
            // Install mode: libosdp set the channel up with the default key, gave the reader the site's key
            // (osdp_KEYSET) and set it up again with that key; the second "up" after the first says it took.
            if active {
                if defaultKey {
                    onDefaultKey.insert(index)
                } else if onDefaultKey.remove(index) != nil {
                    await site.report(.keyInstalled, reader: readers[index], detail: "\(describe(index)) now uses the site's key")
                }
            }
        case .localStatus(let index, let tampered, _):
            guard tampered != tamper[index] else { return }
            tamper[index] = tampered
            await site.report(tampered ? .tamper : .tamperCleared, reader: readers[index], detail: describe(index))
        }
    }

    /// `OSDP reader 1 (OSDP address 0)`: how journal details name a reader.
    private func describe(_ index: Int) -> String {
        "OSDP reader \(readers[index].rawValue) (OSDP address \(panel.peripherals[index].address))"
    }

    private func cardRead(_ index: Int, bits: Int, bytes: [UInt8]) async {
        let frame: CardBits
        do {
            frame = try CardBits(leftJustifiedBytes: bytes, bitCount: bits)
        } catch {
            errors[index] += 1
            logger.warning(
                "OSDP card read with unusable data", metadata: ["reader": "\(readers[index].rawValue)", "error": "\(error)"])
            return
        }
        let site = await cardFormats?.formats(for: frame) ?? []
        let configuration = ReaderConfiguration(
            name: panel.peripherals[index].name,
            acceptedFormats: site + builtInFormats, storedNumberForm: storedNumber)
        var number: CardNumber?
        var siteCode: Int?
        do {
            if let match = try configuration.read(frame) {
                number = try CardNumber(decimal: try configuration.storedNumber(for: match))
                siteCode = match.decoded?[.facilityCode].map { Int($0) } ?? match.decoded?[.siteCode].map { Int($0) }
            }
        } catch {
            logger.warning("OSDP card not decoded", metadata: ["reader": "\(readers[index].rawValue)", "error": "\(error)"])
        }
        if number == nil {
            // No format knows it: presented as its raw value, so the refusal is journalled like any unknown card.
            guard frame.bitCount <= 64 else {
                logger.warning(
                    "OSDP card matches no format", metadata: ["reader": "\(readers[index].rawValue)", "bits": "\(bits)"])
                feedback(index, granted: false)
                return
            }
            number = CardNumber(frame.lowWord)
        }
        guard let number else { return }
        let decision = await self.site.present(.card(number, bitLength: bits, siteCode: siteCode), at: readers[index])
        feedback(index, granted: decision.isGranted)
    }

    private func keypress(_ index: Int, keys: [UInt8]) async {
        let now = Date()
        var entry = typed[index] ?? ("", now)
        if now.timeIntervalSince(entry.at) > keypadTimeout { entry.digits = "" }
        for key in keys {
            switch key {
            case 0x0D:  // '#': the PIN is complete
                let digits = entry.digits
                entry.digits = ""
                typed[index] = (entry.digits, now)
                guard !digits.isEmpty else { continue }
                let decision = await site.present(.pin(digits), at: readers[index])
                feedback(index, granted: decision.isGranted)
            case 0x7F:  // '*': start again
                entry.digits = ""
            case 0x30...0x39:
                if entry.digits.count < 16 { entry.digits.append(Character(UnicodeScalar(key))) }
            default:
                continue
            }
        }
        typed[index] = (entry.digits, now)
    }

    /// Green for 3 s and one beep for a grant; red flashing for 2 s and three beeps for a refusal.
    private func feedback(_ index: Int, granted: Bool) {
        if granted {
            panel.submit(.led(reader: 0, color: .green, tenths: 30), to: index)
            panel.submit(.buzzer(reader: 0, on: 1, off: 1, count: 1), to: index)
        } else {
            panel.submit(.led(reader: 0, color: .red, tenths: 20, flashOn: 2, flashOff: 2), to: index)
            panel.submit(.buzzer(reader: 0, on: 1, off: 1, count: 3), to: index)
        }
    }
}
