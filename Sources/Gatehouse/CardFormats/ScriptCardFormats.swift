import CardFormats
import Scripting

/// Site card formats written in Lua (`cardformat(name, fn)`) taking part in card matching.
///
/// `CardMatcher` consults formats synchronously, but the scripts live on their own thread behind an actor. So the
/// transforms run first, for the card at hand, and the matcher sees their outcomes as ordinary site formats.
public enum ScriptCardFormats {
    /// One Lua format's outcome for one card.
    struct Resolved: ExternalCardFormat {
        let name: String
        let outcome: CardTransformOutcome

        struct Failed: Error, CustomStringConvertible {
            var description: String
        }

        func transform(_ card: CardBits) throws -> String {
            switch outcome {
            case .number(let number): return number
            case .rejected, .unknownFormat: throw ExternalCardFormatDeclined()
            case .failed(let diagnostic): throw Failed(description: diagnostic.description)
            }
        }
    }

    /// The site's Lua formats, resolved for `card`, ready to append to a reader's accepted formats.
    public static func formats(for card: CardBits, host: ScriptHost) async -> [AcceptedFormat] {
        var formats: [AcceptedFormat] = []
        for name in await host.cardFormatNames {
            let outcome = await host.transformCard(format: name, bits: card.binaryString)
            formats.append(.site(Resolved(name: name, outcome: outcome)))
        }
        return formats
    }
}
