import Digests
import AccessControl
import Foundation
import PushDevice
import PushProtocol
import Testing

/// The device role's command execution against a real door engine (the default four-door site), table-driven from
/// the reference's own examples (§9.1, §9.4).
@Suite struct DeviceExecutorTests {
    static func executor(view: UpstreamView? = nil) async throws -> (DeviceCommandExecutor, Site) {
        let site = Site.defaultSite(clock: AccessControl.TestClock())
        try await site.upsert(User(pin: "1", name: "One", group: 1))
        try await site.upsert(User(pin: "2", name: "Two", group: 3))
        let executor = DeviceCommandExecutor(site: site, identity: DeviceIdentity(serialNumber: "GHX"), view: view)
        return (executor, site)
    }

    static func run(_ executor: DeviceCommandExecutor, _ text: String) async throws -> CommandOutcome {
        await executor.execute(try ServerCommand.parse(text))
    }

    /// The reference's DATA UPDATE examples, with the Return code the device gives.
    @Test(arguments: [
        ("C:295:DATA UPDATE user CardNo=\tPin=1\tPassword=234\tGroup=0\tStartTime=0\tEndTime=0\tName=\tPrivilege=0", 0),
        ("C:500:DATA UPDATE extuser Pin=1\tFunSwitch=1\tFirstName=\tLastName=\tPersonalVS=0", 0),
        ("C:501:DATA UPDATE mulcarduser Pin=1\tCardNo=CC9932DD\tLossCardFlag=0\tCardType=0", 0),
        ("C:296:DATA UPDATE userauthorize Pin=1\tAuthorizeTimezoneId=1\tAuthorizeDoorId=1\tDevID=1", 0),
        ("C:503:DATA UPDATE holiday Holiday=20100101\tHolidayType=1\tLoop=1", 0),
        ("C:307:DATA UPDATE timezone TimeZoneId=2\tSunTime1=0\tSunTime2=0\tSunTime3=0\tMonTime1=65539\tMonTime2=65537100\tMonTime3=0", 0),
        ("C:504:DATA UPDATE firstcard DoorID=1\tTimezoneID=1\tPin=1\tDevID=1", 0),
        ("C:505:DATA UPDATE multimcard Index=1\tDoorId=1\tGroup1=1\tGroup2=3\tGroup3=\tGroup4=\tGroup5=\tDevID=1", 0),
        ("C:508:DATA UPDATE DSTSetting Year=2018\tStartTime=03020517\tEndTime=08020508\tLoop=1", 0),
        ("C:506:DATA UPDATE inoutfun Index=1\tEventType=204\tInAddr=0\tOutType=0\tOutAddr=1\tOutTime=0\tReserved=0", -1004),
        ("C:333:DATA UPDATE templatev10 Pin=1\tFingerID=6\tValid=1\tTemplate=Si9TUzIx", -1004),
        ("C:9:DATA UPDATE USERINFO PIN=1", -629),
        ("C:10:DATA UPDATE mulcarduser Pin=404\tCardNo=1", -11),
        ("C:11:DATA UPDATE firstcard DoorID=9\tTimezoneID=1\tPin=1", -11),
        ("C:12:DATA UPDATE holiday Holiday=2010\tHolidayType=1\tLoop=1", -11),
    ])
    func dataUpdate(_ text: String, _ code: Int) async throws {
        let (executor, _) = try await Self.executor()
        let outcome = try await Self.run(executor, text)
        #expect(outcome.result.returnCode?.rawValue == code, "\(text)")
        #expect(outcome.result.command?.hasPrefix("DATA") == true)
    }

    @Test func updatesReachTheDoorModel() async throws {
        let (executor, site) = try await Self.executor()
        for text in [
            "C:501:DATA UPDATE mulcarduser Pin=1\tCardNo=CC9932DD\tLossCardFlag=0\tCardType=0",
            "C:500:DATA UPDATE extuser Pin=1\tFunSwitch=3\tPersonalVS=4",
            "C:503:DATA UPDATE holiday Holiday=20100101\tHolidayType=1\tLoop=1",
            "C:307:DATA UPDATE timezone TimeZoneId=2\tMonTime1=65539\tMonTime2=65537100",
            "C:504:DATA UPDATE firstcard DoorID=1\tTimezoneID=1\tPin=1",
            "C:505:DATA UPDATE multimcard Index=1\tDoorId=1\tGroup1=1\tGroup2=3",
            "C:508:DATA UPDATE DSTSetting Year=2018\tStartTime=03020517\tEndTime=08020508\tLoop=1",
        ] {
            #expect(try await Self.run(executor, text).result.returnCode == .success, "\(text)")
        }
        let user = try #require(await site.user("1"))
        #expect(user.cards.map(\.number) == [CardNumber(0xCC99_32DD)])
        #expect(user.isTemporary && user.hasExtendedUnlock)
        #expect(user.verifyMode == .card)
        #expect(await site.holidays == [Holiday(date: CalendarDate(year: 2010, month: 1, day: 1), type: 1, recurrence: .yearly)])
        let timezone = try #require(await site.timezones.first { $0.id == 2 })
        #expect(timezone.pushValues[3] == 65539 && timezone.pushValues[4] == 65_537_100)
        let configuration = await site.currentConfiguration
        #expect(configuration.firstCardRules == [FirstCardRule(door: 1, timezone: 1, user: "1")])
        #expect(configuration.multiCardCombinations == [MultiCardCombination(index: 1, door: 1, groups: [1, 3])])
        #expect(configuration.settings.daylightSaving?.start == DaylightSavingRule.Moment(month: 3, week: 2, weekday: 5, hour: 17))

        // COUNT and QUERY read the same rows back; DELETE with a condition removes only what matches.
        #expect(try await Self.run(executor, "C:20:DATA COUNT holiday").result.returnCode?.rawValue == 1)
        #expect(try await Self.run(executor, "C:21:DATA COUNT timezone").result.returnCode?.rawValue == 2)
        let query = try await Self.run(executor, "C:22:DATA QUERY tablename=multimcard,fielddesc=*,filter=*")
        #expect(query.result.returnCode?.rawValue == 1)
        guard case .queryRows(let rows) = query.uploads.first?.message else {
            Issue.record("expected querydata rows")
            return
        }
        #expect(rows.first?["Group2"] == "3")
        #expect(try await Self.run(executor, "C:23:DATA DELETE firstcard DoorID=2").result.returnCode == .success)
        #expect(await site.currentConfiguration.firstCardRules.count == 1)
        #expect(try await Self.run(executor, "C:24:DATA DELETE firstcard DoorID=1").result.returnCode == .success)
        #expect(await site.currentConfiguration.firstCardRules.isEmpty)
        #expect(try await Self.run(executor, "C:25:DATA DELETE holiday *").result.returnCode == .success)
        #expect(await site.holidays.isEmpty)
        #expect(try await Self.run(executor, "C:26:DATA DELETE user Pin=2").result.returnCode == .success)
        #expect(await site.user("2") == nil)
        #expect(try await Self.run(executor, "C:27:DATA DELETE transaction *").result.returnCode == .notSupported)
    }

    @Test func controlDeviceDrivesTheDoors() async throws {
        let (executor, site) = try await Self.executor()
        #expect(try await Self.run(executor, "C:221:CONTROL DEVICE 01010105").result.returnCode == .success)
        #expect(try await site.status(of: 1).isRelayActive)
        #expect(try await Self.run(executor, "C:30:CONTROL DEVICE 01010100").result.returnCode == .success)
        #expect(try await !site.status(of: 1).isRelayActive)
        #expect(try await Self.run(executor, "C:31:CONTROL DEVICE 06020100").result.returnCode == .success)
        #expect(try await site.status(of: 2).isLocked)
        #expect(try await Self.run(executor, "C:32:CONTROL DEVICE 06020000").result.returnCode == .success)
        #expect(try await !site.status(of: 2).isLocked)
        #expect(try await Self.run(executor, "C:33:CONTROL DEVICE 04000100").result.returnCode == .success)
        for door in 1...4 { #expect(try await site.status(of: DoorID(door)).isNormalOpen) }
        #expect(try await Self.run(executor, "C:222:CONTROL DEVICE 02010000").result.returnCode == .success)
        #expect(try await Self.run(executor, "C:34:CONTROL DEVICE 01090105").result.returnCode?.rawValue == -11)  // no door 9
        #expect(try await Self.run(executor, "C:35:CONTROL DEVICE 01010205").result.returnCode == .notSupported)  // aux output
        #expect(try await Self.run(executor, "C:223:CONTROL DEVICE 03000000").result.returnCode == .notSupported)  // no restart hook
        #expect(try await Self.run(executor, "C:224:CONTROL DEVICE 0900000000").result.returnCode == .notSupported)
    }

    @Test func doorParametersThroughSetAndGetOptions() async throws {
        let (executor, site) = try await Self.executor()
        #expect(try await Self.run(executor, "C:403:SET OPTIONS Door1Drivertime=9,Door2MaskFlag=1,Door1SensorType=2,IPAddress=192.168.213.221").result.returnCode == .success)
        let doors = await site.currentConfiguration.doors
        #expect(doors.first { $0.id == 1 }?.lockDriveTime == 9)
        #expect(doors.first { $0.id == 1 }?.sensorType == .normallyClosed)
        #expect(try await site.status(of: 2).isLocked)
        let read = try await Self.run(executor, "C:404:GET OPTIONS Door1Drivertime,Door2MaskFlag,IPAddress")
        #expect(read.result.payload == ["Door1Drivertime=9", "Door2MaskFlag=1", "IPAddress=192.168.213.221"])
        guard case .queryOptions(let list) = read.uploads.first?.message else {
            Issue.record("expected the querydata options upload")
            return
        }
        #expect(list["Door1Drivertime"] == "9")
        #expect(try await Self.run(executor, "C:405:SET OPTIONS Door1SensorType=7").result.returnCode?.rawValue == -11)
        #expect(try await Self.run(executor, "C:406:SET OPTIONS Door9Drivertime=3").result.returnCode?.rawValue == -11)
    }

    @Test func exposedDoorsAreRenumbered() async throws {
        let (executor, site) = try await Self.executor(view: UpstreamView(doors: [3, 4]))
        #expect(try await Self.run(executor, "C:1:DATA UPDATE userauthorize Pin=1\tAuthorizeTimezoneId=1\tAuthorizeDoorId=1").result.returnCode == .success)
        #expect(await site.user("1")?.authorisations.first?.doors == DoorMask([3]))
        #expect(try await Self.run(executor, "C:2:CONTROL DEVICE 01020105").result.returnCode == .success)
        #expect(try await site.status(of: 4).isRelayActive)
        #expect(try await !site.status(of: 2).isRelayActive)
        #expect(try await Self.run(executor, "C:3:CONTROL DEVICE 01030105").result.returnCode?.rawValue == -11)
        let query = try await Self.run(executor, "C:4:DATA QUERY tablename=userauthorize,fielddesc=*,filter=*")
        guard case .queryRows(let rows) = query.uploads.first?.message else {
            Issue.record("expected querydata rows")
            return
        }
        #expect(rows.first?["AuthorizeDoorId"] == "1")
    }

    @Test func enrolmentUpgradeAndTestHostAnswerHonestly() async throws {
        let (executor, _) = try await Self.executor()
        #expect(try await Self.run(executor, "C:1:ENROLL_BIO TYPE=9\tPIN=1\tRETRY=3\tOVERWRITE=1").result.returnCode == .notSupported)
        // Without a connection to fetch from, UPGRADE cannot download and says so.
        #expect(try await Self.run(executor, "C:2:UPGRADE type=1,checksum=00,size=1,url=http://127.0.0.1:9/emfw.cfg").result.returnCode == .notSupported)
        // Nothing listens on the discard port of loopback.
        #expect(try await Self.run(executor, "C:295:Test Host Address=127.0.0.1:9").result.returnCode?.rawValue == -1)
    }

    /// The server side of an UPGRADE download, in memory: the package bytes for the URL it hosts.
    struct PackageServer: CommandFileFetcher {
        let url: String
        let body: [UInt8]

        func get(target: String) async throws(PushDeviceError) -> PushTransportReply {
            let hosted = target.contains(DeviceCommandExecutorTestsSupport.encoded(url)) || target == url
            return PushTransportReply(status: hosted ? 200 : 404, body: hosted ? body : [])
        }
    }

    @Test func upgradeDownloadsAndVerifiesButNeverInstalls() async throws {
        let (executor, _) = try await Self.executor()
        let package = Array("emfw.cfg firmware image".utf8)
        let md5 = Digest.md5Hex(String(decoding: package, as: UTF8.self))
        let server = PackageServer(url: "http://127.0.0.1:8088/fw/emfw.cfg", body: package)
        func upgrade(_ text: String, _ fetcher: PackageServer = server) async throws -> Int? {
            await executor.execute(try ServerCommand.parse(text), transport: fetcher).result.returnCode?.rawValue
        }
        let url = "http://127.0.0.1:8088/fw/emfw.cfg"
        // Intact: checked, then refused as not this platform's firmware (the binary is never replaced).
        #expect(try await upgrade("C:123:UPGRADE type=1,checksum=\(md5),size=\(package.count),url=\(url)") == -22)
        #expect(try await upgrade("C:124:UPGRADE checksum=\(md5),size=\(package.count),url=\(url),supportsubcontracting=1") == -22)
        // Method 1 packages arrive base64-encoded; the checksum is of the decoded file.
        let encoded = PackageServer(url: url, body: Array(Data(package).base64EncodedString().utf8))
        #expect(try await upgrade("C:384:UPGRADE checksum=\(md5),url=\(url),size=\(package.count)", encoded) == -22)
        #expect(try await upgrade("C:125:UPGRADE type=1,checksum=00000000000000000000000000000000,size=\(package.count),url=\(url)") == -19)
        #expect(try await upgrade("C:126:UPGRADE type=1,checksum=\(md5),size=5,url=\(url)") == -20)
        #expect(try await upgrade("C:127:UPGRADE type=1,checksum=\(md5),size=1,url=http://127.0.0.1:8088/other.cfg") == -17)
    }

    @Test func accountUploadsSummaryAndArchive() async throws {
        let (executor, site) = try await Self.executor()
        _ = await site.present(.card(CardNumber(42)), at: ReaderID(1))
        _ = await site.present(.card(CardNumber(43)), at: ReaderID(2))
        await site.recordSiteEvent("script.error", detail: "x", source: .script("main.lua"))
        let outcome = try await Self.run(executor, "C:7:ACCOUNT transaction MaxIndex=0")
        #expect(outcome.result.returnCode?.rawValue == 2)  // the site event is not this controller's record
        #expect(outcome.uploads.count == 2)
        guard case .accountOverview(let lines) = outcome.uploads.first?.message else {
            Issue.record("expected the overview first")
            return
        }
        #expect(lines["SumCount"] == "2")
        guard case .fileUpload(let archive) = outcome.uploads.last?.message else {
            Issue.record("expected the file part")
            return
        }
        #expect(archive.prefix(2) == [0x1F, 0x8B])
        #expect(outcome.uploads.last?.query["table"] == "transaction")
    }
}

enum DeviceCommandExecutorTestsSupport {
    /// The URL as the device puts it in `/iclock/file?url=`.
    static func encoded(_ url: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return url.addingPercentEncoding(withAllowedCharacters: allowed) ?? url
    }
}
