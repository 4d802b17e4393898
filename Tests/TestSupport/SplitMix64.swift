/// SplitMix64, a seeded generator: property and fuzz tests draw from it so that a seed names a reproducible case,
/// with no clock or system randomness.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// A damaged copy of `original`, as a fuzz test feeds a parser: `edits` random edits, each a byte replaced, a
    /// range of up to 40 bytes cut or doubled, or one of `fragments` inserted.
    public mutating func damage(_ original: [UInt8], edits: ClosedRange<Int>, fragments: [[UInt8]]) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: edits, using: &self) {
            let at = Int.random(in: 0...bytes.count, using: &self)
            let end = min(bytes.count, at + Int.random(in: 1...40, using: &self))
            switch Int.random(in: 0..<4, using: &self) {
            case 0 where at < bytes.count: bytes[at] = UInt8.random(in: 0...255, using: &self)
            case 1: bytes.removeSubrange(at..<end)
            case 2: bytes.insert(contentsOf: bytes[at..<end], at: at)
            default: bytes.insert(contentsOf: fragments.randomElement(using: &self)!, at: at)
            }
        }
        return bytes
    }
}
