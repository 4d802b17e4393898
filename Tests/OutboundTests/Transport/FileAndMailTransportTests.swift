import Foundation
import Testing
@testable import Outbound

@Suite("FTP, FTPS and TFTP uploads against real loopback servers")
struct FileUploadTests {
    @Test func ftpUploadCreatesMissingDirectoriesAndKeepsBytes() async throws {
        let root = try TestEnvironment.temporaryDirectory("ftp")
        let peer = try await Peer.launch("ftp_peer.py", ["--root", root.path, "--user", "camera", "--password", "upload"])
        defer { peer.stop() }
        let transport = try Transport()
        try await transport.upload(FileUpload(
            url: "ftp://camera:upload@127.0.0.1:\(peer.port)/door/2026/exit-button.jpg", data: TestEnvironment.snapshotBytes))
        let stored = try Data(contentsOf: root.appendingPathComponent("door/2026/exit-button.jpg"))
        #expect(stored == TestEnvironment.snapshotBytes)
    }

    @Test func ftpsExplicitTLSWithGeneratedCertificate() async throws {
        let root = try TestEnvironment.temporaryDirectory("ftps")
        let certificates = try TestEnvironment.temporaryDirectory("ftps-cert")
        let peer = try await Peer.launch("ftp_peer.py", ["--root", root.path, "--tls-dir", certificates.path])
        defer { peer.stop() }
        let transport = try Transport()
        try await transport.upload(FileUpload(
            url: "ftp://127.0.0.1:\(peer.port)/secure/snap.jpg", data: TestEnvironment.snapshotBytes,
            user: "camera", password: "upload", security: .explicitTLS, options: TransportOptions(caFile: peer.caFile)))
        #expect(try Data(contentsOf: root.appendingPathComponent("secure/snap.jpg")) == TestEnvironment.snapshotBytes)
    }

    @Test func ftpWrongPasswordIsAnAuthenticationError() async throws {
        let root = try TestEnvironment.temporaryDirectory("ftp-auth")
        let peer = try await Peer.launch("ftp_peer.py", ["--root", root.path])
        defer { peer.stop() }
        let transport = try Transport()
        do {
            try await transport.upload(FileUpload(url: "ftp://camera:nope@127.0.0.1:\(peer.port)/x.jpg", data: Data([1])))
            Issue.record("a wrong password must fail")
        } catch {
            guard case .authenticationFailed = error else { Issue.record("got \(error)"); return }
            #expect(!error.isTransient)
            #expect(!error.description.contains("nope"))
        }
    }

    @Test func tftpUploadKeepsBytes() async throws {
        let root = try TestEnvironment.temporaryDirectory("tftp")
        let peer = try await Peer.launch("tftp_peer.py", ["--root", root.path])
        defer { peer.stop() }
        let transport = try Transport()
        try await transport.upload(FileUpload(url: "tftp://127.0.0.1:\(peer.port)/input-a.jpg", data: TestEnvironment.snapshotBytes))
        #expect(try Data(contentsOf: root.appendingPathComponent("input-a.jpg")) == TestEnvironment.snapshotBytes)
    }

    @Test func uploadURLMustNameAFile() async throws {
        let transport = try Transport()
        await #expect(throws: TransportError.invalidURL("ftp://127.0.0.1/dir/", reason: "the upload URL must end in a file name")) {
            try await transport.upload(FileUpload(url: "ftp://127.0.0.1/dir/", data: Data()))
        }
    }
}

@Suite("E-mail over SMTP against aiosmtpd")
struct MailTransportTests {
    func message(server: String, security: MailSecurity, caFile: String?) -> MailMessage {
        MailMessage(
            server: server, security: security, from: "door@gatehouse.example", to: ["guard@example.org", "desk@example.org"],
            subject: "Exit button pressed — porte A", body: "Input A triggered at 06:15.\n.\nSnapshot attached.",
            attachments: [MailAttachment(name: "snapshot.jpg", contentType: "image/jpeg", data: TestEnvironment.snapshotBytes)],
            options: TransportOptions(caFile: caFile))
    }

    func checkSpool(_ spool: URL, expectTLS: Bool) async throws {
        let eml = spool.appendingPathComponent("1.eml")
        let parsed = try await runPythonJSON("mime_check.py", [eml.path])
        #expect(parsed["subject"] as? String == "Exit button pressed — porte A")
        #expect(parsed["multipart"] as? Bool == true)
        #expect((parsed["defects"] as? [String])?.isEmpty == true)
        let parts = parsed["parts"] as? [[String: Any]] ?? []
        #expect(parts.count == 2)
        #expect(parts.first?["type"] as? String == "text/plain")
        #expect((parts.first?["text"] as? String)?.contains("Input A triggered") == true)
        let image = try #require(parts.last)
        #expect(image["type"] as? String == "image/jpeg")
        #expect(image["filename"] as? String == "snapshot.jpg")
        #expect(image["sha256"] as? String == sha256Hex(TestEnvironment.snapshotBytes))
        let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: spool.appendingPathComponent("1.json"))) as? [String: Any]
        #expect(envelope?["from"] as? String == "door@gatehouse.example")
        #expect(envelope?["to"] as? [String] == ["guard@example.org", "desk@example.org"])
        #expect(envelope?["tls"] as? Bool == expectTLS)
    }

    @Test func plainSMTPDeliversWellFormedMIMEWithTheImage() async throws {
        let spool = try TestEnvironment.temporaryDirectory("smtp")
        let peer = try await Peer.launch("smtp_peer.py", ["--spool", spool.path])
        defer { peer.stop() }
        try await Transport().send(message(server: "smtp://127.0.0.1:\(peer.port)", security: .none, caFile: nil))
        try await checkSpool(spool, expectTLS: false)
    }

    @Test func startTLSIsRequiredAndVerified() async throws {
        let spool = try TestEnvironment.temporaryDirectory("smtp-tls")
        let certificates = try TestEnvironment.temporaryDirectory("smtp-cert")
        let peer = try await Peer.launch("smtp_peer.py", ["--spool", spool.path, "--tls-dir", certificates.path])
        defer { peer.stop() }
        let transport = try Transport()
        // Without the CA the self-signed certificate fails verification, and nothing is sent in clear.
        do {
            try await transport.send(message(server: "smtp://localhost:\(peer.port)", security: .startTLS, caFile: nil))
            Issue.record("verification must fail without the CA")
        } catch {
            guard case .tls = error else { Issue.record("got \(error)"); return }
        }
        #expect(!FileManager.default.fileExists(atPath: spool.appendingPathComponent("1.eml").path))
        try await transport.send(message(server: "smtp://localhost:\(peer.port)", security: .startTLS, caFile: peer.caFile))
        try await checkSpool(spool, expectTLS: true)
    }

    @Test func implicitTLSForSMTPS() async throws {
        let spool = try TestEnvironment.temporaryDirectory("smtps")
        let certificates = try TestEnvironment.temporaryDirectory("smtps-cert")
        let peer = try await Peer.launch("smtp_peer.py", ["--spool", spool.path, "--tls-dir", certificates.path, "--implicit-tls"])
        defer { peer.stop() }
        try await Transport().send(message(server: "smtps://localhost:\(peer.port)", security: .implicitTLS, caFile: peer.caFile))
        try await checkSpool(spool, expectTLS: true)
    }

    @Test(arguments: ["not-an-address", "a@b>\r\nRCPT TO:<x@y", ""])
    func malformedAddressesAreRefused(address: String) async throws {
        let transport = try Transport()
        let mail = MailMessage(server: "smtp://127.0.0.1:1", from: "door@example.org", to: [address], subject: "s", body: "b")
        do {
            try await transport.send(mail)
            Issue.record("must refuse \(address)")
        } catch {
            guard case .invalidURL = error else { Issue.record("got \(error)"); return }
        }
    }
}

@Suite("MIME message layout")
struct MIMEMessageTests {
    @Test func plainTextMessageWithoutAttachments() {
        let mail = MailMessage(server: "smtp://x", from: "a@b.c", to: ["d@e.f"], subject: "Hello", body: "line1\nline2")
        let text = String(decoding: MIMEMessage(mail, date: Date(timeIntervalSince1970: 0)).bytes, as: UTF8.self)
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(text.contains("Subject: Hello\r\n"))
        #expect(text.contains("Content-Type: text/plain; charset=us-ascii\r\n"))
        #expect(text.hasSuffix("\r\n\r\nline1\r\nline2\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func headerInjectionInSubjectIsNeutralised() {
        let mail = MailMessage(server: "smtp://x", from: "a@b.c", to: ["d@e.f"], subject: "Hi\r\nBcc: evil@x.y", body: "")
        let text = String(decoding: MIMEMessage(mail, date: Date()).bytes, as: UTF8.self)
        #expect(!text.contains("\r\nBcc:"))
    }
}

func sha256Hex(_ data: Data) -> String {
    // A tiny self-contained SHA-256 so the test target needs no crypto dependency.
    var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
        0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
        0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
        0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
        0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
    var message = [UInt8](data)
    let bitLength = UInt64(message.count) * 8
    message.append(0x80)
    while message.count % 64 != 56 { message.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    for chunk in stride(from: 0, to: message.count, by: 64) {
        var w = [UInt32](repeating: 0, count: 64)
        for i in 0..<16 {
            w[i] = message[chunk + 4 * i..<chunk + 4 * i + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
        for i in 0..<64 {
            let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
    }
    return h.map { String(format: "%08x", $0) }.joined()
}
