import Testing
@testable import PushProtocol

/// Every server command example of the reference parses, re-emits in the reference's syntax, and re-parses to the
/// same value.
@Suite struct GoldenCommandTests {
    @Test(arguments: goldenCommands)
    func commandExampleRoundTrips(_ example: GoldenCommand) throws {
        let parsed = try ServerCommand.parse(example.raw)
        #expect(parsed.text == example.canonical)
        let reparsed = try ServerCommand.parse(parsed.text)
        #expect(reparsed == parsed)
        if case .other(let text) = parsed.kind {
            Issue.record("reference example parsed as an unknown command: \(text)")
        }
    }

    @Test(arguments: goldenResults)
    func resultExampleRoundTripsByteExact(_ example: (line: Int, text: String)) throws {
        let results = try CommandResult.parseAll(Array(example.text.utf8))
        #expect(results.count == 1)
        #expect(String(decoding: CommandResult.emitAll(results), as: UTF8.self) == example.text + "\n")
        #expect(results.first?.id.isEmpty == false)
        #expect(results.first?.returnCode != nil)
    }

    @Test func dataUpdateUserIsTyped() throws {
        let command = try ServerCommand.parse("C:295:DATA UPDATE user CardNo= Pin=1 Password=234 Group=0 StartTime=0 EndTime=0 Name= Privilege=0")
        guard case .dataUpdate(let table, let records) = command.kind else {
            Issue.record("expected DATA UPDATE")
            return
        }
        #expect(table == .known(.user))
        #expect(records.count == 1)
        #expect(records[0]["Pin"] == "1")
        #expect(records[0]["CardNo"] == "")
        #expect(records[0]["Password"] == "234")
        #expect(command.numericID == 295)
    }

    @Test func everyTableExampleIsAKnownTable() throws {
        // The elevator privilege example names `biodata` (a reference error, carried through as written).
        for example in goldenCommands {
            let command = try ServerCommand.parse(example.raw)
            switch command.kind {
            case .dataUpdate(let table, _), .dataDelete(let table, _), .dataCount(let table, _):
                #expect(table.isKnown, "reference line \(example.line): \(table.text)")
            default:
                break
            }
        }
    }

    @Test func controlDeviceExamplesDecode() throws {
        let cases: [(String, ControlAction)] = [
            ("C:221:CONTROL DEVICE 01010105", .output(door: 1, target: ControlAction.lockTarget, duration: .seconds(5))),
            ("C:222:CONTROL DEVICE 02010000", .cancelAlarm(door: 1)),
            ("C:223:CONTROL DEVICE 03000000", .restart(slave: 0)),
            ("C:224:CONTROL DEVICE 0900000000", .wiegandTest(operation: 0)),
            ("C:225:CONTROL DEVICE 0D000000", .querySubDevices),
            ("C:226:CONTROL DEVICE 0B010000", .networkSwitch(operation: 1)),
            ("C:228:CONTROL DEVICE 0B020000", .networkSwitch(operation: 2)),
            ("C:229:CONTROL DEVICE 0B030000", .networkSwitch(operation: 3)),
            ("C:230:CONTROL DEVICE 0B040000", .networkSwitch(operation: 4)),
        ]
        for (text, action) in cases {
            let command = try ServerCommand.parse(text)
            guard case .controlDevice(let control) = command.kind else {
                Issue.record("\(text) is not CONTROL DEVICE")
                continue
            }
            #expect(control.action == action, "\(text)")
        }
    }

    @Test func wiegandTestCarriesAFifthByteAsOperator() throws {
        let control = try ControlDeviceCommand(text: "0900000000")
        #expect(control.operatorID == 0)
        #expect(control.text == "0900000000")
    }

    @Test func upgradeMethodsAreRecognised() throws {
        let methods = try [
            "C:384:UPGRADE checksum=a5bf4dcd6020f408589224274aab132d,url=http://x/emfw.cfg,size=2312",
            "C:123:UPGRADE type=1,checksum=oqoier9883kjankdefi894eu,size=6558,url=http://192.168.0.13:89/data/emfw.cfg",
            "C:123:UPGRADE checksum=oq,size=6558,url=http://192.168.0.13:89/data/emfw.cfg,supportsubcontracting=1",
        ].map { text -> UpgradeCommand.Method? in
            if case .upgrade(let upgrade) = try ServerCommand.parse(text).kind { return upgrade.method }
            return nil
        }
        #expect(methods == [.convertedFile, .directFile, .rangedDownload])
    }

    @Test func dataQueryWithSeveralFilterConditions() throws {
        let command = try ServerCommand.parse("C:99:DATA QUERY tablename=biodata,fielddesc=*,filter=Type=1\tPin=1\tNo=6")
        guard case .dataQuery(let query) = command.kind else {
            Issue.record("expected DATA QUERY")
            return
        }
        #expect(query.table == .known(.biodata))
        #expect(query.filterConditions?["Type"] == "1")
        #expect(query.filterConditions?["No"] == "6")
        let bracketed = try ServerCommand.parse("C:415:DATA QUERY tablename=[APList],fielddesc=*,filter=*")
        if case .dataQuery(let apList) = bracketed.kind {
            #expect(apList.table == .known(.apList))
            #expect(apList.tableText == "[APList]")
        }
    }

    @Test func accountForms() throws {
        let pull = try ServerCommand.parse("C:291:ACCOUNT transaction ContentType=tgz MaxIndex=0")
        let range = try ServerCommand.parse("C:292:ACCOUNT transaction StartIndex=10\tEndIndex=20")
        let time = try ServerCommand.parse("C:293:ACCOUNT transaction StartTime=2018-02-22 16:19:20\tEndTime=2018-02-23 16:19:20")
        let max = try ServerCommand.parse("C:294:ACCOUNT transaction MaxIndex=7")
        let forms = [pull, range, time, max].compactMap { command -> AccountCommand.Form? in
            if case .account(let account) = command.kind { return account.form }
            return nil
        }
        #expect(forms == [.pullSDK, .indexRange, .timeRange, .maxIndex])
        if case .account(let account) = time.kind {
            #expect(account.parameters["StartTime"] == "2018-02-22 16:19:20")
        }
        #expect(pull.text == "C:291:ACCOUNT transaction ContentType=tgz MaxIndex=0")
        #expect(range.text == "C:292:ACCOUNT transaction StartIndex=10\tEndIndex=20")
    }

    /// Appendix 14: the CmdFormat=1 prefix form.
    @Test func cmdFormatPrefixIsKept() throws {
        let text = "DataType=1, SN=123456789, CmdID=295, CmdDesc=C:295:DATA UPDATE user CardNo=\tPin=1\tPassword=234\tGroup=0\tStartTime=0\tEndTime=0\tName=\tPrivilege=0"
        let command = try ServerCommand.parse(text)
        #expect(command.id == "295")
        #expect(command.formatPrefix?.map(\.key) == ["DataType", "SN", "CmdID"])
        #expect(command.text == text)
        let multi = """
            DataType=1, SN=DDG7012017010600049, CmdID=295, CmdDesc=C:295:DATA UPDATE DoorParameters ID=1\tName=DoorAutoMatch\tValue=1\tDevID=1
            ID=1\tName=DoorDrivertime\tValue=5\tDevID=1
            ID=1\tName=DoorSupperPassWord\tValue=\tDevID=1
            """
        let commands = try ServerCommand.parseAll(Array(multi.utf8))
        #expect(commands.count == 1)
        if case .dataUpdate(let table, let records) = commands[0].kind {
            #expect(table == .known(.doorParameters))
            #expect(records.count == 3)
            #expect(records[2]["Value"] == "")
        }
        #expect(String(decoding: ServerCommand.emitAll(commands), as: UTF8.self) == multi + "\n")
    }

    @Test func testHostAndEnroll() throws {
        let host = try ServerCommand.parse("C:295:Test Host Address=110.80.38.74:8092")
        #expect(host.kind == .testHost(address: "110.80.38.74:8092"))
        let enroll = try ServerCommand.parse("C:12:ENROLL_INFO TYPE=0\tPIN=1\tRETRY=3\tMODE=0")
        if case .enrollInfo(let record) = enroll.kind { #expect(record["PIN"] == "1") } else { Issue.record("expected ENROLL_INFO") }
        let adscreen = try ServerCommand.parse("C:13:SET ADSCREEN_OPTIONS InOut=0,Area=1,Type=1,Range=100,URL=http://h/a.jpg,InPlayInterval=5")
        if case .setAdscreenOptions(let list) = adscreen.kind { #expect(list["URL"] == "http://h/a.jpg") } else { Issue.record("expected SET ADSCREEN_OPTIONS") }
    }
}

/// §5 (authorisation of sub-controllers) writes its commands with `%?` placeholders; filled in here.
@Suite struct AuthorizationCommandTests {
    @Test func deviceAuthorizeCommands() throws {
        for (text, isAuthorize) in [("C:295:DATA UPDATE DeviceAuthorize SN=DDG7012017010600049\tIsAuthorize=1", "1"),
                                    ("C:296:DATA UPDATE DeviceAuthorize SN=DDG7012017010600049\tIsAuthorize=2", "2")] {
            let command = try ServerCommand.parse(text)
            guard case .dataUpdate(let table, let records) = command.kind else {
                Issue.record("expected DATA UPDATE")
                continue
            }
            #expect(table == .known(.deviceAuthorize))
            #expect(records.first?["IsAuthorize"] == isAuthorize)
            #expect(command.text == text)
        }
        let delete = try ServerCommand.parse("C:295:DATA DELETE DeviceAuthorize SN=DDG7012017010600049")
        #expect(delete.kind == .dataDelete(table: .known(.deviceAuthorize), condition: .fields(PushRecord(["SN": "DDG7012017010600049"]))))
        // A sub-controller's result carries its SN (Appendix 15), and -5000 means "received, waiting".
        let results = try CommandResult.parseAll(Array("ID=295&Return=-5000&CMD=DATA&SN=DDG7012017010600049".utf8))
        #expect(results.first?.serialNumber == "DDG7012017010600049")
        #expect(results.first?.returnCode == PushReturnCode(-5000))
    }

    /// §9.6.1 and §9.5.3 formats with their `%?` / `x` placeholders filled in.
    @Test func enrollAndAdscreenFormats() throws {
        let info = try ServerCommand.parse("C:12:ENROLL_INFO TYPE=0\tPIN=1\tRETRY=3\tMODE=0")
        #expect(info.text == "C:12:ENROLL_INFO TYPE=0\tPIN=1\tRETRY=3\tMODE=0")
        let bio = try ServerCommand.parse("C:13:ENROLL_BIO TYPE=9\tNO=0\tPIN=1\tRETRY=3\tOVERWRITE=1\tMODE=1")
        if case .enrollBio(let record) = bio.kind { #expect(record["OVERWRITE"] == "1") }
        let screen = try ServerCommand.parse("C:14:SET ADSCREEN_OPTIONS InOut=0,Area=1,Type=0,Range=50,URL=http://h/v.mp4,InPlayInterval=5")
        #expect(screen.text == "C:14:SET ADSCREEN_OPTIONS InOut=0,Area=1,Type=0,Range=50,URL=http://h/v.mp4,InPlayInterval=5")
        let results = try CommandResult.parseAll(Array("ID=14&Return=5000&CMD=SET ADSCREEN_OPTIONS\nID=14&Return=&CMD=SET ADSCREEN_OPTIONS".utf8))
        #expect(results.map(\.returnCode) == [PushReturnCode(5000), nil])
        #expect(results[1].returnText == "")
    }
}
