import Foundation
import Testing

@testable import Scripting

@Suite("Generated API documentation")
struct DocsTests {
    /// Repository root, from this file's path (Tests/ScriptingTests/DocsTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let documents: [(path: String, text: @Sendable () -> String)] = [
        ("docs/lua-api.md", { HostRegistry.markdown() }),
        ("lua/gatehouse.meta.lua", { HostRegistry.metaFile() }),
    ]

    @Test("committed docs and LuaLS meta file match the host function registry", arguments: [0, 1])
    func documentMatchesRegistry(index: Int) throws {
        let (path, generate) = DocsTests.documents[index]
        let url = DocsTests.root.appendingPathComponent(path)
        let expected = generate()
        if ProcessInfo.processInfo.environment["GATEHOUSE_REGENERATE_LUA_DOCS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(expected.utf8).write(to: url)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == expected, "\(path) is stale: GATEHOUSE_REGENERATE_LUA_DOCS=1 swift test --filter DocsTests")
    }

    @Test("every host function exposed to Lua is documented with a summary")
    func everythingDocumented() {
        for function in HostRegistry.functions where !function.isInternal {
            #expect(!function.summary.isEmpty, "\(function.name)")
        }
        let names = HostRegistry.functions.map(\.name)
        #expect(Set(names).count == names.count, "duplicate host function names")
    }

    @Test("the generated meta file is valid Lua that declares every namespace")
    func metaFileLoads() throws {
        let source = HostRegistry.metaFile()
        let site = try TemporarySite([:])
        defer { site.remove() }
        #expect(source.hasPrefix("---@meta gatehouse"))
        for space in ["relay", "door", "kv", "http", "log", "rate", "sim", "expect", "time"] {
            #expect(source.contains("\n\(space) = {}\n"), "\(space)")
        }
        // Parses as Lua: run `load` over it inside the sandbox.
        try site.write("main.lua", "local text = import('text')\nassert(load(text, '=meta', 't'))\n")
        try site.write("text.lua", "return [==[\n" + source + "]==]\n")
        #expect(ScriptHost.check(siteDirectory: site.url) == [])
    }
}
