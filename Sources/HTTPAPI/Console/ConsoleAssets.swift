import Digests
import Foundation

/// The web console's static files (`Console/Assets`, shipped as the HTTPAPI target's SwiftPM resources), read once
/// into memory: a few tens of kilobytes, served with a strong ETag so a reload costs a 304.
public struct ConsoleAssets: Sendable {
    public struct Asset: Sendable {
        public var bytes: [UInt8]
        public var contentType: String
        public var etag: String
    }

    public let assets: [String: Asset]
    /// Where they were read from; nil when the resource bundle was not found (the console then answers 503 saying so).
    public let directory: URL?

    public init(assets: [String: Asset], directory: URL?) {
        self.assets = assets
        self.directory = directory
    }

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "json": "application/json",
    ]

    /// Reads every file of `directory` (not recursive: the console is flat).
    public static func load(from directory: URL) throws -> ConsoleAssets {
        var assets: [String: Asset] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names where !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            let bytes = Array(try Data(contentsOf: url))
            let type = contentTypes[url.pathExtension.lowercased()] ?? "application/octet-stream"
            assets[name] = Asset(bytes: bytes, contentType: type, etag: "\"\(Digest.sha256Hex(bytes).prefix(20))\"")
        }
        return ConsoleAssets(assets: assets, directory: directory)
    }

    /// The assets shipped beside the executable. SwiftPM puts the target's resources in
    /// `Gatehouse_HTTPAPI.resources/` next to the binary (and the test runner); its generated `Bundle.module` would
    /// crash the host when that folder is missing, so it is looked up here instead.
    public static func bundled() -> ConsoleAssets {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["GATEHOUSE_CONSOLE_ASSETS"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        for base in [Bundle.main.bundleURL, executable.deletingLastPathComponent()] {
            candidates.append(base.appendingPathComponent("Gatehouse_HTTPAPI.resources/Assets"))
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue,
                let assets = try? load(from: candidate), assets.assets["index.html"] != nil
            {
                return assets
            }
        }
        return ConsoleAssets(assets: [:], directory: nil)
    }
}
