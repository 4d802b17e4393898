import Benchmark
import Foundation
import GRDB
import PushServer

/// The ADMS role without HTTP: `PushServer.handle(_:)` on a real SQLite file (WAL, synchronous=NORMAL as the host
/// opens it), so the numbers are the server's own cost per request including the durable commit. The end-to-end
/// HTTP numbers (simulator as load, p99, comparison with a plain Hummingbird route) come from
/// `gatehouse simulate-device` against `gatehouse run`; see the issue 6 report.
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
}
