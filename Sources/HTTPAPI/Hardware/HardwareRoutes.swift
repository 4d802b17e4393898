import Foundation
import Hummingbird

/// One hardware reader's link, as `GET /api/v1/hardware/readers` shows it.
public struct ReaderLinkStatus: Codable, Sendable, Equatable {
    public var reader: Int
    public var driver: String
    public var address: Int
    public var name: String
    public var online: Bool
    public var secure: Bool
    public var tamper: Bool
    public var lastSeen: String?
    public var cardReads: Int
    public var errors: Int

    enum CodingKeys: String, CodingKey {
        case reader, driver, address, name, online, secure, tamper, errors
        case lastSeen = "last_seen"
        case cardReads = "card_reads"
    }

    public init(
        reader: Int, driver: String, address: Int, name: String, online: Bool, secure: Bool, tamper: Bool, lastSeen: String?,
        cardReads: Int, errors: Int
    ) {
        self.reader = reader
        self.driver = driver
        self.address = address
        self.name = name
        self.online = online
        self.secure = secure
        self.tamper = tamper
        self.lastSeen = lastSeen
        self.cardReads = cardReads
        self.errors = errors
    }
}

/// The hardware drivers' readers; the composition root adapts them (none configured: an empty list).
public protocol ReaderStatusSource: Sendable {
    func readerLinks() async -> [ReaderLinkStatus]
}

enum HardwareRoutes {
    struct ReaderList: Encodable {
        var readers: [ReaderLinkStatus]
    }

    static func add(to group: RouterGroup<AdminRequestContext>, source: any ReaderStatusSource) {
        group.get("hardware/readers") { _, _ -> Response in
            try jsonResponse(ReaderList(readers: await source.readerLinks()))
        }
    }
}
