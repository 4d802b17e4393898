/// A set of bit positions (0 = first transmitted), 0...127: the coverage of a parity bit, the
/// members of a ZKTeco `e`/`o` group, the bits of a field.
public struct PositionSet: Hashable, Sendable {
    /// Bit `p` set means position `p` is a member (position space, not value space).
    @usableFromInline var mask: Word128

    @usableFromInline init(mask: Word128) { self.mask = mask }

    /// The empty set.
    public init() { mask = .zero }

    /// The given positions; throws when one lies outside 0..<128.
    public init(_ positions: some Sequence<Int>) throws(CardFormatError) {
        var mask = Word128.zero
        for position in positions {
            guard position >= 0, position < CardBits.maximumBitCount else {
                throw .positionOutOfRange(position: position, bitCount: CardBits.maximumBitCount)
            }
            mask = mask | Word128.bit(position)
        }
        self.mask = mask
    }

    /// Positions `range.lowerBound...range.upperBound`.
    public init(_ range: ClosedRange<Int>) throws(CardFormatError) {
        try self.init(Array(range))
    }

    public func contains(_ position: Int) -> Bool { mask.testBit(position) }
    public var count: Int { mask.nonzeroBitCount }
    public var isEmpty: Bool { mask.isZero }

    /// Members in increasing order.
    public var positions: [Int] { (0..<CardBits.maximumBitCount).filter { mask.testBit($0) } }

    public func union(_ other: PositionSet) -> PositionSet { PositionSet(mask: mask | other.mask) }
    public func subtracting(_ other: PositionSet) -> PositionSet { PositionSet(mask: mask & ~other.mask) }
    public func intersection(_ other: PositionSet) -> PositionSet { PositionSet(mask: mask & other.mask) }
    public func inserting(_ position: Int) -> PositionSet { PositionSet(mask: mask | Word128.bit(position)) }
    public func removing(_ position: Int) -> PositionSet { PositionSet(mask: mask & ~Word128.bit(position)) }

    /// The largest member, if any.
    public var last: Int? {
        if mask.high != 0 { return 127 - mask.high.leadingZeroBitCount }
        if mask.low != 0 { return 63 - mask.low.leadingZeroBitCount }
        return nil
    }

    /// The mask in a right-aligned card word of `bitCount` bits (position p ↔ value bit bitCount-1-p).
    @inlinable
    func valueMask(bitCount: Int) -> Word128 {
        mask.bitReversed >> (128 - bitCount)
    }
}

extension PositionSet: CustomStringConvertible {
    /// Compact ranges, e.g. `{1-12}` or `{2,3,5,6}`.
    public var description: String {
        var parts: [String] = []
        var runStart: Int?
        var previous = -2
        for position in positions {
            if position != previous + 1 {
                if let start = runStart { parts.append(start == previous ? "\(start)" : "\(start)-\(previous)") }
                runStart = position
            }
            previous = position
        }
        if let start = runStart { parts.append(start == previous ? "\(start)" : "\(start)-\(previous)") }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
