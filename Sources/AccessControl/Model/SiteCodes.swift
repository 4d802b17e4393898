import Foundation

/// Akuvox "Public PIN": up to three codes shared by residents, all of `length` digits (4–8).
public struct SiteCodes: Hashable, Sendable, Codable {
    public var length: Int
    public var publicPINs: [String]

    public init(length: Int = 4, publicPINs: [String] = []) {
        self.length = length
        self.publicPINs = publicPINs
    }

    public static let maximumPublicPINs = 3

    func validate() throws(ModelError) {
        guard (4...8).contains(length) else {
            throw ModelError(field: "public PIN code length", rule: .range(min: 4, max: 8))
        }
        guard publicPINs.count <= Self.maximumPublicPINs else {
            throw ModelError(field: "public PINs", rule: .tooMany(limit: Self.maximumPublicPINs))
        }
        for (index, code) in publicPINs.enumerated() {
            guard code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw ModelError(field: "public PIN \(index + 1)", rule: .format("digits only"))
            }
            guard code.utf8.count == length else {
                throw ModelError(field: "public PIN \(index + 1)", rule: .length(min: length, max: length))
            }
        }
    }
}
