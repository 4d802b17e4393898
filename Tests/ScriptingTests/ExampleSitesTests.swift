import Foundation
import Testing

@testable import Scripting

/// The example sites under examples/ are what integrators copy: their own tests must pass and they must
/// validate exactly as a reload would.
@Suite("Example sites")
struct ExampleSitesTests {
    static let examples = DocsTests.root.appendingPathComponent("examples")

    static var sites: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: examples.appendingPathComponent($0).appendingPathComponent("main.lua").path) }
            .sorted()
    }

    @Test("the three example sites are there")
    func present() {
        #expect(Set(ExampleSitesTests.sites).isSuperset(of: ["apartment", "home", "office"]))
    }

    @Test("every example site passes gatehouse check", arguments: sites)
    func checks(site: String) {
        #expect(ScriptHost.check(siteDirectory: ExampleSitesTests.examples.appendingPathComponent(site), limits: .testing) == [])
    }

    @Test("the office's 37-bit badges decode through the served transform")
    func officeTransform() async throws {
        let host = ScriptHost(
            siteDirectory: ExampleSitesTests.examples.appendingPathComponent("office"), limits: .testing, logger: CapturedLog().logger)
        #expect(await host.load().ok)
        #expect(await host.cardFormatNames == ["corp37"])
        #expect(await host.transformCard(format: "corp37", bits: "1000000000010101000000000000000001110") == .number("420000007"))
        #expect(await host.transformCard(format: "corp37", bits: "1000000000010101000000000000000001111") == .rejected)
        await host.shutdown()
    }
}
