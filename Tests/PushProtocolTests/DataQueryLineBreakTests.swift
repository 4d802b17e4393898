import Testing

@testable import PushProtocol

@Suite("DATA QUERY across a line break (fuzzer find)")
struct DataQueryLineBreakTests {
    @Test("a line break before a comma is layout: emission is a fixpoint and repeated keys are carried through")
    func lineBreakBeforeComma() throws {
        let input = Array("C:99:DATA QUERY tablename=biophoto,fielddesc=*,filter=*\n,fielddesc=*,filter".utf8)
        let commands = try ServerCommand.parseAll(input)
        let emitted = ServerCommand.emitAll(commands)
        #expect(ServerCommand.emitAll(try ServerCommand.parseAll(emitted)) == emitted)
        #expect(String(decoding: emitted, as: UTF8.self) == "C:99:DATA QUERY tablename=biophoto,fielddesc=*,filter=*,fielddesc=*,filter\n")
        guard case .dataQuery(let query)? = commands.first?.kind else {
            Issue.record("not a DATA QUERY: \(commands)")
            return
        }
        #expect(query.filter == "*")
        // ",filter" has no "=", so it is part of the repeated fielddesc value (values may hold commas).
        #expect(query.extra == [PushField("fielddesc", "*,filter")])
    }
}
