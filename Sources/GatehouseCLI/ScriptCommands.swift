import ArgumentParser
import Foundation
import Gatehouse
import Scripting

/// `gatehouse test <site>`: runs the site's `*_test.lua` files against its real door engine, with a fake clock and
/// fake I/O. Exit 0 when all pass, 1 when any fails.
struct ScriptTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a site's *_test.lua files against its real door engine (fake clock, fake I/O); TAP-like output ending 'N passed, N failed'.")

    @Argument(help: "The site directory (holding main.lua and *_test.lua files).")
    var site: String

    func run() async throws {
        let directory = try siteDirectory(site)
        let report = await SiteTestRunner.run(siteDirectory: directory)
        for line in report.lines { print(line) }
        if !report.succeeded { throw ExitCode(1) }
    }
}

/// `gatehouse replay <site> <events.jsonl>`: feeds recorded events through the
/// scripts and prints the actions they take, one JSON line each.
struct ScriptReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Feed recorded events (JSON lines) into a site's door engine and scripts; print each action and decision as one JSON line.")

    @Argument(help: "The site directory (holding main.lua).")
    var site: String

    @Argument(help: "Events, one JSON object per line: {\"event\": \"credential\", \"fields\": {...}, \"at\": epoch, \"replies\": {...}}; '-' for stdin.")
    var events: String

    func run() async throws {
        let directory = try siteDirectory(site)
        let text: String
        if events == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: events) else { throw fail("\(events): cannot read events file") }
            text = String(decoding: data, as: UTF8.self)
        }
        do {
            for line in try await SiteReplay.run(siteDirectory: directory, events: text) { print(line) }
        } catch {
            throw fail(error.description, code: 1)
        }
    }
}

private func siteDirectory(_ path: String) throws -> URL {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw fail("\(path): no such site directory")
    }
    return URL(fileURLWithPath: path).standardizedFileURL
}
