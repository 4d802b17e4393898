import Testing
@testable import PushProtocol

/// One test per departure listed in shared/research/push-real-world.md.
@Suite struct DeviationTests {
    func records(_ text: String) throws -> [PushRecord] { try RecordBody.parse(Array(text.utf8)) }

    // MARK: What devices send

    /// 1. TAB or spaces between fields, values with spaces, CRLF or LF, several records, no final newline.
    @Test func separatorsAndLineEndings() throws {
        let tabbed = try records("time=2017-01-10 11:49:32\tpin=1\tevent=0\r\ntime=2017-01-10 11:49:33\tpin=2\tevent=0\ntime=2017-01-10 11:49:34\tpin=3\tevent=0")
        #expect(tabbed.count == 3)
        #expect(tabbed.map { $0["time"] } == ["2017-01-10 11:49:32", "2017-01-10 11:49:33", "2017-01-10 11:49:34"])
        #expect(tabbed[2]["event"] == "0")
        let spaced = try records("time=2017-01-10 11:49:32 pin=1 event=0")
        #expect(spaced[0].fields == tabbed[0].fields)
        // A TAB-separated value keeps its inner and trailing spaces exactly.
        let exact = try records("name=Ann  Lee \tpin=1")
        #expect(exact[0]["name"] == "Ann  Lee ")
    }

    /// 2. Door state rows inside table=rtlog are told apart from events by their keys.
    @Test func doorStateInsideRtlog() throws {
        let request = try PushRequest.parse(method: "POST", target: "/iclock/cdata?SN=1&table=rtlog", body: Array(
            "time=2024-01-01 10:00:00\tsensor=01\trelay=01\talarm=0000000000000000\tdoor=1\ntime=2024-01-01 10:00:01\tpin=5\tcardno=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=9\n".utf8))
        guard case .realtimeLog(let rows) = request.message else {
            Issue.record("expected rtlog")
            return
        }
        guard case .state(let state) = rows[0], case .event(let event) = rows[1] else {
            Issue.record("expected a state row then an event row")
            return
        }
        #expect(state.doors?.first?.sensor == .closed)
        #expect(state.doors?.first?.relayBitSet == true)
        #expect(state.door == "1")
        #expect(event.index == 9)
    }

    /// 3. Extra fields in any order are kept and re-emitted.
    @Test func extraFieldsAreKept() throws {
        let line = "time=2024-01-01 10:00:00\tpin=5\tcardno=123\tsitecode=12\tlinkid=0\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\tindex=9\tmaskflag=1\ttemperature=36.6\tconvtemperature=97.9\tbitCount=26\tfutureField=x"
        let event = RealtimeEvent(record: try PushRecord.parse(line))
        #expect(event.siteCode == "12")
        #expect(event.maskFlag == 1)
        #expect(event.temperature == "36.6")
        #expect(event.convertedTemperature == "97.9")
        #expect(event.bitCount == 26)
        #expect(event.record["futureField"] == "x")
        #expect(event.record.text == line)
        let lower = RealtimeEvent(record: try PushRecord.parse("bitcount=34\tevent=0"))
        #expect(lower.bitCount == 34)
    }

    /// 4. A device with a broken clock: the record is kept, the time flagged, the raw text stored.
    @Test func brokenClock() throws {
        let rows = try records("time=1971--10--29 -23:-27:-54\tpin=1\tevent=0\tindex=3")
        let event = RealtimeEvent(record: rows[0])
        #expect(event.time == .unparsable("1971--10--29 -23:-27:-54"))
        #expect(event.time.dateTime == nil)
        #expect(event.index == 3)
        #expect(event.identity(serialNumber: "X").time == "1971--10--29 -23:-27:-54")
    }

    /// 5. Registry bodies: `~` keys, values with commas and spaces, split only before `key=`.
    @Test func registryCommaLists() throws {
        let list = try PushOptionList.parse("~SerialNumber=ABC123,~DeviceName=SpeedFace-V5L,~OEMVendor=ZKTECO CO., LTD.,FirmVer=Ver 8.0.1.3-20151229,DeviceType=acc")
        #expect(list["~OEMVendor"] == "ZKTECO CO., LTD.")
        #expect(list["SerialNumber"] == "ABC123")
        #expect(list["FirmVer"] == "Ver 8.0.1.3-20151229")
        #expect(list.fields.count == 5)
        #expect(list.text == "~SerialNumber=ABC123,~DeviceName=SpeedFace-V5L,~OEMVendor=ZKTECO CO., LTD.,FirmVer=Ver 8.0.1.3-20151229,DeviceType=acc")
    }

    /// 6. Re-registration: an `OK` handshake reply carries no RegistryCode, and the codec says so; the reply a
    /// server must send to a registered device carries one.
    @Test func registrationNeedsARegistryCode() throws {
        let bare = try ServerReply.parse(Array("OK".utf8), endpoint: .cdata, query: PushQuery(["options": "all"]))
        #expect(bare == .ok("OK"))
        let proper = ServerReply.registration(ServerConfiguration(registered: true, registryCode: "Uy47fxftP3", sessionID: "S1"))
        let reparsed = try ServerReply.parse(proper.body, endpoint: .cdata, query: PushQuery(["options": "all"]))
        guard case .registration(let configuration) = reparsed else {
            Issue.record("expected a registration block")
            return
        }
        #expect(configuration.registryCode == "Uy47fxftP3")
        #expect(configuration.sessionID == "S1")
    }

    /// 7. Command results: several per POST, `return` lower-case, first-word or full CMD, payload lines, and
    /// return codes outside Appendix 1.
    @Test func commandResultsAsFirmwareSendsThem() throws {
        let body = "ID=1&Return=0&CMD=DATA UPDATE\r\nID=2&return=-1004&CMD=DATA\r\nID=3&Return=-629&CMD=DATA\nID=4&Return=-1002&CMD=CONTROL\nID=5&Return=0&CMD=GET OPTIONS\n~DeviceName=SenseFace 2A\nMAC=00:17:61:11:ad:4f"
        let results = try CommandResult.parseAll(Array(body.utf8))
        #expect(results.map(\.id) == ["1", "2", "3", "4", "5"])
        #expect(results[1].returnCode == .notSupported)
        #expect(results[2].returnCode?.description == "Incorrect table name")
        #expect(results[3].returnCode == .invalidCommandSyntax)
        #expect(results.map(\.commandWord) == ["DATA", "DATA", "DATA", "CONTROL", "GET"])
        #expect(results[4].payload == ["~DeviceName=SenseFace 2A", "MAC=00:17:61:11:ad:4f"])
        #expect(results[1].fields[1].key == "return")
        #expect(String(decoding: CommandResult.emitAll(results), as: UTF8.self) == body.replacingOccurrences(of: "\r\n", with: "\n") + "\n")
    }

    /// 8. Names: UTF-8, GB2312/GBK (decoded as GB18030), Latin-1 as the last resort; empty names kept.
    @Test func nameEncodings() throws {
        let utf8 = Array("user uid=1\tpin=1\tname=张三\n".utf8)
        #expect(try RecordBody.parse(utf8)[0]["name"] == "张三")
        let gbk: [UInt8] = Array("user uid=2\tpin=2\tname=".utf8) + [0xD5, 0xC5, 0xC8, 0xFD] + Array("\n".utf8)
        let mixed = utf8 + gbk + Array("user uid=3\tpin=3\tname=\n".utf8)
        let rows = try RecordBody.parse(mixed)
        #expect(rows.count == 3)
        #expect(rows[0]["name"] == "张三")
        #expect(rows[0].encoding == .utf8)
        #expect(rows[1]["name"] == "张三")
        #expect(rows[1].encoding == .gb18030)
        #expect(rows[2]["name"] == "")
        let latin: [UInt8] = Array("name=".utf8) + [0xFF, 0x80]
        let latinRow = try RecordBody.parse(latin)[0]
        #expect(latinRow.encoding == .latin1)
        #expect(latinRow["name"] == "\u{FF}\u{80}")
        #expect(PushTextEncoding.gb18030.encode("张三") == [0xD5, 0xC5, 0xC8, 0xFD])
    }

    /// 9. Headers: the token with or without its `token=` name, or next to `timestamp=`.
    @Test func cookieForms() {
        #expect(SessionToken.fromCookie("token=9d41643bfba01fe8b49143c21defc20a") == "9d41643bfba01fe8b49143c21defc20a")
        #expect(SessionToken.fromCookie("token=abc, timestamp=123") == "abc")
        #expect(SessionToken.fromCookie("1637f0b091af92b0cc66b8eede0ae48e") == "1637f0b091af92b0cc66b8eede0ae48e")
        #expect(SessionToken.fromCookie("JSESSIONID=X") == nil)
    }

    /// 10. Paths: `.aspx`, trailing slashes, and results POSTed to getrequest by old firmware.
    @Test func pathVariants() throws {
        #expect(PushEndpoint(path: "/iclock/cdata.aspx") == .cdata)
        #expect(PushEndpoint(path: "/iclock/cdata/") == .cdata)
        #expect(PushEndpoint(path: "/iclock/getrequest.aspx?SN=1") == .getrequest)
        #expect(PushEndpoint(path: "/ICLOCK/CDATA") == .cdata)
        #expect(PushEndpoint(path: "/other/thing") == nil)
        let old = try PushRequest.parse(method: "POST", target: "/iclock/getrequest?SN=1", body: Array("ID=7&Return=0&CMD=DATA".utf8))
        #expect(old.message == .commandResults([CommandResult(fields: [PushField("ID", "7"), PushField("Return", "0"), PushField("CMD", "DATA")])]))
        let aspx = try PushRequest.parse(method: "POST", target: "/iclock/cdata.aspx?SN=1&table=rtlog", body: Array("time=2024-01-01 10:00:00\tevent=0".utf8))
        #expect(aspx.target == "/iclock/cdata?SN=1&table=rtlog")
    }

    /// 11. Replays after a reset: the same index with a different time is a different event; the same serial,
    /// index and time is the same event.
    @Test func deduplicationKey() throws {
        let first = RealtimeEvent(record: try PushRecord.parse("time=2024-01-01 10:00:00\tindex=1\tevent=0"))
        let replay = RealtimeEvent(record: try PushRecord.parse("time=2024-01-01 10:00:00\tevent=0\tindex=1\tpin=4"))
        let afterReset = RealtimeEvent(record: try PushRecord.parse("time=2024-02-01 09:00:00\tindex=1\tevent=0"))
        #expect(first.identity(serialNumber: "A") == replay.identity(serialNumber: "A"))
        #expect(first.identity(serialNumber: "A") != afterReset.identity(serialNumber: "A"))
        #expect(first.identity(serialNumber: "A") != first.identity(serialNumber: "B"))
    }

    // 12. HTTPS vs plain HTTP listeners is a transport concern outside this sans-I/O module (no test here).

    // MARK: What servers answer

    /// Handshake answered the attendance way: `GET OPTION FROM: <SN>` and option lines, no SessionID.
    @Test func attendanceStyleHandshake() throws {
        let body = "GET OPTION FROM: 3383154200002\r\nATTLOGStamp=None\r\nOPERLOGStamp=9999\r\nErrorDelay=30\r\nDelay=10\r\nTransTimes=00:00\t14:05\r\nTransInterval=1\r\nTransFlag=TransData AttLog\tOpLog\r\nRealtime=1\r\n"
        let reply = try ServerReply.parse(Array(body.utf8), endpoint: .cdata, query: PushQuery(["options": "all"]))
        guard case .attendanceOptions(let serial, let lines) = reply else {
            Issue.record("expected the attendance block")
            return
        }
        #expect(serial == "3383154200002")
        #expect(lines["TransFlag"] == "TransData AttLog\tOpLog")
        #expect(lines["SessionID"] == nil)
    }

    /// `registry=ok` sent even for unknown devices (no RegistryCode line).
    @Test func registryOkWithoutCode() throws {
        let reply = try ServerReply.parse(Array("registry=ok\nServerVersion=2.4.1\n".utf8), endpoint: .cdata, query: PushQuery(["options": "all"]))
        guard case .registration(let configuration) = reply else {
            Issue.record("expected a registration block")
            return
        }
        #expect(configuration.isRegistered)
        #expect(configuration.registryCode == nil)
    }

    /// TAB instead of `;` or space inside TransTimes and TransTables.
    @Test func tabsInsideTransLists() throws {
        let configuration = ServerConfiguration(lines: try PushKeyValueLines.parse(Array("TransTimes=00:00\t14:00\nTransTables=User\tTransaction\n".utf8)))
        #expect(configuration.transTimes == ["00:00", "14:00"])
        #expect(configuration.transTables == ["User", "Transaction"])
    }

    /// HTTP 200 with body `404` for ping.
    @Test func pingAnsweredWith404Body() throws {
        #expect(try ServerReply.parse(Array("404".utf8), endpoint: .ping) == .text("404"))
    }

    /// One command per poll, random non-monotonic IDs, no trailing LF.
    @Test func singleCommandWithoutNewline() throws {
        let commands = try ServerCommand.parseAll(Array("C:98127:DATA DELETE user Pin=1".utf8))
        #expect(commands.map(\.id) == ["98127"])
        let shuffled = try ServerCommand.parseAll(Array("C:900:DATA COUNT user\nC:12:DATA COUNT user\nC:a7f3:DATA COUNT user".utf8))
        #expect(shuffled.map(\.id) == ["900", "12", "a7f3"])
        #expect(shuffled[2].numericID == nil)
    }

    /// Separators `\n`, `\r\n` and `\r\n\r\n` between commands.
    @Test(arguments: ["\n", "\r\n", "\r\n\r\n"])
    func commandSeparators(_ separator: String) throws {
        let body = ["C:1:DATA COUNT user", "C:2:CONTROL DEVICE 03000000", "C:3:GET OPTIONS FirmVer"].joined(separator: separator)
        let commands = try ServerCommand.parseAll(Array(body.utf8))
        #expect(commands.map(\.id) == ["1", "2", "3"])
        #expect(commands[1].kind == .controlDevice(ControlDeviceCommand(action: .restart(slave: 0))))
    }

    /// CONTROL DEVICE arguments built in the wrong order are carried exactly (no guessing), and decode to
    /// whatever the bytes say.
    @Test func controlDeviceFieldsOutOfOrder() throws {
        let command = try ServerCommand.parse("C:5:CONTROL DEVICE 01050101")
        guard case .controlDevice(let control) = command.kind else {
            Issue.record("expected CONTROL DEVICE")
            return
        }
        #expect(control.text == "01050101")
        #expect(control.action == .output(door: 5, target: 1, duration: .seconds(1)))
        #expect(command.text == "C:5:CONTROL DEVICE 01050101")
    }
}
