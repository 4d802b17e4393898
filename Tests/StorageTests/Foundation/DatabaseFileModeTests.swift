import Foundation
import Testing

@testable import Storage

/// The database holds users' PINs and queued actions' credentials: no other local user may read it, whatever the
/// process's umask and whatever mode an earlier version left.
@Suite("database files are private to the host's user")
struct DatabaseFileModeTests {
    func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("a new database and its -wal and -shm are 0600 under a permissive umask")
    func newDatabaseIsPrivate() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let previous = umask(0o022)
        defer { umask(previous) }
        let database = try GatehouseDatabase(directory: directory.path)
        try database.pool.write { db in try db.execute(sql: "CREATE TABLE probe (x)") }
        for name in ["gatehouse.sqlite", "gatehouse.sqlite-wal", "gatehouse.sqlite-shm"] {
            #expect(try mode(directory.appendingPathComponent(name)) == 0o600, "\(name)")
        }
    }

    @Test("a database an earlier version left world-readable is narrowed to 0600 when opened")
    func existingDatabaseIsNarrowed() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gatehouse.sqlite")
        do {
            let previous = umask(0o022)
            defer { umask(previous) }
            _ = try GatehouseDatabase(directory: directory.path)
        }
        for name in ["gatehouse.sqlite", "gatehouse.sqlite-wal", "gatehouse.sqlite-shm"] {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { chmod(url.path, 0o644) }
        }
        #expect(try mode(file) == 0o644)
        let reopened = try GatehouseDatabase(directory: directory.path)
        #expect(try reopened.schemaVersion() >= 1)
        for name in ["gatehouse.sqlite", "gatehouse.sqlite-wal", "gatehouse.sqlite-shm"] {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            #expect(try mode(url) == 0o600, "\(name)")
        }
    }
}
