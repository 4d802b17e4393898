import TestSupport
import Testing

@testable import PushProtocol

extension SplitMix64 {
    mutating func key() -> String {
        let first = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let rest = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
        var text = String(first.randomElement(using: &self)!)
        for _ in 0..<Int.random(in: 0...8, using: &self) { text.append(rest.randomElement(using: &self)!) }
        return text
    }

    /// A value as real devices write them: digits, words with single inner spaces, commas, `#`, `/`, `:`,
    /// CJK; never a TAB or line break, no leading or trailing space, no ` word=` inside (see `PushRecord`).
    mutating func value(allowComma: Bool = true) -> String {
        let pieces = [
            "0", "1", "255", "Ann Lee", "2024-01-01 10:00:00", "1#101", "9[1-9]", "http://h:8/a/b.cfg", "张三", "Ver 8.0.1", "x",
            "",
        ]
        var text = pieces.randomElement(using: &self)!
        if allowComma && Bool.random(using: &self) { text += ", LTD." }
        return text
    }

    mutating func record(fieldCount: ClosedRange<Int> = 1...6) -> PushRecord {
        var fields: [PushField] = []
        var used = Set<String>()
        for _ in 0..<Int.random(in: fieldCount, using: &self) {
            var name = key()
            while used.contains(name) { name = key() }
            used.insert(name)
            fields.append(PushField(name, value()))
        }
        return PushRecord(fields: fields)
    }
}

@Suite struct PropertyTests {
    func roundTrip(_ command: ServerCommand) throws {
        let parsed = try ServerCommand.parse(command.text)
        #expect(parsed == command, "\(command.text)")
        let viaReply = try ServerCommand.parseAll(ServerCommand.emitAll([command, command]))
        #expect(viaReply == [command, command])
    }

    @Test(arguments: PushTable.allCases)
    func dataCommandsRoundTripForEveryTable(_ table: PushTable) throws {
        var generator = SplitMix64(seed: UInt64(table.rawValue.hashValueStable))
        for round in 0..<20 {
            let records = (0..<Int.random(in: 1...3, using: &generator)).map { _ in generator.record() }
            try roundTrip(ServerCommand(id: round, kind: .dataUpdate(table: .known(table), records: records)))
            try roundTrip(ServerCommand(id: round, kind: .dataDelete(table: .known(table), condition: .all)))
            try roundTrip(
                ServerCommand(
                    id: round, kind: .dataDelete(table: .known(table), condition: .fields(generator.record(fieldCount: 1...2)))))
            try roundTrip(ServerCommand(id: round, kind: .dataCount(table: .known(table), condition: .none)))
            try roundTrip(
                ServerCommand(
                    id: round, kind: .dataCount(table: .known(table), condition: .fields(generator.record(fieldCount: 1...2)))))
            try roundTrip(ServerCommand(id: round, kind: .dataQuery(DataQuery(table: .known(table)))))
            try roundTrip(
                ServerCommand(id: round, kind: .dataQuery(DataQuery(table: .known(table), filter: "Type=9\tPin=\(round)"))))
        }
    }

    static let actions: [ControlAction] = [
        .output(door: 1, target: ControlAction.lockTarget, duration: .seconds(5)),
        .output(door: 0, target: ControlAction.auxiliaryOutputTarget, duration: .normallyOpen),
        .output(door: 4, target: 1, duration: .off),
        .cancelAlarm(door: 0), .cancelAlarm(door: 3), .restart(slave: 0), .restart(slave: 2),
        .normalOpen(door: 1, enabled: true), .normalOpen(door: 0, enabled: false), .batteryQuery,
        .lock(door: 2, locked: true), .lock(door: 0, locked: false), .emergency(mode: 1), .emergency(mode: 2),
        .zigbee(operation: 3), .wiegandTest(operation: 1), .wiegandTest(operation: 2), .rs485Lighting,
        .networkSwitch(operation: 4), .identityCardRegistration(enabled: true, door: 1, timeout: 30),
        .querySubDevices, .testSwitchedNetwork, .cancelElevatorEmergency, .resetCounter(operation: 4),
        .elevatorOutput(floors: FloorSet(floors: [1, 3, 5, 7, 9]), duration: .seconds(10)),
        .elevatorNormalOpen(floors: FloorSet(floors: [8, 9, 256]), duration: .normallyOpen),
        .unknown(code: 0x42, arguments: [1, 2, 3]),
    ]

    @Test(arguments: actions)
    func controlDeviceRoundTripsForEveryAction(_ action: ControlAction) throws {
        // An undocumented action has no known length, so an operator byte cannot be told from its arguments.
        let operators: [UInt8?] = if case .unknown = action { [nil] } else { [nil, 7] }
        for operatorID in operators {
            let control = ControlDeviceCommand(action: action, operator: operatorID)
            let command = ServerCommand(id: 77, kind: .controlDevice(control))
            try roundTrip(command)
            let parsed = try ServerCommand.parse(command.text)
            guard case .controlDevice(let again) = parsed.kind else {
                Issue.record("not CONTROL DEVICE")
                continue
            }
            #expect(again.action == action)
            if case .unknown = action {} else { #expect(again.operatorID == operatorID) }
        }
    }

    @Test func otherCommandKindsRoundTrip() throws {
        var generator = SplitMix64(seed: 42)
        for round in 0..<30 {
            let options = PushOptionList(
                fields: (0..<Int.random(in: 1...5, using: &generator)).map { _ in PushField(generator.key(), generator.value()) })
            try roundTrip(ServerCommand(id: round, kind: .setOptions(options)))
            try roundTrip(ServerCommand(id: round, kind: .setAdscreenOptions(options)))
            try roundTrip(
                ServerCommand(
                    id: round,
                    kind: .getOptions(
                        (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                            (Bool.random(using: &generator) ? "~" : "") + generator.key()
                        })))
            try roundTrip(ServerCommand(id: round, kind: .enrollInfo(generator.record())))
            try roundTrip(ServerCommand(id: round, kind: .enrollBio(generator.record())))
        }
        for method in [UpgradeCommand.Method.convertedFile, .directFile, .rangedDownload] {
            let upgrade = UpgradeCommand(
                method: method, checksum: "a5bf4dcd6020f408589224274aab132d", url: "http://192.168.0.13:89/data/emfw.cfg",
                size: 6558)
            try roundTrip(ServerCommand(id: 1, kind: .upgrade(upgrade)))
            #expect(upgrade.method == method)
        }
        try roundTrip(
            ServerCommand(id: 2, kind: .account(AccountCommand(parameters: PushRecord(["ContentType": "tgz", "MaxIndex": "0"])))))
        try roundTrip(ServerCommand(id: 3, kind: .account(AccountCommand(parameters: PushRecord(["MaxIndex": "10"])))))
        try roundTrip(
            ServerCommand(id: 4, kind: .account(AccountCommand(parameters: PushRecord(["StartIndex": "1", "EndIndex": "9"])))))
        try roundTrip(
            ServerCommand(
                id: 5,
                kind: .account(
                    AccountCommand(
                        parameters: PushRecord(["StartTime": "2018-02-22 16:19:20", "EndTime": "2018-02-23 16:19:20"])))))
        try roundTrip(ServerCommand(id: 6, kind: .testHost(address: "110.80.38.74:8092")))
        try roundTrip(
            ServerCommand(
                id: "9", kind: .dataCount(table: .known(.user), condition: .none),
                formatPrefix: [
                    PushField("DataType", "1"), PushField("SN", "X"), PushField("Priority", "0"), PushField("CmdID", "9"),
                ]))
    }

    @Test func recordsAndResultsRoundTrip() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var records = (0..<Int.random(in: 1...5, using: &generator)).map { _ in generator.record(fieldCount: 2...8) }
            if Bool.random(using: &generator) {
                records = records.map {
                    var copy = $0; copy.tag = "user"; return copy
                }
            }
            #expect(try RecordBody.parse(RecordBody.emit(records)) == records)
            let results = (0..<Int.random(in: 1...4, using: &generator)).map { index in
                CommandResult(
                    id: String(index), returnCode: PushReturnCode(Int.random(in: -1004...5, using: &generator)),
                    command: ["DATA", "DATA UPDATE", "CONTROL DEVICE"].randomElement(using: &generator)!,
                    payload: Bool.random(using: &generator) ? ["~DeviceName=\(generator.value())"] : [])
            }
            #expect(try CommandResult.parseAll(CommandResult.emitAll(results)) == results)
            let list = PushOptionList(
                fields: (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                    PushField((Bool.random(using: &generator) ? "~" : "") + generator.key(), generator.value())
                })
            #expect(try PushOptionList.parse(list.text) == list)
        }
    }

    @Test func requestMessagesRoundTrip() throws {
        let event = RealtimeEvent(
            time: PushDateTime(year: 2024, month: 5, day: 1, hour: 8), pin: "7", cardNumber: "123", eventAddress: 1, eventCode: 0,
            inOutStatus: 0, verifyType: "4", index: 12)
        let state = RealtimeState(
            time: PushDateTime(year: 2024, month: 5, day: 1), sensor: "01", relay: "00", alarm: "0000000000000000")
        let messages: [(String, String, PushRequestMessage)] = [
            ("GET", "/iclock/cdata?SN=1&options=all&pushver=3.1.2&DeviceType=acc", .initialization),
            ("POST", "/iclock/cdata?SN=1&table=rtlog", .realtimeLog([.event(event), .state(state)])),
            ("POST", "/iclock/cdata?SN=1&table=rtstate", .realtimeState([state])),
            (
                "POST", "/iclock/cdata?SN=1&table=options",
                .deviceOptions(PushOptionList(["~DeviceName": "ProBio", "~OEMVendor": "ZKTECO CO., LTD."]))
            ),
            (
                "POST", "/iclock/cdata?SN=1&table=tabledata&tablename=user&count=1",
                .tableData(table: .known(.user), records: [PushRecord(tag: "user", ["uid": "1", "pin": "1", "name": "张三"])])
            ),
            (
                "POST", "/iclock/cdata?SN=1&table=irstate",
                .tableRows(table: "irstate", records: [PushRecord(["irstate": "1", "incount": "3"])])
            ),
            ("POST", "/iclock/cdata?SN=1&AuthType=device", .remoteIdentification([event])),
            (
                "POST", "/iclock/cdata?SN=1&cmdid=5&desc=overview",
                .accountOverview(PushKeyValueLines(["SumCount": "3", "FileCount": "1"]))
            ),
            (
                "POST", "/iclock/cdata?SN=1&type=BioData",
                .enrollmentData(kind: "BioData", records: [PushRecord(["TYPE": "9", "PIN": "1"])])
            ),
            (
                "POST", "/iclock/registry?SN=1",
                .registration(PushOptionList(["DeviceType": "acc", "FirmVer": "Ver 8.0.1.3-20151229"]))
            ),
            ("POST", "/iclock/push?SN=1", .configurationRequest([])),
            ("POST", "/iclock/exchange?SN=1&type=publickey", .publicKey("QUJD")),
            ("POST", "/iclock/exchange?SN=1&type=factors", .factors("REVG")),
            ("GET", "/iclock/getrequest?SN=1", .commandPoll),
            ("GET", "/iclock/ping?SN=1", .ping),
            ("POST", "/iclock/devicecmd?SN=1", .commandResults([CommandResult(id: "1", returnCode: .success, command: "DATA")])),
            (
                "POST", "/iclock/querydata?SN=1&type=count&cmdid=2&tablename=user&count=1&packcnt=1&packidx=1",
                .queryCount([PushField("user", "5")])
            ),
            (
                "POST", "/iclock/querydata?SN=1&type=tabledata&cmdid=2&tablename=user&count=1&packcnt=1&packidx=1",
                .queryRows([PushRecord(tag: "user", ["pin": "1"])])
            ),
            (
                "POST", "/iclock/querydata?SN=1&type=options&cmdid=3&tablename=options&count=1&packcnt=1&packidx=1",
                .queryOptions(PushOptionList(["FirmVer": "Ver 1"]))
            ),
            (
                "POST", "/iclock/querydata?SN=1&type=tabledata&cmdid=4&tablename=transaction&count=1&datafmt=3&Stamp=9999",
                .packedData(
                    PackedData(
                        header: PushKeyValueLines([
                            "name": "transaction.tgz", "size": "6", "datacode": "base64", "datatype": "tgz",
                        ]), payloadText: "H4sIAAEC"))
            ),
            ("GET", "/iclock/rtdata?SN=1&type=time", .timeRequest),
            ("GET", "/iclock/file?SN=1&url=http://h/emfw.cfg", .fileDownload(url: "http://h/emfw.cfg")),
            (
                "POST", "/iclock/file?SN=1&cmdid=5&fileseq=1&contenttype=tgz&table=transaction&count=3",
                .fileUpload([0x1F, 0x8B, 0x00])
            ),
        ]
        for (method, target, message) in messages {
            let parsed = try PushRequest.parse(method: method, target: target, body: message.body)
            #expect(parsed.message == message, "\(target)")
            #expect(parsed.target == target)
        }
    }

    @Test func repliesRoundTrip() throws {
        let replies: [(ServerReply, PushEndpoint, PushQuery)] = [
            (.ok("OK"), .ping, PushQuery()),
            (
                .registration(ServerConfiguration(registered: true, registryCode: "R1", sessionID: "S1", timeoutSeconds: 10)),
                .cdata, PushQuery(["options": "all"])
            ),
            (.registryCode("Uy47fxftP3"), .registry, PushQuery()),
            (.registrationRefused, .registry, PushQuery()),
            (
                .configuration(
                    ServerConfiguration(registered: false, registryCode: nil, serverVersion: "3.1.2", requestDelay: 30)), .push,
                PushQuery()
            ),
            (.received(table: "user", count: 3), .cdata, PushQuery()),
            (.publicKey("QUJD"), .exchange, PushQuery()),
            (.factors("REVG"), .exchange, PushQuery()),
            (.time(dateTime: 583_080_894, serverTimeZone: "+0800"), .rtdata, PushQuery()),
            (
                .commands([
                    ServerCommand(id: 1, kind: .dataCount(table: .known(.user), condition: .none)),
                    ServerCommand(id: 2, kind: .controlDevice(ControlDeviceCommand(action: .cancelAlarm(door: 1)))),
                ]), .getrequest, PushQuery()
            ),
            (
                .remoteIdentification(
                    RemoteIdentificationReply(
                        result: "SUCCESS", event: RealtimeEvent(record: PushRecord(["time": "2024-05-01 08:00:00", "pin": "7"])),
                        control: ControlDeviceCommand(action: .output(door: 1, target: 1, duration: .seconds(5))), tips: "Welcome"
                    )), .cdata, PushQuery(["AuthType": "device"])
            ),
            (
                .attendanceOptions(serialNumber: "123", lines: PushKeyValueLines(["ATTLOGStamp": "None", "Delay": "10"])), .cdata,
                PushQuery(["options": "all"])
            ),
            (.text("something else"), .cdata, PushQuery()),
        ]
        for (reply, endpoint, query) in replies {
            #expect(try ServerReply.parse(reply.body, endpoint: endpoint, query: query) == reply)
        }
    }
}

extension String {
    /// A hash that does not change between runs (Swift's `hashValue` is seeded per process).
    var hashValueStable: Int {
        var hash: UInt64 = 1_469_598_103_934_665_603
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int(truncatingIfNeeded: hash & 0x7FFF_FFFF)
    }
}

@Suite struct BuilderTests {
    @Test func buildersWriteTheReferenceSyntax() {
        let user = PushTable.user.record([
            "Pin": "1", "Password": "234", "CardNo": "", "Group": "0", "StartTime": "0", "EndTime": "0", "Name": "",
            "Privilege": "0",
        ])
        #expect(
            ServerCommand.update(id: 295, .user, [user]).text
                == "C:295:DATA UPDATE user CardNo=\tPin=1\tPassword=234\tGroup=0\tStartTime=0\tEndTime=0\tName=\tPrivilege=0")
        #expect(ServerCommand.delete(id: 123, .transaction).text == "C:123:DATA DELETE transaction *")
        #expect(
            ServerCommand.delete(id: 342, .templatev10, where: PushRecord(["Pin": "1", "FingerID": "6"])).text
                == "C:342:DATA DELETE templatev10 Pin=1\tFingerID=6")
        #expect(ServerCommand.count(id: 288, .user).text == "C:288:DATA COUNT user")
        #expect(
            ServerCommand.query(id: 99, .biodata, where: PushRecord(["Type": "9", "Pin": "1"])).text
                == "C:99:DATA QUERY tablename=biodata,fielddesc=*,filter=Type=9\tPin=1")
        #expect(
            ServerCommand.control(id: 221, .output(door: 1, target: ControlAction.lockTarget, duration: .seconds(5))).text
                == "C:221:CONTROL DEVICE 01010105")
        #expect(
            ServerCommand.setTime(id: 401, PushDateTime(encodedSeconds: 583_080_894))?.text
                == "C:401:SET OPTIONS DateTime=583080894")
        #expect(
            ServerCommand.getOptions(id: 410, ["FingerFunOn", "~MaxFvCount"]).text == "C:410:GET OPTIONS FingerFunOn,~MaxFvCount")
    }

    @Test(arguments: PushTable.allCases)
    func everyTableHasReferenceFields(_ table: PushTable) throws {
        #expect(!table.referenceFields.isEmpty)
        let values = Dictionary(uniqueKeysWithValues: table.referenceFields.enumerated().map { ($0.element, String($0.offset)) })
        let record = table.record(values.merging(["Extra": "kept"]) { first, _ in first })
        #expect(record.fields.map(\.key) == table.referenceFields + ["Extra"])
        #expect(table.unlistedFields(in: record) == ["Extra"])
        let command = ServerCommand.update(id: 1, table, [record])
        #expect(try ServerCommand.parse(command.text) == command)
    }

    /// Every update example of the reference uses only fields the schema lists (or the reference's own typos).
    @Test func goldenUpdatesUseListedFields() throws {
        for example in goldenCommands {
            guard case .dataUpdate(.known(let table), let records) = try ServerCommand.parse(example.raw).kind else { continue }
            for record in records {
                let unlisted = table.unlistedFields(in: record).filter { !["...", "ExtBoardID"].contains($0) }
                // The elevator example sends floors to `biodata`; the contact example repeats PatternID; biodata examples abbreviate.
                if table == .biodata || table == .diffTimezoneVS { continue }
                #expect(unlisted.isEmpty, "line \(example.line): \(table.rawValue) \(unlisted)")
            }
        }
    }
}

@Suite struct RequestBuilderTests {
    @Test func buildersProduceTheReferenceTargets() throws {
        #expect(
            PushRequest.initialization(serialNumber: "3383154200002", pushVersion: PushProtocolVersion("3.0.1")).target
                == "/iclock/cdata?SN=3383154200002&options=all&pushver=3.0.1")
        #expect(PushRequest.commandPoll(serialNumber: "1").target == "/iclock/getrequest?SN=1")
        #expect(PushRequest.ping(serialNumber: "1").target == "/iclock/ping?SN=1")
        #expect(PushRequest.timeRequest(serialNumber: "1").target == "/iclock/rtdata?SN=1&type=time")
        let upload = PushRequest.tableData(
            serialNumber: "1", table: .known(.user), records: [PushRecord(tag: "user", ["uid": "5", "pin": "4"])])
        #expect(upload.target == "/iclock/cdata?SN=1&table=tabledata&tablename=user&count=1")
        #expect(String(decoding: upload.body, as: UTF8.self) == "user uid=5\tpin=4\n")
        let count = PushRequest.queryData(
            serialNumber: "3383154200002", type: "count", commandID: "288", table: "user", count: 1,
            message: .queryCount([PushField("user", "5")]))
        #expect(
            count.target == "/iclock/querydata?SN=3383154200002&type=count&cmdid=288&tablename=user&count=1&packcnt=1&packidx=1")
        for request in [
            upload, count,
            PushRequest.realtimeLog(
                serialNumber: "1",
                rows: [.event(RealtimeEvent(record: PushRecord(["time": "2024-01-01 00:00:00", "event": "0"])))]),
        ] {
            #expect(try PushRequest.parse(method: request.method.rawValue, target: request.target, body: request.body) == request)
        }
    }
}
