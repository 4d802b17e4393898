import AccessControl

/// The site's writes are one user or one timezone at a time. A batch of them (an import, an Akuvox `user/add` of
/// several items) that the site refuses half-way records each write here and puts back what it had changed, so the
/// batch changes all or nothing.
struct UndoLog {
    private var users: [(UserPIN, User?)] = []
    private var timezones: [(TimezoneID, Timezone?)] = []

    /// Stores `user`; returns the user it replaced, nil when new.
    @discardableResult
    mutating func upsert(_ user: User, in site: Site) async throws -> User? {
        let before = await site.user(user.pin)
        try await site.upsert(user)
        users.append((user.pin, before))
        return before
    }

    mutating func deleteUser(_ pin: UserPIN, in site: Site) async throws {
        let before = await site.user(pin)
        try await site.deleteUser(pin)
        users.append((pin, before))
    }

    mutating func upsert(_ schedule: NamedSchedule, in site: Site) async throws {
        let before = await site.timezones.first { $0.id == schedule.id }
        try await site.upsert(schedule)
        timezones.append((schedule.id, before))
    }

    mutating func deleteTimezone(_ id: TimezoneID, in site: Site) async throws {
        let before = await site.timezones.first { $0.id == id }
        try await site.deleteTimezone(id)
        timezones.append((id, before))
    }

    /// Puts back everything recorded, newest first, users before timezones (users refer to timezones). Best effort:
    /// the site has just refused a write, and a put-back it refuses too is left as it is.
    func undo(in site: Site) async {
        for (pin, old) in users.reversed() {
            if let old { try? await site.upsert(old) } else { try? await site.deleteUser(pin) }
        }
        for (id, old) in timezones.reversed() {
            if let old { try? await site.upsert(old) } else { try? await site.deleteTimezone(id) }
        }
    }
}
