/// A site-defined card format, e.g. a Lua `cardformat(name, fn)` from the scripting module.
///
/// `transform` returns the card number as the site stores it, or throws
/// ``ExternalCardFormatDeclined`` when the card is not in this format; any other error is reported
/// as a failure of the format, never as a match.
public protocol ExternalCardFormat: Sendable {
    var name: String { get }
    func transform(_ card: CardBits) throws -> String
}

/// What an ``ExternalCardFormat`` throws to say "not mine" (not an error).
public struct ExternalCardFormatDeclined: Error, Hashable, Sendable {
    public init() {}
}

/// One entry of a reader's accepted formats, tried in order.
public enum AcceptedFormat: Sendable {
    case layout(CardLayout)
    case zkteco(ZKWiegandFormat)
    case site(any ExternalCardFormat)

    public var name: String {
        switch self {
        case .layout(let layout): return layout.name
        case .zkteco(let format): return format.formatName
        case .site(let format): return format.name
        }
    }
}
