import Hummingbird

/// The door's SIP endpoint as `GET /api/v1/sip` shows it: listen address, registration, calls, counters. The
/// composition root adapts the SIP module's status (HTTPAPI does not depend on it).
public protocol SIPStatusSource: Sendable {
    associatedtype Status: Encodable & Sendable
    func sipStatus() async -> Status
}

enum SIPRoutes {
    static func add(to group: RouterGroup<AdminRequestContext>, source: some SIPStatusSource) {
        group.get("sip") { _, _ -> Response in try jsonResponse(await source.sipStatus()) }
    }
}
