import Foundation

/// A change to the site model that breaks a rule: names the field (with the object it belongs to) and the rule.
/// Nothing of the change has been applied when this is thrown.
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Rule: Hashable, Sendable {
        /// More items than allowed (a 6th card, a 4th public PIN …).
        case tooMany(limit: Int)
        /// The value is already used by another object, named here.
        case duplicate(usedBy: String)
        /// Wrong number of characters or digits.
        case length(min: Int, max: Int)
        /// Not in the expected form (digits only, HHMM period …).
        case format(String)
        /// A number outside its allowed range.
        case range(min: Int, max: Int)
        /// Refers to an object that does not exist.
        case unknownReference(String)
        /// The object to change or delete does not exist.
        case notFound
        /// Settings that contradict one another.
        case conflict(String)
    }

    public let field: String
    public let rule: Rule

    public init(field: String, rule: Rule) {
        self.field = field
        self.rule = rule
    }

    public var description: String {
        switch rule {
        case .tooMany(let limit): "\(field): at most \(limit) allowed"
        case .duplicate(let owner): "\(field): already used by \(owner)"
        case .length(let min, let max): "\(field): must be \(min)–\(max) characters long"
        case .format(let expected): "\(field): must be \(expected)"
        case .range(let min, let max): "\(field): must be between \(min) and \(max)"
        case .unknownReference(let what): "\(field): refers to unknown \(what)"
        case .notFound: "\(field): does not exist"
        case .conflict(let why): "\(field): \(why)"
        }
    }
}
