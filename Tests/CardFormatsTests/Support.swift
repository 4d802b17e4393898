@testable import CardFormats

/// A seeded generator so property tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension CardLayout {
    /// Random values for every field, each within its width.
    func randomValues(using generator: inout SplitMix64) -> [FieldRole: UInt64] {
        var values: [FieldRole: UInt64] = [:]
        for field in fields {
            let mask: UInt64 = field.length >= 64 ? .max : (1 << UInt64(field.length)) - 1
            values[field.role] = generator.next() & mask
        }
        return values
    }

    /// The largest value each field holds.
    var maximumValues: [FieldRole: UInt64] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0.role, $0.length >= 64 ? UInt64.max : (1 << UInt64($0.length)) - 1) })
    }
}
