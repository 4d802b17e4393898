import Hummingbird

/// The door's SIP endpoint as `GET /api/v1/sip` shows it: listen address, registration, calls, counters. The
/// composition root adapts the SIP module's status (HTTPAPI does not depend on it).
public protocol SIPStatusSource: Sendable {
    associatedtype Status: Encodable & Sendable
    func sipStatus() async -> Status
}

enum SIPRoutes {
    struct Off: Encodable { var enabled = false }

    /// Always routed: with SIP off the answer is `{"enabled": false}`, so clients need not tell 404 from "off".
    static func add(to group: RouterGroup<AdminRequestContext>, source: (any SIPStatusSource)?) {
        group.get("sip") { _, _ -> Response in
            guard let source else { return try jsonResponse(Off()) }
            return try await status(source)
        }
    }

    private static func status(_ source: some SIPStatusSource) async throws -> Response {
        try jsonResponse(await source.sipStatus())
    }
}
