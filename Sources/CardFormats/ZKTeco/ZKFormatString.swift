/// A ZKTeco Wiegand format string, as WGFormat/DefaultWGFormat deliver it in `CardFormat=`.
///
/// Two syntaxes (research §3):
/// - `code:parity`, one character per bit in each part. Code: `p` parity bit, `s` site code,
///   `c` card number, `f` facility, `m` manufacturer. Parity: `e` even group, `o` odd group,
///   `b` both; at a `p` position the character says which group that parity bit closes. Without a
///   parity part the firmware uses `e` for the first half and `o` for the second.
///   `x` (seen only in the reference's placeholder example) is read as "in neither group".
/// - The older single string where case encodes the group: upper case even, lower case odd, with
///   `O`/`F`/`I` for OEM/facility/ID and `P` for the parity bits (the first closes the even group,
///   the last the odd group), e.g. `PFFFFFFFFIIIIiiiiiiiiiiiiP`. A string of only `P`, `E` and `O`
///   (`PEEEEEEEEEEEEOOOOOOOOOOOOP`, as ZKAccess sends to non-TFT machines) gives groups only; its
///   data bits are all card number.
///
/// Fields are filled LSB-first from the right: a letter's rightmost position is its least
/// significant bit, which is the same as reading its positions left to right, MSB first.
public struct ZKFormatString: Hashable, Sendable {
    /// The string as given.
    public let text: String
    /// The layout it describes.
    public let layout: CardLayout

    /// Parses `text`. When `cardBit` is given, both parts must have exactly that many characters
    /// (ZKTeco's `CardBit=`); the reference's own printed examples fail this check, and the error says so.
    public init(_ text: String, cardBit: Int? = nil, name: String? = nil) throws(CardFormatError) {
        let trimmed = text.trimmingSpaces
        let name = name ?? trimmed
        guard !trimmed.isEmpty else { throw .malformedZKFormat(text, reason: "the string is empty") }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .malformedZKFormat(text, reason: "more than one ':' separator") }
        let code = String(parts[0])
        if parts.count == 1, !code.allSatisfy({ "pscfm".contains($0) }) {
            layout = try Self.parseCaseEncoded(code, original: text, cardBit: cardBit, name: name)
        } else {
            // The firmware's strings are lower case; upper case in the two-part form is accepted as the same.
            layout = try Self.parseCodeParity(code: code.lowercased(), parity: parts.count == 2 ? parts[1].lowercased() : nil,
                                              original: text, cardBit: cardBit, name: name)
        }
        self.text = text
    }

    // MARK: code:parity

    static func parseCodeParity(code: String, parity: String?, original: String, cardBit: Int?, name: String) throws(CardFormatError) -> CardLayout {
        let codeChars = Array(code)
        let n = codeChars.count
        if let parity {
            let parityCount = parity.count
            if let cardBit, n != cardBit || parityCount != cardBit {
                throw .malformedZKFormat(original, reason: "the code part has \(n) characters and the parity part \(parityCount); both must have CardBit = \(cardBit) characters")
            }
            guard parityCount == n else {
                throw .malformedZKFormat(original, reason: "the code part has \(n) characters but the parity part has \(parityCount); both must have CardBit characters, one per bit")
            }
        } else if let cardBit, n != cardBit {
            throw .malformedZKFormat(original, reason: "the code part has \(n) characters; it must have CardBit = \(cardBit)")
        }
        guard (1...CardBits.maximumBitCount).contains(n) else {
            throw .malformedZKFormat(original, reason: "\(n) bits is outside 1…\(CardBits.maximumBitCount)")
        }
        let parityChars = parity.map(Array.init) ?? (0..<n).map { $0 < n / 2 ? "e" : "o" }
        guard codeChars.first == "p", codeChars.last == "p" else {
            throw .malformedZKFormat(original, reason: "the code part must start and end with a parity bit 'p'")
        }
        var groups = (even: [Int](), odd: [Int]())
        var parityBits: [(Int, ParityKind)] = []
        var fieldPositions: [FieldRole: [Int]] = [:]
        var roleOrder: [FieldRole] = []
        for position in 0..<n {
            let letter = codeChars[position]
            let group = parityChars[position]
            if letter == "p" {
                switch group {
                case "e": parityBits.append((position, .even))
                case "o": parityBits.append((position, .odd))
                default:
                    throw .malformedZKFormat(original, reason: "parity bit at position \(position) has '\(group)'; a 'p' must close the 'e' or the 'o' group")
                }
                continue
            }
            let role: FieldRole
            switch letter {
            case "s": role = .siteCode
            case "c": role = .cardNumber
            case "f": role = .facilityCode
            case "m": role = .manufacturerCode
            default:
                throw .malformedZKFormat(original, reason: "'\(letter)' at position \(position) is not a code character (p, s, c, f, m)")
            }
            if fieldPositions[role] == nil { roleOrder.append(role) }
            fieldPositions[role, default: []].append(position)
            switch group {
            case "e": groups.even.append(position)
            case "o": groups.odd.append(position)
            case "b": groups.even.append(position); groups.odd.append(position)
            case "x": break
            default:
                throw .malformedZKFormat(original, reason: "'\(group)' at position \(position) is not a parity character (e, o, b)")
            }
        }
        return try makeLayout(name: name, bitCount: n, roleOrder: roleOrder, fieldPositions: fieldPositions,
                              parityBits: parityBits, groups: groups, original: original)
    }

    // MARK: case-encoded

    static func parseCaseEncoded(_ code: String, original: String, cardBit: Int?, name: String) throws(CardFormatError) -> CardLayout {
        let chars = Array(code)
        let n = chars.count
        if let cardBit, n != cardBit {
            throw .malformedZKFormat(original, reason: "the string has \(n) characters; it must have CardBit = \(cardBit)")
        }
        guard (1...CardBits.maximumBitCount).contains(n) else {
            throw .malformedZKFormat(original, reason: "\(n) bits is outside 1…\(CardBits.maximumBitCount)")
        }
        guard n >= 3, chars.first == "P", chars.last == "P" else {
            throw .malformedZKFormat(original, reason: "the case-encoded form must start and end with a parity bit 'P'")
        }
        let groupsOnly = chars.allSatisfy { "PEO".contains($0) } && chars.contains("E")
        var groups = (even: [Int](), odd: [Int]())
        var fieldPositions: [FieldRole: [Int]] = [:]
        var roleOrder: [FieldRole] = []
        for position in 1..<(n - 1) {
            let character = chars[position]
            let role: FieldRole
            let even: Bool
            if groupsOnly {
                guard character == "E" || character == "O" else {
                    throw .malformedZKFormat(original, reason: "'\(character)' at position \(position): only the first and last bits may be 'P'")
                }
                role = .cardNumber
                even = character == "E"
            } else {
                switch character {
                case "O", "o": role = .manufacturerCode
                case "F", "f": role = .facilityCode
                case "I", "i": role = .cardNumber
                default:
                    throw .malformedZKFormat(original, reason: "'\(character)' at position \(position) is not O, F or I (upper case even, lower case odd)")
                }
                even = character.isUppercase
            }
            if fieldPositions[role] == nil { roleOrder.append(role) }
            fieldPositions[role, default: []].append(position)
            if even { groups.even.append(position) } else { groups.odd.append(position) }
        }
        return try makeLayout(name: name, bitCount: n, roleOrder: roleOrder, fieldPositions: fieldPositions,
                              parityBits: [(0, .even), (n - 1, .odd)], groups: groups, original: original)
    }

    static func makeLayout(
        name: String, bitCount: Int, roleOrder: [FieldRole], fieldPositions: [FieldRole: [Int]],
        parityBits: [(Int, ParityKind)], groups: (even: [Int], odd: [Int]), original: String
    ) throws(CardFormatError) -> CardLayout {
        var fields: [FieldSpec] = []
        for role in roleOrder {
            let positions = fieldPositions[role] ?? []
            guard positions.count <= 64 else {
                throw .malformedZKFormat(original, reason: "the \(role.label) field has \(positions.count) bits; at most 64 are supported")
            }
            fields.append(FieldSpec(role, positions: positions))
        }
        let even = try PositionSet(groups.even)
        let odd = try PositionSet(groups.odd)
        let rules = parityBits.map { ParityRule($0.1, at: $0.0, over: $0.1 == .even ? even : odd) }
        do {
            return try CardLayout(name: name, bitCount: bitCount, fields: fields, parity: rules)
        } catch {
            throw .malformedZKFormat(original, reason: error.description)
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
