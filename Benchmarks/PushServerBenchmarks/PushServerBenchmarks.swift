import Benchmark
import Foundation
import GRDB
import PushServer

/// The ADMS role without HTTP: `PushServer.handle(_:)` on a real SQLite file (WAL, synchronous=NORMAL as the host
/// opens it), so the numbers are the server's own cost per request including the durable commit. The end-to-end
/// HTTP numbers (p99 under the mix, comparison with a plain Hummingbird route) come from wrk in a separate
/// process against the server; the Lua scripts and commands are in `Benchmarks/wrk/` (see its README).
private func makeServer() throws -> PushServer {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
    let pool = try DatabasePool(path: directory.appendingPathComponent("gatehouse.sqlite").path, configuration: configuration)
    var migrator = DatabaseMigrator()
    PushServerMigrations.register(in: &migrator)
    try migrator.migrate(pool)
    return PushServer(store: PushServerStore(writer: pool), configuration: PushServerConfiguration(registration: .open), now: { Date() })
}

private func rtlogBody(batch: Int, rows: Int) -> [UInt8] {
    var text = ""
    for row in 0..<rows {
        text += "time=2024-05-01 08:00:00\tpin=\(row)\tcardno=\(123_456_789 + row)\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=\(batch * rows + row)\r\n"
    }
    return Array(text.utf8)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark("getrequest with an empty queue", configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal])) { benchmark in
        let server = try makeServer()
        _ = await server.handle(PushHTTPRequest(method: "POST", target: "/iclock/registry?SN=BENCH", body: Array("DeviceType=acc".utf8)))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(await server.handle(PushHTTPRequest(method: "GET", target: "/iclock/getrequest?SN=BENCH")))
        }
    }

    Benchmark("rtlog POST of 100 rows (durable, deduplicated)", configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal])) { benchmark in
        let server = try makeServer()
        _ = await server.handle(PushHTTPRequest(method: "POST", target: "/iclock/registry?SN=BENCH", body: Array("DeviceType=acc".utf8)))
        let bodies = (0..<benchmark.scaledIterations.count).map { rtlogBody(batch: $0, rows: 100) }
        benchmark.startMeasurement()
        for body in bodies {
            blackHole(await server.handle(PushHTTPRequest(method: "POST", target: "/iclock/cdata?SN=BENCH&table=rtlog", body: body)))
        }
    }

    // The fleet's shape: many devices posting small batches at once. Concurrent requests share a transaction
    // (group commit), so this measures what one commit per request used to serialise.
    Benchmark("64 concurrent rtlog POSTs of 4 rows (group commit)", configuration: .init(metrics: [.wallClock, .throughput])) { benchmark in
        let server = try makeServer()
        for device in 0..<64 {
            _ = await server.handle(PushHTTPRequest(method: "POST", target: "/iclock/registry?SN=B\(device)", body: Array("DeviceType=acc".utf8)))
        }
        let rounds = benchmark.scaledIterations.count
        benchmark.startMeasurement()
        for round in 0..<rounds {
            await withTaskGroup(of: Void.self) { group in
                for device in 0..<64 {
                    let body = rtlogBody(batch: round, rows: 4)
                    group.addTask {
                        blackHole(await server.handle(PushHTTPRequest(method: "POST", target: "/iclock/cdata?SN=B\(device)&table=rtlog", body: body)))
                    }
                }
            }
        }
    }

    Benchmark("getrequest with an empty queue, 64 devices at once", configuration: .init(metrics: [.wallClock, .throughput])) { benchmark in
        let server = try makeServer()
        for device in 0..<64 {
            _ = await server.handle(PushHTTPRequest(method: "POST", target: "/iclock/registry?SN=P\(device)", body: Array("DeviceType=acc".utf8)))
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            await withTaskGroup(of: Void.self) { group in
                for device in 0..<64 {
                    group.addTask { blackHole(await server.handle(PushHTTPRequest(method: "GET", target: "/iclock/getrequest?SN=P\(device)"))) }
                }
            }
        }
    }
}
