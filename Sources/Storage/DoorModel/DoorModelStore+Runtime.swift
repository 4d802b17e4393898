import AccessControl
import Foundation
import GRDB

extension DoorModelStore {
    public func loadRuntime() async throws -> RuntimeState {
        try await writer.read { db in
            var state = RuntimeState()
            for row in try Row.fetchAll(
                db,
                sql: "SELECT door_id, remote_normal_open, first_card_normal_open, first_card_activated, break_in_latched FROM access_door_state")
            {
                state.doors[DoorID(row[0])] = PersistentDoorState(
                    remoteNormalOpen: row[1], firstCardNormalOpen: row[2], firstCardActivated: row[3], breakInLatched: row[4])
            }
            let positions = try Row.fetchCursor(db, sql: "SELECT user_pin, zone, side, time FROM access_apb_position")
            while let row = try positions.next() {
                state.positions[AntiPassbackKey(user: UserPIN(row[0]), zone: row[1])] = AntiPassbackPosition(
                    side: row[2], time: Date(timeIntervalSince1970: row[3]))
            }
            return state
        }
    }

    public func apply(_ changes: [RuntimeChange]) async throws {
        try writeInline { db in
            for change in changes {
                switch change {
                case .door(let id, let state):
                    try db.cachedStatement(
                        sql: """
                            INSERT OR REPLACE INTO access_door_state (door_id, remote_normal_open, first_card_normal_open,
                                first_card_activated, break_in_latched) VALUES (?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        id.rawValue, state.remoteNormalOpen, state.firstCardNormalOpen, state.firstCardActivated,
                        state.breakInLatched,
                    ])
                case .position(let key, let position?):
                    try db.cachedStatement(
                        sql: "INSERT OR REPLACE INTO access_apb_position (user_pin, zone, side, time) VALUES (?, ?, ?, ?)"
                    ).execute(arguments: [key.user.rawValue, key.zone, position.side, position.time.timeIntervalSince1970])
                case .position(let key, nil):
                    try db.cachedStatement(sql: "DELETE FROM access_apb_position WHERE user_pin = ? AND zone = ?")
                        .execute(arguments: [key.user.rawValue, key.zone])
                }
            }
        }
    }
}
