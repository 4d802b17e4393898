import Benchmark
import Foundation
import Gatehouse

/// Foundation benchmarks: parsing the host configuration (done once per start, but also on every
/// `gatehouse check`), the baseline later issues' benchmarks compare against.
let benchmarks: @Sendable () -> Void = {
    let configuration = """
        [data]
        dir = "./gatehouse-data"
        [http]
        listen = "127.0.0.1:8080"
        max_body_bytes = 1_048_576
        [push]
        listen = "off"
        [log]
        format = "json"
        level = "info"
        [scripts]
        memory_mib = 32
        handler_timeout_ms = 300
        """
    Benchmark("TOML configuration parse", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput])) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try TOMLDocument(parsing: configuration))
        }
    }
}
