import Foundation
import Testing

@Suite("command line")
struct CommandLineTests {
    struct BrokenConfig: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: String
        var testDescription: String { expected }
    }

    static let brokenConfigs: [BrokenConfig] = [
        .init(text: "[http]\nlisten = \"nowhere\"\n", expected: ":2: http.listen: expected host:port, got 'nowhere'"),
        .init(text: "[http]\nlisten = 8080\n", expected: ":2: http.listen: expected a string, got a integer"),
        .init(text: "[log]\nformat = \"xml\"\n", expected: ":2: log.format: expected one of text, json, got 'xml'"),
        .init(text: "[data]\nsync = \"sometimes\"\n", expected: ":2: data.sync: expected one of full, normal, got 'sometimes'"),
        .init(text: "# comment\n[scripts]\nmemory_mib = 0\n", expected: ":3: scripts.memory_mib: 0 is out of range 1...1024"),
        .init(text: "[push]\nmax_pending_devices = 0\n", expected: ":2: push.max_pending_devices: 0 is out of range 1...100000"),
        .init(text: "[http]\nlisen = \"127.0.0.1:1\"\n", expected: ":2: http.lisen: unknown key"),
        .init(text: "[nonsense]\n", expected: ":1: nonsense: unknown section"),
        .init(text: "[http\n", expected: ":1: malformed section header '[http'"),
        .init(text: "[data]\ndir = \"unterminated\n", expected: ":2: unterminated string"),
        .init(text: "[push]\nlisten = \"off\"\nlisten = \"off\"\n", expected: ":3: key 'listen' defined twice"),
    ]

    @Test("a broken config exits 2 naming file, line and key, before anything starts", arguments: brokenConfigs)
    func brokenConfig(_ broken: BrokenConfig) async throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("gatehouse.toml")
        try broken.text.write(to: file, atomically: true, encoding: .utf8)
        let (status, _, stderr) = try await HostProcess.run(["run", "--config", file.path, "--data", directory.appendingPathComponent("data").path])
        #expect(status == 2)
        #expect(stderr.contains("configuration error: \(file.path)\(broken.expected)"), "stderr: \(stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path), "nothing may start")
    }

    @Test("a missing config file exits 2 naming it")
    func missingConfig() async throws {
        let (status, _, stderr) = try await HostProcess.run(["run", "--config", "/nonexistent/gatehouse.toml"])
        #expect(status == 2)
        #expect(stderr.contains("/nonexistent/gatehouse.toml: cannot read the file"))
    }

    @Test("an environment variable with a bad value exits 2 naming the variable")
    func badEnvironment() async throws {
        let (status, _, stderr) = try await HostProcess.run(["run"], environment: ["GATEHOUSE_HTTP_LISTEN": "nope"])
        #expect(status == 2)
        #expect(stderr.contains("GATEHOUSE_HTTP_LISTEN: http.listen: expected host:port"))
    }

    @Test("a bad flag value exits 2 naming the flag")
    func badFlag() async throws {
        let (status, _, stderr) = try await HostProcess.run(["run", "--push-listen", "everywhere"])
        #expect(status == 2)
        #expect(stderr.contains("--push-listen: push.listen: expected host:port or off, got 'everywhere'"))
    }

    @Test("unknown subcommands and flags print usage and exit 64", arguments: [["frobnicate"], ["run", "--frobnicate"], ["check"]])
    func usageErrors(_ arguments: [String]) async throws {
        let (status, _, stderr) = try await HostProcess.run(arguments)
        #expect(status == 64)
        #expect(stderr.contains("Usage:"))
    }

    @Test("version and --help")
    func versionAndHelp() async throws {
        let (status, stdout, _) = try await HostProcess.run(["version"])
        #expect(status == 0)
        #expect(stdout == "gatehouse 0.1.0\n")
        for command in [["--help"], ["run", "--help"], ["check", "--help"], ["token", "create", "--help"]] {
            let (helpStatus, help, _) = try await HostProcess.run(command)
            #expect(helpStatus == 0)
            #expect(help.contains("USAGE:"))
        }
    }

    @Test("token create adds a working token and refuses duplicates")
    func tokenCreate() async throws {
        let data = try temporaryDirectory()
        let (status, stdout, _) = try await HostProcess.run(["token", "create", "--name", "ci", "--data", data.path])
        #expect(status == 0)
        #expect(stdout.hasPrefix("gh_") && stdout.count == 3 + 8 + 1 + 64 + 1)
        let (again, _, stderr) = try await HostProcess.run(["token", "create", "--name", "ci", "--data", data.path])
        #expect(again == 2)
        #expect(stderr.contains("a token named 'ci' already exists"))
        let (listed, names, _) = try await HostProcess.run(["token", "list", "--data", data.path])
        #expect(listed == 0 && names == "ci\n")
    }

    @Test("check passes on the example site")
    func checkExample() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (status, stdout, stderr) = try await HostProcess.run(["check", root.appendingPathComponent("examples/home").path])
        #expect(status == 0, "\(stdout)\(stderr)")
    }

    @Test("check also validates the site's actions.toml, naming file:line and key; every example site passes")
    func checkActionsFile() async throws {
        let site = try temporaryDirectory("site")
        try "log.info('ok')\n".write(to: site.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        try "[ftp]\nurl = \"ftp://127.0.0.1/doors\"\nretries = \"many\"\n".write(
            to: site.appendingPathComponent("actions.toml"), atomically: true, encoding: .utf8)
        let (status, stdout, _) = try await HostProcess.run(["check", site.path])
        #expect(status == 1)
        #expect(stdout.contains("actions.toml:3"), "\(stdout)")
        #expect(stdout.contains("retries"), "\(stdout)")

        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for example in ["home", "apartment", "office"] {
            let (exampleStatus, out, err) = try await HostProcess.run(["check", root.appendingPathComponent("examples/\(example)").path])
            #expect(exampleStatus == 0, "\(example): \(out)\(err)")
        }
    }

    @Test("the example site's own tests pass under gatehouse test")
    func exampleTests() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (status, stdout, stderr) = try await HostProcess.run(["test", root.appendingPathComponent("examples/home").path])
        #expect(status == 0, "\(stdout)\(stderr)")
        #expect(stdout.contains("8 passed, 0 failed"), "\(stdout)")
    }

    @Test("check prints file:line: message and exits 1 on a syntax error")
    func checkSyntaxError() async throws {
        let site = try temporaryDirectory("site")
        try "-- a comment\nlocal ok = true\non(\"credential\", function(ev)\n  return {deny = }\nend)\n"
            .write(to: site.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        let (status, stdout, _) = try await HostProcess.run(["check", site.path])
        #expect(status == 1)
        #expect(stdout.hasPrefix("main.lua:4: "), "\(stdout)")
    }
}

@Suite("card formats from the command line")
struct CardFormatCommandTests {
    @Test("wiegand decode --site: a Lua card format takes part in matching beside the built-in ones")
    func luaFormatMatches() async throws {
        let site = try temporaryDirectory("site")
        // A made-up 26-bit site format: the card number is the middle 24 bits, read backwards.
        try """
            cardformat('backwards24', function(bits, count)
              if count ~= 26 then return nil end
              local n = 0
              for i = 25, 2, -1 do n = n * 2 + (bits:sub(i, i) == '1' and 1 or 0) end
              return tostring(n)
            end)
            """.write(to: site.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        // H10301 FC 1, CN 1: 0 00000001 0000000000000001 0 → hex 0020003 (even parity 0, odd parity 0... computed by encode).
        let (encodeStatus, encoded, _) = try await HostProcess.run(["wiegand", "encode", "--format", "H10301", "--fc", "1", "--cn", "1", "--json"])
        #expect(encodeStatus == 0)
        let hex = try #require((try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any])?["hex"] as? String)
        let (status, stdout, stderr) = try await HostProcess.run(["wiegand", "decode", "--bits", "26", "--hex", hex, "--site", site.path])
        #expect(status == 0, "\(stdout)\(stderr)")
        #expect(stdout.contains("H10301"))
        // Middle 24 bits 000000010000000000000001 reversed = 100000000000000010000000 = 8388736.
        #expect(stdout.contains("lua:backwards24: number=8388736"), "\(stdout)")
        let (_, other, _) = try await HostProcess.run(["wiegand", "decode", "--bits", "34", "--hex", "0", "--site", site.path])
        #expect(!other.contains("lua:backwards24"), "the transform declines other lengths")
    }

    @Test("wiegand decode --site with a broken site names file:line and exits 1")
    func brokenSite() async throws {
        let site = try temporaryDirectory("site")
        try "cardformat('x', function(\n".write(to: site.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        let (status, _, stderr) = try await HostProcess.run(["wiegand", "decode", "--bits", "26", "--hex", "0020003", "--site", site.path])
        #expect(status == 1)
        #expect(stderr.contains("main.lua:"), "\(stderr)")
    }
}
