import AccessControl
import Foundation
import GRDB
import PushProtocol

extension DoorModelStore {
    public func loadUsers() async throws -> [User] {
        try await writer.read { db in try DoorModelStore.fetchUsers(db) }
    }

    /// Reads every user with one ordered scan per table, merged on the PIN (no per-user queries, no lookup table).
    /// Identical authorisation lists, common when users are enrolled by group, share one array buffer.
    static func fetchUsers(_ db: Database) throws -> [User] {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_user") ?? 0
        var users: [User] = []
        users.reserveCapacity(count)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT pin, name, privilege, user_group, valid_from, valid_until, disabled, verify_mode, super_user,
                       temporary, extended_unlock, building, floor, room, apartment, private_pin
                FROM access_user ORDER BY pin
                """)
        while let row = try rows.next() {
            let building: String? = row[11]
            let floor: String? = row[12]
            let room: String? = row[13]
            let apartment: String? = row[14]
            let hasResidence = building != nil || floor != nil || room != nil || apartment != nil
            let verifyMode: Int? = row[7]
            users.append(
                User(
                    pin: UserPIN(row[0] as String), name: row[1], privilege: Privilege(rawValue: row[2]) ?? .common,
                    group: row[3], validity: window(row[4], row[5]), isDisabled: row[6],
                    verifyMode: verifyMode.flatMap(VerifyMode.init(rawValue:)), isSuperUser: row[8], isTemporary: row[9],
                    hasExtendedUnlock: row[10],
                    residence: hasResidence
                        ? Residence(building: building ?? "", floor: floor ?? "", room: room ?? "", apartment: apartment ?? "")
                        : nil,
                    privatePIN: row[15]))
        }
        var merger = Merger(users: users)
        users = []
        try merger.merge(
            db, sql: "SELECT user_pin, number, bit_length, site_code, lost, role FROM access_card ORDER BY user_pin, position"
        ) { user, row in
            user.cards.append(
                Card(
                    number: CardNumber(UInt64(storedBits: row[1])), bitLength: row[2], siteCode: row[3], isLost: row[4],
                    role: Card.Role(rawValue: row[5]) ?? .main))
        }
        try merger.merge(
            db, sql: "SELECT user_pin, plate, valid_from, valid_until FROM access_plate ORDER BY user_pin, position"
        ) { user, row in
            user.plates.append(LicencePlate(row[1], validity: window(row[2], row[3])))
        }
        try merger.merge(
            db, sql: "SELECT user_pin, token, valid_from, valid_until FROM access_qr_token ORDER BY user_pin, position"
        ) { user, row in
            user.qrTokens.append(QRToken(row[1], validity: window(row[2], row[3]) ?? DateWindow()))
        }
        try merger.merge(
            db, sql: "SELECT user_pin, kind, identity FROM access_identity ORDER BY user_pin, position"
        ) { user, row in
            if let kind = ExternalIdentity.Kind(rawValue: row[1]) { user.identities.append(ExternalIdentity(kind, id: row[2])) }
        }
        var shared: [[Authorisation]: [Authorisation]] = [:]
        var pending: (slot: Int, list: [Authorisation])?
        func finish(_ merger: inout Merger) {
            guard let done = pending else { return }
            if let existing = shared[done.list] {
                merger.users[done.slot].authorisations = existing
            } else {
                shared[done.list] = done.list
                merger.users[done.slot].authorisations = done.list
            }
            pending = nil
        }
        let authorisations = try Row.fetchCursor(
            db,
            sql: "SELECT user_pin, timezone_id, door_mask, valid_from, valid_until FROM access_authorisation ORDER BY user_pin, position")
        while let row = try authorisations.next() {
            guard let slot = merger.slot(of: row[0]) else { continue }
            if pending?.slot != slot {
                finish(&merger)
                pending = (slot, [])
            }
            pending?.list.append(
                Authorisation(
                    timezone: TimezoneID(row[1]), doors: DoorMask(rawValue: UInt64(storedBits: row[2])),
                    validity: window(row[3], row[4])))
        }
        finish(&merger)
        return merger.users
    }

    /// Walks users and a child table in the same (SQLite BINARY) order, so each child row finds its user by
    /// advancing a cursor. Rows out of step (never expected) fall back to a lookup table built on first need.
    struct Merger {
        var users: [User]
        private var cursor = 0
        private var lookup: [String: Int]?

        init(users: [User]) { self.users = users }

        mutating func slot(of pin: String) -> Int? {
            // BINARY collation is byte order of the UTF-8 text: step forward while the user sorts before the row.
            while cursor < users.count {
                let current = users[cursor].pin.rawValue
                if current == pin { return cursor }
                guard current.utf8.lexicographicallyPrecedes(pin.utf8) else { break }
                cursor += 1
            }
            if lookup == nil {
                var table: [String: Int] = [:]
                table.reserveCapacity(users.count)
                for (index, user) in users.enumerated() { table[user.pin.rawValue] = index }
                lookup = table
            }
            return lookup?[pin]
        }

        mutating func merge(_ db: Database, sql: String, _ apply: (inout User, Row) -> Void) throws {
            cursor = 0
            let rows = try Row.fetchCursor(db, sql: sql)
            while let row = try rows.next() {
                guard let slot = slot(of: row[0]) else { continue }
                apply(&users[slot], row)
            }
            cursor = 0
        }
    }

    public func apply(_ change: UserChange) async throws {
        try await write { db in
            switch change {
            case .upsert(let user): try DoorModelStore.write(user, db)
            case .delete(let pin):
                try db.execute(sql: "DELETE FROM access_user WHERE pin = ?", arguments: [pin.rawValue])
                try db.execute(sql: "DELETE FROM access_apb_position WHERE user_pin = ?", arguments: [pin.rawValue])
                try db.execute(sql: "DELETE FROM access_first_card WHERE user_pin = ?", arguments: [pin.rawValue])
            }
        }
    }

    /// Writes many users in one transaction (bulk import, benchmarks).
    public func importUsers(_ users: [User]) async throws {
        try await write { db in
            for user in users { try DoorModelStore.write(user, db) }
        }
    }

    static func write(_ user: User, _ db: Database) throws {
        let pin = user.pin.rawValue
        // Credentials are replaced as a whole: the user row's own update keeps the primary key, children go first.
        for table in ["access_card", "access_plate", "access_qr_token", "access_identity", "access_authorisation"] {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE user_pin = ?").execute(arguments: [pin])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO access_user (pin, name, privilege, user_group, valid_from, valid_until, disabled, verify_mode,
                    super_user, temporary, extended_unlock, building, floor, room, apartment, private_pin)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(pin) DO UPDATE SET name = excluded.name, privilege = excluded.privilege,
                    user_group = excluded.user_group, valid_from = excluded.valid_from, valid_until = excluded.valid_until,
                    disabled = excluded.disabled, verify_mode = excluded.verify_mode, super_user = excluded.super_user,
                    temporary = excluded.temporary, extended_unlock = excluded.extended_unlock,
                    building = excluded.building, floor = excluded.floor, room = excluded.room,
                    apartment = excluded.apartment, private_pin = excluded.private_pin
                """
        ).execute(arguments: [
            pin, user.name, user.privilege.rawValue, user.group, user.validity.storedStart, user.validity.storedEnd,
            user.isDisabled, user.verifyMode?.rawValue, user.isSuperUser, user.isTemporary, user.hasExtendedUnlock,
            user.residence?.building, user.residence?.floor, user.residence?.room, user.residence?.apartment,
            user.privatePIN,
        ])
        let insertCard = try db.cachedStatement(
            sql: "INSERT INTO access_card (number, user_pin, position, bit_length, site_code, lost, role) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for (position, card) in user.cards.enumerated() {
            try insertCard.execute(arguments: [
                card.number.value.storedBits, pin, position, card.bitLength, card.siteCode, card.isLost, card.role.rawValue,
            ])
        }
        let insertPlate = try db.cachedStatement(
            sql: "INSERT INTO access_plate (plate, user_pin, position, valid_from, valid_until) VALUES (?, ?, ?, ?, ?)")
        for (position, plate) in user.plates.enumerated() {
            try insertPlate.execute(arguments: [plate.text, pin, position, plate.validity.storedStart, plate.validity.storedEnd])
        }
        let insertToken = try db.cachedStatement(
            sql: "INSERT INTO access_qr_token (token, user_pin, position, valid_from, valid_until) VALUES (?, ?, ?, ?, ?)")
        for (position, token) in user.qrTokens.enumerated() {
            try insertToken.execute(arguments: [
                token.token, pin, position, token.validity.start?.timeIntervalSince1970, token.validity.end?.timeIntervalSince1970,
            ])
        }
        let insertIdentity = try db.cachedStatement(
            sql: "INSERT INTO access_identity (kind, identity, user_pin, position) VALUES (?, ?, ?, ?)")
        for (position, identity) in user.identities.enumerated() {
            try insertIdentity.execute(arguments: [identity.kind.rawValue, identity.id, pin, position])
        }
        let insertAuthorisation = try db.cachedStatement(
            sql: """
                INSERT INTO access_authorisation (user_pin, timezone_id, position, door_mask, valid_from, valid_until)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        for (position, authorisation) in user.authorisations.enumerated() {
            try insertAuthorisation.execute(arguments: [
                pin, authorisation.timezone.rawValue, position, authorisation.doors.rawValue.storedBits,
                authorisation.validity.storedStart, authorisation.validity.storedEnd,
            ])
        }
    }
}
