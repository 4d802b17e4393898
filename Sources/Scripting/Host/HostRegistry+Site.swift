import Foundation

/// Host functions about the site itself: schedules on the door engine's
/// evaluator, the user directory, and declared self-tests.
extension HostRegistry {
    static let site: [HostFunction] = schedules + directory + selfTesting

    // MARK: Schedules

    static let schedules: [HostFunction] = [
        HostFunction(
            name: "schedule.define",
            summary: "Defines a named weekly schedule, evaluated like a door-engine time rule in the site's time zone.",
            parameters: [
                HostParameter(
                    name: "spec",
                    type: "{name: string, days: string|string[]?, from: string?, to: string?, periods: string[][]?, dates: {from: string?, to: string?}?}",
                    doc: "`days`: `\"mon-fri\"`, `\"sat,sun\"`, `{\"mon\", \"wed\"}`, `\"daily\"` (default), `\"weekdays\"`, `\"weekends\"`. "
                        + "`from`/`to`: `\"HH:MM\"`, `to` exclusive and up to `\"24:00\"` (default: the whole day); a `to` before `from` runs overnight. "
                        + "`periods = {{\"08:00\", \"12:00\"}, {\"13:00\", \"17:00\"}}` instead of `from`/`to`. "
                        + "`dates = {from = \"2026-01-01\", to = \"2026-06-30\"}`: only between these days (both included)."),
            ],
            context: .loadTime,
            notes: """
                A malformed schedule (unknown day, `25:00`, unknown field, duplicate name) is an error at its `file:line`, \
                so a reload with a bad schedule is refused and the previous version keeps serving. Holidays follow their \
                weekday (script schedules have no holiday periods). Example: \
                `schedule.define{name = "office", days = "mon-fri", from = "08:00", to = "18:00"}`.
                """,
            implementation: { vm, call throws(HostRaise) in
                let definition = try ScheduleDefinition.parse(try call.table(0), timeZone: vm.services.timeZone)
                let (file, line) = vm.callerPosition(vm.currentThread)
                if let previous = vm.schedules.positions[definition.name] {
                    throw HostRaise("schedule.define: '\(definition.name)' is already defined at \(previous)")
                }
                vm.schedules.define(definition, at: "\(file):\(line)")
                return .none
            }),
        HostFunction(
            name: "schedule.active", summary: "Whether the schedule `name` is active at `time` (default: now).",
            parameters: [
                HostParameter(name: "name", type: "string", doc: "A name given to `schedule.define`."),
                HostParameter(name: "time", type: "number?", doc: "Seconds like `time.now()`; default now (the fake clock under `gatehouse test`)."),
            ],
            returns: [HostReturn(type: "boolean", name: "active", doc: "")],
            notes: "Raises for a name no file defined (a typo should not silently deny).",
            implementation: { vm, call throws(HostRaise) in
                let name = try call.string(0)
                let seconds = try call.optionalNumber(1) ?? vm.services.clock.now.timeIntervalSince1970
                guard abs(seconds) < 1e11 else { throw call.bad(1, "time out of range") }
                guard let active = vm.schedules.isActive(name, at: Date(timeIntervalSince1970: seconds)) else {
                    let known = vm.schedules.names
                    throw HostRaise(
                        "schedule.active: unknown schedule '\(name)'" + (known.isEmpty ? " (none defined)" : " (defined: \(known.joined(separator: ", ")))"))
                }
                return .values([.boolean(active)])
            }),
    ]

    // MARK: Users

    static let directory: [HostFunction] = [
        HostFunction(
            name: "users.find", summary: "Looks a user up by user PIN or card number.",
            parameters: [
                HostParameter(name: "query", type: "{pin: string}|{card: string}", doc: "`pin` is the user's id (`user_pin` in events); `card` a decimal card number."),
            ],
            returns: [
                HostReturn(
                    type: "table?", name: "user",
                    doc: "`{pin, name, disabled, valid_from, valid_until, cards, authorizations = {{timezone, doors}}, apartment, group, temporary, super_user}`, or nil when nobody matches"),
                HostReturn(type: "string?", name: "err", doc: "`\"not configured\"` without a user directory."),
            ],
            context: .yielding,
            notes: "Under `gatehouse test` the users are the simulated site's, created with `sim.users{...}`.",
            implementation: { vm, call throws(HostRaise) in
                let table = try call.table(0)
                func text(_ key: String) -> String? { table[key].stringValue ?? table[key].integerValue.map(String.init) }
                let query: ScriptUserQuery
                switch (text("pin"), text("card")) {
                case (let pin?, nil): query = .pin(pin)
                case (nil, let card?): query = .card(card)
                default: throw call.bad(0, "exactly one of 'pin' or 'card' (string) expected")
                }
                if vm.services.userDirectory == nil { return .failure("not configured") }
                guard vm.pendingRuns < vm.limits.maxPendingIO else {
                    return .failure("too many pending operations (limit \(vm.limits.maxPendingIO))")
                }
                return .yield(.findUser(query))
            }),
        HostFunction(
            name: "sim.users",
            summary: "Test only: creates or replaces users of the simulated site, each exactly as `PUT /api/v1/users/<pin>` would.",
            parameters: [
                HostParameter(
                    name: "users", type: "table[]",
                    doc: "REST user bodies: `{{pin = \"7\", name = \"Ana\", cards = {{number = \"123\"}}, pin_code = \"4321\", residence = {apartment = \"12\"}, authorizations = {{timezone = 1, doors = {1}}}}, ...}`"),
            ],
            context: .yielding,
            implementation: { vm, call throws(HostRaise) in
                guard vm.services.simulator != nil else { throw HostRaise("sim.users is only available under gatehouse test") }
                return .yield(.simulate("users", [.table(try call.table(0))]))
            }),
    ]

    // MARK: Self-tests

    static let selfTesting: [HostFunction] = [
        HostFunction(
            name: "selftest", summary: "Declares a check that must pass before this version of the site may serve.",
            parameters: [
                HostParameter(name: "name", type: "string", doc: ""),
                HostParameter(name: "fn", type: "fun()", doc: "Fails by raising (see `expect`)."),
            ],
            context: .loadTime,
            notes: """
                Self-tests run at every load, reload and `gatehouse check`, after the top level and the card-format \
                samples, under the handler budget. A failing one refuses the reload with its `file:line` (the previous \
                version keeps serving). They must be pure: only functions usable anywhere work (`schedule.active` with \
                an explicit time, `expect.*`, plain Lua), so validation has no side effects.
                """,
            implementation: { vm, call throws(HostRaise) in
                let name = try call.string(0)
                let reference = try call.function(1)
                let (file, line) = vm.callerPosition(vm.currentThread)
                vm.retainedReferences.insert(reference)
                vm.selfTests.append(LuaVM.TestCase(name: name, reference: reference, file: file, line: line))
                return .none
            }),
    ]
}

/// One sample vector of a script card format: `bits` must give `expected` (nil: the transform must reject them).
struct CardFormatSample {
    var bits: String
    var expected: String?

    /// `{samples = {{bits = "1010…", expect = "12345"}, {bits = "…", expect = false}}}`.
    static func parse(options value: LuaValue, call: HostCall) throws(HostRaise) -> [CardFormatSample] {
        guard !value.isNil else { return [] }
        guard case .table(let options) = value else { throw call.bad(2, "options table {samples = {...}} expected") }
        for entry in options.entries where entry.key != .string("samples") {
            throw call.bad(2, "unknown option \(entry.key.stringValue.map { "'\($0)'" } ?? "key") (known: samples)")
        }
        guard !options["samples"].isNil else { return [] }
        guard case .table(let list) = options["samples"], list.array.count == list.entries.count else {
            throw call.bad(2, "'samples' must be a list of {bits = \"0101…\", expect = \"digits\" or false}")
        }
        var samples: [CardFormatSample] = []
        for (index, item) in list.array.enumerated() {
            guard case .table(let sample) = item, case .string(let bits) = sample["bits"], !bits.isEmpty, bits.utf8.count <= 1024,
                bits.utf8.allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") })
            else {
                throw call.bad(2, "sample \(index + 1) needs 'bits', a string of 0 and 1 (at most 1024)")
            }
            let expected: String?
            switch sample["expect"] {
            case .nil, .boolean(false): expected = nil
            case .string(let digits) where !digits.isEmpty && digits.utf8.count <= 32 && digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }):
                expected = digits
            case .integer(let number) where number >= 0: expected = String(number)
            default: throw call.bad(2, "sample \(index + 1): 'expect' must be the card number (1 to 32 digits) or false for a rejection")
            }
            samples.append(CardFormatSample(bits: bits, expected: expected))
        }
        return samples
    }
}
