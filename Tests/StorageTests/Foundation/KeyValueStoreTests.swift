import Foundation
import Testing

@testable import Storage

@Suite("key/value store")
struct KeyValueStoreTests {
    func store(_ directory: URL? = nil) throws -> (KeyValueStore, URL) {
        let directory = try directory ?? {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("kv-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }()
        return (KeyValueStore(database: try GatehouseDatabase(directory: directory.path), namespace: "site"), directory)
    }

    @Test("values keep their type across a reopen of the database")
    func typesSurviveRestart() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let (first, directory) = try store()
        let values: [(String, KeyValueStore.Value)] = [
            ("s", .string("héllo")), ("i", .integer(-42)), ("n", .number(0.1)), ("b", .boolean(true)),
        ]
        for (key, value) in values { try first.set(value, for: key, expiresAt: nil) }
        let (second, _) = try store(directory)
        for (key, value) in values { #expect(try second.value(for: key, now: now) == value) }
    }

    @Test("expiry: a value is gone at its expiry time, a counter's window starts at creation")
    func expiry() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let (store, _) = try store()
        try store.set(.string("x"), for: "temp", expiresAt: now.addingTimeInterval(10))
        #expect(try store.value(for: "temp", now: now.addingTimeInterval(9)) == .string("x"))
        #expect(try store.value(for: "temp", now: now.addingTimeInterval(10)) == nil)
        #expect(try store.increment("tries", by: 1, expiresAt: now.addingTimeInterval(600), now: now) == 1)
        #expect(try store.increment("tries", by: 1, expiresAt: now.addingTimeInterval(900), now: now.addingTimeInterval(300)) == 2)
        #expect(try store.increment("tries", by: 1, expiresAt: now.addingTimeInterval(1200), now: now.addingTimeInterval(600)) == 1)
        #expect(try store.purgeExpired(now: now.addingTimeInterval(10_000)) == 2)
    }

    @Test("incrementing a non-integer or past Int64.max fails and changes nothing")
    func incrementErrors() throws {
        let now = Date()
        let (store, _) = try store()
        try store.set(.string("a"), for: "word", expiresAt: nil)
        #expect(throws: KeyValueStore.Failure.notAnInteger("word")) { try store.increment("word", by: 1, expiresAt: nil, now: now) }
        try store.set(.integer(.max), for: "big", expiresAt: nil)
        #expect(throws: KeyValueStore.Failure.overflow("big")) { try store.increment("big", by: 1, expiresAt: nil, now: now) }
        #expect(try store.value(for: "big", now: now) == .integer(.max))
    }
}
