---@meta gatehouse
-- Generated from Sources/Scripting/Host/HostRegistry.swift; do not edit by hand.
-- Regenerate: GATEHOUSE_REGENERATE_LUA_DOCS=1 swift test --filter DocsTests

---@alias gatehouse.EventName "credential"|"decision"|"dtmf"|"button"|"input"|"door"|"relay"|"alarm"|"device_event"|"reload"|"mqtt"|"call"

---@class gatehouse.time
time = {}

---@class gatehouse.log
log = {}

---@class gatehouse.kv
kv = {}

---@class gatehouse.rate
rate = {}

---@class gatehouse.relay
relay = {}

---@class gatehouse.door
door = {}

---@class gatehouse.alarm
alarm = {}

---@class gatehouse.journal
journal = {}

---@class gatehouse.http
http = {}

---@class gatehouse.ftp
ftp = {}

---@class gatehouse.tftp
tftp = {}

---@class gatehouse.mail
mail = {}

---@class gatehouse.webrelay
webrelay = {}

---@class gatehouse.mqtt
mqtt = {}

---@class gatehouse.expect
expect = {}

---@class gatehouse.sim
sim = {}

---@class gatehouse.schedule
schedule = {}

---@class gatehouse.users
users = {}

---Registers a card-format transform: raw bits → card number string.
---
---Context: load time only.
---@param name string Format name used in the reader configuration.
---@param fn fun(bits: string, length: integer): string|nil `bits` is a string of `0`/`1`; return digits (at most 32) or nil to reject.
---@param options? {samples: {bits: string, expect: string|false}[]} Sample vectors checked at every load and reload: `expect` is the card number, or false when the bits must be rejected.
function cardformat(name, fn, options) end

---Runs `fn` at the minutes matching a five-field cron expression, in the site's time zone.
---
---Context: load time only.
---@param expr string `minute hour day month weekday`, e.g. `"0 7 * * 1-5"`.
---@param fn fun() The timer body; may yield.
function cron(expr, fn) end

---Runs `fn` every `interval`, first one interval after the site loads.
---
---Context: load time only.
---@param interval number|string Seconds, or `"30s"`, `"5m"`, `"2h"`, `"1d"` (1 s to 366 days).
---@param fn fun() The timer body; may yield (`sleep`, I/O).
function every(interval, fn) end

---Loads `name.lua` from the site directory once (text only, its own globals) and returns what it returned.
---@param name string Letters, digits, `_`, `-` and `/` (sub-folders), without `.lua`.
---@return any module The file's return value, or true.
function import(name) end

---Registers `handler` for the event `name`.
---
---Context: load time only.
---@param name gatehouse.EventName One of `credential`, `decision`, `dtmf`, `button`, `input`, `door`, `relay`, `alarm`, `device_event`, `reload`, `mqtt`, `call`.
---@param handler fun(ev: table): table|nil Called with the event table (the journal entry's fields).
function on(name, handler) end

---Declares a check that must pass before this version of the site may serve.
---
---Context: load time only.
---@param name string
---@param fn fun() Fails by raising (see `expect`).
function selftest(name, fn) end

---Suspends the running handler for `seconds` without blocking anything else.
---
---Context: handlers and timers; yields.
---@param seconds number 0 to 3600.
---@return true ok
function sleep(seconds) end

---Takes a camera snapshot and returns `{ref = ...}` for `mail.send` attachments.
---
---Context: handlers and timers; yields.
---@param camera? string Default: the site's camera.
---@return table? result
---@return string? err Why it failed; `"not configured"` without the outbound module.
function snapshot(camera) end

---Declares a test run by `gatehouse test` (ignored when the site runs).
---
---Context: load time only.
---@param name string
---@param fn fun() Fails by raising (see `expect`).
function test(name, fn) end

---Clears the site alarm `name`.
---
---Context: handlers and timers.
---@param name string
---@return true? ok Queued.
---@return string? err `"not configured"` without a door engine.
function alarm.clear(name) end

---Raises the site alarm `name`.
---
---Context: handlers and timers.
---@param name string
---@param detail? string
---@return true? ok Queued.
---@return string? err `"not configured"` without a door engine.
function alarm.raise(name, detail) end

---Locks door `id` now.
---
---Context: handlers and timers.
---@param id integer
---@return true? ok Queued.
---@return string? err `"not configured"` without a door engine.
function door.lock(id) end

---Releases door `id` for `seconds` (default: the door's drive time).
---
---Context: handlers and timers.
---@param id integer
---@param seconds? number
---@return true? ok Queued.
---@return string? err `"not configured"` without a door engine.
function door.open(id, seconds) end

---Raises unless `actual == expected` (tables compared by content).
---@param actual any
---@param expected any
---@param message? string
function expect.eq(actual, expected, message) end

---Raises unless `fn()` raises (with a message containing `pattern`, plain text, when given).
---@param fn fun()
---@param pattern? string
function expect.error(fn, pattern) end

---Raises unless `value` is nil or false.
---@param value any
---@param message? string
function expect.falsy(value, message) end

---Raises unless `value` is neither nil nor false.
---@param value any
---@param message? string
function expect.truthy(value, message) end

---Uploads `data` to an `ftp://` or `ftps://` URL.
---
---Context: handlers and timers; yields.
---@param request {url: string, data: string, auth: table?, timeout: number?, durable: boolean?} `timeout` defaults to 30 s; `durable = true` hands it to the outbox (persisted and retried).
---@return table? result
---@return string? err Why it failed; `"not configured"` without the outbound module.
function ftp.put(request) end

---Performs an HTTP request and returns `{status, body, headers}`.
---
---Context: handlers and timers; yields.
---@param request {method: string?, url: string, headers: table?, body: string?, timeout: number?, auth: {user: string, password: string, kind: string?}?} `method` defaults to GET, `timeout` to 10 s.
---@return table? result
---@return string? err Why it failed; `"not configured"` without the outbound module.
function http.request(request) end

---Writes a site-defined event to the journal: `{event = "name", ...}` (string/number/boolean fields).
---
---Context: handlers and timers.
---@param fields table
---@return true? ok Queued.
---@return string? err `"not configured"` without a door engine.
function journal.emit(fields) end

---Removes `key`.
---
---Context: handlers and timers.
---@param key string
---@return true? ok
---@return string? err
function kv.del(key) end

---The value stored under `key`, or nil when absent or expired.
---
---Context: handlers and timers.
---@param key string
---@return string|number|boolean|nil value
---@return string? err Set when the store failed.
function kv.get(key) end

---Adds `by` (default 1) to an integer counter and returns the new value.
---
---Context: handlers and timers.
---@param key string
---@param by? integer Default 1.
---@param ttl? number|{ttl: number} Applies when the counter is created: a fixed window.
---@return integer? value
---@return string? err
function kv.incr(key, by, ttl) end

---Stores a string, number or boolean under `key`, optionally expiring after `ttl` seconds.
---
---Context: handlers and timers.
---@param key string
---@param value string|number|boolean At most 1 MiB.
---@param ttl? number|{ttl: number} Seconds until it expires.
---@return true? ok
---@return string? err
function kv.set(key, value, ttl) end

---Writes `message` to the host log at level error, tagged with the script's file:line.
---@param message any Strings, numbers and booleans print as themselves.
function log.error(message) end

---Writes `message` to the host log at level info, tagged with the script's file:line.
---@param message any Strings, numbers and booleans print as themselves.
function log.info(message) end

---Writes `message` to the host log at level warn, tagged with the script's file:line.
---@param message any Strings, numbers and booleans print as themselves.
function log.warn(message) end

---Sends an e-mail (default: the host's configured SMTP relay and sender).
---
---Context: handlers and timers; yields.
---@param message {to: string|string[], subject: string, body: string, attachments: string[]?, server: string?, from: string?, starttls: boolean?, durable: boolean?} `attachments` are `snapshot()` refs; `server` is `smtp://` or `smtps://`.
---@return table? result
---@return string? err Why it failed; `"not configured"` without the outbound module.
function mail.send(message) end

---Publishes `payload` on `topic` over the host's MQTT connection (`[mqtt]`).
---
---Context: handlers and timers; yields.
---@param topic string A topic without wildcards.
---@param payload string At most 256 KiB.
---@param options? {retain: boolean?, qos: integer?} `qos` 0, 1 (default) or 2; `retain` default false.
---@return table? result
---@return string? err Why it failed; `"not configured"` without the outbound module.
function mqtt.publish(topic, payload, options) end

---Subscribes to `pattern` on the host's MQTT connection; messages reach `on("mqtt", fn)` handlers.
---
---Context: load time only.
---@param pattern string A topic filter; `+` matches one level, `#` the rest (last level only).
function mqtt.subscribe(pattern) end

---True while `key` has been allowed fewer than `n` times per `per_seconds` (bursts up to `n`).
---
---Context: handlers and timers.
---@param key string
---@param n integer Events allowed per window.
---@param per_seconds number Window length.
---@return boolean allowed
function rate.allow(key, n, per_seconds) end

---Pulses relay `id` for `seconds` (default: the relay's hold time).
---
---Context: handlers and timers.
---@param id integer
---@param seconds? number
---@return true? ok Queued.
---@return string? err `"not configured"` without a door engine.
function relay.open(id, seconds) end

---Switches relay `id` on (`true`/`"on"`) or off.
---
---Context: handlers and timers.
---@param id integer
---@param state boolean|"on"|"off"
---@return true? ok Queued.
---@return string? err `"not configured"` without a door engine.
function relay.set(id, state) end

---Whether the schedule `name` is active at `time` (default: now).
---@param name string A name given to `schedule.define`.
---@param time? number Seconds like `time.now()`; default now (the fake clock under `gatehouse test`).
---@return boolean active
function schedule.active(name, time) end

---Defines a named weekly schedule, evaluated like a door-engine time rule in the site's time zone.
---
---Context: load time only.
---@param spec {name: string, days: string|string[]?, from: string?, to: string?, periods: string[][]?, dates: {from: string?, to: string?}?} `days`: `"mon-fri"`, `"sat,sun"`, `{"mon", "wed"}`, `"daily"` (default), `"weekdays"`, `"weekends"`. `from`/`to`: `"HH:MM"`, `to` exclusive and up to `"24:00"` (default: the whole day); a `to` before `from` runs overnight. `periods = {{"08:00", "12:00"}, {"13:00", "17:00"}}` instead of `from`/`to`. `dates = {from = "2026-01-01", to = "2026-06-30"}`: only between these days (both included).
function schedule.define(spec) end

---Test only: the actions and outbound requests recorded so far, oldest first, then clears them.
---
---Context: handlers and timers.
---@return table[] records `{kind = "relay.open", id = 1, ...}`, `{kind = "http", url = ...}`.
function sim.actions() end

---Test only: moves the fake clock forward, running the door engine's timed work (relay holds, door timeouts, schedules) and the scripts' timers and sleepers on the way.
---
---Context: handlers and timers; yields.
---@param seconds number
function sim.advance(seconds) end

---Test only: creates or replaces a door, reader, relay, input, timezone, schedule or holiday of the simulated site, exactly as `PUT /api/v1/<collection>/<id>` would.
---
---Context: handlers and timers; yields.
---@param collection string `doors`, `readers`, `relays`, `inputs`, `timezones`, `schedules` or `holidays`.
---@param id integer|string
---@param fields table The REST API's body for it.
function sim.configure(collection, id, fields) end

---Test only: feeds an event into the site's real door engine, through the same entry point as the REST API, and waits until the engine and the handlers have settled.
---
---Context: handlers and timers; yields.
---@param name string `credential` (the body of `POST /api/v1/access`: `reader` or `door`, and `card`, `pin`, `apartment`, `plate`, `qr` or `identity`), `dtmf` (`POST /api/v1/dtmf`: `caller`, `digits`, `call`), `button` (`button = <door>` or `"reception"`) or `input` (`input = <id>`, `active`). The other events come from the engine: cause them with these.
---@param fields table The event's fields; a field the live form does not take is an error naming it.
---@return table? result The REST API's answer: the decision `{granted, event, event_name, reason, detail, user, door, journal_index}`, or `{input, active}`.
function sim.event(name, fields) end

---Test only: a message as if it arrived from the MQTT broker: commands on `<prefix>/door/<id>/set` and `<prefix>/relay/<id>/set` go through the live command path; topics the site subscribed to reach its `on("mqtt")` handlers.
---
---Context: handlers and timers; yields.
---@param topic string The prefix is `gatehouse/<site directory name>`, the live default.
---@param payload string
---@param options? {retain: boolean?} `retain = true`: as the broker replays a retained message (never obeyed as a command).
---@return table result `{command = "OPEN"}` when carried out, `{refused = reason}`, and `handlers = true` when scripts received it.
function sim.mqtt(topic, payload, options) end

---Test only: a canned reply for outbound requests whose URL contains `pattern`.
---
---Context: handlers and timers.
---@param pattern string Plain substring of the URL (mail: `mailto:addr`).
---@param result table|string A result table, or a string to make the call return `nil, string`.
function sim.reply(pattern, result) end

---Test only: a door, relay or input of the simulated site as `GET /api/v1/<collection>/<id>` shows it.
---
---Context: handlers and timers; yields.
---@param collection string `doors`, `relays` or `inputs`.
---@param id integer
---@return table resource For a relay `{id, active, level, ...}`, a door `{id, state, relay_active, sensor_open, ...}`.
function sim.state(collection, id) end

---Test only: creates or replaces users of the simulated site, each exactly as `PUT /api/v1/users/<pin>` would.
---
---Context: handlers and timers; yields.
---@param users table[] REST user bodies: `{{pin = "7", name = "Ana", cards = {{number = "123"}}, pin_code = "4321", residence = {apartment = "12"}, authorizations = {{timezone = 1, doors = {1}}}}, ...}`
function sim.users(users) end

---Uploads `data` to a `tftp://` URL.
---
---Context: handlers and timers; yields.
---@param request {url: string, data: string, timeout: number?, durable: boolean?}
---@return table? result
---@return string? err Why it failed; `"not configured"` without the outbound module.
function tftp.put(request) end

---The site's local time as `{year, month, day, hour, min, sec, wday}` (`wday` 1 = Sunday).
---
---Context: handlers and timers.
---@param seconds? number A `time.now()` value; default now.
---@return table t
function time.localtime(seconds) end

---Seconds since 1970 (UTC) from the host clock, with fractions.
---
---Context: handlers and timers.
---@return number seconds
function time.now() end

---Looks a user up by user PIN or card number.
---
---Context: handlers and timers; yields.
---@param query {pin: string}|{card: string} `pin` is the user's id (`user_pin` in events); `card` a decimal card number.
---@return table? user `{pin, name, disabled, valid_from, valid_until, cards, authorizations = {{timezone, doors}}, apartment, group, temporary, super_user}`, or nil when nobody matches
---@return string? err `"not configured"` without a user directory.
function users.find(query) end

---Fires configured web relay `id` (through the outbox).
---
---Context: handlers and timers; yields.
---@param id integer
---@return table? result
---@return string? err Why it failed; `"not configured"` without the outbound module.
function webrelay.fire(id) end

