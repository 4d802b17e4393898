/// A 128-bit unsigned word made of two `UInt64` halves.
///
/// The standard library's `UInt128` needs macOS 15, and the package still declares macOS 14,
/// so the few operations the codec needs are written out here. Everything is non-trapping:
/// shifts of 128 or more give zero instead of faulting.
@usableFromInline
struct Word128: Hashable, Sendable {
    @usableFromInline var high: UInt64
    @usableFromInline var low: UInt64

    @inlinable
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    @usableFromInline static let zero = Word128(high: 0, low: 0)

    /// A word whose lowest `count` bits are ones (`count` clamped to 0...128).
    @inlinable
    static func lowOnes(_ count: Int) -> Word128 {
        if count <= 0 { return .zero }
        if count >= 128 { return Word128(high: .max, low: .max) }
        if count >= 64 {
            let upper = count - 64
            return Word128(high: upper == 0 ? 0 : (UInt64.max >> (64 - upper)), low: .max)
        }
        return Word128(high: 0, low: UInt64.max >> (64 - count))
    }

    /// A word with only bit `index` set (0 = least significant); zero when out of range.
    @inlinable
    static func bit(_ index: Int) -> Word128 {
        if index < 0 || index >= 128 { return .zero }
        return index >= 64 ? Word128(high: 1 << UInt64(index - 64), low: 0) : Word128(high: 0, low: 1 << UInt64(index))
    }

    @inlinable
    func testBit(_ index: Int) -> Bool {
        if index < 0 || index >= 128 { return false }
        return index >= 64 ? (high >> UInt64(index - 64)) & 1 == 1 : (low >> UInt64(index)) & 1 == 1
    }

    @inlinable
    var nonzeroBitCount: Int { high.nonzeroBitCount + low.nonzeroBitCount }

    @inlinable
    var isZero: Bool { high == 0 && low == 0 }

    @inlinable
    static func & (a: Word128, b: Word128) -> Word128 { Word128(high: a.high & b.high, low: a.low & b.low) }
    @inlinable
    static func | (a: Word128, b: Word128) -> Word128 { Word128(high: a.high | b.high, low: a.low | b.low) }
    @inlinable
    static func ^ (a: Word128, b: Word128) -> Word128 { Word128(high: a.high ^ b.high, low: a.low ^ b.low) }
    @inlinable
    static prefix func ~ (a: Word128) -> Word128 { Word128(high: ~a.high, low: ~a.low) }

    @inlinable
    static func << (a: Word128, amount: Int) -> Word128 {
        if amount <= 0 { return amount == 0 ? a : a >> -amount }
        if amount >= 128 { return .zero }
        if amount >= 64 { return Word128(high: a.low << UInt64(amount - 64), low: 0) }
        return Word128(high: (a.high << UInt64(amount)) | (a.low >> UInt64(64 - amount)), low: a.low << UInt64(amount))
    }

    @inlinable
    static func >> (a: Word128, amount: Int) -> Word128 {
        if amount <= 0 { return amount == 0 ? a : a << -amount }
        if amount >= 128 { return .zero }
        if amount >= 64 { return Word128(high: 0, low: a.high >> UInt64(amount - 64)) }
        return Word128(high: a.high >> UInt64(amount), low: (a.low >> UInt64(amount)) | (a.high << UInt64(64 - amount)))
    }

    /// All 128 bits in reverse order.
    @inlinable
    var bitReversed: Word128 { Word128(high: low.bitReversed, low: high.bitReversed) }
}

extension UInt64 {
    @inlinable
    var bitReversed: UInt64 {
        var v = self
        v = ((v >> 1) & 0x5555_5555_5555_5555) | ((v & 0x5555_5555_5555_5555) << 1)
        v = ((v >> 2) & 0x3333_3333_3333_3333) | ((v & 0x3333_3333_3333_3333) << 2)
        v = ((v >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((v & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        return v.byteSwapped
    }
}
