/// What a field of a card layout means.
///
/// ZKTeco letters: `s` → ``siteCode``, `f` → ``facilityCode``, `c` → ``cardNumber``,
/// `m` → ``manufacturerCode``. HID/Proxmark "FC" is ``facilityCode``.
public enum FieldRole: String, CaseIterable, Sendable, Codable, Hashable {
    case facilityCode = "fc"
    case siteCode = "site"
    case cardNumber = "cn"
    case manufacturerCode = "mfr"

    /// Short human label used in messages and CLI output.
    public var label: String {
        switch self {
        case .facilityCode: return "FC"
        case .siteCode: return "site code"
        case .cardNumber: return "CN"
        case .manufacturerCode: return "manufacturer code"
        }
    }
}

/// Which total a parity bit makes: even or odd number of ones over its coverage plus itself.
public enum ParityKind: String, Sendable, Codable, Hashable, CustomStringConvertible {
    case even, odd
    public var description: String { rawValue }
}

/// A numeric field: its role and its positions, most significant first. Positions need not be
/// contiguous (ZKTeco strings may scatter a field's letters; the rightmost letter is the LSB).
public struct FieldSpec: Hashable, Sendable {
    public let role: FieldRole
    public let positions: [Int]
    /// Contiguous runs of `positions`, in order, so extraction is a few shifts.
    let runs: [Run]

    struct Run: Hashable, Sendable {
        let start: Int
        let length: Int
    }

    public var length: Int { positions.count }

    /// A contiguous field of `length` bits starting at `start`.
    public init(_ role: FieldRole, start: Int, length: Int) {
        self.init(role, positions: Array(start..<(start + max(length, 0))))
    }

    /// A field made of `positions`, most significant first.
    public init(_ role: FieldRole, positions: [Int]) {
        self.role = role
        self.positions = positions
        var runs: [Run] = []
        var index = 0
        while index < positions.count {
            var end = index
            while end + 1 < positions.count, positions[end + 1] == positions[end] + 1 { end += 1 }
            runs.append(Run(start: positions[index], length: end - index + 1))
            index = end + 1
        }
        self.runs = runs
    }
}

/// A parity bit at `position` making the ones over `coverage` plus itself `kind`.
/// Coverage may include parity bits earlier in the layout's list (C1k35s' outer bit covers all).
public struct ParityRule: Hashable, Sendable {
    public let position: Int
    public let kind: ParityKind
    public let coverage: PositionSet

    public init(_ kind: ParityKind, at position: Int, over coverage: PositionSet) {
        self.position = position
        self.kind = kind
        self.coverage = coverage.removing(position)
    }
}

/// Bits that must hold a constant (P10001's leading `0xF`).
public struct FixedBits: Hashable, Sendable {
    public let start: Int
    public let length: Int
    public let value: UInt64

    public init(start: Int, length: Int, value: UInt64) {
        self.start = start
        self.length = length
        self.value = value
    }
}

/// An 8-bit check field at `position` holding the XOR of the bytes starting at `coveredBytes`.
public struct CheckByteRule: Hashable, Sendable {
    public let position: Int
    public let coveredBytes: [Int]

    public init(at position: Int, xorOfBytesAt coveredBytes: [Int]) {
        self.position = position
        self.coveredBytes = coveredBytes
    }
}

/// A fixed-length card layout: fields, parity bits, fixed bits and check bytes, with pack,
/// unpack and validate. Built-in formats, ZKTeco strings and raw pass-through all become one.
public struct CardLayout: Hashable, Sendable {
    /// One shared, immutable box: a layout is copied into every matcher entry and every match, so
    /// copying must cost one reference count, not one per array.
    @usableFromInline
    final class Storage: Sendable {
        let name: String
        let bitCount: Int
        let fields: [FieldSpec]
        let parityRules: [ParityRule]
        let fixedBits: [FixedBits]
        let checkBytes: [CheckByteRule]
        /// Parity coverage as masks in the right-aligned card word, precomputed for matching speed.
        @usableFromInline let parityMasks: [Word128]
        @usableFromInline let parityOwnBits: [Int]
        @usableFromInline let parityIsEven: [Bool]

        init(name: String, bitCount: Int, fields: [FieldSpec], parityRules: [ParityRule], fixedBits: [FixedBits], checkBytes: [CheckByteRule]) {
            self.name = name
            self.bitCount = bitCount
            self.fields = fields
            self.parityRules = parityRules
            self.fixedBits = fixedBits
            self.checkBytes = checkBytes
            self.parityMasks = parityRules.map { $0.coverage.valueMask(bitCount: bitCount) }
            self.parityOwnBits = parityRules.map { bitCount - 1 - $0.position }
            self.parityIsEven = parityRules.map { $0.kind == .even }
        }
    }

    @usableFromInline let storage: Storage

    public var name: String { storage.name }
    public var bitCount: Int { storage.bitCount }
    public var fields: [FieldSpec] { storage.fields }
    public var parityRules: [ParityRule] { storage.parityRules }
    public var fixedBits: [FixedBits] { storage.fixedBits }
    public var checkBytes: [CheckByteRule] { storage.checkBytes }
    @usableFromInline var parityMasks: [Word128] { storage.parityMasks }
    @usableFromInline var parityOwnBits: [Int] { storage.parityOwnBits }
    @usableFromInline var parityIsEven: [Bool] { storage.parityIsEven }

    public static func == (lhs: CardLayout, rhs: CardLayout) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.name == rhs.name && lhs.bitCount == rhs.bitCount && lhs.fields == rhs.fields
                && lhs.parityRules == rhs.parityRules && lhs.fixedBits == rhs.fixedBits && lhs.checkBytes == rhs.checkBytes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(bitCount)
        hasher.combine(fields)
        hasher.combine(parityRules)
    }

    /// Builds and checks a layout: every position inside the card, fields at most 64 bits and not
    /// overlapping each other or the parity bits.
    public init(
        name: String,
        bitCount: Int,
        fields: [FieldSpec],
        parity: [ParityRule] = [],
        fixed: [FixedBits] = [],
        checkBytes: [CheckByteRule] = []
    ) throws(CardFormatError) {
        guard (1...CardBits.maximumBitCount).contains(bitCount) else { throw .bitCountOutOfRange(bitCount) }
        var used = PositionSet()
        func claim(_ position: Int, _ what: String) throws(CardFormatError) {
            guard position >= 0, position < bitCount else {
                throw .invalidLayout(format: name, reason: "\(what) position \(position) is outside \(bitCount) bits")
            }
            guard !used.contains(position) else {
                throw .invalidLayout(format: name, reason: "position \(position) is used twice (\(what))")
            }
            used = used.inserting(position)
        }
        var roles = Set<FieldRole>()
        for field in fields {
            guard field.length >= 1 else { throw .invalidLayout(format: name, reason: "\(field.role.label) field is empty") }
            guard field.length <= 64 else { throw .fieldTooWide(length: field.length) }
            guard roles.insert(field.role).inserted else {
                throw .invalidLayout(format: name, reason: "\(field.role.label) field appears twice")
            }
            for position in field.positions { try claim(position, field.role.label) }
        }
        for rule in parity {
            try claim(rule.position, "parity")
            if let last = rule.coverage.last, last >= bitCount {
                throw .invalidLayout(format: name, reason: "parity at \(rule.position) covers position \(last) outside \(bitCount) bits")
            }
        }
        for fixed in fixed {
            guard fixed.length >= 1, fixed.length <= 64, fixed.length == 64 || fixed.value >> UInt64(fixed.length) == 0 else {
                throw .invalidLayout(format: name, reason: "fixed bits at \(fixed.start) do not fit \(fixed.length) bits")
            }
            for position in fixed.start..<(fixed.start + fixed.length) { try claim(position, "fixed") }
        }
        for check in checkBytes {
            for position in check.position..<(check.position + 8) { try claim(position, "check byte") }
            for start in check.coveredBytes where start < 0 || start + 8 > bitCount {
                throw .invalidLayout(format: name, reason: "check byte covers a byte at \(start) outside \(bitCount) bits")
            }
        }
        self.storage = Storage(name: name, bitCount: bitCount, fields: fields, parityRules: parity, fixedBits: fixed, checkBytes: checkBytes)
    }

    /// Raw pass-through of `bitCount` bits (the Akuvox custom reader mode): no parity; cards of up to
    /// 64 bits expose the whole value as the card number.
    public static func raw(bitCount: Int) throws(CardFormatError) -> CardLayout {
        guard (1...CardBits.maximumBitCount).contains(bitCount) else { throw .bitCountOutOfRange(bitCount) }
        let fields = bitCount <= 64 ? [FieldSpec(.cardNumber, start: 0, length: bitCount)] : []
        return try CardLayout(name: "raw\(bitCount)", bitCount: bitCount, fields: fields)
    }

    /// True when the layout carries any error check (parity or check byte).
    public var hasErrorCheck: Bool { !parityRules.isEmpty || !checkBytes.isEmpty }

    /// The field with `role`, if any.
    public func field(_ role: FieldRole) -> FieldSpec? { fields.first { $0.role == role } }

    /// All field positions, in layout order (the "data bits" an all-at-once PIN or a display uses).
    public var dataPositions: [Int] { fields.flatMap(\.positions) }

    // MARK: Pack

    /// Builds the card for the given field values; roles left out are zero.
    public func pack(_ values: [FieldRole: UInt64]) throws(CardFormatError) -> CardBits {
        for role in values.keys where field(role) == nil {
            throw .fieldNotInFormat(format: name, field: role)
        }
        var card = CardBits(uncheckedBitCount: bitCount, word: .zero)
        for field in fields {
            let value = values[field.role] ?? 0
            guard field.length >= 64 || value >> UInt64(field.length) == 0 else {
                throw .fieldValueOutOfRange(format: name, field: field.role, value: value, bits: field.length)
            }
            card = Self.write(value, into: card, field: field)
        }
        for fixed in fixedBits { card = card.inserted(fixed.value, start: fixed.start, length: fixed.length) }
        for check in checkBytes {
            var xor: UInt64 = 0
            for start in check.coveredBytes { xor ^= card.extract(start: start, length: 8) }
            card = card.inserted(xor, start: check.position, length: 8)
        }
        for index in parityRules.indices {
            let ones = card.onesCount(valueMask: parityMasks[index])
            // The parity bit makes the total even (or odd) including itself.
            let bit = (ones % 2 == 1) == parityIsEven[index]
            if bit { card.word = card.word | Word128.bit(parityOwnBits[index]) }
        }
        return card
    }

    static func write(_ value: UInt64, into card: CardBits, field: FieldSpec) -> CardBits {
        var card = card
        var remaining = field.length
        for run in field.runs {
            remaining -= run.length
            let part = (value >> UInt64(remaining)) & (run.length >= 64 ? .max : (1 << UInt64(run.length)) - 1)
            card = card.inserted(part, start: run.start, length: run.length)
        }
        return card
    }

    static func read(_ card: CardBits, field: FieldSpec) -> UInt64 {
        var value: UInt64 = 0
        for run in field.runs {
            value = (run.length >= 64 ? 0 : value << UInt64(run.length)) | card.extract(start: run.start, length: run.length)
        }
        return value
    }

    // MARK: Unpack and validate

    /// Reads every field and checks every parity bit, fixed field and check byte.
    /// Throws only when the bit count is wrong; check failures are reported in the result.
    public func unpack(_ card: CardBits) throws(CardFormatError) -> DecodedCard {
        guard card.bitCount == bitCount else { throw .wrongBitCount(format: name, expected: bitCount, actual: card.bitCount) }
        let storage = self.storage
        var values: [DecodedField] = []
        values.reserveCapacity(storage.fields.count)
        for field in storage.fields {
            values.append(DecodedField(role: field.role, value: Self.read(card, field: field), bitLength: field.positions.count))
        }
        var parity: [ParityResult] = []
        parity.reserveCapacity(storage.parityRules.count)
        for (index, rule) in storage.parityRules.enumerated() {
            parity.append(ParityResult(position: rule.position, kind: rule.kind, holds: parityHolds(card, index)))
        }
        let fixedHold = fixedBits.allSatisfy { card.extract(start: $0.start, length: $0.length) == $0.value }
        let checksHold = checkBytes.allSatisfy { checkByteHolds(card, $0) }
        return DecodedCard(format: name, card: card, fields: values, parity: parity, fixedBitsHold: fixedHold, checkBytesHold: checksHold)
    }

    /// Throws the first failing check, naming the format and the position.
    public func validate(_ card: CardBits) throws(CardFormatError) {
        guard card.bitCount == bitCount else { throw .wrongBitCount(format: name, expected: bitCount, actual: card.bitCount) }
        for fixed in fixedBits where card.extract(start: fixed.start, length: fixed.length) != fixed.value {
            throw .fixedBitsMismatch(format: name, position: fixed.start)
        }
        for index in parityRules.indices where !parityHolds(card, index) {
            throw .parityMismatch(format: name, position: parityRules[index].position, kind: parityRules[index].kind)
        }
        for check in checkBytes where !checkByteHolds(card, check) {
            throw .checkByteMismatch(format: name, position: check.position)
        }
    }

    /// The allocation-free test the matcher uses: right length, fixed bits, and (unless
    /// `checkingParity` is false, ZKTeco ParityVerifyDisable) parity and check bytes.
    @inlinable
    public func accepts(_ card: CardBits, checkingParity: Bool = true) -> Bool {
        guard card.bitCount == bitCount else { return false }
        for fixed in fixedBits where card.extract(start: fixed.start, length: fixed.length) != fixed.value { return false }
        guard checkingParity else { return true }
        for index in parityMasks.indices where !parityHolds(card, index) { return false }
        for check in checkBytes where !checkByteHolds(card, check) { return false }
        return true
    }

    @inlinable
    func parityHolds(_ card: CardBits, _ index: Int) -> Bool {
        let ones = card.onesCount(valueMask: parityMasks[index]) + (card.word.testBit(parityOwnBits[index]) ? 1 : 0)
        return (ones % 2 == 0) == parityIsEven[index]
    }

    @usableFromInline
    func checkByteHolds(_ card: CardBits, _ check: CheckByteRule) -> Bool {
        var xor: UInt64 = 0
        for start in check.coveredBytes { xor ^= card.extract(start: start, length: 8) }
        return xor == card.extract(start: check.position, length: 8)
    }
}

/// One field read from a card.
public struct DecodedField: Hashable, Sendable, Codable {
    public let role: FieldRole
    public let value: UInt64
    public let bitLength: Int
}

/// One parity bit's verdict.
public struct ParityResult: Hashable, Sendable, Codable {
    public let position: Int
    public let kind: ParityKind
    public let holds: Bool
}

/// A card read through a layout: the fields and the outcome of every check.
public struct DecodedCard: Hashable, Sendable {
    public let format: String
    public let card: CardBits
    public let fields: [DecodedField]
    public let parity: [ParityResult]
    public let fixedBitsHold: Bool
    public let checkBytesHold: Bool

    /// The value of the field with `role`, if the layout has one.
    public subscript(role: FieldRole) -> UInt64? { fields.first { $0.role == role }?.value }

    public var parityHolds: Bool { parity.allSatisfy(\.holds) && checkBytesHold }
    /// Every check holds.
    public var isValid: Bool { parityHolds && fixedBitsHold }
}
