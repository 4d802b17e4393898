import GRDB

/// Migrations of the door model (users, credentials, time, doors, journal).
/// Registered by `GatehouseDatabase` after the foundation migrations.
public enum DoorModelMigrations {
    public static func register(in migrator: inout DatabaseMigrator) {}
}
