import Outbound
import PushDevice
import PushServer
import Storage

/// Opens the host's database with every module's migrations, in one fixed order, so the host and the CLI's
/// offline commands (`token …`) agree on the schema.
public enum GatehouseStore {
    public static let migrations: [GatehouseDatabase.Migrations] = [
        { OutboxMigrations.register(in: &$0) },
        { PushServerMigrations.register(in: &$0) },
        { PushDeviceMigrations.register(in: &$0) },
    ]

    public static func open(
        directory: String, sync: GatehouseDatabase.Sync = .full
    ) throws(GatehouseDatabase.OpenError) -> GatehouseDatabase {
        try GatehouseDatabase(directory: directory, additionalMigrations: migrations, sync: sync)
    }
}
