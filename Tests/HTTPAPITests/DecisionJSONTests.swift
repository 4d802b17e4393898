import Foundation
import NIOCore
import PushProtocol
import Testing

@testable import AccessControl
@testable import HTTPAPI

/// The access route writes its answer without `JSONEncoder`; clients must not be able to tell.
@Suite("decision JSON")
struct DecisionJSONTests {
    static let decisions: [Decision] = [
        Decision(
            outcome: .granted, event: .openedAfterVerification, verifyMode: .card, user: UserPIN("1001"), door: DoorID(1),
            reader: ReaderID(1), journalIndex: 1),
        Decision(
            outcome: .denied(.unregistered), event: .notRegistered, verifyMode: .card, user: nil, door: DoorID(2),
            reader: ReaderID(3), journalIndex: 18_446_744_073_709_551_615),
        Decision(
            outcome: .denied(.unknownReader), event: .notRegistered, verifyMode: .password, user: nil, door: nil,
            reader: nil, journalIndex: 0),
        // PINs are the operator's text: everything JSON must escape, and text it must not.
        Decision(
            outcome: .granted, event: .superUserOpened, verifyMode: .other,
            user: UserPIN("q\"b\\s/n\nr\rt\tb\u{8}f\u{C}c\u{1}\u{1F}é€😀"), door: DoorID(65_535), reader: nil,
            journalIndex: 42),
    ]

    @Test(arguments: decisions)
    func sameBytesAsJSONEncoder(_ decision: Decision) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let expected = try encoder.encode(SiteRoutes.DecisionResource(decision))
        var written = decisionJSON(decision)
        let bytes = written.readBytes(length: written.readableBytes) ?? []
        #expect(
            String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(Data(bytes) == expected)
    }
}
