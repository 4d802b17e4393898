import Foundation
import Testing

/// Debian's Chromium, driven by Playwright from the test venv (Peers/browser_peer.py), one step per call.
final class BrowserPeer: @unchecked Sendable {
    // @unchecked: `peer` is set in init and never changes.
    let peer: PythonPeer

    init() async throws {
        peer = try await PythonPeer.start("browser_peer.py", [], in: MQTTPeer.directory)
    }

    func stop() { peer.stop() }

    /// One step; the status and the JSON reply.
    @discardableResult
    func step(_ name: String, _ body: [String: Any] = [:]) async throws -> (Int, [String: Any]) {
        let data = try JSONSerialization.data(withJSONObject: body)
        let (status, reply) = try await httpExchange(
            "POST", "http://127.0.0.1:\(peer.port)/\(name)", headers: ["Content-Type": "application/json"], body: data,
            timeout: 60)
        let object = (try? JSONSerialization.jsonObject(with: reply)) as? [String: Any] ?? [:]
        if status == 500 { Issue.record("browser step \(name) failed: \(object["error"] ?? "")") }
        return (status, object)
    }

    func click(_ selector: String, times: Int = 1) async throws {
        try await step("click", ["selector": selector, "times": times])
    }
    func fill(_ selector: String, _ value: String) async throws {
        try await step("fill", ["selector": selector, "value": value])
    }

    /// Waits until a visible element matching `selector` contains `text`; its text, or nil (with what it showed).
    func waitText(_ selector: String, _ text: String, timeout: Int = 10_000) async throws -> String? {
        let (status, reply) = try await step("wait_text", ["selector": selector, "contains": text, "timeout_ms": timeout])
        if status != 200 { Issue.record("\(selector) never showed \"\(text)\"; it showed \"\(reply["text"] ?? "")\"") }
        return status == 200 ? reply["text"] as? String : nil
    }

    func text(_ selector: String) async throws -> String {
        try await step("text", ["selector": selector]).1["text"] as? String ?? ""
    }

    func evaluate(_ script: String) async throws -> Any? {
        try await step("eval", ["script": script]).1["value"]
    }

    /// What the page sent (fetch, XHR, documents, event streams) since the last clear.
    func requests(clear: Bool = false) async throws -> [(method: String, url: String, lastEventID: String?)] {
        let list = try await step("requests", ["clear": clear]).1["requests"] as? [[String: Any]] ?? []
        return list.map { ($0["method"] as? String ?? "", $0["url"] as? String ?? "", $0["last_event_id"] as? String) }
    }

    func signIn(_ base: String, token: String) async throws {
        try await step("goto", ["url": base + "/"])
        try await fill("#token", token)
        try await click("#sign-in-form button[type=submit]")
        _ = try await waitText("#who", "signed in as")
        _ = try await waitText("#connection", "live")
    }
}

/// The web console in a real headless Chromium against the running host, as a user reaches it.
@Suite(.serialized)
struct ConsoleBrowserTests {
    static func startHost(site: URL? = nil, push: Bool = false, data given: URL? = nil, port: Int = 0) async throws
        -> (HostProcess, AdminAPI, String, Int?)
    {
        let data = try given ?? temporaryDirectory("console")
        var arguments = ["run", "--data", data.path, "--http-listen", "127.0.0.1:\(port)", "--log-format", "json"]
        arguments += ["--push-listen", push ? "127.0.0.1:0" : "off"]
        if let site { arguments += ["--site", site.path] }
        let host = try HostProcess(arguments)
        guard let port = await host.listeningPort("http listening") else {
            host.terminate()
            throw HostProcessTests.HostTestError.didNotStart(host.stderr)
        }
        let pushPort = push ? await host.listeningPort("push listening") : nil
        return (host, try AdminAPI(port: port, data: data), "http://127.0.0.1:\(port)", pushPort)
    }

    static func addCardUser(_ api: AdminAPI, pin: String, card: String) async throws {
        let (status, body) = try await api.call(
            "POST", "/api/v1/users",
            json:
                #"{"pin": "\#(pin)", "name": "User \#(pin)", "cards": [{"number": "\#(card)"}], "authorizations": [{"timezone": 1, "doors": [1, 2]}]}"#
        )
        #expect(status == 201, "\(body)")
    }

    @discardableResult
    static func swipe(_ api: AdminAPI, card: String, door: Int = 1) async throws -> Int {
        let (status, body) = try await api.call(
            "POST", "/api/v1/access", json: #"{"door": \#(door), "reader": \#(door), "card": "\#(card)"}"#)
        guard let index = body["journal_index"] as? Int else {
            Issue.record("swipe at door \(door): \(status) \(body)")
            return -1
        }
        return index
    }

    @Test(
        "sign in with a token (cookie HttpOnly/SameSite=Strict, no token in the URL or storage), a swipe appears live, a door opens and shows open, CSRF refused"
    )
    func signInLiveViewAndDoors() async throws {
        let (host, api, base, _) = try await Self.startHost()
        defer { host.terminate() }
        let browser = try await BrowserPeer()
        defer { browser.stop() }
        try await Self.addCardUser(api, pin: "1001", card: "4567")

        // Before signing in the page shows only the sign-in form, and the API answers nothing.
        let (_, timing) = try await browser.step("open", ["url": base + "/"])
        let paint = timing["first_contentful_paint_ms"] as? Double ?? .infinity
        print("console first contentful paint: \(paint) ms, DOMContentLoaded \(timing["dom_content_loaded_ms"] ?? "?") ms")
        #expect(paint <= 1000, "first paint \(paint) ms")
        #expect(try await browser.evaluate("return document.querySelector('#app').hidden") as? Bool == true)
        let anonymous = try await browser.evaluate("return (await fetch('/api/v1/users')).status") as? Int
        #expect(anonymous == 401)

        // A wrong token is refused next to the field.
        try await browser.fill("#token", "gh_00000000_" + String(repeating: "0", count: 64))
        try await browser.click("#sign-in-form button[type=submit]")
        _ = try await browser.waitText(#"#sign-in-form .field-error[data-field="token"]"#, "not a valid admin token")

        try await browser.signIn(base, token: api.token)
        let url = try await browser.evaluate("return location.href") as? String ?? ""
        #expect(!url.contains(api.token) && !url.contains("token="))
        let stored =
            try await browser.evaluate(
                "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie") as? String ?? ""
        #expect(!stored.contains("gh_"), "the token or session cookie is readable by scripts: \(stored)")
        let cookies = try await browser.step("cookies").1["cookies"] as? [[String: Any]] ?? []
        let session = try #require(cookies.first { $0["name"] as? String == "gh_session" })
        #expect(session["httpOnly"] as? Bool == true)
        #expect(session["sameSite"] as? String == "Strict")
        #expect(try await browser.requests().allSatisfy { !$0.url.contains(api.token) })
        #expect(!host.stderr.contains(api.token), "the token appears in the host's log")

        // A state-changing call without the session's CSRF token is refused, even with the cookie.
        let forged = try await browser.evaluate("return (await fetch('/api/v1/doors/2/open', {method: 'POST'})).status") as? Int
        #expect(forged == 403)

        // A card swipe appears in the live table.
        let index = try await Self.swipe(api, card: "4567")
        #expect(index > 0)
        let row = try await browser.waitText("#latest tbody tr[data-index=\"\(index)\"]", "1001")
        #expect(row?.contains("4567") == true)

        // Open door 1 from the page: the result is shown and the strike is energised; the sensor opening shows it open.
        try await browser.click("button[data-door='1'][data-action='open']")
        _ = try await browser.waitText("#action-result", "Door 1: open done")
        _ = try await browser.waitText("[data-testid=door-1]", "strike energised")
        _ = try await browser.waitText("[data-testid=relay-1]", "on")
        let (inputStatus, _) = try await api.call("POST", "/api/v1/inputs/5", json: #"{"active": true}"#)
        #expect(inputStatus == 200)
        _ = try await browser.waitText("[data-testid=door-1-state]", "open")
        // Lock door 2 and see it locked; a locked door refuses the card, and the page says so.
        try await browser.click("button[data-door='2'][data-action='lock']")
        _ = try await browser.waitText("[data-testid=door-2-state]", "locked")
        let denied = try await Self.swipe(api, card: "4567", door: 2)
        _ = try await browser.waitText("#latest tbody tr[data-index=\"\(denied)\"]", "1001")
        // Exactly one open was sent for one click.
        let opens = try await browser.requests().filter { $0.method == "POST" && $0.url.hasSuffix("/doors/1/open") }
        #expect(opens.count == 1)
        let journal = try await api.call("GET", "/api/v1/events?after=0&limit=1000").1["events"] as? [[String: Any]] ?? []
        #expect(journal.contains { $0["event_name"] as? String == "Open the door remotely" && $0["door"] as? Int == 1 })

        // Sign out: the cookie no longer works.
        try await browser.click("#sign-out")
        _ = try await browser.waitText("#connection", "signed out")
        #expect(try await browser.evaluate("return (await fetch('/api/v1/users')).status") as? Int == 401)
    }

    @Test(
        "users: field errors from the API shown next to the field, a double click saves once, edit, delete; an import's row errors shown"
    )
    func users() async throws {
        let (host, api, base, _) = try await Self.startHost()
        defer { host.terminate() }
        let browser = try await BrowserPeer()
        defer { browser.stop() }
        try await browser.signIn(base, token: api.token)
        try await browser.click("nav a[data-tab=users]")

        // A card number that is not a number: the API's error appears next to the cards field, nothing is created.
        try await browser.click("#user-new")
        try await browser.fill("#user-form input[name=pin]", "2001")
        try await browser.fill("#user-form input[name=name]", "Bob Builder")
        try await browser.fill("#user-form input[name=cards]", "12ab")
        try await browser.click("#user-form button[type=submit]")
        let cardError = try await browser.waitText(#"#user-form .field-error[data-field="cards"]"#, "card")
        #expect(cardError != nil)
        #expect(try await api.call("GET", "/api/v1/users/2001").0 == 404)

        // Fixed and saved with a double click: one POST, one user.
        try await browser.fill("#user-form input[name=cards]", "778899")
        try await browser.fill("#user-form input[name=doors]", "1")
        _ = try await browser.requests(clear: true)
        try await browser.click("#user-form button[type=submit]", times: 2)
        _ = try await browser.waitText("#users tbody", "Bob Builder")
        let posts = try await browser.requests().filter { $0.method == "POST" && $0.url.hasSuffix("/api/v1/users") }
        #expect(posts.count == 1, "\(posts)")
        let (_, created) = try await api.call("GET", "/api/v1/users/2001")
        #expect((created["cards"] as? [[String: Any]])?.first?["number"] as? String == "778899")

        // A duplicate PIN is refused next to the PIN field.
        try await browser.click("#user-new")
        try await browser.fill("#user-form input[name=pin]", "2001")
        try await browser.click("#user-form button[type=submit]")
        _ = try await browser.waitText(#"#user-form .field-error[data-field="pin"]"#, "already exists")
        try await browser.click("#user-cancel")

        // Search, edit the name.
        try await browser.fill("#user-search", "builder")
        _ = try await browser.waitText("#users tbody", "2001")
        try await browser.click("button[data-user='2001'][data-op=edit]")
        try await browser.fill("#user-form input[name=name]", "Robert Builder")
        try await browser.click("#user-form button[type=submit]")
        _ = try await browser.waitText("#users tbody", "Robert Builder")
        #expect(try await api.call("GET", "/api/v1/users/2001").1["name"] as? String == "Robert Builder")
        #expect((try await api.call("GET", "/api/v1/users/2001").1["cards"] as? [[String: Any]])?.count == 1)

        // Delete (the confirmation is accepted).
        try await browser.click("button[data-user='2001'][data-op=delete]")
        _ = try await waitFor { try await api.call("GET", "/api/v1/users/2001").0 == 404 ? true : nil }
        #expect(try await api.call("GET", "/api/v1/users/2001").0 == 404)
        let dialogs = try await browser.step("dialogs").1["dialogs"] as? [String] ?? []
        #expect(dialogs.contains { $0.contains("Delete user 2001") })

        // An import with a bad row: each problem is listed by row, nothing is imported.
        let file = try temporaryDirectory("import").appendingPathComponent("users.csv")
        try "pin,name,cards\n3001,Carol,1234\n3002,Dave,notacard\n".write(to: file, atomically: true, encoding: .utf8)
        try await browser.step("select", ["selector": "#transfer-format", "value": "csv"])
        try await browser.step("files", ["selector": "#import-file", "path": file.path])
        try await browser.click("#import-form button[type=submit]")
        _ = try await browser.waitText("#import-result", "nothing was imported")
        let rows = try await browser.text("#import-errors tbody")
        #expect(rows.contains("3"), "row numbers: \(rows)")
        #expect(try await api.call("GET", "/api/v1/users/3001").0 == 404)
    }

    @Test(
        "scripts: a broken script's file:line shown and fixed by reload, with the script log; a waiting PUSH device approved; health figures"
    )
    func scriptsDevicesHealth() async throws {
        let site = try temporarySite(mainLua: "log.info('console test site ready')\n")
        let (host, api, base, pushPort) = try await Self.startHost(site: site, push: true)
        defer { host.terminate() }
        let browser = try await BrowserPeer()
        defer { browser.stop() }
        try await browser.signIn(base, token: api.token)

        try await browser.click("nav a[data-tab=scripts]")
        _ = try await browser.waitText("[data-testid=script-state]", "ok")
        _ = try await browser.waitText("#script-log tbody", "console test site ready")

        let main = site.appendingPathComponent("main.lua")
        try "log.info('broken next')\nlocal x = = 1\n".write(to: main, atomically: true, encoding: .utf8)
        try await browser.click("#script-reload")
        _ = try await browser.waitText("#reload-result", "Reload failed")
        let error = try await browser.waitText("[data-testid=script-error]", "main.lua:2")
        #expect(error != nil)
        _ = try await browser.waitText("[data-testid=script-state]", "failed")

        try "log.info('fixed by the console')\n".write(to: main, atomically: true, encoding: .utf8)
        try await browser.click("#script-reload")
        _ = try await browser.waitText("#reload-result", "Reloaded")
        _ = try await browser.waitText("[data-testid=script-state]", "ok")
        _ = try await browser.waitText("#script-log tbody", "fixed by the console")

        // A device registers and waits for approval; approved from the page.
        let push = try #require(pushPort)
        let (registered, _) = try await httpGet("http://127.0.0.1:\(push)/iclock/cdata?SN=CONSOLE1&options=all&pushver=3.1.2")
        #expect(registered == 200)
        try await browser.click("nav a[data-tab=devices]")
        _ = try await browser.waitText("#devices tbody", "CONSOLE1")
        try await browser.click("button[data-device='CONSOLE1'][data-op=approve]")
        let approved = try await waitFor {
            try await api.call("GET", "/api/v1/devices/CONSOLE1").1["status"] as? String == "approved" ? true : nil
        }
        #expect(approved == true)
        _ = try await browser.waitText("#devices tbody tr[data-device=CONSOLE1]", "approved")
        try await browser.click("button[data-device='CONSOLE1'][data-op=queue]")
        _ = try await browser.waitText("#device-commands h3", "CONSOLE1")

        try await browser.click("nav a[data-tab=health]")
        _ = try await browser.waitText("[data-testid=health-status]", "ok")
        _ = try await browser.waitText("#figures", "Journal entries")
        let messages = try await browser.step("console").1["messages"] as? [String] ?? []
        #expect(!messages.contains { $0.hasPrefix("pageerror") }, "\(messages)")
    }

    @Test("live events at 100 per second: every one shown, in order, within 250 ms of its journal commit (measured)")
    func liveEventsUnderLoad() async throws {
        let (host, api, base, _) = try await Self.startHost()
        defer { host.terminate() }
        let browser = try await BrowserPeer()
        defer { browser.stop() }
        try await Self.addCardUser(api, pin: "1001", card: "4567")
        try await browser.signIn(base, token: api.token)
        // The page notes when each journal row reaches the live table.
        try await browser.evaluate(
            """
            window.seen = {};
            new MutationObserver((records) => {
              const now = Date.now();
              for (const record of records) for (const node of record.addedNodes)
                if (node.dataset && node.dataset.index && !(node.dataset.index in window.seen)) window.seen[node.dataset.index] = now;
            }).observe(document.querySelector('#latest tbody'), {childList: true});
            """)

        // 100 swipes a second for 5 seconds, each one's commit time taken when its reply arrives.
        var committed: [Int: Double] = [:]
        let start = Date()
        try await withThrowingTaskGroup(of: (Int, Double).self) { group in
            for n in 0..<500 {
                let due = start.addingTimeInterval(Double(n) / 100)
                if due > Date() { try await Task.sleep(for: .milliseconds(Int(due.timeIntervalSinceNow * 1000))) }
                group.addTask {
                    let index = try await Self.swipe(api, card: "4567", door: 1 + n % 2)
                    return (index, Date().timeIntervalSince1970 * 1000)
                }
            }
            for try await (index, time) in group { committed[index] = time }
        }
        let elapsed = Date().timeIntervalSince(start)
        let last = try #require(committed.keys.max())
        _ = try await browser.waitText("#latest tbody tr[data-index=\"\(last)\"]", "1001", timeout: 20_000)
        let seen = try await browser.evaluate("return window.seen") as? [String: Any] ?? [:]
        var latencies: [Double] = []
        var missing = 0
        for (index, time) in committed {
            guard let shown = (seen[String(index)] as? NSNumber)?.doubleValue else {
                missing += 1
                continue
            }
            latencies.append(max(0, shown - time))
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2]
        let p95 = latencies[latencies.count * 95 / 100]
        let worst = latencies.last ?? 0
        print(
            "console live events: \(committed.count) swipes in \(String(format: "%.2f", elapsed)) s; shown after commit p50 \(Int(p50)) ms, p95 \(Int(p95)) ms, max \(Int(worst)) ms; \(missing) never shown"
        )
        #expect(committed.count == 500)
        #expect(missing == 0)
        #expect(p50 <= 250, "p50 \(p50) ms")
        // The page does not fall behind: the table's newest row is the journal's newest entry.
        let top = try await browser.evaluate("return document.querySelector('#latest tbody tr').dataset.index") as? String
        #expect(top == String(last))
    }

    @Test(
        "after the host restarts the page reconnects by itself, still signed in, and resumes with Last-Event-ID: no entry lost or shown twice"
    )
    func resumesAfterRestart() async throws {
        let data = try temporaryDirectory("console")
        var (host, api, base, _) = try await Self.startHost(data: data)
        let browser = try await BrowserPeer()
        defer { browser.stop() }
        try await Self.addCardUser(api, pin: "1001", card: "4567")
        try await browser.signIn(base, token: api.token)
        let before = try await Self.swipe(api, card: "4567")
        _ = try await browser.waitText("#latest tbody tr[data-index=\"\(before)\"]", "1001")

        host.terminate()
        _ = await host.waitForExit()
        _ = try await browser.waitText("#connection", "reconnecting")
        // The same port again (retried while the kernel still holds it), then swipes at once, before the page's
        // stream is back: they reach it through the resume, not live.
        let port = api.port
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                (host, api, base, _) = try await Self.startHost(data: data, port: port)
                break
            } catch HostProcessTests.HostTestError.didNotStart(let stderr) where stderr.contains("address already in use") {
                guard Date() < deadline else { throw HostProcessTests.HostTestError.didNotStart(stderr) }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { host.terminate() }
        var during: [Int] = []
        for _ in 0..<3 { during.append(try await Self.swipe(api, card: "4567")) }
        _ = try await browser.waitText("#connection", "live", timeout: 15_000)
        _ = try await browser.waitText("#latest tbody tr[data-index=\"\(during.last ?? 0)\"]", "1001")
        let shown =
            try await browser.evaluate(
                "return Array.from(document.querySelectorAll('#latest tbody tr')).map((row) => Number(row.dataset.index))")
            as? [Int] ?? []
        // Newest first, every index once, nothing missing between the entry before the restart and the last.
        let expected = Array((1...(during.last ?? 0)).reversed())
        #expect(shown == expected, "shown \(shown)")
        let streams = try await browser.requests().filter { $0.url.contains("/events/stream") }
        let resumed = streams.filter { $0.lastEventID != nil }
        #expect(resumed.contains { $0.lastEventID == String(before) }, "stream requests: \(streams)")
        #expect(try await browser.text("#who").contains("signed in as"))
    }
}
