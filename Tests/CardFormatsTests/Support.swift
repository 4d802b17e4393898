import TestSupport

@testable import CardFormats

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
