import Foundation
import Testing

/// Issue 19: no log line, error reply or `/healthz` shows a password, token or PIN. The host runs with every kind of
/// secret configured (the Akuvox API password, an FTP password in the actions file, the admin token, users' PINs),
/// is driven down the paths that log and fail (wrong credentials, a bearer token that does not verify, PINs right
/// and wrong, an FTP action against a server that is down), and everything it printed and answered is searched for
/// the secrets.
@Suite("secrets never reach logs, errors or /healthz")
struct SecretsInLogsTests {
    @Test("passwords, tokens and PINs are absent from the host's log, its error replies and /healthz")
    func noSecretsLeak() async throws {
        let akuvoxPassword = "akv-\(UUID().uuidString.prefix(12))"
        let ftpPassword = "ftp-\(UUID().uuidString.prefix(12))"
        let pin = "739146"
        let wrongPIN = "551234"
        let forgedSecret = String(repeating: "ab", count: 32)
        let site = try temporarySite(
            mainLua: "on('credential', function(ev) log.info('credential at reader ' .. (ev.reader or 0)) end)\n")
        try Data(
            """
            [[camera]]
            name = "gate"
            url = "http://127.0.0.1:9/snapshot.jpg"

            [ftp]
            url = "ftp://127.0.0.1:9/doors"
            user = "camera"
            password = "\(ftpPassword)"

            [[input]]
            id = 1
            actions = ["ftp"]

            [action_urls]
            valid_code = "http://127.0.0.1:9/ok?c=$code"
            invalid_code = "http://127.0.0.1:9/no?c=$code"
            """.utf8
        ).write(to: site.appendingPathComponent("actions.toml"))
        let data = try temporaryDirectory()
        let (host, port) = try await HostProcessTests.startHost(
            data: data, site: site,
            environment: [
                "GATEHOUSE_AKUVOX_API_ENABLED": "true", "GATEHOUSE_AKUVOX_API_AUTH": "basic",
                "GATEHOUSE_AKUVOX_API_PASSWORD": akuvoxPassword, "GATEHOUSE_LOG_LEVEL": "debug",
            ])
        defer { host.terminate() }
        let admin = try AdminAPI(port: port, data: data)
        let base = "http://127.0.0.1:\(port)"
        var replies: [String] = []
        func record(_ exchange: (Int, Data)) { replies.append(String(decoding: exchange.1, as: UTF8.self)) }

        try await admin.call(
            "POST", "/api/v1/users",
            json: #"{"pin": "42", "pin_code": "\#(pin)", "authorizations": [{"timezone": 1, "doors": [1]}]}"#)
        record(
            try await httpExchange(
                "POST", "\(base)/api/v1/access",
                headers: ["Authorization": "Bearer \(admin.token)", "Content-Type": "application/json"],
                body: Data(#"{"door": 1, "pin": "\#(pin)"}"#.utf8)))
        record(
            try await httpExchange(
                "POST", "\(base)/api/v1/access",
                headers: ["Authorization": "Bearer \(admin.token)", "Content-Type": "application/json"],
                body: Data(#"{"door": 1, "pin": "\#(wrongPIN)"}"#.utf8)))
        // A bearer token that does not verify, and one that is not a token at all.
        record(try await httpGet("\(base)/api/v1/users", bearer: "gh_deadbeef_\(forgedSecret)"))
        record(try await httpGet("\(base)/api/v1/users", bearer: forgedSecret))
        // The Akuvox API: a wrong password, the right one in the legacy URL form, and the right one in a header.
        let wrongBasic = "Basic " + Data("admin:\(akuvoxPassword)x".utf8).base64EncodedString()
        record(try await httpExchange("GET", "\(base)/api/relay/status", headers: ["Authorization": wrongBasic]))
        record(try await httpGet("\(base)/fcgi/do?action=OpenDoor&UserName=admin&Password=\(akuvoxPassword)&DoorNum=1"))
        record(try await httpGet("\(base)/fcgi/do?action=OpenDoor&UserName=admin&Password=\(akuvoxPassword)x&DoorNum=9"))
        // The FTP input action against a server that is down: its failure is logged and listed.
        try await admin.call("POST", "/api/v1/inputs/1", json: #"{"active": true}"#)
        let failed: Bool? = await waitFor(within: 15) {
            guard let (_, actions) = try? await admin.call("GET", "/api/v1/actions") else { return nil }
            let items = actions["actions"] as? [[String: Any]] ?? []
            return items.contains { $0["last_error"] is String } ? true : nil
        }
        #expect(failed == true, "the FTP action failed and said why")
        record(try await httpGet("\(base)/api/v1/actions", bearer: admin.token))
        record(try await httpGet("\(base)/api/v1/events?limit=50", bearer: admin.token))
        record(try await httpGet("\(base)/healthz"))

        host.process.terminate()
        _ = await host.waitForExit(timeout: 30)
        let log = host.stderr
        #expect(log.contains("credential at reader"), "the scripts' log reached the host's log")
        let secrets = [
            ("the Akuvox API password", akuvoxPassword), ("the FTP password", ftpPassword), ("the admin token", admin.token),
            ("a user's PIN", pin), ("a wrong PIN", wrongPIN), ("a presented token's secret", forgedSecret),
        ]
        for (what, secret) in secrets {
            #expect(!log.contains(secret), "\(what) is in the host's log")
            for reply in replies { #expect(!reply.contains(secret), "\(what) is in a reply: \(reply.prefix(300))") }
        }
    }
}
