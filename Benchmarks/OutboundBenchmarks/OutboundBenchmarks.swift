import Benchmark
import Foundation
import GRDB
import Outbound
#if canImport(Glibc)
import Glibc
#endif

/// Outbound benchmarks: HTTP actions per second through the libcurl multi transport (and through the
/// durable outbox) to a keep-alive HTTP server on loopback. Issue 8 asks for ≥ 1,000 actions/s with
/// ≤ 4 MiB extra RSS; `peakMemoryResident` shows the memory side.
let benchmarks: @Sendable () -> Void = {
    let server = LoopbackHTTPServer()
    let url = "http://127.0.0.1:\(server.port)/relay?state=1"

    Benchmark(
        "Outbound HTTP actions (64 in flight)",
        configuration: .init(metrics: [.throughput, .wallClock, .peakMemoryResident], scalingFactor: .kilo, maxDuration: .seconds(10))
    ) { benchmark in
        let transport = try Transport()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            for _ in benchmark.scaledIterations {
                if started >= 64 { try await group.next() }
                group.addTask {
                    let response = try await transport.send(HTTPRequest(url: url))
                    try response.requireSuccess(url: url)
                }
                started += 1
            }
            try await group.waitForAll()
        }
    }

    Benchmark(
        "Outbound HTTP actions through the SQLite outbox",
        configuration: .init(metrics: [.throughput, .wallClock, .peakMemoryResident], scalingFactor: .kilo, maxDuration: .seconds(10))
    ) { benchmark in
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outbound-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try OutboxBenchmarkDatabase.open(directory.appendingPathComponent("outbox.sqlite").path)
        let outbox = Outbox(database: database, performer: TransportPerformer(transport: try Transport()), batchSize: 64)
        for _ in benchmark.scaledIterations {
            try await outbox.enqueue(.http(HTTPRequest(url: url)), source: "benchmark")
        }
        let attempts = try await outbox.runDue()
        precondition(attempts.allSatisfy { $0.state == .delivered }, "benchmark server refused actions")
    }
}

enum OutboxBenchmarkDatabase {
    static func open(_ path: String) throws -> DatabasePool {
        let pool = try DatabasePool(path: path)
        var migrator = DatabaseMigrator()
        OutboxMigrations.register(in: &migrator)
        try migrator.migrate(pool)
        return pool
    }
}

/// A minimal keep-alive HTTP/1.1 server on 127.0.0.1: one thread per connection, a fixed 200 answer
/// for every request head. Enough to measure the client side without a Python server's overhead.
final class LoopbackHTTPServer: @unchecked Sendable {
    // @unchecked: `port` and `listener` are set in init and never change.
    let port: Int
    private let listener: Int32

    init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = fd
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(fd, pointer, length)
                _ = getsockname(fd, pointer, &length)
            }
        }
        listen(fd, 512)
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread {
            while true {
                let connection = accept(fd, nil, nil)
                if connection < 0 { continue }
                Thread.detachNewThread { LoopbackHTTPServer.serve(connection) }
            }
        }
    }

    private static func serve(_ connection: Int32) {
        let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nOK".utf8)
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var pending: [UInt8] = []
        while true {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { break }
            pending += buffer[0..<count]
            // Answer every complete request head (GET requests carry no body here).
            while let end = pending.firstRange(of: [13, 10, 13, 10]) {
                pending.removeSubrange(0..<end.upperBound)
                _ = reply.withUnsafeBytes { write(connection, $0.baseAddress, reply.count) }
            }
        }
        close(connection)
    }
}
