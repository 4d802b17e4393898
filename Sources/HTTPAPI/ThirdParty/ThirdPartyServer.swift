import AccessControl
import Foundation
import HTTPTypes
import Hummingbird
import PushProtocol

/// Settings of the third-party verification endpoint: Gatehouse playing the "Third-party Access Control Server"
/// that an Akuvox door phone asks about each QR code, card or PIN.
///
/// The door is configured with `http://{gatehouse}:{port}/api/visitor/scan?codeKey={QRCode}/{Card}/{Pin}&deviceId={DeviceID}`
/// (Customize) or `…?codeKey={QRCode}&deviceId={DeviceID}` (General), its Device ID as listed in `devices`, and the
/// Success / Failed parameters set to `successReply` / `failureReply`.
public struct ThirdPartyServerSettings: Hashable, Sendable {
    /// The seed's example path, so a door configured from the Akuvox manual's example needs no path change.
    public static let defaultPath = "/api/visitor/scan"

    public var enabled: Bool
    /// Where the endpoint is served (GET and POST).
    public var path: String
    /// The query parameter carrying `{QRCode}/{Card}/{Pin}` (or the QR code alone).
    public var codeParameter: String
    /// The query parameter carrying the door phone's Device ID.
    public var deviceParameter: String
    /// The body answered when the credential is granted (the door's "Success Parameter").
    public var successReply: String
    /// The body answered otherwise (the door's "Failed Parameter").
    public var failureReply: String
    /// Device ID → the door it stands at; presentations use that door's entry reader.
    public var devices: [String: Int]

    public init(
        enabled: Bool = false, path: String = ThirdPartyServerSettings.defaultPath, codeParameter: String = "codeKey",
        deviceParameter: String = "deviceId", successReply: String = "success", failureReply: String = "failed",
        devices: [String: Int] = [:]
    ) {
        self.enabled = enabled
        self.path = path
        self.codeParameter = codeParameter
        self.deviceParameter = deviceParameter
        self.successReply = successReply
        self.failureReply = failureReply
        self.devices = devices
    }

    /// Configuration keys are `third_party_server.<name>`.
    public func validate() throws(ThirdPartySettingsError) {
        guard enabled else { return }
        guard path.hasPrefix("/"), path.count > 1, !path.contains("?"), !path.contains(":"), !path.contains("*") else {
            throw ThirdPartySettingsError(key: "third_party_server.path", problem: "must be a plain path such as /api/visitor/scan")
        }
        guard !(path + "/").hasPrefix("/api/v1/"), !(path + "/").hasPrefix("/fcgi/") else {
            throw ThirdPartySettingsError(key: "third_party_server.path", problem: "must not be under /api/v1 or /fcgi")
        }
        guard !codeParameter.isEmpty else {
            throw ThirdPartySettingsError(key: "third_party_server.code_parameter", problem: "must not be empty")
        }
        guard !deviceParameter.isEmpty, deviceParameter != codeParameter else {
            throw ThirdPartySettingsError(
                key: "third_party_server.device_parameter", problem: "must not be empty nor equal the code parameter")
        }
        guard !successReply.isEmpty else {
            throw ThirdPartySettingsError(key: "third_party_server.success_reply", problem: "must not be empty")
        }
        // Devices look for the parameter inside the body; one reply containing the other would read both ways.
        guard !failureReply.isEmpty, !failureReply.contains(successReply), !successReply.contains(failureReply) else {
            throw ThirdPartySettingsError(
                key: "third_party_server.failure_reply", problem: "must be set, and neither reply may contain the other")
        }
        guard !devices.isEmpty else {
            throw ThirdPartySettingsError(key: "third_party_server.devices", problem: "map at least one device id to a door")
        }
        for (device, door) in devices.sorted(by: { $0.key < $1.key }) where door < 1 || device.isEmpty {
            throw ThirdPartySettingsError(key: "third_party_server.devices.\(device)", problem: "door must be a door id ≥ 1")
        }
    }
}

public struct ThirdPartySettingsError: Error, Hashable, Sendable, CustomStringConvertible {
    public var key: String
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "\(key): \(problem)" }
}

/// The endpoint itself: maps the device to its door, verifies through ``Site/present(_:at:source:)`` (built-in rules,
/// then the script advisor, exactly like PUSH remote identification), journals with the device id as the source
/// (`api:akuvox-device:<id>`), and answers the success or failure string as `text/plain`.
public enum ThirdPartyRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, site: Site, settings: ThirdPartyServerSettings) {
        guard settings.enabled else { return }
        let path = RouterPath(String(settings.path.dropFirst()))
        for method in [HTTPRequest.Method.get, .post] {
            router.on(path, method: method) { request, _ -> Response in
                let (granted, status) = await verify(request, site: site, settings: settings)
                let text = granted ? settings.successReply : settings.failureReply
                return Response(
                    status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
    }

    static func source(device: String) -> JournalSource { JournalSource(.api, name: "akuvox-device:\(device)") }

    static func verify(_ request: Request, site: Site, settings: ThirdPartyServerSettings) async -> (Bool, HTTPResponse.Status) {
        let query = request.uri.queryParameters
        guard let device = query.get(settings.deviceParameter).map({ String($0) }), let doorNumber = settings.devices[device] else {
            return (false, .forbidden)
        }
        guard let code = query.get(settings.codeParameter).map({ String($0) }),
            let credential = credential(fromCode: code)
        else { return (false, .badRequest) }
        guard let reader = await site.entryReader(of: DoorID(doorNumber)) else { return (false, .serviceUnavailable) }
        let decision = await site.present(credential, at: reader, source: source(device: device))
        do {
            try await site.flush()
        } catch {
            // Not durable, so not granted: the device must not open on a decision the journal may lose.
            return (false, .serviceUnavailable)
        }
        return (decision.isGranted, .ok)
    }

    /// `{QRCode}/{Card}/{Pin}` with the unused placeholders left as written (or empty), or the General form's QR
    /// code alone. QR codes may contain `/`: the card and PIN are always the last two segments.
    static func credential(fromCode code: String) -> Credential? {
        func present(_ text: Substring) -> String? {
            let value = text.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, !(value.hasPrefix("{") && value.hasSuffix("}")) else { return nil }
            return value
        }
        let parts = code.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3 else {
            return present(Substring(code)).map { .qrCode($0) }
        }
        let qr = present(Substring(parts[0..<(parts.count - 2)].joined(separator: "/")))
        let card = present(parts[parts.count - 2])
        let pin = present(parts[parts.count - 1])
        switch (qr, card, pin) {
        case (let qr?, nil, nil): return .qrCode(qr)
        case (nil, let card?, nil):
            let number = card.allSatisfy(\.isNumber) ? try? CardNumber(decimal: card) : try? CardNumber(hex: card)
            return number.map { .card($0) }
        case (nil, nil, let pin?):
            return pin.allSatisfy(\.isNumber) ? .pin(pin) : nil
        default: return nil
        }
    }
}
