import AccessControl
import Foundation
import GRDB
import PushProtocol

extension DoorModelStore {
    public func loadUsers() async throws -> [User] {
        try await writer.read { db in try DoorModelStore.fetchUsers(db) }
    }

    /// Reads every user with a fixed number of sequential scans (one per table), so a million users load in
    /// seconds rather than a million small queries.
    static func fetchUsers(_ db: Database) throws -> [User] {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_user") ?? 0
        var users: [User] = []
        users.reserveCapacity(count)
        var slot: [String: Int] = [:]
        slot.reserveCapacity(count)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT pin, name, privilege, user_group, valid_from, valid_until, disabled, verify_mode, super_user,
                       temporary, extended_unlock, building, floor, room, apartment, private_pin
                FROM access_user
                """)
        while let row = try rows.next() {
            let pin: String = row[0]
            let building: String? = row[11]
            let floor: String? = row[12]
            let room: String? = row[13]
            let apartment: String? = row[14]
            let hasResidence = building != nil || floor != nil || room != nil || apartment != nil
            let verifyMode: Int? = row[7]
            slot[pin] = users.count
            users.append(
                User(
                    pin: UserPIN(pin), name: row[1], privilege: Privilege(rawValue: row[2]) ?? .common, group: row[3],
                    validity: window(row[4], row[5]), isDisabled: row[6], verifyMode: verifyMode.flatMap(VerifyMode.init(rawValue:)),
                    isSuperUser: row[8], isTemporary: row[9], hasExtendedUnlock: row[10],
                    residence: hasResidence
                        ? Residence(building: building ?? "", floor: floor ?? "", room: room ?? "", apartment: apartment ?? "")
                        : nil,
                    privatePIN: row[15]))
        }
        let cards = try Row.fetchCursor(
            db, sql: "SELECT user_pin, number, bit_length, site_code, lost, role FROM access_card ORDER BY user_pin, position")
        while let row = try cards.next() {
            guard let at = slot[row[0]] else { continue }
            users[at].cards.append(
                Card(
                    number: CardNumber(UInt64(storedBits: row[1])), bitLength: row[2], siteCode: row[3], isLost: row[4],
                    role: Card.Role(rawValue: row[5]) ?? .main))
        }
        let plates = try Row.fetchCursor(
            db, sql: "SELECT user_pin, plate, valid_from, valid_until FROM access_plate ORDER BY user_pin, position")
        while let row = try plates.next() {
            guard let at = slot[row[0]] else { continue }
            users[at].plates.append(LicencePlate(row[1], validity: window(row[2], row[3])))
        }
        let tokens = try Row.fetchCursor(
            db, sql: "SELECT user_pin, token, valid_from, valid_until FROM access_qr_token ORDER BY user_pin, position")
        while let row = try tokens.next() {
            guard let at = slot[row[0]] else { continue }
            users[at].qrTokens.append(QRToken(row[1], validity: window(row[2], row[3]) ?? DateWindow()))
        }
        let identities = try Row.fetchCursor(
            db, sql: "SELECT user_pin, kind, identity FROM access_identity ORDER BY user_pin, position")
        while let row = try identities.next() {
            guard let at = slot[row[0]], let kind = ExternalIdentity.Kind(rawValue: row[1]) else { continue }
            users[at].identities.append(ExternalIdentity(kind, id: row[2]))
        }
        let authorisations = try Row.fetchCursor(
            db,
            sql: "SELECT user_pin, timezone_id, door_mask, valid_from, valid_until FROM access_authorisation ORDER BY user_pin, position")
        while let row = try authorisations.next() {
            guard let at = slot[row[0]] else { continue }
            users[at].authorisations.append(
                Authorisation(
                    timezone: TimezoneID(row[1]), doors: DoorMask(rawValue: UInt64(storedBits: row[2])),
                    validity: window(row[3], row[4])))
        }
        return users
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
