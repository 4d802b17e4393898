// swift-tools-version: 6.1
// Benchmarks live in their own package so `swift test` in the main package never builds or runs them.
// Run all:  cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
// Run one:  cd Benchmarks && swift package benchmark --target PushProtocolBenchmarks
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which depends on where the repository was cloned.
let gatehouse = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
    .lowercased()

func benchmark(_ name: String, _ products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")]
            + products.map { .product(name: $0, package: gatehouse) } + extra,
        path: name,
        swiftSettings: [.swiftLanguageMode(.v6)],
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "GatehouseBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        benchmark("HostBenchmarks", ["Gatehouse"]),
        benchmark("PushProtocolBenchmarks", ["PushProtocol"]),
        benchmark("CardFormatsBenchmarks", ["CardFormats"]),
        benchmark("AccessControlBenchmarks", ["AccessControl", "Storage", "PushProtocol"]),
        benchmark("ScriptingBenchmarks", ["Scripting"], extra: [.product(name: "Logging", package: "swift-log")]),
        benchmark("OutboundBenchmarks", ["Outbound"], extra: [.product(name: "GRDB", package: "GRDB.swift")]),
        benchmark("PushServerBenchmarks", ["PushServer"], extra: [.product(name: "GRDB", package: "GRDB.swift")]),
        benchmark(
            "MQTTBenchmarks", ["MQTT", "AccessControl", "Storage", "PushProtocol"],
            extra: [.product(name: "Logging", package: "swift-log")]),
        benchmark(
            "HardwareBenchmarks", ["Hardware", "AccessControl", "CardFormats", "PushProtocol"],
            extra: [.product(name: "Logging", package: "swift-log")]),
        benchmark(
            "SIPBenchmarks", ["SIP", "AccessControl"], extra: [.product(name: "Logging", package: "swift-log")]),
        // The PUSH server alone (devices pre-registered) with a plain "OK" route and /count, for wrk/push-mix.lua.
        .executableTarget(
            name: "push-load-server",
            dependencies: [
                .product(name: "PushServer", package: gatehouse), .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "PushLoadServer", swiftSettings: [.swiftLanguageMode(.v6)]),
        // The baseline route for scripts/bench-http (wrk against the admin API and against this, same run).
        .executableTarget(
            name: "plain-route", dependencies: [.product(name: "Hummingbird", package: "hummingbird")], path: "PlainRoute",
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
