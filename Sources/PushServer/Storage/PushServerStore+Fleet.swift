import Foundation
import GRDB

/// A summary of the device fleet for dashboards (`/metrics`): how many devices are online, waiting for approval, and how
/// many commands wait in the queue. One read transaction, so the numbers agree with each other.
public struct PushFleetSummary: Sendable, Equatable {
    public var devices: Int
    public var online: Int
    public var pendingApproval: Int
    /// Commands per state (queued, delivered, succeeded, failed, expired); states with none are 0.
    public var commands: [CommandState: Int]

    /// Commands not yet acknowledged: queued plus delivered.
    public var queueDepth: Int { (commands[.queued] ?? 0) + (commands[.delivered] ?? 0) }
}

extension PushServerStore {
    public func fleetSummary(now: Date, requestDelay: Int) throws -> PushFleetSummary {
        try writer.read { db in
            let devices = try Row.fetchAll(db, sql: "SELECT * FROM push_device").map(Self.device(from:))
            var commands = Dictionary(uniqueKeysWithValues: CommandState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM push_command GROUP BY state") {
                if let state = CommandState(rawValue: row["state"]) { commands[state] = row["n"] }
            }
            return PushFleetSummary(
                devices: devices.count,
                online: devices.filter { $0.status == .approved && $0.isOnline(at: now, requestDelay: requestDelay) }.count,
                pendingApproval: devices.filter { $0.status == .pending }.count,
                commands: commands)
        }
    }
}
