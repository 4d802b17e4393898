import AccessControl
import Foundation
import PushProtocol
import Storage

/// Where `config/set` hands the autop keys that belong to the host's actions layer (`Config.Features.ACTIONURL.*`),
/// after they are stored: the composition root applies them at once.
public protocol AkuvoxConfigurationTarget: Sendable {
    func actionURLsChanged(_ values: [String: String]) async
}

/// The JSON API's device targets: system, relay get/set, config, calllog.
extension AkuvoxAPI {
    // MARK: system

    /// `data.Status` as Akuvox firmware answers it; clients read Model, MAC, FirmwareVersion and HardwareVersion.
    func systemInfo() -> AkuvoxReply {
        let identity = identity
        return .ok(
            "info",
            data: .object([
                (
                    "Status",
                    .object([
                        ("Model", .string(identity.model)),
                        ("MAC", .string(mac)),
                        ("FirmwareVersion", .string(identity.firmware)),
                        ("HardwareVersion", .string(identity.hardware)),
                        ("DeviceName", .string(identity.deviceName)),
                        ("Uptime", .string(Self.uptimeText(clock.now.timeIntervalSince(started)))),
                        ("WebLang", .string("0")),
                    ])
                )
            ]))
    }

    /// `UnixTime`/`SystemTime` in seconds since 1970, `Uptime`/`UpTime` in seconds (firmware spells it both ways).
    func systemStatus() -> AkuvoxReply {
        let now = clock.now
        let seconds = String(Int64(now.timeIntervalSince1970))
        let uptime = String(Int64(max(0, now.timeIntervalSince(started))))
        return .ok(
            "status",
            data: .object([
                ("UnixTime", .string(seconds)), ("SystemTime", .string(seconds)), ("Uptime", .string(uptime)),
                ("UpTime", .string(uptime)),
            ]))
    }

    static func uptimeText(_ interval: TimeInterval) -> String {
        let total = Int64(max(0, interval))
        return String(format: "%02lld:%02lld:%02lld", total / 3600, (total / 60) % 60, total % 60)
    }

    // MARK: relay get/set

    /// The relays as the autop keys name them: `{"RelayA": {"Name", "Type", "HoldDelay", "TriggerDelay"}, …}`, exactly
    /// the fields `relay/set` takes back.
    func relayGet(_ call: Call) async -> AkuvoxReply {
        var members: [(String, AkuvoxJSON)] = []
        for relay in await site.currentConfiguration.relays.sorted(by: { $0.id < $1.id }) {
            guard let letter = AkuvoxNaming.letter(relay.id.rawValue) else { continue }
            members.append(
                (
                    "Relay\(letter)",
                    .object([
                        ("Name", .string(relay.name)), ("Type", .string(relay.isInverted ? "1" : "0")),
                        ("HoldDelay", .string(String(relay.holdDelay))), ("TriggerDelay", .string(String(relay.triggerDelay))),
                    ])
                ))
        }
        return .ok("get", data: .object(members))
    }

    /// `data: {"RelayA": {"HoldDelay": "5", …}}` or the flat autop form `{"HoldDelayA": "5"}`: applied as one change.
    func relaySet(_ call: Call) async -> AkuvoxReply {
        var values: [String: String] = [:]
        guard case .object(let members) = call.data else { return .badParameter("set", "data must be an object") }
        for (key, value) in members {
            if case .object(let fields) = value, key.hasPrefix("Relay"), key.count == 6 {
                let letter = key.suffix(1)
                for (field, fieldValue) in fields {
                    values["Config.DoorSetting.RELAY.\(field)\(letter)"] = fieldValue.text ?? ""
                }
            } else {
                values["Config.DoorSetting.RELAY.\(key)"] = value.text ?? ""
            }
        }
        return await applyConfiguration(values, action: "set")
    }

    // MARK: config

    /// Every autop key Gatehouse maps, with its current value.
    func configGet(_ call: Call) async -> AkuvoxReply {
        let configuration = await site.currentConfiguration
        var values = AkuvoxConfigKeys.values(of: configuration)
        let stored = (try? await directory.configuration()) ?? [:]
        for key in AkuvoxConfigKeys.actionURLKeys(configuration) { values[key] = stored[key] ?? "" }
        return .ok("get", data: .object(values.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }

    /// `data: {"<autop key>": "<value>", …}`: every key is checked first; one unknown key or bad value changes nothing.
    func configSet(_ call: Call) async -> AkuvoxReply {
        guard case .object(let members) = call.data, !members.isEmpty else {
            return .badParameter("set", "data must name at least one autop key")
        }
        var values: [String: String] = [:]
        for (key, value) in members {
            guard let text = value.text else { return .badParameter("set", "\(key): the value must be text or a number") }
            values[key] = text
        }
        return await applyConfiguration(values, action: "set")
    }

    func applyConfiguration(_ values: [String: String], action: String) async -> AkuvoxReply {
        let current = await site.currentConfiguration
        let plan: AkuvoxConfigKeys.Plan
        do {
            plan = try AkuvoxConfigKeys.plan(values, on: current)
        } catch {
            return .badParameter(action, "\(error.field): \(error.message)")
        }
        if !plan.actionURLs.isEmpty && configurationTarget == nil {
            return .failure(.notEnabled, action: action, message: "Not Enable: action URLs are not served by this host")
        }
        // The stored values first (a storage failure changes nothing), then the site; a site refusal puts them back.
        var previous: [String: String] = [:]
        if !plan.actionURLs.isEmpty {
            do {
                let stored = try await directory.configuration()
                for key in plan.actionURLs.keys { previous[key] = stored[key] ?? "" }
                try await directory.setConfiguration(plan.actionURLs)
            } catch {
                return unavailable(action, "storage", error)
            }
        }
        if plan.configuration != current {
            do {
                try await site.replaceConfiguration(plan.configuration)
            } catch {
                if !previous.isEmpty { try? await directory.setConfiguration(previous) }
                return .badParameter(action, "\(error)")
            }
        }
        if let configurationTarget, !plan.actionURLs.isEmpty {
            let stored = (try? await directory.configuration(prefix: AkuvoxNaming.actionURLPrefix)) ?? plan.actionURLs
            await configurationTarget.actionURLsChanged(stored)
        }
        return .ok(action)
    }

    // MARK: calllog

    /// One item per call the journal knows (SIP calls, DTMF during a call, device call events), newest first, 10 a
    /// page: `{ID, Date, Time, Name, Num, LocalIdentity, Type}` with Type `Received`, `Dialed` or `Missed`.
    func calllogGet(_ call: Call) async -> AkuvoxReply {
        let action = "get"
        let page = Self.page(call)
        let wanted = page * Self.pageSize
        var seen: Set<String> = []
        let found: [(entry: JournalEntry, call: String, number: String, type: String)]
        do {
            found = try await newestJournalEntries(wanted: wanted) { entry in
                guard let call = Self.callOf(entry), seen.insert(call.call).inserted else { return nil }
                return (entry, call.call, call.number, call.type)
            }
        } catch {
            return unavailable(action, "journal", error)
        }
        let contacts = (try? await directory.contacts()) ?? []
        let items: [AkuvoxJSON] = Self.pageSlice(found, page: page).map { record in
            let (date, time) = Self.dateAndTime(record.entry)
            let name = contacts.first { $0.phone == record.number }?.name ?? record.number
            return .object([
                ("ID", .string(String(record.entry.index))),
                ("Date", .string(date)), ("Time", .string(time)),
                ("Name", .string(name)), ("Num", .string(record.number)),
                ("LocalIdentity", .string(identity.deviceName)), ("Type", .string(record.type)),
                ("PicUrl", .string("")),
            ])
        }
        return .ok(action, data: .object([("curPageNum", .int(page)), ("num", .int(found.count)), ("item", .array(items))]))
    }

    /// The call an entry belongs to, the other party and the Akuvox call type: SIP call entries
    /// (`call <id> from|to <party>: <phase>…`), DTMF entries (`call <id> from <caller>: …`) and device calls. The
    /// call's entries share one id, so a call is one item however many digits and phases it has.
    static func callOf(_ entry: JournalEntry) -> (call: String, number: String, type: String)? {
        let party = entry.source.name ?? ""
        if entry.source.kind == .dtmf || entry.source.kind == .sip, let detail = entry.detail, detail.hasPrefix("call ") {
            // Call ids have no spaces: the word after the id says the direction.
            let words = detail.split(separator: " ", maxSplits: 3)
            guard words.count >= 3 else { return nil }
            let id = String(words[1])
            let outgoing = words[2] == "to"
            let phase = detail.range(of: ": ").map { detail[$0.upperBound...] } ?? ""
            let missed = entry.source.kind == .sip && !outgoing && (phase.hasPrefix("refused") || phase.hasPrefix("failed"))
            return ("call:\(id)", party, outgoing ? "Dialed" : missed ? "Missed" : "Received")
        }
        if entry.source.kind == .dtmf { return ("call:\(entry.index)", party, "Received") }
        if entry.event == PushEventCode.deviceCall.rawValue { return ("device:\(entry.index)", party, "Received") }
        return nil
    }
}
