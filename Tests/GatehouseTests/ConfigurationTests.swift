import Foundation
import Testing

@testable import Gatehouse

@Suite("configuration")
struct ConfigurationTests {
    @Test("TOML subset: sections, strings, numbers, booleans, arrays, comments, CRLF")
    func parsesSubset() throws {
        let text = "# top\r\n[http]\r\nlisten = \"127.0.0.1:9000\" # trailing\r\n[x]\r\nn = 1_000\r\nf = 2.5\r\nb = true\r\ns = 'C:\\raw#not-a-comment'\r\na = [\"a\", \"b\",\r\n  \"c\"]\r\nu = \"\\u00e9\\t\"\r\n"
        let document = try TOMLDocument(parsing: text)
        #expect(document.sections["http"]?["listen"] == .init(value: .string("127.0.0.1:9000"), line: 3))
        #expect(document.sections["x"]?["n"]?.value == .integer(1000))
        #expect(document.sections["x"]?["f"]?.value == .float(2.5))
        #expect(document.sections["x"]?["b"]?.value == .boolean(true))
        #expect(document.sections["x"]?["s"]?.value == .string("C:\\raw#not-a-comment"))
        #expect(document.sections["x"]?["a"]?.value == .array([.string("a"), .string("b"), .string("c")]))
        #expect(document.sections["x"]?["u"]?.value == .string("é\t"))
    }

    @Test("TOML errors carry the line", arguments: [
        ("a = \n", 1, "missing value"),
        ("\n\nkey value\n", 3, "expected 'key = value', found 'key value'"),
        ("a = 1 2\n", 1, "unexpected text after value: '2'"),
        ("a = [1, 2\n", 1, "unterminated array"),
        ("a = \"\\q\"\n", 1, "invalid escape '\\q' in string"),
        ("a = yes\n", 1, "invalid value 'yes' (strings need quotes)"),
        ("[a.b]\n", 1, "invalid section name 'a.b'"),
    ])
    func tomlErrors(text: String, line: Int, message: String) {
        #expect(throws: TOMLDocument.ParseError(line: line, message: message)) { try TOMLDocument(parsing: text) }
    }

    @Test("flags win over environment, which wins over the file")
    func precedence() throws {
        let file = try temporaryDirectory().appendingPathComponent("g.toml")
        try "[http]\nlisten = \"127.0.0.1:1000\"\n[data]\ndir = \"/from/file\"\n[log]\nformat = \"json\"\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let environment = ["GATEHOUSE_HTTP_LISTEN": "127.0.0.1:2000", "GATEHOUSE_DATA_DIR": "/from/env"]
        let fromFileAndEnv = try GatehouseConfiguration.load(file: file.path, environment: environment, overrides: .init())
        #expect(fromFileAndEnv.httpListen == ListenAddress(host: "127.0.0.1", port: 2000))
        #expect(fromFileAndEnv.dataDirectory == "/from/env")
        #expect(fromFileAndEnv.logFormat == .json)
        let withFlags = try GatehouseConfiguration.load(
            file: file.path, environment: environment, overrides: .init(dataDirectory: "/from/flag", pushListen: "off"))
        #expect(withFlags.dataDirectory == "/from/flag")
        #expect(withFlags.pushListen == nil)
        #expect(withFlags.httpListen.port == 2000)
    }

    @Test("defaults match the documentation")
    func defaults() throws {
        let config = try GatehouseConfiguration.load(file: nil, environment: [:], overrides: .init())
        #expect(config.dataDirectory == "./gatehouse-data")
        #expect(config.siteDirectory == nil)
        #expect(config.httpListen.description == "127.0.0.1:8080")
        #expect(config.pushListen?.description == "0.0.0.0:8088")
        #expect(config.logFormat == .text)
    }

    @Test("listen addresses", arguments: [
        ("127.0.0.1:80", "127.0.0.1", 80), ("[::1]:8080", "::1", 8080), ("localhost:0", "localhost", 0),
    ])
    func listenAddresses(text: String, host: String, port: Int) {
        #expect(ListenAddress(parsing: text) == ListenAddress(host: host, port: port))
    }

    @Test("bad listen addresses", arguments: ["", ":80", "host", "host:", "host:65536", "host:-1", "[::1]8080", "a b:1"])
    func badListenAddresses(text: String) {
        #expect(ListenAddress(parsing: text) == nil)
    }

    @Test("every key has an environment variable of the documented form")
    func environmentNames() {
        #expect(ConfigurationKey.all.map(\.environmentVariable).contains("GATEHOUSE_HTTP_LISTEN"))
        #expect(Set(ConfigurationKey.all.map(\.dottedName)).count == ConfigurationKey.all.count)
    }
}

@Suite("README")
struct ReadmeTests {
    @Test("documents every configuration key with its environment variable")
    func documentsEveryKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for key in ConfigurationKey.all {
            #expect(readme.contains("| `\(key.dottedName)` | `\(key.environmentVariable)` |"), "README lacks \(key.dottedName)")
        }
    }
}
