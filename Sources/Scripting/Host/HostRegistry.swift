import Foundation
import Logging

/// Every function the host offers to Lua, in documentation order. The index
/// in `functions` is the id the C trampoline carries.
enum HostRegistry {
    static let functions: [HostFunction] =
        internals + events + timing + logging + storage + doorActions + outbound + mqtt + cardFormats + testing + site

    static func named(_ name: String) -> HostFunction? { functions.first { $0.name == name } }

    // MARK: Internal (prelude only)

    static let internals: [HostFunction] = [
        HostFunction(
            name: "__source", summary: "Text of a file of the site bundle, or nil, err.",
            implementation: { vm, call throws(HostRaise) in
                let name = try call.string(0)
                guard let bytes = vm.bundle.files[name] else {
                    return .failure("cannot open \(name): no such file in the site directory")
                }
                return .values([.string(String(decoding: bytes, as: UTF8.self))])
            })
    ]

    // MARK: Events

    static let events: [HostFunction] = [
        HostFunction(
            name: "on",
            summary: "Registers `handler` for the event `name`.",
            parameters: [
                HostParameter(
                    name: "name", type: "gatehouse.EventName",
                    doc: "One of " + ScriptEvent.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ") + "."),
                HostParameter(name: "handler", type: "fun(ev: table): table|nil", doc: "Called with the event table (the journal entry's fields)."),
            ],
            context: .loadTime,
            notes: """
                A `credential` handler may return a verdict: `{deny = "reason"}`, `{grant = true, door = id, seconds = n}` \
                or `{require = "pin"}`; returning nothing leaves the built-in decision. If it has not answered within \
                the decision deadline (300 ms) the built-in decision stands. A `call` handler asked about a ringing \
                call (`phase = "ringing"`) may return `{grant = true}` to answer it or `{deny = "reason"}` to refuse \
                it, within the same deadline; the answer policy stands otherwise. All other events are observed. \
                A handler that fails 5 times in a row is disabled until the next reload.
                """,
            implementation: { vm, call throws(HostRaise) in
                let name = try call.string(0)
                guard let event = ScriptEvent(rawValue: name) else {
                    throw HostRaise("on: unknown event '\(name)' (known: \(ScriptEvent.namesForMessages))")
                }
                let reference = try call.function(1)
                guard vm.handlers.count < vm.limits.maxHandlers else {
                    throw HostRaise("on: too many handlers (limit \(vm.limits.maxHandlers))")
                }
                let (file, line) = vm.callerPosition(vm.currentThread)
                vm.retainedReferences.insert(reference)
                vm.handlers.append(LuaVM.Handler(event: event, reference: reference, file: file, line: line))
                return .none
            }),
    ]

    // MARK: Time

    static let timing: [HostFunction] = [
        HostFunction(
            name: "every", summary: "Runs `fn` every `interval`, first one interval after the site loads.",
            parameters: [
                HostParameter(name: "interval", type: "number|string", doc: "Seconds, or `\"30s\"`, `\"5m\"`, `\"2h\"`, `\"1d\"` (1 s to 366 days)."),
                HostParameter(name: "fn", type: "fun()", doc: "The timer body; may yield (`sleep`, I/O)."),
            ],
            context: .loadTime,
            notes: "Timers belong to the host (nothing is garbage-collected) and are cancelled on reload. A run that is still busy when the next one is due skips that one.",
            implementation: { vm, call throws(HostRaise) in
                guard let seconds = IntervalParser.seconds(call.argument(0)), seconds >= 1, seconds <= 366 * 86_400 else {
                    throw call.bad(0, "interval between 1 second and 366 days expected, e.g. 30 or \"5m\"")
                }
                let reference = try call.function(1)
                try vm.addTimer(.every(seconds), reference: reference)
                return .none
            }),
        HostFunction(
            name: "cron", summary: "Runs `fn` at the minutes matching a five-field cron expression, in the site's time zone.",
            parameters: [
                HostParameter(name: "expr", type: "string", doc: "`minute hour day month weekday`, e.g. `\"0 7 * * 1-5\"`."),
                HostParameter(name: "fn", type: "fun()", doc: "The timer body; may yield."),
            ],
            context: .loadTime,
            implementation: { vm, call throws(HostRaise) in
                let expression = try call.string(0)
                let schedule: CronSchedule
                do throws(CronSchedule.ParseError) {
                    schedule = try CronSchedule(parsing: expression)
                } catch {
                    throw HostRaise("cron: \(error.message)")
                }
                let reference = try call.function(1)
                try vm.addTimer(.cron(schedule), reference: reference)
                return .none
            }),
        HostFunction(
            name: "sleep", summary: "Suspends the running handler for `seconds` without blocking anything else.",
            parameters: [HostParameter(name: "seconds", type: "number", doc: "0 to 3600.")],
            returns: [HostReturn(type: "true", name: "ok", doc: "")],
            context: .yielding,
            implementation: { _, call throws(HostRaise) in
                let seconds = try call.number(0)
                guard seconds >= 0, seconds <= 3600 else { throw call.bad(0, "seconds must be between 0 and 3600") }
                return .yield(.sleep(.milliseconds(Int64(seconds * 1000))))
            }),
        HostFunction(
            name: "time.now", summary: "Seconds since 1970 (UTC) from the host clock, with fractions.",
            returns: [HostReturn(type: "number", name: "seconds", doc: "")],
            context: .handlers,
            implementation: { vm, _ throws(HostRaise) in .values([.number(vm.services.clock.now.timeIntervalSince1970)]) }),
        HostFunction(
            name: "time.localtime",
            summary: "The site's local time as `{year, month, day, hour, min, sec, wday}` (`wday` 1 = Sunday).",
            parameters: [HostParameter(name: "seconds", type: "number?", doc: "A `time.now()` value; default now.")],
            returns: [HostReturn(type: "table", name: "t", doc: "")],
            context: .handlers,
            implementation: { vm, call throws(HostRaise) in
                let seconds = try call.optionalNumber(0) ?? vm.services.clock.now.timeIntervalSince1970
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = vm.services.timeZone
                let c = calendar.dateComponents(
                    [.year, .month, .day, .hour, .minute, .second, .weekday], from: Date(timeIntervalSince1970: seconds))
                let fields: [String: LuaValue] = [
                    "year": .integer(Int64(c.year ?? 0)), "month": .integer(Int64(c.month ?? 0)),
                    "day": .integer(Int64(c.day ?? 0)), "hour": .integer(Int64(c.hour ?? 0)),
                    "min": .integer(Int64(c.minute ?? 0)), "sec": .integer(Int64(c.second ?? 0)),
                    "wday": .integer(Int64(c.weekday ?? 0)),
                ]
                return .values([.table(LuaTable(fields))])
            }),
    ]

    // MARK: Logging

    static let logging: [HostFunction] = [
        logFunction("info", .info), logFunction("warn", .warning), logFunction("error", .error),
    ]

    private static func logFunction(_ name: String, _ level: Logger.Level) -> HostFunction {
        HostFunction(
            name: "log.\(name)",
            summary: "Writes `message` to the host log at level \(name), tagged with the script's file:line.",
            parameters: [HostParameter(name: "message", type: "any", doc: "Strings, numbers and booleans print as themselves.")],
            implementation: { vm, call throws(HostRaise) in
                let message: String
                switch call.argument(0) {
                case .string(let text): message = text
                case .integer(let number): message = String(number)
                case .number(let number): message = String(number)
                case .boolean(let flag): message = String(flag)
                case .nil: message = "nil"
                default: message = "(\(call.argument(0).typeName))"
                }
                let (file, line) = vm.callerPosition(vm.currentThread)
                vm.services.logger.log(
                    level: level, "\(message)",
                    metadata: ["script": "\(file):\(line)", "bundle": "\(vm.bundle.version)"])
                vm.shared.simulation?.record.append(.log(level: name, message: message))
                return .none
            })
    }

    // MARK: Storage

    static let storage: [HostFunction] = [
        HostFunction(
            name: "kv.get", summary: "The value stored under `key`, or nil when absent or expired.",
            parameters: [HostParameter(name: "key", type: "string", doc: "")],
            returns: [
                HostReturn(type: "string|number|boolean|nil", name: "value", doc: ""),
                HostReturn(type: "string?", name: "err", doc: "Set when the store failed."),
            ],
            context: .handlers,
            notes: "The store belongs to the host: values survive reloads and restarts.",
            implementation: { vm, call throws(HostRaise) in
                let key = try call.string(0)
                do {
                    return .values([try vm.services.keyValueStore.value(for: key, now: vm.services.clock.now).map(LuaValue.init) ?? .nil])
                } catch {
                    return .failure("kv.get: \(error)")
                }
            }),
        HostFunction(
            name: "kv.set", summary: "Stores a string, number or boolean under `key`, optionally expiring after `ttl` seconds.",
            parameters: [
                HostParameter(name: "key", type: "string", doc: ""),
                HostParameter(name: "value", type: "string|number|boolean", doc: "At most 1 MiB."),
                HostParameter(name: "ttl", type: "number|{ttl: number}?", doc: "Seconds until it expires."),
            ],
            returns: [HostReturn(type: "true?", name: "ok", doc: ""), HostReturn(type: "string?", name: "err", doc: "")],
            context: .handlers,
            implementation: { vm, call throws(HostRaise) in
                let key = try call.string(0)
                let stored: ScriptStoredValue
                switch call.argument(1) {
                case .string(let text):
                    guard text.utf8.count <= vm.limits.maxValueBytes else {
                        throw call.bad(1, "value larger than \(vm.limits.maxValueBytes) bytes")
                    }
                    stored = .string(text)
                case .integer(let number): stored = .integer(number)
                case .number(let number): stored = .number(number)
                case .boolean(let flag): stored = .boolean(flag)
                default: throw call.bad(1, "string, number or boolean expected, got \(call.argument(1).typeName)")
                }
                let expiry = try ttl(call, 2).map { vm.services.clock.now.addingTimeInterval($0) }
                do {
                    try vm.services.keyValueStore.set(stored, for: key, expiresAt: expiry)
                    return .values([.boolean(true)])
                } catch {
                    return .failure("kv.set: \(error)")
                }
            }),
        HostFunction(
            name: "kv.incr", summary: "Adds `by` (default 1) to an integer counter and returns the new value.",
            parameters: [
                HostParameter(name: "key", type: "string", doc: ""),
                HostParameter(name: "by", type: "integer?", doc: "Default 1."),
                HostParameter(name: "ttl", type: "number|{ttl: number}?", doc: "Applies when the counter is created: a fixed window."),
            ],
            returns: [HostReturn(type: "integer?", name: "value", doc: ""), HostReturn(type: "string?", name: "err", doc: "")],
            context: .handlers,
            implementation: { vm, call throws(HostRaise) in
                let key = try call.string(0)
                let delta = call.argument(1).isNil ? 1 : try call.integer(1)
                let now = vm.services.clock.now
                let expiry = try ttl(call, 2).map { now.addingTimeInterval($0) }
                do {
                    return .values([.integer(try vm.services.keyValueStore.increment(key, by: delta, expiresAt: expiry, now: now))])
                } catch {
                    return .failure("kv.incr: \(error)")
                }
            }),
        HostFunction(
            name: "kv.del", summary: "Removes `key`.",
            parameters: [HostParameter(name: "key", type: "string", doc: "")],
            returns: [HostReturn(type: "true?", name: "ok", doc: ""), HostReturn(type: "string?", name: "err", doc: "")],
            context: .handlers,
            implementation: { vm, call throws(HostRaise) in
                let key = try call.string(0)
                do {
                    try vm.services.keyValueStore.removeValue(for: key)
                    return .values([.boolean(true)])
                } catch {
                    return .failure("kv.del: \(error)")
                }
            }),
        HostFunction(
            name: "rate.allow", summary: "True while `key` has been allowed fewer than `n` times per `per_seconds` (bursts up to `n`).",
            parameters: [
                HostParameter(name: "key", type: "string", doc: ""),
                HostParameter(name: "n", type: "integer", doc: "Events allowed per window."),
                HostParameter(name: "per_seconds", type: "number", doc: "Window length."),
            ],
            returns: [HostReturn(type: "boolean", name: "allowed", doc: "")],
            context: .handlers,
            notes: "Windows belong to the host and survive reloads (not restarts).",
            implementation: { vm, call throws(HostRaise) in
                let key = try call.string(0)
                let count = try call.integer(1)
                let period = try call.number(2)
                guard count > 0 else { throw call.bad(1, "n must be positive") }
                guard period > 0 else { throw call.bad(2, "per_seconds must be positive") }
                let allowed = vm.shared.rateLimiter.allow(key, count: count, period: period, now: vm.services.clock.now)
                return .values([.boolean(allowed)])
            }),
    ]

    private static func ttl(_ call: HostCall, _ index: Int) throws(HostRaise) -> Double? {
        let value = call.argument(index)
        let seconds: Double?
        switch value {
        case .nil: return nil
        case .table(let table): seconds = table["ttl"].isNil ? nil : table["ttl"].doubleValue
        default: seconds = value.doubleValue
        }
        guard let seconds, seconds > 0, seconds.isFinite else { throw call.bad(index, "ttl in seconds (> 0) expected") }
        return seconds
    }

    // MARK: Door actions

    static let doorActions: [HostFunction] = [
        action("relay.open", "Pulses relay `id` for `seconds` (default: the relay's hold time).",
            [HostParameter(name: "id", type: "integer", doc: ""), HostParameter(name: "seconds", type: "number?", doc: "")]) { call throws(HostRaise) in
            .openRelay(id: try call.integer(0), seconds: try seconds(call, 1))
        },
        action("relay.set", "Switches relay `id` on (`true`/`\"on\"`) or off.",
            [HostParameter(name: "id", type: "integer", doc: ""), HostParameter(name: "state", type: "boolean|\"on\"|\"off\"", doc: "")]) { call throws(HostRaise) in
            let state: Bool
            switch call.argument(1) {
            case .boolean(let flag): state = flag
            case .string("on"): state = true
            case .string("off"): state = false
            default: throw call.bad(1, "true, false, \"on\" or \"off\" expected")
            }
            return .setRelay(id: try call.integer(0), active: state)
        },
        action("door.open", "Releases door `id` for `seconds` (default: the door's drive time).",
            [HostParameter(name: "id", type: "integer", doc: ""), HostParameter(name: "seconds", type: "number?", doc: "")]) { call throws(HostRaise) in
            .openDoor(id: try call.integer(0), seconds: try seconds(call, 1))
        },
        action("door.lock", "Locks door `id` now.", [HostParameter(name: "id", type: "integer", doc: "")]) { call throws(HostRaise) in
            .lockDoor(id: try call.integer(0))
        },
        action("alarm.raise", "Raises the site alarm `name`.",
            [HostParameter(name: "name", type: "string", doc: ""), HostParameter(name: "detail", type: "string?", doc: "")]) { call throws(HostRaise) in
            .raiseAlarm(name: try call.string(0), detail: try call.optionalString(1))
        },
        action("alarm.clear", "Clears the site alarm `name`.", [HostParameter(name: "name", type: "string", doc: "")]) { call throws(HostRaise) in
            .clearAlarm(name: try call.string(0))
        },
        action("journal.emit", "Writes a site-defined event to the journal: `{event = \"name\", ...}` (string/number/boolean fields).",
            [HostParameter(name: "fields", type: "table", doc: "")]) { call throws(HostRaise) in
            let table = try call.table(0)
            guard case .string(let event) = table["event"], !event.isEmpty else {
                throw call.bad(0, "field 'event' (a non-empty string) expected")
            }
            var fields: [String: String] = [:]
            for entry in table.entries {
                guard case .string(let key) = entry.key, key != "event" else { continue }
                switch entry.value {
                case .string(let text): fields[key] = text
                case .integer(let number): fields[key] = String(number)
                case .number(let number): fields[key] = String(number)
                case .boolean(let flag): fields[key] = String(flag)
                default: throw call.bad(0, "field '\(key)' must be a string, number or boolean")
                }
            }
            return .journal(event: event, fields: fields)
        },
    ]

    private static func seconds(_ call: HostCall, _ index: Int) throws(HostRaise) -> Double? {
        guard let seconds = try call.optionalNumber(index) else { return nil }
        guard seconds > 0, seconds <= 86_400 else { throw call.bad(index, "seconds must be between 0 and 86400") }
        return seconds
    }

    private static func action(
        _ name: String, _ summary: String, _ parameters: [HostParameter],
        _ build: @escaping @Sendable (HostCall) throws(HostRaise) -> ScriptAction
    ) -> HostFunction {
        HostFunction(
            name: name, summary: summary, parameters: parameters,
            returns: [HostReturn(type: "true?", name: "ok", doc: "Queued."), HostReturn(type: "string?", name: "err", doc: "`\"not configured\"` without a door engine.")],
            context: .handlers,
            notes: "Fire-and-forget: queued to the door engine in order, never yields; failures are logged.",
            implementation: { vm, call throws(HostRaise) in
                let action = try build(call)
                // Under `gatehouse test` the action is recorded for `sim.actions()` and performed by the real door engine.
                vm.shared.simulation?.record.append(.action(action))
                guard vm.services.actions != nil else { return .failure("not configured") }
                let (file, line) = vm.callerPosition(vm.currentThread)
                vm.shared.queuedActions.append((action, "\(file):\(line)"))
                return .values([.boolean(true)])
            })
    }

    // MARK: Outbound I/O

    static let outbound: [HostFunction] = [
        io("http.request", "Performs an HTTP request and returns `{status, body, headers}`.",
            [HostParameter(name: "request", type: "{method: string?, url: string, headers: table?, body: string?, timeout: number?, auth: {user: string, password: string, kind: string?}?}", doc: "`method` defaults to GET, `timeout` to 10 s.")]) { call throws(HostRaise) in
            let table = try call.table(0)
            guard case .string(let url) = table["url"] else { throw call.bad(0, "field 'url' (string) expected") }
            var headers: [String: String] = [:]
            if case .table(let given) = table["headers"] {
                for entry in given.entries {
                    if case .string(let key) = entry.key, case .string(let value) = entry.value { headers[key] = value }
                }
            }
            return .http(
                method: table["method"].stringValue?.uppercased() ?? "GET", url: url, headers: headers,
                body: table["body"].stringValue, timeout: try timeout(call, table, 10), auth: try auth(call, table))
        },
        io("ftp.put", "Uploads `data` to an `ftp://` or `ftps://` URL.",
            [HostParameter(name: "request", type: "{url: string, data: string, auth: table?, timeout: number?, durable: boolean?}", doc: "`timeout` defaults to 30 s; `durable = true` hands it to the outbox (persisted and retried).")]) { call throws(HostRaise) in
            let table = try call.table(0)
            guard case .string(let url) = table["url"], case .string(let data) = table["data"] else {
                throw call.bad(0, "fields 'url' and 'data' (strings) expected")
            }
            return .ftpPut(url: url, data: data, auth: try auth(call, table), timeout: try timeout(call, table, 30), durable: table["durable"] == .boolean(true))
        },
        io("tftp.put", "Uploads `data` to a `tftp://` URL.",
            [HostParameter(name: "request", type: "{url: string, data: string, timeout: number?, durable: boolean?}", doc: "")]) { call throws(HostRaise) in
            let table = try call.table(0)
            guard case .string(let url) = table["url"], case .string(let data) = table["data"] else {
                throw call.bad(0, "fields 'url' and 'data' (strings) expected")
            }
            return .tftpPut(url: url, data: data, timeout: try timeout(call, table, 30), durable: table["durable"] == .boolean(true))
        },
        io("mail.send", "Sends an e-mail (default: the host's configured SMTP relay and sender).",
            [HostParameter(name: "message", type: "{to: string|string[], subject: string, body: string, attachments: string[]?, server: string?, from: string?, starttls: boolean?, durable: boolean?}", doc: "`attachments` are `snapshot()` refs; `server` is `smtp://` or `smtps://`.")]) { call throws(HostRaise) in
            let table = try call.table(0)
            var recipients: [String] = []
            switch table["to"] {
            case .string(let address): recipients = [address]
            case .table(let list): recipients = list.array.compactMap(\.stringValue)
            default: break
            }
            guard !recipients.isEmpty else { throw call.bad(0, "field 'to' (address or list) expected") }
            return .mail(
                server: table["server"].stringValue, from: table["from"].stringValue, to: recipients,
                subject: table["subject"].stringValue ?? "", body: table["body"].stringValue ?? "",
                attachments: table["attachments"].tableValue?.array.compactMap(\.stringValue) ?? [],
                startTLS: table["starttls"] == .boolean(true), durable: table["durable"] == .boolean(true))
        },
        io("snapshot", "Takes a camera snapshot and returns `{ref = ...}` for `mail.send` attachments.",
            [HostParameter(name: "camera", type: "string?", doc: "Default: the site's camera.")]) { call throws(HostRaise) in
            .snapshot(camera: try call.optionalString(0))
        },
        io("webrelay.fire", "Fires configured web relay `id` (through the outbox).",
            [HostParameter(name: "id", type: "integer", doc: "")]) { call throws(HostRaise) in
            .webRelay(id: try call.integer(0))
        },
        io("mqtt.publish", "Publishes `payload` on `topic` over the host's MQTT connection (`[mqtt]`).",
            [
                HostParameter(name: "topic", type: "string", doc: "A topic without wildcards."),
                HostParameter(name: "payload", type: "string", doc: "At most 256 KiB."),
                HostParameter(name: "options", type: "{retain: boolean?, qos: integer?}?", doc: "`qos` 0, 1 (default) or 2; `retain` default false."),
            ]) { call throws(HostRaise) in
            let topic = try call.string(0)
            guard MQTTTopicSyntax.isValidTopic(topic) else {
                throw call.bad(0, "a topic without + or #, not empty, at most 65535 bytes expected")
            }
            let payload = try call.string(1)
            guard payload.utf8.count <= 256 * 1024 else { throw call.bad(1, "payload of at most 256 KiB expected") }
            var qos = 1
            var retain = false
            if case .table(let options) = call.argument(2) {
                if !options["qos"].isNil {
                    guard let given = options["qos"].integerValue, (0...2).contains(given) else {
                        throw call.bad(2, "field 'qos' must be 0, 1 or 2")
                    }
                    qos = Int(given)
                }
                if !options["retain"].isNil {
                    guard case .boolean(let flag) = options["retain"] else { throw call.bad(2, "field 'retain' must be a boolean") }
                    retain = flag
                }
            } else if !call.argument(2).isNil {
                throw call.bad(2, "options table expected")
            }
            return .mqttPublish(topic: topic, payload: payload, qos: qos, retain: retain)
        },
    ]

    static let mqtt: [HostFunction] = [
        HostFunction(
            name: "mqtt.subscribe",
            summary: "Subscribes to `pattern` on the host's MQTT connection; messages reach `on(\"mqtt\", fn)` handlers.",
            parameters: [
                HostParameter(name: "pattern", type: "string", doc: "A topic filter; `+` matches one level, `#` the rest (last level only).")
            ],
            context: .loadTime,
            notes: "Subscriptions belong to the loaded bundle: a reload replaces them. The handler's event has `topic`, `payload`, `retain` and `qos`.",
            implementation: { vm, call throws(HostRaise) in
                let pattern = try call.string(0)
                guard MQTTTopicSyntax.isValidSubscription(pattern) else {
                    throw call.bad(0, "a topic filter expected ('+' and '#' only as whole levels, '#' last)")
                }
                guard vm.mqttSubscriptions.count < 64 else { throw HostRaise("mqtt.subscribe: too many subscriptions (limit 64)") }
                if !vm.mqttSubscriptions.contains(pattern) { vm.mqttSubscriptions.append(pattern) }
                return .none
            }),
    ]

    private static func timeout(_ call: HostCall, _ table: LuaTable, _ fallback: Double) throws(HostRaise) -> Double {
        guard !table["timeout"].isNil else { return fallback }
        guard let value = table["timeout"].doubleValue, value > 0, value <= 60 else {
            throw call.bad(0, "field 'timeout' must be between 0 and 60 seconds")
        }
        return value
    }

    private static func auth(_ call: HostCall, _ table: LuaTable) throws(HostRaise) -> ScriptAuth? {
        guard case .table(let given) = table["auth"] else { return nil }
        guard case .string(let user) = given["user"], case .string(let password) = given["password"] else {
            throw call.bad(0, "field 'auth' needs 'user' and 'password'")
        }
        return ScriptAuth(kind: given["kind"].stringValue ?? "basic", user: user, password: password)
    }

    private static func io(
        _ name: String, _ summary: String, _ parameters: [HostParameter],
        _ build: @escaping @Sendable (HostCall) throws(HostRaise) -> ScriptOutboundRequest
    ) -> HostFunction {
        HostFunction(
            name: name, summary: summary, parameters: parameters,
            returns: [HostReturn(type: "table?", name: "result", doc: ""), HostReturn(type: "string?", name: "err", doc: "Why it failed; `\"not configured\"` without the outbound module.")],
            context: .yielding,
            notes: "Yields the handler until done; other events keep flowing.",
            implementation: { vm, call throws(HostRaise) in
                let request = try build(call)
                if vm.shared.simulation == nil && vm.services.outbound == nil { return .failure("not configured") }
                guard vm.pendingRuns < vm.limits.maxPendingIO else {
                    return .failure("too many pending operations (limit \(vm.limits.maxPendingIO))")
                }
                return .yield(.outbound(request))
            })
    }

    // MARK: Card formats

    static let cardFormats: [HostFunction] = [
        HostFunction(
            name: "cardformat", summary: "Registers a card-format transform: raw bits → card number string.",
            parameters: [
                HostParameter(name: "name", type: "string", doc: "Format name used in the reader configuration."),
                HostParameter(name: "fn", type: "fun(bits: string, length: integer): string|nil", doc: "`bits` is a string of `0`/`1`; return digits (at most 32) or nil to reject."),
                HostParameter(
                    name: "options", type: "{samples: {bits: string, expect: string|false}[]}?",
                    doc: "Sample vectors checked at every load and reload: `expect` is the card number, or false when the bits must be rejected."),
            ],
            context: .loadTime,
            notes: "Runs synchronously under a small budget (200,000 instructions, 20 ms); it must be pure: no I/O, no kv, no actions. On error the built-in format is used. A sample that does not give its `expect` refuses the reload, pointing at the `cardformat` line.",
            implementation: { vm, call throws(HostRaise) in
                let name = try call.string(0)
                guard !name.isEmpty else { throw call.bad(0, "non-empty name expected") }
                let reference = try call.function(1)
                guard vm.cardFormats[name] == nil else { throw HostRaise("cardformat: '\(name)' is already registered") }
                let samples = try CardFormatSample.parse(options: call.argument(2), call: call)
                let (file, line) = vm.callerPosition(vm.currentThread)
                vm.retainedReferences.insert(reference)
                vm.cardFormats[name] = LuaVM.CardFormat(reference: reference, file: file, line: line, samples: samples)
                return .none
            }),
    ]

    // MARK: Tests

    static let testing: [HostFunction] = [
        HostFunction(
            name: "test", summary: "Declares a test run by `gatehouse test` (ignored when the site runs).",
            parameters: [HostParameter(name: "name", type: "string", doc: ""), HostParameter(name: "fn", type: "fun()", doc: "Fails by raising (see `expect`).")],
            context: .loadTime,
            implementation: { vm, call throws(HostRaise) in
                let name = try call.string(0)
                let reference = try call.function(1)
                let (file, line) = vm.callerPosition(vm.currentThread)
                vm.retainedReferences.insert(reference)
                vm.tests.append(LuaVM.TestCase(name: name, reference: reference, file: file, line: line))
                return .none
            }),
        HostFunction(
            name: "expect.eq", summary: "Raises unless `actual == expected` (tables compared by content).",
            parameters: [HostParameter(name: "actual", type: "any", doc: ""), HostParameter(name: "expected", type: "any", doc: ""), HostParameter(name: "message", type: "string?", doc: "")]),
        HostFunction(
            name: "expect.truthy", summary: "Raises unless `value` is neither nil nor false.",
            parameters: [HostParameter(name: "value", type: "any", doc: ""), HostParameter(name: "message", type: "string?", doc: "")]),
        HostFunction(
            name: "expect.falsy", summary: "Raises unless `value` is nil or false.",
            parameters: [HostParameter(name: "value", type: "any", doc: ""), HostParameter(name: "message", type: "string?", doc: "")]),
        HostFunction(
            name: "expect.error", summary: "Raises unless `fn()` raises (with a message containing `pattern`, plain text, when given).",
            parameters: [HostParameter(name: "fn", type: "fun()", doc: ""), HostParameter(name: "pattern", type: "string?", doc: "")]),
        HostFunction(
            name: "sim.event",
            summary: "Test only: feeds an event into the site's real door engine, through the same entry point as the REST API, and waits until the engine and the handlers have settled.",
            parameters: [
                HostParameter(
                    name: "name", type: "string",
                    doc: "`credential` (the body of `POST /api/v1/access`: `reader` or `door`, and `card`, `pin`, `apartment`, `plate`, `qr` or `identity`), `dtmf` (`POST /api/v1/dtmf`: `caller`, `digits`, `call`), `button` (`button = <door>` or `\"reception\"`) or `input` (`input = <id>`, `active`). The other events come from the engine: cause them with these."),
                HostParameter(name: "fields", type: "table", doc: "The event's fields; a field the live form does not take is an error naming it."),
            ],
            returns: [HostReturn(type: "table?", name: "result", doc: "The REST API's answer: the decision `{granted, event, event_name, reason, detail, user, door, journal_index}`, or `{input, active}`.")],
            context: .yielding,
            notes: "Raises with the API's own message (naming the field) when the live REST call would be refused.",
            implementation: { vm, call throws(HostRaise) in
                guard vm.services.simulator != nil else { throw HostRaise("sim.event is only available under gatehouse test") }
                let name = try call.string(0)
                let fields = call.argument(1).isNil ? LuaValue.table(LuaTable()) : .table(try call.table(1))
                return .yield(.simulate("event", [.string(name), fields]))
            }),
        HostFunction(
            name: "sim.advance", summary: "Test only: moves the fake clock forward, running the door engine's timed work (relay holds, door timeouts, schedules) and the scripts' timers and sleepers on the way.",
            parameters: [HostParameter(name: "seconds", type: "number", doc: "")],
            context: .yielding,
            implementation: { vm, call throws(HostRaise) in
                guard vm.services.simulator != nil else { throw HostRaise("sim.advance is only available under gatehouse test") }
                let seconds = try call.number(0)
                guard seconds >= 0, seconds <= 366 * 86_400 else { throw call.bad(0, "seconds must be between 0 and one year") }
                return .yield(.simulate("advance", [.number(seconds)]))
            }),
        HostFunction(
            name: "sim.configure",
            summary: "Test only: creates or replaces a door, reader, relay, input, timezone, schedule or holiday of the simulated site, exactly as `PUT /api/v1/<collection>/<id>` would.",
            parameters: [
                HostParameter(name: "collection", type: "string", doc: "`doors`, `readers`, `relays`, `inputs`, `timezones`, `schedules` or `holidays`."),
                HostParameter(name: "id", type: "integer|string", doc: ""),
                HostParameter(name: "fields", type: "table", doc: "The REST API's body for it."),
            ],
            context: .yielding,
            notes: "The simulated site starts as a new host's: the four-door panel (doors 1-4 on relays 1-4, readers 1-8, exit buttons on inputs 1-4, door sensors on inputs 5-8).",
            implementation: { vm, call throws(HostRaise) in
                guard vm.services.simulator != nil else { throw HostRaise("sim.configure is only available under gatehouse test") }
                let collection = try call.string(0)
                let id: String
                switch call.argument(1) {
                case .integer(let number): id = String(number)
                case .string(let text): id = text
                default: throw call.bad(1, "integer or string expected")
                }
                return .yield(.simulate("configure", [.string(collection), .string(id), .table(try call.table(2))]))
            }),
        HostFunction(
            name: "sim.mqtt",
            summary: "Test only: a message as if it arrived from the MQTT broker: commands on `<prefix>/door/<id>/set` and `<prefix>/relay/<id>/set` go through the live command path; topics the site subscribed to reach its `on(\"mqtt\")` handlers.",
            parameters: [
                HostParameter(name: "topic", type: "string", doc: "The prefix is `gatehouse/<site directory name>`, the live default."),
                HostParameter(name: "payload", type: "string", doc: ""),
                HostParameter(name: "options", type: "{retain: boolean?}?", doc: "`retain = true`: as the broker replays a retained message (never obeyed as a command)."),
            ],
            returns: [HostReturn(type: "table", name: "result", doc: "`{command = \"OPEN\"}` when carried out, `{refused = reason}`, and `handlers = true` when scripts received it.")],
            context: .yielding,
            notes: "What the scripts publish with `mqtt.publish` is in `sim.actions()` (`kind = \"mqtt.publish\"`).",
            implementation: { vm, call throws(HostRaise) in
                guard vm.services.simulator != nil else { throw HostRaise("sim.mqtt is only available under gatehouse test") }
                let topic = try call.string(0)
                let payload = try call.string(1)
                var retain = false
                if case .table(let options) = call.argument(2) { retain = options["retain"] == .boolean(true) }
                return .yield(.simulate("mqtt", [.string(topic), .string(payload), .boolean(retain)]))
            }),
        HostFunction(
            name: "sim.state",
            summary: "Test only: a door, relay or input of the simulated site as `GET /api/v1/<collection>/<id>` shows it.",
            parameters: [
                HostParameter(name: "collection", type: "string", doc: "`doors`, `relays` or `inputs`."),
                HostParameter(name: "id", type: "integer", doc: ""),
            ],
            returns: [HostReturn(type: "table", name: "resource", doc: "For a relay `{id, active, level, ...}`, a door `{id, state, relay_active, sensor_open, ...}`.")],
            context: .yielding,
            implementation: { vm, call throws(HostRaise) in
                guard vm.services.simulator != nil else { throw HostRaise("sim.state is only available under gatehouse test") }
                let collection = try call.string(0)
                let id = try call.integer(1)
                return .yield(.simulate("state", [.string(collection), .integer(id)]))
            }),
        HostFunction(
            name: "sim.reply", summary: "Test only: a canned reply for outbound requests whose URL contains `pattern`.",
            parameters: [HostParameter(name: "pattern", type: "string", doc: "Plain substring of the URL (mail: `mailto:addr`)."), HostParameter(name: "result", type: "table|string", doc: "A result table, or a string to make the call return `nil, string`.")],
            context: .handlers,
            implementation: { vm, call throws(HostRaise) in
                guard let simulation = vm.shared.simulation else { throw HostRaise("sim.reply is only available under gatehouse test") }
                let pattern = try call.string(0)
                switch call.argument(1) {
                case .string(let message): simulation.replies.append(.init(pattern: pattern, result: .failure(message)))
                case .table(let table):
                    var fields: [String: LuaValue] = [:]
                    for entry in table.entries { if case .string(let key) = entry.key { fields[key] = entry.value } }
                    simulation.replies.append(.init(pattern: pattern, result: .success(fields)))
                default: throw call.bad(1, "table or string expected")
                }
                return .none
            }),
        HostFunction(
            name: "sim.actions", summary: "Test only: the actions and outbound requests recorded so far, oldest first, then clears them.",
            returns: [HostReturn(type: "table[]", name: "records", doc: "`{kind = \"relay.open\", id = 1, ...}`, `{kind = \"http\", url = ...}`.")],
            context: .handlers,
            implementation: { vm, _ throws(HostRaise) in
                guard let simulation = vm.shared.simulation else { throw HostRaise("sim.actions is only available under gatehouse test") }
                let records = simulation.record.compactMap(\.luaRecord)
                simulation.record.removeAll { $0.luaRecord != nil }
                return .values([.table(LuaTable(array: records.map { .table(LuaTable($0)) }))])
            }),
    ]
}

extension LuaValue {
    init(_ stored: ScriptStoredValue) {
        switch stored {
        case .string(let text): self = .string(text)
        case .integer(let number): self = .integer(number)
        case .number(let number): self = .number(number)
        case .boolean(let flag): self = .boolean(flag)
        }
    }
}

extension SimulationRecord {
    /// The record as the flat table `sim.actions()` returns (logs are not actions).
    var luaRecord: [String: LuaValue]? {
        switch self {
        case .log: return nil
        case .action(let action): return action.fields
        case .outbound(let request): return request.fields
        case .outbox(let fields): return fields.mapValues(LuaValue.string)
        }
    }
}

extension ScriptAction {
    /// Flat fields naming the Lua call (`kind`), used by `sim.actions` and `gatehouse replay`.
    public var fields: [String: LuaValue] {
        switch self {
        case .openRelay(let id, let seconds):
            return ["kind": "relay.open", "id": .integer(id), "seconds": seconds.map(LuaValue.number) ?? .nil]
        case .setRelay(let id, let active): return ["kind": "relay.set", "id": .integer(id), "state": .boolean(active)]
        case .openDoor(let id, let seconds):
            return ["kind": "door.open", "id": .integer(id), "seconds": seconds.map(LuaValue.number) ?? .nil]
        case .lockDoor(let id): return ["kind": "door.lock", "id": .integer(id)]
        case .raiseAlarm(let name, let detail):
            return ["kind": "alarm.raise", "name": .string(name), "detail": detail.map(LuaValue.string) ?? .nil]
        case .clearAlarm(let name): return ["kind": "alarm.clear", "name": .string(name)]
        case .journal(let event, let fields):
            var result: [String: LuaValue] = ["kind": "journal.emit", "event": .string(event)]
            for (key, value) in fields where result[key] == nil { result[key] = .string(value) }
            return result
        }
    }
}

extension ScriptOutboundRequest {
    public var fields: [String: LuaValue] {
        switch self {
        case .http(let method, let url, _, let body, _, _):
            return ["kind": "http", "method": .string(method), "url": .string(url), "body": body.map(LuaValue.string) ?? .nil]
        case .ftpPut(let url, _, _, _, _): return ["kind": "ftp.put", "url": .string(url)]
        case .tftpPut(let url, _, _, _): return ["kind": "tftp.put", "url": .string(url)]
        case .webRelay(let id): return ["kind": "webrelay.fire", "id": .integer(id)]
        case .mail(_, _, let to, let subject, _, let attachments, _, _):
            return [
                "kind": "mail.send", "to": .string(to.joined(separator: ",")), "subject": .string(subject),
                "attachments": .integer(Int64(attachments.count)),
            ]
        case .snapshot(let camera): return ["kind": "snapshot", "camera": camera.map(LuaValue.string) ?? .nil]
        case .mqttPublish(let topic, let payload, let qos, let retain):
            return [
                "kind": "mqtt.publish", "topic": .string(topic), "payload": .string(payload), "qos": .integer(Int64(qos)),
                "retain": .boolean(retain),
            ]
        }
    }
}
