// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Gatehouse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gatehouse", targets: ["GatehouseCLI"]),
        .library(name: "Gatehouse", targets: ["Gatehouse"]),
        .library(name: "PushProtocol", targets: ["PushProtocol"]),
        .library(name: "CardFormats", targets: ["CardFormats"]),
        .library(name: "AccessControl", targets: ["AccessControl"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Scripting", targets: ["Scripting"]),
        .library(name: "Outbound", targets: ["Outbound"]),
        .library(name: "PushServer", targets: ["PushServer"]),
        .library(name: "MQTT", targets: ["MQTT"]),
        .library(name: "Hardware", targets: ["Hardware"]),
        .library(name: "SIP", targets: ["SIP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // FullFoundation only: the host configures Hummingbird in code, so swift-configuration is not built.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C shims: system libraries found through pkg-config.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        // libosdp has no Debian package: scripts/setup builds it from its PyPI source distribution into /usr/local.
        .systemLibrary(name: "COSDP", pkgConfig: "libosdp"),
        .systemLibrary(name: "CGPIOD", pkgConfig: "libgpiod", providers: [.apt(["libgpiod-dev"])]),
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // libre (the SIP/SDP/RTP library under baresip) behind a small C user agent; Swift sees only csip.h.
        .systemLibrary(name: "CRe", pkgConfig: "libre", providers: [.apt(["libre-dev"])]),
        .target(name: "CSIPShim", dependencies: ["CRe"]),

        // Pure core.
        .target(name: "PushProtocol", swiftSettings: strict),
        .target(name: "CardFormats", swiftSettings: strict),
        .target(name: "AccessControl", dependencies: ["PushProtocol", "CardFormats"], swiftSettings: strict),
        // Small leaf libraries of the outer ring: PUSH encryption on OpenSSL; tar in Swift, gzip on zlib.
        .target(name: "PushCrypto", dependencies: ["COpenSSL", "Digests"], swiftSettings: strict),
        .target(name: "Archives", dependencies: ["CZlib"], swiftSettings: strict),
        // The one digest helper (SHA-256, MD5, hex) on OpenSSL EVP; the pure core's session token is computed here.
        .target(name: "Digests", dependencies: ["COpenSSL", "PushProtocol"], swiftSettings: strict),

        // Outer ring.
        .target(
            name: "Storage",
            dependencies: [
                "AccessControl", "PushProtocol", "COpenSSL", "Digests", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .target(
            name: "Scripting",
            dependencies: ["AccessControl", "CLuaShim", "Digests", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "Outbound",
            dependencies: [
                "AccessControl", "CCurl", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // MQTT on libmosquitto: the client, and the bridge between the door engine and a broker (Home Assistant).
        .target(
            name: "MQTT",
            dependencies: ["AccessControl", "PushProtocol", "CMosquitto", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "PushServer",
            dependencies: [
                "PushProtocol", "AccessControl", "Storage", "COpenSSL", "PushCrypto", "Archives", "Digests",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "PushDevice",
            dependencies: [
                "PushProtocol", "AccessControl", "Storage", "COpenSSL", "PushCrypto", "Archives", "Digests", "Outbound",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "HTTPAPI",
            dependencies: [
                "AccessControl", "Storage", "PushProtocol", "PushServer", "Archives", "Digests",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Console/Assets")],
            swiftSettings: strict),

        // The hardware edge: OSDP readers over RS-485.
        .target(
            name: "Hardware",
            dependencies: [
                "AccessControl", "CardFormats", "PushProtocol", "COSDP", "CGPIOD",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The door's SIP endpoint: calls answered and placed, DTMF digits into the door engine.
        .target(
            name: "SIP",
            dependencies: ["AccessControl", "CSIPShim", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),

        // Composition root and CLI.
        .target(
            name: "Gatehouse",
            dependencies: [
                "AccessControl", "Storage", "Scripting", "Outbound", "PushServer", "PushDevice", "HTTPAPI", "MQTT", "Hardware",
                "SIP", "PushProtocol", "CardFormats",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "GatehouseCLI",
            dependencies: [
                "Gatehouse", "PushProtocol", "CardFormats", "Scripting", "Storage", "PushDevice",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),

        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "PushProtocolTests", dependencies: ["PushProtocol", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PushCryptoTests", dependencies: ["PushCrypto", "Digests"], swiftSettings: strict),
        .testTarget(name: "DigestsTests", dependencies: ["Digests", "PushProtocol"], swiftSettings: strict),
        .testTarget(name: "CardFormatsTests", dependencies: ["CardFormats", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AccessControlTests", dependencies: ["AccessControl"], swiftSettings: strict),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "AccessControl", "PushProtocol", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(
            name: "OutboundTests", dependencies: ["Outbound", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Peers"], swiftSettings: strict),
        .testTarget(name: "MQTTTests", dependencies: ["MQTT", "AccessControl"], swiftSettings: strict),
        .testTarget(
            name: "HardwareTests", dependencies: ["Hardware", "AccessControl", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(name: "SIPTests", dependencies: ["SIP", "AccessControl"], swiftSettings: strict),
        .testTarget(name: "ScriptingTests", dependencies: ["Scripting", "AccessControl", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "HTTPAPI", "AccessControl", "PushProtocol", "Storage", "Digests", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PushServerTests",
            dependencies: [
                "TestSupport", "PushServer", "PushDevice", "PushProtocol", "AccessControl", "HTTPAPI", "PushCrypto", "Archives",
                "Storage",
                "Digests", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PushDeviceTests",
            dependencies: [
                "TestSupport", "PushDevice", "PushServer", "PushProtocol", "AccessControl", "Digests",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Peers"],
            swiftSettings: strict),
        .testTarget(
            name: "GatehouseTests",
            dependencies: [
                "TestSupport", "Gatehouse", "PushServer", "Storage", "AccessControl", "PushProtocol", "Scripting", "Outbound",
                "MQTT",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Peers"], swiftSettings: strict),
    ]
)
