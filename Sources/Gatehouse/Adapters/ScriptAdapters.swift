import AccessControl
import Foundation
import Logging
import MQTT
import Outbound
import PushProtocol
import Scripting
import Storage

/// `kv.*` backed by SQLite: survives reloads and restarts.
struct SQLiteScriptKeyValueStore: ScriptKeyValueStore {
    let store: KeyValueStore

    func value(for key: String, now: Date) throws -> ScriptStoredValue? {
        do {
            return try store.value(for: key, now: now).map(Self.scriptValue)
        } catch {
            throw ScriptKeyValueError.storage("\(error)")
        }
    }

    func set(_ value: ScriptStoredValue, for key: String, expiresAt: Date?) throws {
        do { try store.set(Self.storedValue(value), for: key, expiresAt: expiresAt) } catch {
            throw ScriptKeyValueError.storage("\(error)")
        }
    }

    func increment(_ key: String, by delta: Int64, expiresAt: Date?, now: Date) throws -> Int64 {
        do {
            return try store.increment(key, by: delta, expiresAt: expiresAt, now: now)
        } catch KeyValueStore.Failure.notAnInteger(let key) {
            throw ScriptKeyValueError.notAnInteger(key)
        } catch KeyValueStore.Failure.overflow(let key) {
            throw ScriptKeyValueError.overflow(key)
        } catch {
            throw ScriptKeyValueError.storage("\(error)")
        }
    }

    func removeValue(for key: String) throws {
        do { try store.removeValue(for: key) } catch { throw ScriptKeyValueError.storage("\(error)") }
    }

    static func scriptValue(_ value: KeyValueStore.Value) -> ScriptStoredValue {
        switch value {
        case .string(let text): .string(text)
        case .integer(let number): .integer(number)
        case .number(let number): .number(number)
        case .boolean(let flag): .boolean(flag)
        }
    }

    static func storedValue(_ value: ScriptStoredValue) -> KeyValueStore.Value {
        switch value {
        case .string(let text): .string(text)
        case .integer(let number): .integer(number)
        case .number(let number): .number(number)
        case .boolean(let flag): .boolean(flag)
        }
    }
}

/// Relay and door commands from scripts, performed by the door engine and journalled with the script as source.
struct SiteScriptActions: ScriptActions {
    let site: Site

    func perform(_ action: ScriptAction) async throws {
        let source = JournalSource.script("lua")
        switch action {
        case .openDoor(let id, let seconds):
            try await site.open(door: DoorID(Int(id)), seconds: seconds.map { max(1, Int($0.rounded())) }, by: source)
        case .openRelay(let id, let seconds):
            // A relay that drives a door opens that door (journalled as a remote open); any other relay is an
            // auxiliary output switched on.
            let relay = RelayID(Int(id))
            if let door = await site.currentConfiguration.doors.first(where: { $0.relay == relay }) {
                try await site.open(door: door.id, seconds: seconds.map { max(1, Int($0.rounded())) }, by: source)
            } else {
                try await site.setAuxiliaryOutput(relay, on: true, by: source)
            }
        case .setRelay(let id, let active):
            try await site.setAuxiliaryOutput(RelayID(Int(id)), on: active, by: source)
        case .lockDoor(let id):
            try await site.setLocked(true, door: DoorID(Int(id)), by: source)
        case .clearAlarm(let name):
            // Door alarms (and the break-in latch) are cleared per door: `alarm.clear("door:1")`; other names are
            // the site's own alarms, journalled.
            if name.hasPrefix("door:"), let door = Int(name.dropFirst(5)) {
                try await site.clearAlarm(door: DoorID(door), by: source)
            } else {
                await site.recordSiteEvent("alarm.clear", detail: name, source: source)
            }
        case .raiseAlarm(let name, let detail):
            await site.recordSiteEvent("alarm.raise", detail: detail.map { "\(name): \($0)" } ?? name, source: source)
        case .journal(let event, let fields):
            let detail = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            await site.recordSiteEvent(event, detail: detail.isEmpty ? nil : detail, source: source)
        }
    }
}

/// `users.find` over the door engine's users: a read-only copy of the record, looked up by user PIN or card.
struct SiteScriptUsers: ScriptUserDirectory {
    let site: Site

    func find(_ query: ScriptUserQuery) async throws -> ScriptUser? {
        let user: User?
        switch query {
        case .pin(let pin):
            user = await site.user(UserPIN(pin))
        case .card(let text):
            // Not a decimal card number: nobody can hold it.
            guard let number = try? CardNumber(decimal: text) else { return nil }
            user = await site.user(holding: number)
        }
        return user.map(SiteScriptUsers.scriptUser)
    }

    static func scriptUser(_ user: User) -> ScriptUser {
        ScriptUser(
            pin: user.pin.rawValue, name: user.name, disabled: user.isDisabled, validFrom: user.validity?.start,
            validUntil: user.validity?.end, cards: user.cards.map(\.number.decimal),
            authorizations: user.authorisations.map {
                ScriptAuthorization(
                    timezone: $0.timezone.rawValue, doors: $0.doors.doors.map(\.rawValue), validFrom: $0.validity?.start,
                    validUntil: $0.validity?.end)
            },
            apartment: user.residence.flatMap { $0.apartment.isEmpty ? nil : $0.apartment }, group: user.group,
            temporary: user.isTemporary, superUser: user.isSuperUser)
    }
}

/// Lua's I/O (`http.request`, `ftp.put`, `tftp.put`, `mail.send`, `snapshot`, `webrelay.fire`) performed by the
/// Outbound module. Snapshots are kept briefly by reference so a script can attach one to a mail.
actor SiteScriptOutbound: ScriptOutbound {
    let io: ScriptIO
    let mailServer: String?
    let mailFrom: String?
    private var snapshots: [(ref: String, data: Data)] = []
    private var nextSnapshot = 0

    /// The MQTT bridge, when `[mqtt]` is enabled.
    let mqtt: MQTTBridge?

    init(io: ScriptIO, mailServer: String?, mailFrom: String?, mqtt: MQTTBridge? = nil) {
        self.io = io
        self.mailServer = mailServer
        self.mailFrom = mailFrom
        self.mqtt = mqtt
    }

    func perform(_ request: ScriptOutboundRequest) async -> ScriptOutboundResult {
        do {
            switch request {
            case .http(let method, let url, let headers, let body, let timeout, let auth):
                let response = try await io.httpRequest(
                    HTTPRequest(
                        method: method, url: url, headers: headers.sorted { $0.key < $1.key }.map { HTTPHeader($0.key, $0.value) },
                        body: Data((body ?? "").utf8), authentication: auth.map(Self.authentication),
                        options: TransportOptions(totalTimeoutMilliseconds: Self.milliseconds(timeout))))
                var headerTable: [String: LuaValue] = [:]
                for header in response.headers { headerTable[header.name.lowercased()] = .string(header.value) }
                return .success([
                    "status": .integer(Int64(response.status)),
                    "body": .string(String(decoding: response.body, as: UTF8.self)),
                    "headers": .table(LuaTable(headerTable)),
                ])
            case .ftpPut(let url, let data, _, _, let durable), .tftpPut(let url, let data, _, let durable):
                let attempt = try await io.put(url: url, data: bytes(data), durable: durable)
                return .success(Self.attemptFields(attempt))
            case .mail(let server, let from, let to, let subject, let body, let attachments, let startTLS, let durable):
                guard let server = server ?? mailServer else { return .failure("mail: no server given and mail.server is not configured") }
                guard let from = from ?? mailFrom else { return .failure("mail: no sender given and mail.from is not configured") }
                var files: [MailAttachment] = []
                for ref in attachments {
                    guard let data = snapshots.first(where: { $0.ref == ref })?.data else {
                        return .failure("mail: attachment '\(ref)' is not a snapshot taken by this script (or it expired)")
                    }
                    files.append(MailAttachment(name: "\(ref).jpg", contentType: "image/jpeg", data: data))
                }
                let message = MailMessage.script(
                    server: server, from: from, to: to, subject: subject, body: body, attachments: files, startTLS: startTLS)
                let attempt = try await io.sendMail(message, durable: durable)
                return .success(Self.attemptFields(attempt))
            case .snapshot(let camera):
                let data = try await io.snapshot(camera: camera)
                nextSnapshot += 1
                let ref = "snapshot-\(nextSnapshot)"
                snapshots.append((ref, data))
                if snapshots.count > 16 { snapshots.removeFirst() }
                return .success(["ref": .string(ref), "bytes": .integer(Int64(data.count))])
            case .webRelay(let id):
                let attempt = try await io.fireWebRelay(id: Int(id))
                return .success(Self.attemptFields(attempt))
            case .mqttPublish(let topic, let payload, let qos, let retain):
                guard let mqtt else { return .failure("mqtt: not configured ([mqtt] enabled = false)") }
                do {
                    let queued = try await mqtt.publishFromScript(
                        MQTTMessage(topic: topic, text: payload, qos: qos, retain: retain))
                    return .success(["ok": .boolean(true), "queued": .boolean(queued)])
                } catch {
                    return .failure("mqtt: \(error)")
                }
            }
        } catch {
            return .failure(error.description)
        }
    }

    /// A snapshot reference stands for its image; any other text is sent as its UTF-8 bytes.
    private func bytes(_ text: String) -> Data {
        snapshots.first(where: { $0.ref == text })?.data ?? Data(text.utf8)
    }

    static func authentication(_ auth: ScriptAuth) -> HTTPAuthentication {
        HTTPAuthentication(auth.kind == "digest" ? .digest : .basic, user: auth.user, password: auth.password)
    }

    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 30_000 }
        return Int(min(seconds, 300) * 1000)
    }

    static func attemptFields(_ attempt: OutboxAttempt?) -> [String: LuaValue] {
        guard let attempt else { return ["ok": .boolean(true)] }
        return ["ok": .boolean(true), "id": .integer(attempt.id), "state": .string(attempt.state.rawValue)]
    }
}
