/// A verification mode code of Appendix 3, as carried in `verifytype=` of rtlog rows, `VerifyType` parameters and
/// the positions of the `VerifyStyles` bit string (position N set means mode N is supported).
public enum VerifyMode: Int, Sendable, CaseIterable, Codable {
    case automatic = 0
    case fingerprint = 1
    case userID = 2
    case password = 3
    case card = 4
    case fingerprintOrPassword = 5
    case fingerprintOrCard = 6
    case cardOrPassword = 7
    case userIDAndFingerprint = 8
    case fingerprintAndPassword = 9
    case cardAndFingerprint = 10
    case cardAndPassword = 11
    case fingerprintPasswordAndCard = 12
    case userIDFingerprintAndPassword = 13
    case userIDAndFingerprintOrCardAndFingerprint = 14
    case face = 15
    case faceAndFingerprint = 16
    case faceAndPassword = 17
    case faceAndCard = 18
    case faceFingerprintAndCard = 19
    case faceFingerprintAndPassword = 20
    case fingerVein = 21
    case fingerVeinAndPassword = 22
    case fingerVeinAndCard = 23
    case fingerVeinPasswordAndCard = 24
    case palm = 25
    case palmAndCard = 26
    case palmAndFace = 27
    case palmAndFingerprint = 28
    case palmFingerprintAndFace = 29
    case other = 200

    /// The reference's description of the mode.
    public var name: String {
        switch self {
        case .automatic: "Vein, face, fingerprint, card, or password (automatically identified)"
        case .fingerprint: "Fingerprint only"
        case .userID: "User ID"
        case .password: "Password only"
        case .card: "Card only"
        case .fingerprintOrPassword: "Fingerprint or password"
        case .fingerprintOrCard: "Fingerprint or card"
        case .cardOrPassword: "Card or password"
        case .userIDAndFingerprint: "User ID and fingerprint"
        case .fingerprintAndPassword: "Fingerprint and password"
        case .cardAndFingerprint: "Card and fingerprint"
        case .cardAndPassword: "Card and password"
        case .fingerprintPasswordAndCard: "Fingerprint, password, and card"
        case .userIDFingerprintAndPassword: "User ID, fingerprint, and password"
        case .userIDAndFingerprintOrCardAndFingerprint: "User ID and fingerprint, or card and fingerprint"
        case .face: "Face"
        case .faceAndFingerprint: "Face and fingerprint"
        case .faceAndPassword: "Face and password"
        case .faceAndCard: "Face and card"
        case .faceFingerprintAndCard: "Face, fingerprint, and card"
        case .faceFingerprintAndPassword: "Face, fingerprint, and password"
        case .fingerVein: "Finger vein"
        case .fingerVeinAndPassword: "Finger vein and password"
        case .fingerVeinAndCard: "Finger vein and card"
        case .fingerVeinPasswordAndCard: "Finger vein, password, and card"
        case .palm: "Palm"
        case .palmAndCard: "Palm and card"
        case .palmAndFace: "Palm and face"
        case .palmAndFingerprint: "Palm and fingerprint"
        case .palmFingerprintAndFace: "Palm, fingerprint and face"
        case .other: "Other"
        }
    }
}
