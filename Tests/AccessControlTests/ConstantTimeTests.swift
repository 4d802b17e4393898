import Testing

@testable import AccessControl

@Suite("constant-time comparison")
struct ConstantTimeTests {
    @Test(
        "equal only for the same bytes, whatever the lengths",
        arguments: [
            ("", "", true), ("a", "a", true), ("token", "token", true), ("token", "tokeN", false), ("token", "toke", false),
            ("toke", "token", false), ("", "x", false), ("é", "e", false), ("\u{0}", "", false),
        ])
    func equality(lhs: String, rhs: String, equal: Bool) {
        #expect(ConstantTime.equal(lhs, rhs) == equal)
        #expect(ConstantTime.equal(rhs, lhs) == equal)
    }
}
