/// Comparing secrets (session tokens, passwords, digest responses) without an early exit, so the time a comparison
/// takes tells an attacker nothing about how much of a guess was right.
public enum ConstantTime {
    /// Equal-length inputs take the same time whatever their content; lengths themselves are not secret here.
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        equal(Array(lhs.utf8), Array(rhs.utf8))
    }

    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
