import Foundation
import Testing
@testable import Outbound

@Suite("Third-party verification client")
struct ThirdPartyTests {
    @Test func urlTemplateFollowsTheAkuvoxExample() {
        let settings = ThirdPartySettings(
            mode: .customize, remoteMethods: [.card],
            urlTemplate: "http://192.168.35.123:8090/api/visitor/scan?codeKey={QRCode}/{Card}/{Pin}&deviceId={DeviceID}", deviceID: "1")
        #expect(settings.url(for: .card("123456"))
            == "http://192.168.35.123:8090/api/visitor/scan?codeKey={QRCode}/123456/{Pin}&deviceId=1")
    }

    @Test(arguments: [
        (ThirdPartySettings.Mode.general, ThirdPartySettings.Method.qrCode, true), (.general, .card, false),
        (.customize, .card, true), (.customize, .pin, false), (.none, .qrCode, false),
    ])
    func remoteMethods(mode: ThirdPartySettings.Mode, method: ThirdPartySettings.Method, remote: Bool) {
        #expect(ThirdPartySettings(mode: mode, remoteMethods: [.card, .qrCode]).verifiesRemotely(method) == remote)
    }

    func verifier(
        port: Int, path: String = "api/visitor/scan", onTimeout: ThirdPartySettings.TimeoutPolicy = .deny, timeoutMilliseconds: Int = 10_000
    ) throws -> ThirdPartyVerifier {
        ThirdPartyVerifier(
            settings: ThirdPartySettings(
                mode: .customize, remoteMethods: [.card, .pin, .qrCode],
                urlTemplate: "http://127.0.0.1:\(port)/\(path)?codeKey={QRCode}/{Card}/{Pin}&deviceId={DeviceID}", deviceID: "7",
                successParameter: "OK", failedParameter: "DENY", onTimeout: onTimeout,
                options: TransportOptions(connectTimeoutMilliseconds: timeoutMilliseconds, totalTimeoutMilliseconds: timeoutMilliseconds)),
            transport: try Transport())
    }

    @Test(arguments: [
        (ThirdPartyCredential.card("123456"), true, ThirdPartyVerdict.Reason.matchedSuccess),
        (.card("999"), false, .matchedFailure),
        (.qrCode("visitor-123456-x"), true, .matchedSuccess),
        (.pin("0000"), false, .matchedFailure),
    ])
    func serverAnswerDecides(credential: ThirdPartyCredential, granted: Bool, reason: ThirdPartyVerdict.Reason) async throws {
        let peer = try await Peer.launch("http_peer.py", ["--accept", "123456"])
        defer { peer.stop() }
        let verdict = try await verifier(port: peer.port).verify(credential)
        #expect(verdict.granted == granted)
        #expect(verdict.reason == reason)
        #expect(verdict.status == 200)
        #expect(verdict.answer.contains(granted ? "OK" : "DENY"))
    }

    @Test func pinsAreMaskedInTheJournal() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let verdict = try await verifier(port: peer.port).verify(.pin("8642"))
        #expect(!verdict.server.contains("8642"))
        #expect(verdict.server.contains("****"))
    }

    @Test(arguments: [(ThirdPartySettings.TimeoutPolicy.deny, false), (.grant, true)])
    func timeoutFollowsThePolicy(policy: ThirdPartySettings.TimeoutPolicy, granted: Bool) async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let verdict = try await verifier(port: peer.port, path: "slow", onTimeout: policy, timeoutMilliseconds: 300).verify(.card("123456"))
        #expect(verdict.reason == .timedOut)
        #expect(verdict.granted == granted)
    }

    @Test func unreachableServerDeniesAndSaysWhy() async throws {
        let verdict = try await verifier(port: 1).verify(.card("123456"))
        #expect(!verdict.granted)
        guard case let .transportFailed(detail) = verdict.reason else { Issue.record("got \(verdict.reason)"); return }
        #expect(detail.contains("could not connect"))
    }

    @Test func answerWithNeitherParameterDenies() async throws {
        let peer = try await Peer.launch("http_peer.py", [])
        defer { peer.stop() }
        let verdict = try await verifier(port: peer.port, path: "status/500").verify(.card("123456"))
        #expect(!verdict.granted)
        #expect(verdict.reason == .unrecognisedAnswer)
        #expect(verdict.status == 500)
    }
}
