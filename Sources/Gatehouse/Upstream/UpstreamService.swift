import AccessControl
import Foundation
import Logging
import PushDevice
import PushProtocol
import Scripting
import ServiceLifecycle
import Storage

/// The device role inside the running host (`[upstream]`): a `PushDeviceClient` over the real site — the door
/// engine and the SQLite door model — registering with the upstream server, uploading this controller's journal
/// from the persisted cursor and executing the server's commands. A new journal entry wakes the loop at once when
/// the server asked for real-time uploads; otherwise the server's RequestDelay, ErrorDelay, TimeoutSec,
/// TransInterval and TransTimes govern it.
struct UpstreamService: Service {
    let settings: UpstreamSettings
    let site: Site
    let database: GatehouseDatabase
    let scripts: ScriptHost
    let logger: Logger

    func run() async throws {
        guard settings.enabled, let server = settings.server, let serial = settings.serialNumber else { return }
        let configuration = await site.currentConfiguration
        let siteDoors = Set(configuration.doors.map(\.id))
        var doors = settings.doors.isEmpty ? configuration.doors.map(\.id).sorted() : settings.doors.map(DoorID.init)
        let missing = doors.filter { !siteDoors.contains($0) }
        if !missing.isEmpty {
            // The site may gain the door later; commands for it fail with -11 until then.
            logger.warning("upstream.doors names doors the site does not have", metadata: ["doors": "\(missing.map(\.rawValue))"])
        }
        if doors.isEmpty { doors = [DoorID(1)] }
        let readers = settings.readers.isEmpty ? nil : Set(settings.readers.map(ReaderID.init))
        let view = UpstreamView(doors: doors, readers: readers)
        let readerCount = readers?.count ?? configuration.readers.filter { doors.contains($0.door) }.count
        let identity = DeviceIdentity(
            serialNumber: serial, deviceName: settings.deviceName, firmwareVersion: "Gatehouse \(GatehouseHost.version)",
            lockCount: view.doors.count, readerCount: max(1, readerCount))
        let transport: any PushTransport
        do {
            // Encrypted when the server offers Gatehouse's scheme (Appendix 16 steps), plain text otherwise.
            transport = EncryptedPushTransport(
                wrapping: try HTTPPushTransport(baseURL: server), serialNumber: serial,
                logger: Logger(label: "gatehouse.upstream.encryption"))
        } catch {
            logger.error("upstream disabled", metadata: ["error": "\(error)"])
            return
        }
        let scripts = self.scripts
        let clientLogger = logger
        let executor = DeviceCommandExecutor(
            site: site, identity: identity, view: view,
            restart: {
                let status = await scripts.load()
                clientLogger.notice(
                    "upstream server asked for a restart: site scripts reloaded", metadata: ["ok": "\(status.ok)"])
                return status.ok
            })
        let client = PushDeviceClient(
            identity: identity, transport: transport, site: site,
            cursor: PushDeviceCursorStore(writer: database.pool, upstream: "\(server)#\(serial)"), executor: executor,
            view: view, logger: logger)
        let zone = TimeZone(identifier: configuration.settings.timeZoneIdentifier) ?? .current
        await client.configure(timeZone: zone, maximumRetryDelay: Double(settings.maximumRetrySeconds))
        logger.info(
            "upstream PUSH client starting",
            metadata: [
                "server": "\(server)", "sn": "\(serial)", "doors": "\(view.doors.map(\.rawValue))",
            ])
        let wakeup = DeviceWakeup()
        let site = self.site
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await batch in await site.journalBatches()
                    where batch.contains(where: { view.uploads($0, serialNumber: serial) }) {
                        await wakeup.signal()
                    }
                }
                group.addTask { await client.run(wakeup: wakeup) }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
