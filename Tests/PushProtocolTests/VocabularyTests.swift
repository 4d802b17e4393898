import Testing
@testable import PushProtocol

@Suite struct VocabularyTests {
    @Test(arguments: [
        (0, PushEventClass.normal), (19, .normal), (20, .error), (99, .error), (100, .alarm), (199, .alarm),
        (200, .normal), (253, .normal), (4001, .normal), (5000, .error), (6010, .alarm),
    ])
    func eventClassFollowsAppendixRanges(code: Int, expected: PushEventClass) {
        #expect(PushEventClass(code: code) == expected)
    }

    @Test func knownEventCodesCarryNames() {
        #expect(PushEventCode(rawValue: 0)?.name == "The door opens normally after verification")
        #expect(PushEventCode(rawValue: 27) == .notRegistered)
        #expect(PushEventCode.duressPassword.eventClass == .alarm)
        #expect(PushEventCode(rawValue: 46) == nil)
        #expect(PushEventCode.allCases.count == 213)
    }

    @Test func verifyModesFollowAppendix3() {
        #expect(VerifyMode(rawValue: 15) == .face)
        #expect(VerifyMode(rawValue: 200) == .other)
        #expect(VerifyMode.allCases.count == 31)
    }

    @Test func tableNamesKeepTheirSpelling() {
        #expect(PushTable(rawValue: "DSTSetting") == .dstSetting)
        #expect(PushTable(name: "USER") == .user)
        #expect(PushTableName("USERINFO") == .other("USERINFO"))
        #expect(PushTableName("userauthorize").text == "userauthorize")
    }

    @Test func returnCodesIncludeFieldCodes() {
        #expect(PushReturnCode(-1002).isDocumented)
        #expect(PushReturnCode(-629).description == "Incorrect table name")
        #expect(!PushReturnCode(-9999).isDocumented)
        #expect(PushReturnCode(3).isSuccess)
    }
}
