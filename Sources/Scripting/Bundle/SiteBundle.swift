import Digests
import Foundation

/// An in-memory snapshot of a site's `.lua` files, named by a content hash.
///
/// Reloads never read the directory while Lua runs: the watcher snapshots
/// every file first, so a file edited or deleted mid-reload cannot give the
/// new VM a half-written view.
public struct SiteBundle: Sendable, Equatable {
    /// Relative path (with `/`) → file bytes.
    public var files: [String: [UInt8]]
    /// First 16 hex digits of SHA-256 over the sorted (path, size, bytes) list; "none" when empty.
    public var version: String

    public init(files: [String: [UInt8]]) {
        self.files = files
        self.version = files.isEmpty ? "none" : SiteBundle.hash(files)
    }

    public static let empty = SiteBundle(files: [:])

    /// Files larger than this are rejected (the sandbox never needs megabytes of source).
    public static let maximumFileBytes = 1 << 20
    public static let maximumFileCount = 512

    /// Reads every `*.lua` file below `directory` (hidden entries skipped).
    public static func snapshot(of directory: URL) throws(ScriptBundleError) -> SiteBundle {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingDirectory(directory.path)
        }
        let base = directory.standardizedFileURL.resolvingSymlinksInPath().path
        guard
            let enumerator = manager.enumerator(
                at: URL(fileURLWithPath: base, isDirectory: true),
                includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey],
                options: [.skipsHiddenFiles])
        else { throw .unreadable(directory.path, "cannot list directory") }
        var files: [String: [UInt8]] = [:]
        for case let url as URL in enumerator {
            guard url.pathExtension == "lua" else { continue }
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values?.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(base + "/") else { continue }
            let relative = String(full.dropFirst(base.count + 1))
            if let size = values?.fileSize, size > maximumFileBytes { throw .fileTooLarge(relative, size) }
            guard files.count < maximumFileCount else { throw .tooManyFiles(maximumFileCount) }
            // A file deleted between listing and reading simply is not part of the snapshot.
            guard let data = manager.contents(atPath: full) else { continue }
            if data.count > maximumFileBytes { throw .fileTooLarge(relative, data.count) }
            files[relative] = [UInt8](data)
        }
        return SiteBundle(files: files)
    }

    static func hash(_ files: [String: [UInt8]]) -> String {
        // The same bytes as always (path, NUL, length, NUL, contents per file), so versions stay stable.
        var input: [UInt8] = []
        for path in files.keys.sorted() {
            let bytes = files[path] ?? []
            input += Array(path.utf8)
            input.append(0)
            input += Array(String(bytes.count).utf8)
            input.append(0)
            input += bytes
        }
        return String(Digest.sha256Hex(input).prefix(16))
    }
}

/// Why a site directory could not be snapshotted.
public enum ScriptBundleError: Error, Equatable, CustomStringConvertible, Sendable {
    case missingDirectory(String)
    case unreadable(String, String)
    case fileTooLarge(String, Int)
    case tooManyFiles(Int)

    public var description: String {
        switch self {
        case .missingDirectory(let path): "site directory \(path) does not exist"
        case .unreadable(let path, let why): "cannot read site directory \(path): \(why)"
        case .fileTooLarge(let file, let size): "\(file) is \(size) bytes, more than \(SiteBundle.maximumFileBytes)"
        case .tooManyFiles(let limit): "site directory holds more than \(limit) .lua files"
        }
    }
}
