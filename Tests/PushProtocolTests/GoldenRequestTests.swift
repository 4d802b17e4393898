import Testing
@testable import PushProtocol

/// The request examples of §4–§10. Each is parsed from the target and body the reference shows, checked for its
/// typed content, and re-emitted. Documented normalisations: the reference renders TABs between fields as runs
/// of spaces (emission uses TAB), wraps long lines (joined again here), and omits the final LF of record bodies
/// (emission ends each record with LF).
@Suite struct GoldenRequestTests {
    func request(_ method: String, _ target: String, _ body: String = "") throws -> PushRequest {
        try PushRequest.parse(method: method, target: target, body: Array(body.utf8))
    }

    func emitted(_ request: PushRequest) -> String { String(decoding: request.body, as: UTF8.self) }

    /// Parse → emit → parse gives the same value, and the target is reproduced exactly.
    func expectStable(_ request: PushRequest, target: String) throws {
        #expect(request.target == target)
        let again = try PushRequest.parse(method: request.method.rawValue, target: request.target, body: request.body)
        #expect(again == request)
    }

    // §4.1 (line 1047)
    @Test func handshake() throws {
        let target = "/iclock/cdata?SN=3383154200002&pushver=3.0.1&options=all"
        let parsed = try request("GET", target)
        #expect(parsed.message == .initialization)
        #expect(parsed.serialNumber == "3383154200002")
        #expect(parsed.query["pushver"] == "3.0.1")
        #expect(parsed.body.isEmpty)
        try expectStable(parsed, target: target)
    }

    // §4.2 (line 625), §4.3 (line 712); the PDF breaks the keys with spaces, removed here.
    @Test func exchangeKeysAndFactors() throws {
        let key = "DMCtRl3RwiGI4M9TRn/3xEmkddz2lqoZR7zUrOMhOc3FLvhLtpIWs3REOSaKT4A9WO0ONt3V+mVb0W3Ka3NeCTWLjf9LplVlEyJIoZwXspGroPMTEWitLE+LLsrOlr47OQRr62j5YSViUDKgZLVCvEek2iJ+3D181Z3qxV7a7WIoQ9DUGiPaU8gml4cmiyQqimxIQ1wwMcMpcIFOIsSx7UjCG+D41dM/vh5UZxrQwn7IiMOMNdFXlB+TOjaJ+4K/n3TDjubrbebx6H2+nErHlMBuCCSNIKfwc5eakNfXPuqgBNGqCFJojgcQiOySquaq2DFXdUwYBLIURDnBLf+TtoSh4="
        let keyRequest = try request("POST", "/iclock/exchange?SN=ODG7030067031100001&type=publickey", "PublicKey=" + key)
        #expect(keyRequest.message == .publicKey(key))
        #expect(emitted(keyRequest) == "PublicKey=" + key)
        let factors = "D/VtnItwfrABVfyAJku6jKdobqCUIz2eTJ0yXIwI8ZMi5wSylQePPhVDGQvrppcssZ/zgX6qAWSKUXVlGRXNQ6kBk7+Kc6SaI090cgvMeLHCc1h69TIsbfkMtLGdlnpscnDmmOoC19qqIbtTha9zNHmf38dHDkGZf3vLv/I8iwqV3RAX7MalBW4M+kYvbdYNgzR5kqcG+wTZOet5QAf/8YoRg7qZmnkAG6sAYALQotTfwQcjGUCtVoJONw8WshzkpdzgNsoo7UtYEmmhbEPHtqgaDN5OLexoE9u6Ip3gMd+V2hf70rs+mVUYR6frkEKe/6rA+oIdguhb2lp6HnwfNQ=="
        let factorRequest = try request("POST", "/iclock/exchange?SN=ODG7030067031100001&type=factors", "Factors=" + factors)
        #expect(factorRequest.message == .factors(factors))
        try expectStable(factorRequest, target: "/iclock/exchange?SN=ODG7030067031100001&type=factors")
    }

    // §4.4 (line 1024): the PDF wraps the body mid-token; the two wraps that fell on a space are restored.
    static let registryBody = "DeviceType=acc,~DeviceName=F20/M,FirmVer=Ver 8.0.1.3-20151229,PushVersion=Ver 2.0.22-20161201,CommType=ethernet,MaxPackageSize=2048000,LockCount=1,ReaderCount=2,AuxInCount=0,AuxOutCount=0,MachineType=101,~IsOnlyRFMachine=0,~MaxUserCount=50,~MaxAttLogCount=10,~MaxUserFingerCount=10,MThreshold=60,IPAddress=192.168.213.221,NetMask=255.255.255.0,GATEIPAddress=192.168.213.1,~ZKFPVersion=10,IclockSvrFun=1,OverallAntiFunOn=0,~REXInputFunOn=0,~CardFormatFunOn=0,~SupAuthrizeFunOn=0,~ReaderCFGFunOn=0,~ReaderLinkageFunOn=0,~RelayStateFunOn=1,~Ext485ReaderFunOn=0,~TimeAPBFunOn=0,~CtlAllRelayFunOn=0,~LossCardFunOn=0,SimpleEventType=1,VerifyStyles=ff7f0000,EventTypes=BF0FE03D3000010000000000070000000000000000000000000077002001000000,DisableUserFunOn=0,DeleteAndFunOn=0,LogIDFunOn=0,DateFmtFunOn=0,DelAllLossCardFunOn=0,AutoClearDay=0,FirstDelayDay=0,DelayDay=0,StopAllVerify=0,FvFunOn=0,FaceFunOn=0,FingerFunOn=1,CameraOpen=1,AccSupportFunList=0101010000111000000111010100011010,AutoServerFunOn=1,DelayOpenDoorFunOn=1,UserOpenDoorDelayFunOn=1,MultiCardInterTimeFunOn=1,OutRelaySetFunOn=1,MachineTZFunOn=1,DSTFunOn=1,CardSiteCodeFunOn=1,MulCardUserFunOn=1,UserNameFunOn=1,StringPinFunOn=1,MaxLockCount=4,MaxZigbeeCount=3,MaxMCUCardBits=37,SupportReaderType=1,authKey=dassas"

    @Test func registration() throws {
        let parsed = try request("POST", "/iclock/registry?SN=3383154200002", Self.registryBody)
        guard case .registration(let list) = parsed.message else {
            Issue.record("expected a registration")
            return
        }
        #expect(list.fields.count == 65)
        #expect(list["DeviceType"] == "acc")
        #expect(list["~DeviceName"] == "F20/M")
        #expect(list["DeviceName"] == "F20/M")
        #expect(list["FirmVer"] == "Ver 8.0.1.3-20151229")
        #expect(list["authKey"] == "dassas")
        #expect(emitted(parsed) == Self.registryBody)
        let styles = try #require(Capabilities.verifyStyles(list["VerifyStyles"] ?? ""))
        #expect(styles.modes.contains(.face))
        let events = try #require(Capabilities.eventTypes(list["EventTypes"] ?? ""))
        #expect(events.contains(0) && !events.contains(6) && events.contains(7))
        let functions = Capabilities.accSupportFunctions(list["AccSupportFunList"] ?? "")
        #expect(functions.prefix(3) == ["rs485ReaderEncryption", "emergencyDualOpenClose", "longName"])
        try expectStable(parsed, target: "/iclock/registry?SN=3383154200002")
    }

    // §4.5 (line 1160)
    @Test func configurationRequestAndPing() throws {
        let push = try request("POST", "/iclock/push?SN=3383154200002")
        #expect(push.message == .configurationRequest([]))
        let ping = try request("GET", "/iclock/ping?SN=3383154200002")
        #expect(ping.message == .ping)
        let poll = try request("GET", "/iclock/getrequest?SN=3383154200002")
        #expect(poll.message == .commandPoll)
        let time = try request("GET", "/iclock/rtdata?SN=3383154200002&type=time")
        #expect(time.message == .timeRequest)
        let download = try request("GET", "/iclock/file?SN=3383154200002&url=http://192.168.0.13:89/data/emfw.cfg")
        #expect(download.message == .fileDownload(url: "http://192.168.0.13:89/data/emfw.cfg"))
        try expectStable(download, target: "/iclock/file?SN=3383154200002&url=http://192.168.0.13:89/data/emfw.cfg")
    }

    // §4.6 (line 1247): values with commas and spaces (`~OEMVendor=ZKTeco Inc. `), an empty value.
    @Test func deviceOptions() throws {
        let body = "~DeviceName=ProBio,MAC=00:17:61:11:ad:4f,TransactionCount=23,~MaxAttLogCount=10,UserCount=7,~MaxUserCount=100,PhotoFunOn=1,~MaxUserPhotoCount=3000,FingerFunOn=1,FPVersion=10,~MaxFingerCount=40,FPCount=4,FaceFunOn=1,FaceVersion=7,~MaxFaceCount=2000,FaceCount=3,FvFunOn=0,FvVersion=3,~MaxFvCount=10,FvCount=0,PvFunOn=0,PvVersion=5,~MaxPvCount=,PvCount=0,Language=69,IPAddress=192.168.52.71,~Platform=ZMM220_TFT,~OEMVendor=ZKTeco Inc. ,FWVersion=Ver 8.0.4.1-20180102,PushVersion=Ver 2.0.34-20180822"
        let parsed = try request("POST", "/iclock/cdata?SN=AJI6181160001&table=options", body)
        guard case .deviceOptions(let list) = parsed.message else {
            Issue.record("expected device options")
            return
        }
        #expect(list["~OEMVendor"] == "ZKTeco Inc. ")
        #expect(list["~MaxPvCount"] == "")
        #expect(list["FWVersion"] == "Ver 8.0.4.1-20180102")
        #expect(emitted(parsed) == body)
    }

    // §5 (line 1272): the master controller's authorisation table.
    @Test func deviceAuthorizeTable() throws {
        let target = "/iclock/cdata?SN=123456789&type=registry&table=tabledata&tablename=DeviceAuthorize&count=1"
        let body = "DeviceAuthorize SN=DDG7012017010600049\tOnline=1\tIsAuthorize=0\tAuthorizeInfo=\tRegisterInfo=\n"
        let parsed = try request("POST", target, body)
        guard case .tableData(let table, let records) = parsed.message else {
            Issue.record("expected tabledata")
            return
        }
        #expect(table == .known(.deviceAuthorize))
        #expect(records.first?["IsAuthorize"] == "0")
        #expect(emitted(parsed) == body)
        try expectStable(parsed, target: target)
    }

    // §7.2 (line 1457) and §7.13 (line 2553), rendered with spaces.
    @Test func realtimeEvent() throws {
        let parsed = try request("POST", "/iclock/cdata?SN=3383154200002&table=rtlog",
                                 "time=2017-01-10 11:49:32    pin=0    cardno=0    eventaddr=1 event=27    inoutstatus=1    verifytype=0    index=21")
        guard case .realtimeLog(let rows) = parsed.message, case .event(let event) = rows.first else {
            Issue.record("expected one event")
            return
        }
        #expect(event.time == .valid(PushDateTime(year: 2017, month: 1, day: 10, hour: 11, minute: 49, second: 32)))
        #expect(event.event == .notRegistered)
        #expect(event.eventClass == .error)
        #expect(event.eventAddress == 1)
        #expect(event.inOutStatus == 1)
        #expect(event.verifyMode == .automatic)
        #expect(event.index == 21)
        #expect(emitted(parsed) == "time=2017-01-10 11:49:32\tpin=0\tcardno=0\teventaddr=1\tevent=27\tinoutstatus=1\tverifytype=0\tindex=21\n")
        try expectStable(parsed, target: "/iclock/cdata?SN=3383154200002&table=rtlog")
    }

    // §7.3 (line 1551)
    @Test func realtimeState() throws {
        let parsed = try request("POST", "/iclock/cdata?SN=3383154200002&table=rtstate", "time=2017-01-10 15:42:40 sensor=00 relay=00 alarm=0200000000000000")
        guard case .realtimeState(let states) = parsed.message, let state = states.first else {
            Issue.record("expected a state row")
            return
        }
        let doors = try #require(state.doors)
        #expect(doors.count == 8)
        #expect(doors[0].alarms == .tamper)
        #expect(doors[0].sensor == .noSensor)
        #expect(doors[1].alarms.isEmpty)
        #expect(emitted(parsed) == "time=2017-01-10 15:42:40\tsensor=00\trelay=00\talarm=0200000000000000\n")
    }

    // §7.4 (line 1624)
    @Test func commandResult() throws {
        let parsed = try request("POST", "/iclock/devicecmd?SN=3383154200002", "ID=1&Return=0&CMD=DATA UPDATE")
        guard case .commandResults(let results) = parsed.message, let result = results.first else {
            Issue.record("expected a result")
            return
        }
        #expect(result.id == "1")
        #expect(result.returnCode == .success)
        #expect(result.command == "DATA UPDATE")
        #expect(result.commandWord == "DATA")
        #expect(emitted(parsed) == "ID=1&Return=0&CMD=DATA UPDATE\n")
    }

    /// §7.5–§7.12 tabledata uploads: (reference line, table, body as rendered, canonical body, a field to check).
    static let tableUploads: [(Int, String, String, String, (String, String))] = [
        (1709, "user", "user uid=5 cardno= pin=4 password= group=1 starttime=0 endtime=0 name= privilege=0 disable=0 verify=0",
         "user uid=5\tcardno=\tpin=4\tpassword=\tgroup=1\tstarttime=0\tendtime=0\tname=\tprivilege=0\tdisable=0\tverify=0\n", ("pin", "4")),
        (1869, "identitycard", "identitycard pin=1 SN_Num=26121292460088826975 IDNum=210102199212182xxxx DNNum= Name=Zhangsan Gender=1 Nation=1 Birthday=19911218 ValidInfo=2013091220230912 Address=xxxxx, Tangxia Town, Dongguan, Guangdong AdditionalInfo= Issuer=xxx Public Security Bureau Photo=V0xmAH4AMgAA/apmyEd8 PhotoJPG=Y0tKqWNPzyEd8Pn0EhRsgAAjeWPxiUzLaPUlw=",
         "identitycard pin=1\tSN_Num=26121292460088826975\tIDNum=210102199212182xxxx\tDNNum=\tName=Zhangsan\tGender=1\tNation=1\tBirthday=19911218\tValidInfo=2013091220230912\tAddress=xxxxx, Tangxia Town, Dongguan, Guangdong\tAdditionalInfo=\tIssuer=xxx Public Security Bureau\tPhoto=V0xmAH4AMgAA/apmyEd8\tPhotoJPG=Y0tKqWNPzyEd8Pn0EhRsgAAjeWPxiUzLaPUlw=\n",
         ("Address", "xxxxx, Tangxia Town, Dongguan, Guangdong")),
        (1955, "templatev10", "templatev10 size=1808 uid=4 pin=4 fingerid=7 valid=1 template=TAItUzIxAAAFSksECAUHCc7QAAAdS2kBAAAAhfvcvU0o3AIAPswD/AIt resverd= endtag=",
         "templatev10 size=1808\tuid=4\tpin=4\tfingerid=7\tvalid=1\ttemplate=TAItUzIxAAAFSksECAUHCc7QAAAdS2kBAAAAhfvcvU0o3AIAPswD/AIt\tresverd=\tendtag=\n", ("fingerid", "7")),
        (2146, "ATTPHOTO", "pin=20181003143617-22.jpg    sn=1809140006    size=22701 photo=/9j/4AAQSkZJRgABAQAAQABAAD/2wBDABsSFBCuERsXFhceHBsgKEIrKC",
         "pin=20181003143617-22.jpg\tsn=1809140006\tsize=22701\tphoto=/9j/4AAQSkZJRgABAQAAQABAAD/2wBDABsSFBCuERsXFhceHBsgKEIrKC\n", ("sn", "1809140006")),
        (2250, "userpic", "userpic pin=1 filename=1.jpg size=22320 content=/9j/4AAQSkZJRgABAQAAQABAAD/2wBDABsSFBCuERSXFhceHBsgKEIr",
         "userpic pin=1\tfilename=1.jpg\tsize=22320\tcontent=/9j/4AAQSkZJRgABAQAAQABAAD/2wBDABsSFBCuERSXFhceHBsgKEIr\n", ("filename", "1.jpg")),
        (2390, "biodata", "biodata pin=1 no=0 index=0 valid=1 duress=0 type=8 majorver=5 minorver=0 format=0 tmp=apUBD+cAC44IAAEAAJfKWlBWAQQFAAAAAAAAEACHAcQAAAA3PJc4PO4W",
         "biodata pin=1\tno=0\tindex=0\tvalid=1\tduress=0\ttype=8\tmajorver=5\tminorver=0\tformat=0\ttmp=apUBD+cAC44IAAEAAJfKWlBWAQQFAAAAAAAAEACHAcQAAAA3PJc4PO4W\n", ("type", "8")),
        (2476, "errorlog", "errorlog errcode=D01E0001 errmsg= dataorigin=cmd cmdid=123 additional=",
         "errorlog errcode=D01E0001\terrmsg=\tdataorigin=cmd\tcmdid=123\tadditional=\n", ("errcode", "D01E0001")),
    ]

    @Test(arguments: 0..<tableUploads.count)
    func tableDataUpload(_ index: Int) throws {
        let (line, table, body, canonical, check) = Self.tableUploads[index]
        let target = "/iclock/cdata?SN=3383154200002&table=tabledata&tablename=\(table)&count=1"
        let parsed = try request("POST", target, body)
        guard case .tableData(let name, let records) = parsed.message else {
            Issue.record("line \(line): expected tabledata")
            return
        }
        #expect(name.text == table)
        #expect(name.isKnown, "line \(line)")
        #expect(records.count == 1)
        #expect(records.first?[check.0] == check.1, "line \(line)")
        #expect(emitted(parsed) == canonical, "line \(line)")
        try expectStable(parsed, target: target)
    }

    // §9.1.3 (lines 6479, 6600, 6689)
    @Test func queryCounts() throws {
        for (target, body, table, count) in [
            ("/iclock/querydata?SN=3383154200002&type=count&cmdid=288&tablename=user&count=1&packcnt=1&packidx=1", "user=5", "user", "5"),
            ("/iclock/querydata?SN=1809140005&type=count&cmdid=80&tablename=biophoto&count=1&packcnt=1&packidx=1", "biophoto=2", "biophoto", "2"),
            ("/iclock/querydata?SN=1809140005&type=count&cmdid=80&tablename=biodata&count=1&packcnt=1&packidx=1", "biodata=2", "biodata", "2"),
        ] {
            let parsed = try request("POST", target, body)
            #expect(parsed.message == .queryCount([PushField(table, count)]))
            #expect(emitted(parsed) == body + "\n")
            try expectStable(parsed, target: target)
        }
    }

    // §9.1.4 (lines 6811, 6941, 7018, 7136, 7268)
    @Test func queryRows() throws {
        let users = "user uid=1 cardno= pin=1 password= group=1 starttime=0 endtime=0 name= privilege=0 disable=0 verify=0\nuser uid=2 cardno= pin=2 password=1 group=1 starttime=0 endtime=0 name= privilege=0 disable=0 verify=0\nuser uid=3 cardno= pin=3 password= group=1 starttime=0 endtime=0 name= privilege=0 disable=0 verify=0"
        let parsed = try request("POST", "/iclock/querydata?SN=3383154200002&type=tabledata&cmdid=415&tablename=user&count=3&packcnt=1&packidx=1", users)
        guard case .queryRows(let records) = parsed.message else {
            Issue.record("expected rows")
            return
        }
        #expect(records.count == 3)
        #expect(records.map { $0["password"] } == ["", "1", ""])
        #expect(records.allSatisfy { $0.tag == "user" })

        let transaction = try request("POST", "/iclock/querydata?SN=3383154200002&type=tabledata&cmdid=415&tablename=transaction&count=1&packcnt=1&packidx=1",
                                      "transaction cardno=0 pin=0 verified=200 doorid=1 eventtype=100 inoutstate=2 time_second=548003688 index=92 sitecode=0 devid=1 sn=3383154200002")
        if case .queryRows(let rows) = transaction.message {
            #expect(rows.first?.tag == "transaction")
            #expect(rows.first?["time_second"].flatMap { UInt32($0) }.map { PushDateTime(encodedSeconds: $0).year } == 2017)
        } else {
            Issue.record("expected transaction rows")
        }

        let apList = try request("POST", "/iclock/querydata?SN=1&type=vmtable&cmdid=415&tablename=APList&count=2&packcnt=1&packidx=1",
                                 "APList ecn=1\tssid=office, 2nd floor\trssi=-60\tmac=00:11:22:33:44:55\nAPList ecn=0\tssid=guest\trssi=-80\tmac=00:11:22:33:44:56\n")
        if case .queryRows(let rows) = apList.message {
            #expect(rows.count == 2)
            #expect(rows[0]["ssid"] == "office, 2nd floor")
        }
        #expect(emitted(apList) == "APList ecn=1\tssid=office, 2nd floor\trssi=-60\tmac=00:11:22:33:44:55\nAPList ecn=0\tssid=guest\trssi=-80\tmac=00:11:22:33:44:56\n")

        let photo = try request("POST", "/iclock/querydata?SN=1809140005&type=tabledata&cmdid=99&tablename=biophoto&count=1&packcnt=2&packidx=2",
                                "biophoto pin=124    filename=124.jpg    type=9    size=95040 content=AAAA")
        #expect(photo.query["packidx"] == "2")
        if case .queryRows(let rows) = photo.message { #expect(rows.first?["filename"] == "124.jpg") }
    }

    // §9.5.2 (line 8255): the GET OPTIONS answer.
    @Test func queryOptions() throws {
        let body = "~SerialNumber=3383154200002,FirmVer=Ver 8.0.1.3-20151229,~DeviceName=F20/M,LockCount=1"
        let parsed = try request("POST", "/iclock/querydata?SN=3383154200002&type=options&cmdid=408&tablename=options&count=1&packcnt=1&packidx=1", body)
        guard case .queryOptions(let list) = parsed.message else {
            Issue.record("expected options")
            return
        }
        #expect(list["SerialNumber"] == "3383154200002")
        #expect(emitted(parsed) == body)
    }

    // §9.2.1 (line 7442): datafmt=3 with its NUL-separated header.
    @Test func packedTransactions() throws {
        let archive: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02]
        let base64 = "H4sIAAEC"
        let body = Array("name=transaction.tgz\nsize=636\ndatacode=base64\ndatatype=tgz".utf8) + [0] + Array(base64.utf8)
        let target = "/iclock/querydata?SN=3383154200002&type=tabledata&cmdid=291&tablename=transaction&count=41&datafmt=3&Stamp=9999"
        let parsed = try PushRequest.parse(method: "POST", target: target, body: body)
        guard case .packedData(let packed) = parsed.message else {
            Issue.record("expected packed data")
            return
        }
        #expect(packed.name == "transaction.tgz")
        #expect(packed.size == 636)
        #expect(packed.dataType == "tgz")
        #expect(packed.archive == archive)
        #expect(parsed.body == body)
    }

    // §9.2.2: the ACCOUNT overview and a part upload.
    @Test func accountOverviewAndFileUpload() throws {
        let body = "SumCount=41\nFileName=transaction.tgz\nContentType=tgz\nFileCount=1\n"
        let parsed = try request("POST", "/iclock/cdata?SN=3383154200002&cmdid=292&desc=overview", body)
        guard case .accountOverview(let summary) = parsed.message else {
            Issue.record("expected an overview")
            return
        }
        #expect(summary["SumCount"] == "41")
        #expect(emitted(parsed) == body)
        let part = try PushRequest.parse(method: "POST", target: "/iclock/file?SN=3383154200002&cmdid=292&fileseq=1&contenttype=tgz&table=transaction&count=41", body: [0x1F, 0x8B, 0, 0xFF])
        #expect(part.message == .fileUpload([0x1F, 0x8B, 0, 0xFF]))
        #expect(part.query["fileseq"] == "1")
    }

    // §9.4 example 4: the Wiegand test upload.
    @Test func testData() throws {
        let body = "type=wg\tbitscount=26\tbits=10101010101010101010101010\tsn=3383154200002\n"
        let parsed = try request("POST", "/iclock/cdata?SN=3383154200002&table=testdata", body)
        #expect(parsed.message == .tableRows(table: "testdata", records: [try PushRecord.parse(String(body.dropLast()))]))
        #expect(emitted(parsed) == body)
    }

    // §9.6: remote registration data.
    @Test func enrollmentData() throws {
        let body = "TYPE=9 PIN=1 NO=0 INDEX=0 MAJOR_VER=58 MINOR_VER=1 TMP=XXXXXXXXXXXXXXXXXX BIOPHOTO=XXXXXXXXXXXXXXXXXX"
        let parsed = try request("POST", "/iclock/cdata?SN=3383154200002&type=BioData", body)
        guard case .enrollmentData(let kind, let records) = parsed.message else {
            Issue.record("expected enrolment data")
            return
        }
        #expect(kind == "BioData")
        #expect(records.first?["MAJOR_VER"] == "58")
        let info = try request("POST", "/iclock/cdata?SN=3383154200002&type=EnrollInfoData", "TYPE=0\tPIN=1\tTMP=12345678")
        if case .enrollmentData(_, let rows) = info.message { #expect(rows.first?["TMP"] == "12345678") }
    }

    // §10: remote identification.
    @Test func remoteIdentification() throws {
        let body = "time=2024-05-01 08:00:00\tpin=7\tcardno=123456789\taddrtype=2\teventaddr=1\tevent=0\tinoutstatus=0\tverifytype=4\n"
        let parsed = try request("POST", "/iclock/cdata?SN=3383154200002&AuthType=device", body)
        guard case .remoteIdentification(let events) = parsed.message, let event = events.first else {
            Issue.record("expected remote identification")
            return
        }
        #expect(event.addressType == 2)
        #expect(event.verifyMode == .card)
        #expect(event.cardNumber == CardNumber(123_456_789))
        #expect(emitted(parsed) == body)
    }

    // §7.14: channel infrared status (CRLF rows).
    @Test func infraredState() throws {
        let parsed = try request("POST", "/iclock/cdata?SN=3383154200002&table=irstate", "irstate=1\tirsensecount=2\tincount=10\toutcount=9\talarmcount=0\truncount=19\r\n")
        if case .tableRows(let table, let rows) = parsed.message {
            #expect(table == "irstate")
            #expect(rows.first?["runcount"] == "19")
        } else {
            Issue.record("expected irstate rows")
        }
    }

    @Test func rawCaptureWithHeaders() throws {
        let capture = "POST /iclock/cdata?SN=3383154200002&table=rtlog HTTP/1.1\r\nCookie: token=cb386eb5f8219329db63356fb262ddff\r\nHost: 192.168.213.17:8088\r\nUser-Agent: iClock Proxy/1.09\r\nContent-Length: 99\r\n\r\ntime=2017-01-10 11:49:32\tpin=0\tcardno=0\teventaddr=1\tevent=27\tinoutstatus=1\tverifytype=0\tindex=21"
        let parsed = try HTTPCapture.parse(Array(capture.utf8))
        #expect(parsed.method == "POST")
        #expect(SessionToken.fromCookie(parsed.header("cookie") ?? "") == "cb386eb5f8219329db63356fb262ddff")
        let request = try PushRequest.parse(capture: parsed)
        if case .realtimeLog(let rows) = request.message { #expect(rows.count == 1) } else { Issue.record("expected rtlog") }
        let chunked = "POST /iclock/devicecmd?SN=1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nID=1&\r\n12\r\nReturn=0&CMD=DATA\n\r\n0\r\n\r\n"
        let dechunked = try HTTPCapture.parse(Array(chunked.utf8))
        #expect(String(decoding: dechunked.body, as: UTF8.self) == "ID=1&Return=0&CMD=DATA\n")
    }
}

extension GoldenRequestTests {
    /// The reference renders request lines as `POST/iclock/…` (no space); such captures still read.
    @Test func requestLineWithoutSpaceAfterMethod() throws {
        let capture = try HTTPCapture.parse(Array("POST/iclock/cdata?SN=3383154200002&table=tabledata&tablename=user&count=1 HTTP/1.1\r\nHost: 192.168.213.17:8088\r\n\r\nuser uid=5\tpin=4".utf8))
        #expect(capture.method == "POST")
        #expect(capture.target == "/iclock/cdata?SN=3383154200002&table=tabledata&tablename=user&count=1")
    }
}
