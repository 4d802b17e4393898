import Foundation
import TestSupport
import Testing

/// `gatehouse console` against a running host: a Lua REPL over the data directory's Unix socket.
@Suite("Console")
struct ConsoleTests {
    /// Runs `gatehouse console --data <dir>` with `input` on stdin; returns (status, stdout, stderr).
    func console(data: URL, input: String) async throws -> (Int32, String, String) {
        try await offThePool { try Self.consoleBlocking(data: data, input: input) }
    }

    static func consoleBlocking(data: URL, input: String) throws -> (Int32, String, String) {
        let inputFile = data.appendingPathComponent("console-input-\(UUID().uuidString).lua")
        try input.write(to: inputFile, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = HostProcess.binary
        process.arguments = ["console", "--data", data.path]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GATEHOUSE_") }
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test("evaluates lines in a scratch environment over the site's globals; multi-line chunks; errors with exit 1")
    func repl() async throws {
        let data = try temporaryDirectory()
        let site = try temporarySite(mainLua: "greeting = 'hello from main'\n")
        let (host, _) = try await HostProcessTests.startHost(data: data, site: site)
        defer { host.terminate() }
        #expect(await host.waitForStderrLine(containing: "console listening") != nil)

        // The socket is reachable only by the data directory's owner.
        let socket = data.appendingPathComponent("console/console.sock").path
        let folderMode =
            try FileManager.default.attributesOfItem(atPath: data.appendingPathComponent("console").path)[.posixPermissions]
            as? Int
        #expect(folderMode == 0o700)
        #expect(FileManager.default.fileExists(atPath: socket))

        let (status, out, err) = try await console(
            data: data,
            input: """
                x = 40
                return x + 2
                greeting
                print('printed')
                for i = 1, 2 do
                  print('line ' .. i)
                end
                kv.set('console-key', 'v1')
                return kv.get('console-key')
                error('boom')

                """)
        #expect(status == 1, "a failed line makes a piped console exit 1")
        #expect(out.contains("42"))
        #expect(out.contains("hello from main"), "reads fall through to main.lua's globals")
        #expect(out.contains("printed"))
        #expect(out.contains("line 1\nline 2"))
        #expect(out.contains("v1"))
        #expect(err.contains("boom"))

        // A new session starts with a clean scratch environment: `x` is gone, the site's globals are not.
        let (again, secondOut, _) = try await console(data: data, input: "return x == nil, greeting\n")
        #expect(again == 0)
        #expect(secondOut.contains("true\thello from main"))
    }

    @Test("a line over 64 KiB is refused with a message, the session ends, and the host serves the next one")
    func overlongLineIsRefused() async throws {
        let data = try temporaryDirectory()
        let site = try temporarySite(mainLua: "greeting = 'hello'\n")
        let (host, _) = try await HostProcessTests.startHost(data: data, site: site)
        defer { host.terminate() }
        #expect(await host.waitForStderrLine(containing: "console listening") != nil)

        // 70,000 bytes: more than the cap, sent with its newline in one go (the line is complete when it arrives).
        let (status, _, err) = try await console(data: data, input: "return '" + String(repeating: "x", count: 70_000) + "'\n")
        #expect(status != 0, "the refused line fails the piped console")
        #expect(err.contains("line longer than 65536 bytes refused"), "\(err.prefix(500))")

        let (again, out, _) = try await console(data: data, input: "return 6 * 7\n")
        #expect(again == 0)
        #expect(out.contains("42"))
    }

    @Test("without a running host the console says where it looked, exit 2")
    func noHost() async throws {
        let data = try temporaryDirectory()
        let (status, _, err) = try await console(data: data, input: "return 1\n")
        #expect(status == 2)
        #expect(err.contains("console/console.sock"))
    }
}
