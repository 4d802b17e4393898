/// Capability bit strings a device reports at registration, decoded to named capabilities.
public enum Capabilities {
    /// `AccSupportFunList`: a string of `0`/`1`, position 0 first (left to right).
    public static let accSupportFunctions: [String] = [
        "forbidReader", "rs485ReaderEncryption", "lockDoor", "emergencyDualOpenClose", "wiegandReaderLightByStatus",
        "longName", "wiegandFormatWithSiteCode", "multipleCardsPerUser", "auxiliaryInputExitButtonByPeriod",
        "dailyTemporaryUserDeletion", "wiegandTest", "accountCommand", "userVerificationModeByPeriod",
        "rs485ReaderLED", "multipleWiegandFormats", "doorIDSingleDoorInAuthority", "superAuthorityTable",
        "doorProperty", "readerProperty", "auxiliaryInputProperty", "auxiliaryOutputProperty", "doorParameters",
        "antiPassbackTable", "interlockTable", "wirelessSerial", "usb4G", "devIDField", "secondaryMachine",
        "dualNetworkCard", "authorizationTable", "identityCardRegistration", "primarySecondarySwitch",
        "mixedReaders", "wiegandDataManagement", "desfireCard", "qrCodeCommand", "advertisementCommand",
        "indoorStation", "comparisonPhotoUpload", "visibleLightFaceTemplateUpload", "remoteRegistration",
        "verificationResultStyle", "authenticationServer", "resourceFileDelivery", "aiDeviceConnection",
        "expansionBoardDM10", "expansionBoardAUX485", "expansionBoardEX0808", "superUserPassWhenLocked",
        "osdpExpansionBoard", "userFocus", "completeInformationDisplay", "elevatorExpansionBoard",
        "elevatorDirectAccess", "elevatorEmergencyRecovery", "elevatorPrivilegeGroups", "elevatorOptimisation",
        "voiceModule", "negativeFloors", "identityCardNumber", "timeRuleValidPeriod", "ntpConfiguration",
        "privilegeGroupValidity", "videoIntercomContacts",
    ]

    /// Names of the set positions of `AccSupportFunList`; unnamed positions come back as `position<N>`.
    public static func accSupportFunctions(_ text: String) -> [String] {
        positions(ofSetCharactersIn: text).map { $0 < accSupportFunctions.count ? accSupportFunctions[$0] : "position\($0)" }
    }

    /// `VerifyStyles`: hex, 32 bits, position 0 is the most significant bit of the first byte (Appendix 3:
    /// FB1E1F00 → position 15, face, unsupported). Returns the supported modes (unknown positions dropped into
    /// `otherPositions`).
    public static func verifyStyles(_ hex: String) -> (modes: [VerifyMode], otherPositions: [Int])? {
        guard let bytes = hexBytes(hex) else { return nil }
        var modes: [VerifyMode] = []
        var others: [Int] = []
        for (byteIndex, byte) in bytes.enumerated() {
            for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 {
                let position = byteIndex * 8 + bit
                if let mode = VerifyMode(rawValue: position) { modes.append(mode) } else { others.append(position) }
            }
        }
        return (modes, others)
    }

    /// `EventTypes` (and, with a base of 4000/5000/6000, the `New…EventTypes` lists): hex bytes, byte i bit j
    /// (least significant bit first) is event `base + 8i + j` (BF… → event 6 unsupported).
    public static func eventTypes(_ hex: String, base: Int = 0) -> [Int]? {
        guard let bytes = hexBytes(hex) else { return nil }
        var codes: [Int] = []
        for (byteIndex, byte) in bytes.enumerated() {
            for bit in 0..<8 where byte & (1 << UInt8(bit)) != 0 { codes.append(base + byteIndex * 8 + bit) }
        }
        return codes
    }

    /// The factors of `NewVFStyles` and of the new-style `verifytype`/`DoorVerifyType` (16 characters, position 0
    /// is the rightmost character).
    public enum VerificationFactor: Int, Sendable, CaseIterable, Codable {
        case logicAnd = 0
        case face = 1
        case palmPrint = 2
        case palmVein = 3
        case fingerprint = 4
        case fingerVein = 5
        case voicePrint = 6
        case iris = 7
        case retina = 8
        case password = 9
        case userID = 10
        case card = 11
        case qrCode = 12
    }

    /// Decodes a 16-character new-style verification string (0000111000011010 → face, palm vein, fingerprint,
    /// password, user ID, card). For `verifytype`/`DoorVerifyType` position 0 is the AND/OR logic bit; for
    /// `NewVFStyles` it is unused. Nil when the text is not binary.
    public static func verificationFactors(_ text: String) -> [VerificationFactor]? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 == 0x30 || $0 == 0x31 }) else { return nil }
        var factors: [VerificationFactor] = []
        for (offset, byte) in bytes.reversed().enumerated() where byte == 0x31 {
            if let factor = VerificationFactor(rawValue: offset) { factors.append(factor) }
        }
        return factors
    }

    /// Biometric types of Appendix 18, indexing the colon lists.
    public enum BiometricType: Int, Sendable, CaseIterable, Codable {
        case common = 0
        case fingerprint = 1
        case nearInfraredFace = 2
        case voiceprint = 3
        case iris = 4
        case retina = 5
        case palmprint = 6
        case fingerVein = 7
        case palmVein = 8
        case visibleLightFace = 9
        case visibleLightPalm = 10
    }

    /// `MultiBioDataSupport`/`MultiBioPhotoSupport` (`0:1:1:0…`, spaces tolerated): the supported types.
    public static func biometricSupport(_ text: String) -> [BiometricType] {
        colonValues(text).enumerated().compactMap { index, value in
            value != 0 ? BiometricType(rawValue: index) : nil
        }
    }

    /// `MultiBioVersion`, `MaxMultiBioDataCount` and friends: the number per type (0 omitted).
    public static func biometricNumbers(_ text: String) -> [BiometricType: Int] {
        var out: [BiometricType: Int] = [:]
        for (index, value) in colonValues(text).enumerated() where value != 0 {
            if let type = BiometricType(rawValue: index) { out[type] = value }
        }
        return out
    }

    static func colonValues(_ text: String) -> [Int] {
        text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0.trimmingSpaces) ?? 0 }
    }

    static func positions(ofSetCharactersIn text: String) -> [Int] {
        Array(text.utf8).enumerated().filter { $0.element == 0x31 }.map(\.offset)
    }
}
