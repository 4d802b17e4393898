import Testing
@testable import PushProtocol

/// Inputs the fuzzer (scripts/fuzz-push) found, kept so they stay fixed. Each must parse without crashing and its
/// emission must be a fixpoint (emit → parse → emit gives the same bytes).
@Suite struct FuzzRegressionTests {
    static let commandBodies: [String] = [
        // A first word before `key=` whose key holds a `;`: the TAB and space forms used to disagree on the tag.
        "C:110:DATA UPDATE contact_number_lisC:224:CONTROL Dt Contact;ID=1 N@mType=1 Number=15865742356 Priority=1 PEV2IaCE 090ttC:0000000\n",
        // Single-field records whose value would read differently without a TAB.
        "C:1:DATA UPDATE user uid=5 pin=4\t\n",
        "C:2:DATA DELETE user Name=ab \t\n",
        "C:3:DATA UPDATE user a b c=1\td=2\n",
    ]

    @Test(arguments: commandBodies)
    func commandEmissionIsAFixpoint(_ body: String) throws {
        let commands = try ServerCommand.parseAll(Array(body.utf8))
        let emitted = ServerCommand.emitAll(commands)
        let again = try ServerCommand.parseAll(emitted)
        #expect(ServerCommand.emitAll(again) == emitted)
        #expect(again == commands)
    }

    @Test(arguments: ["uid=5 pin=4\t", "name=ab \t", "user uid=5 pin=4\tx=1", "a b c=1\td=2", "x y\t", "a=1\n \n**=?\n"])
    func recordEmissionIsAFixpoint(_ line: String) throws {
        let records = try RecordBody.parse(Array(line.utf8))
        let emitted = RecordBody.emit(records)
        #expect(try RecordBody.parse(emitted) == records)
    }
}
