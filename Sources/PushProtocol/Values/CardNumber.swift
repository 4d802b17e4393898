/// A card number in either of the protocol's two forms (§7.5, §9.1.1 user): `[15CD5B07]` (the four bytes of the
/// number, least significant first, as `%02x%02x%02x%02x`) or decimal `123456789`. Both mean 123456789.
public struct CardNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Parses either form; nil for empty text or anything that is neither (the raw field is kept by the record).
    public init?(text: String) {
        let trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
            let hex = Array(trimmed.utf8.dropFirst().dropLast())
            guard !hex.isEmpty, hex.count % 2 == 0, hex.count <= 16 else { return nil }
            var value: UInt64 = 0
            var shift: UInt64 = 0
            var index = 0
            while index < hex.count {
                guard let high = hexValue(hex[index]), let low = hexValue(hex[index + 1]) else { return nil }
                value |= UInt64(high << 4 | low) << shift
                shift += 8
                index += 2
            }
            self.value = value
        } else {
            guard let value = UInt64(trimmed) else { return nil }
            self.value = value
        }
    }

    /// The decimal form.
    public var decimalText: String { String(value) }

    /// The bracketed byte form, at least four bytes, least significant first (`[15CD5B07]`).
    public var bracketedText: String {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            bytes.append(UInt8(rest & 0xFF))
            rest >>= 8
        } while rest > 0
        while bytes.count < 4 { bytes.append(0) }
        return "[" + bytes.map { hexByte($0) }.joined() + "]"
    }

    public var description: String { decimalText }
}

/// A set of doors as a bitmask: door N is bit N-1 (userauthorize `AuthorizeDoorId`: 1 = LOCK1, 3 = LOCK1 and
/// LOCK2, 15 = all four).
public struct DoorSet: Sendable, Hashable, Codable {
    public var bitmask: UInt64

    public init(bitmask: UInt64) { self.bitmask = bitmask }

    public init(doors: [Int]) {
        var mask: UInt64 = 0
        for door in doors where (1...64).contains(door) { mask |= 1 << UInt64(door - 1) }
        self.bitmask = mask
    }

    public var doors: [Int] { (1...64).filter { bitmask & (1 << UInt64($0 - 1)) != 0 } }

    public func contains(door: Int) -> Bool {
        (1...64).contains(door) && bitmask & (1 << UInt64(door - 1)) != 0
    }
}

/// A floor set for elevator control: `AuthorizeFloors` (decimal bitmask, floor N is bit N-1: floors 8 and 9 → 384
/// by this rule; the reference's example says 180, see the tests) and the 32-byte hex bitmap of CONTROL DEVICE
/// 17/18 ("each bit represents a floor, floors expand from left to right": byte 0 bit 0 is floor 1).
public struct FloorSet: Sendable, Hashable, Codable {
    public var floors: [Int]

    public init(floors: [Int]) { self.floors = floors.filter { (1...256).contains($0) }.sorted() }

    /// Reads the 32-byte bitmap.
    public init(bitmap: [UInt8]) {
        var floors: [Int] = []
        for (byteIndex, byte) in bitmap.prefix(32).enumerated() {
            for bit in 0..<8 where byte & (1 << UInt8(bit)) != 0 { floors.append(byteIndex * 8 + bit + 1) }
        }
        self.floors = floors
    }

    /// The 32-byte bitmap.
    public var bitmap: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        for floor in floors where (1...256).contains(floor) {
            bytes[(floor - 1) / 8] |= 1 << UInt8((floor - 1) % 8)
        }
        return bytes
    }
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x41...0x46: byte - 0x41 + 10
    case 0x61...0x66: byte - 0x61 + 10
    default: nil
    }
}

@inline(__always)
func hexByte(_ byte: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

/// Decodes a hex string into bytes; nil for odd length or a non-hex character.
func hexBytes(_ text: String) -> [UInt8]? {
    let bytes = Array(text.utf8)
    guard bytes.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count / 2)
    var index = 0
    while index < bytes.count {
        guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return nil }
        out.append(high << 4 | low)
        index += 2
    }
    return out
}
