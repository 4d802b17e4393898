import AccessControl
import Foundation
import Hummingbird
import Storage
import Synchronization
import Testing

@testable import HTTPAPI

/// The device targets of the Akuvox JSON API (issue 18): system, relay get/set, config, contacts, groups,
/// calllog, and schedules in the compact `Week`/`Daily` forms, called over HTTP on loopback.
@Suite("Akuvox API device targets")
struct AkuvoxDeviceTargetsTests {
    static let open = AkuvoxAPISettings(
        enabled: true, auth: .none,
        identity: AkuvoxIdentity(model: "E18C", firmware: "18.30.11.21", deviceName: "Gate", mac: "0c:11:05:00:00:01"))

    final class Recorder: AkuvoxConfigurationTarget {
        let seen = Mutex<[[String: String]]>([])
        func actionURLsChanged(_ values: [String: String]) async { seen.withLock { $0.append(values) } }
    }

    static func router(_ fixture: Fixture, _ directory: AkuvoxDirectoryStore, target: (any AkuvoxConfigurationTarget)?)
        -> Router<AdminRequestContext>
    {
        let router = Router(context: AdminRequestContext.self)
        AkuvoxRoutes.add(
            to: router, site: fixture.site, settings: open, directory: directory, configuration: target, clock: fixture.clock)
        return router
    }

    @Test("system/info reports the configured identity; system/status the time and uptime in seconds")
    func system() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, try .inMemory(), target: nil)) { (client: HTTPClient) async throws -> Void in
            let info = try await client.get("/api/system/info")
            #expect(info.retcode == 0)
            let status = try #require(info.data["Status"] as? [String: Any])
            #expect(status["Model"] as? String == "E18C")
            #expect(status["FirmwareVersion"] as? String == "18.30.11.21")
            #expect(status["MAC"] as? String == "0C:11:05:00:00:01")
            #expect(status["DeviceName"] as? String == "Gate")
            #expect(status["HardwareVersion"] is String)
            fixture.clock.advance(by: 90)
            let now = try await client.post("/api/system/status", #"{"target":"system","action":"status"}"#)
            #expect(now.data["UnixTime"] as? String == String(Int64(fixture.clock.now.timeIntervalSince1970)))
            #expect(now.data["SystemTime"] as? String == now.data["UnixTime"] as? String)
            #expect(now.data["UpTime"] as? String == "90")
            #expect(now.data["Uptime"] as? String == "90")
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var data: String
        var field: String
        var testDescription: String { field }
    }

    @Test(
        "config/set refuses an unknown key or a bad value by name and changes nothing",
        arguments: [
            Refusal(data: #"{"Config.Network.LAN.IPAddress": "10.0.0.9"}"#, field: "Config.Network.LAN.IPAddress"),
            Refusal(
                data: #"{"Config.DoorSetting.RELAY.HoldDelayA": "7", "Config.DoorSetting.RELAY.HoldDelayZ": "1"}"#,
                field: "Config.DoorSetting.RELAY.HoldDelayZ"),
            Refusal(data: #"{"Config.DoorSetting.RELAY.HoldDelayA": "61"}"#, field: "Config.DoorSetting.RELAY.HoldDelayA"),
            Refusal(data: #"{"Config.DoorSetting.RELAY.TypeB": "2"}"#, field: "Config.DoorSetting.RELAY.TypeB"),
            Refusal(data: #"{"Config.DoorSetting.INPUT.OptionA": "high"}"#, field: "Config.DoorSetting.INPUT.OptionA"),
            Refusal(
                data: #"{"Config.DoorSetting.RELAY.HoldDelayA": "7", "Config.Features.ACTIONURL.RelayATriggered": "ftp://x/"}"#,
                field: "Config.Features.ACTIONURL.RelayATriggered"),
            Refusal(
                data: #"{"Config.Features.ACTIONURL.RelayQTriggered": "http://x/"}"#,
                field: "Config.Features.ACTIONURL.RelayQTriggered"),
            Refusal(
                data: #"{"Config.Features.ACTIONURL.ValidCodeEntered": "http://x/a b"}"#,
                field: "Config.Features.ACTIONURL.ValidCodeEntered"),
        ])
    func configRefusals(_ example: Refusal) async throws {
        let fixture = try Fixture()
        let directory = try AkuvoxDirectoryStore.inMemory()
        let recorder = Recorder()
        try await withServer(Self.router(fixture, directory, target: recorder)) { (client: HTTPClient) async throws -> Void in
            let before = await fixture.site.currentConfiguration
            let reply = try await client.post("/api/config/set", #"{"target":"config","action":"set","data":\#(example.data)}"#)
            #expect(reply.retcode == -2)
            #expect(reply.text.contains(example.field), "\(reply.text)")
            #expect(await fixture.site.currentConfiguration == before)
            #expect(try await directory.configuration().isEmpty)
            #expect(recorder.seen.withLock { $0.isEmpty })
        }
    }

    @Test("config and relay keys change the site's relays; action URLs are stored and handed to the actions layer")
    func configApplies() async throws {
        let fixture = try Fixture()
        let directory = try AkuvoxDirectoryStore.inMemory()
        let recorder = Recorder()
        try await withServer(Self.router(fixture, directory, target: recorder)) { (client: HTTPClient) async throws -> Void in
            let set = try await client.post(
                "/api/config/set",
                #"{"data":{"Config.DoorSetting.RELAY.HoldDelayA":"7","Config.DoorSetting.RELAY.NameB":"Gate","Config.DoorSetting.DTMF.Code1":"5","Config.Features.ACTIONURL.RelayATriggered":"http://10.0.0.5/r?s=$relay1status"}}"#
            )
            #expect(set.retcode == 0, "\(set.text)")
            let relays = await fixture.site.currentConfiguration.relays.sorted { $0.id < $1.id }
            #expect(relays[0].holdDelay == 7)
            #expect(relays[0].dtmfCode == "5")
            #expect(relays[1].name == "Gate")
            #expect(
                recorder.seen.withLock { $0.last?["Config.Features.ACTIONURL.RelayATriggered"] }
                    == "http://10.0.0.5/r?s=$relay1status")
            let config = try await client.get("/api/config/get")
            #expect(config.data["Config.DoorSetting.RELAY.HoldDelayA"] as? String == "7")
            #expect(config.data["Config.Features.ACTIONURL.RelayATriggered"] as? String == "http://10.0.0.5/r?s=$relay1status")
            #expect(config.data["Config.Features.ACTIONURL.InputHTriggered"] as? String == "")

            // relay/set in the nested form; relay/get reads it back.
            #expect(try await client.post("/api/relay/set", #"{"data":{"RelayB":{"HoldDelay":"9","Type":"1"}}}"#).retcode == 0)
            let relay = try await client.get("/api/relay/get")
            let b = try #require(relay.data["RelayB"] as? [String: Any])
            #expect(b["HoldDelay"] as? String == "9")
            #expect(b["Type"] as? String == "1")
            #expect(b["Name"] as? String == "Gate")
            // What relay/get answers, relay/set takes back unchanged.
            let roundTrip = AkuvoxJSON.object([
                ("data", .object([("RelayB", .object(b.map { ($0.key, .string("\($0.value)")) }))]))
            ])
            #expect(try await client.post("/api/relay/set", roundTrip.serialized).retcode == 0)
        }
    }

    @Test("action URL keys without an actions layer are refused, and the relay keys beside them are not applied")
    func actionURLsNeedATarget() async throws {
        let fixture = try Fixture()
        let directory = try AkuvoxDirectoryStore.inMemory()
        try await withServer(Self.router(fixture, directory, target: nil)) { (client: HTTPClient) async throws -> Void in
            let before = await fixture.site.currentConfiguration
            let reply = try await client.post(
                "/api/config/set",
                #"{"data":{"Config.DoorSetting.RELAY.HoldDelayA":"7","Config.Features.ACTIONURL.RelayATriggered":"http://x/"}}"#)
            #expect(reply.retcode == -3)
            #expect(await fixture.site.currentConfiguration == before)
            #expect(try await directory.configuration().isEmpty)
        }
    }

    @Test("contacts and groups: a batch with one bad item stores nothing; a group with contacts cannot be deleted")
    func phoneBook() async throws {
        let fixture = try Fixture()
        let directory = try AkuvoxDirectoryStore.inMemory()
        try await withServer(Self.router(fixture, directory, target: nil)) { (client: HTTPClient) async throws -> Void in
            #expect(
                try await client.post("/api/group/add", #"{"data":{"item":[{"Name":"Family"},{"Name":"Staff"}]}}"#).retcode == 0)
            let bad = try await client.post(
                "/api/contact/set",
                #"{"action":"add","data":{"item":[{"Name":"Mum","Phone":"+4930111","Group":"Family"},{"Name":"X","Phone":"12 34"}]}}"#
            )
            #expect(bad.retcode == -2)
            #expect(bad.text.contains("item[1].Phone"))
            #expect(try await directory.contacts().isEmpty)
            let missingName = try await client.post("/api/contact/add", #"{"data":{"item":[{"Phone":"1"}]}}"#)
            #expect(missingName.text.contains("item[0].Name"))
            let added = try await client.post(
                "/api/contact/add", #"{"data":{"item":[{"Name":"Mum","Phone":"+4930111","Group":"Family"}]}}"#)
            #expect(added.retcode == 0)
            let contacts = try await client.get("/api/contact/get?page=1")
            #expect(contacts.items.map { $0["Name"] as? String } == ["Mum"])
            #expect(contacts.items.first?["Group"] as? String == "Family")
            let groups = try await client.get("/api/group/get")
            let family = try #require(groups.items.first { $0["Name"] as? String == "Family" }?["ID"] as? String)
            let inUse = try await client.post("/api/group/del", #"{"data":{"item":[{"ID":"\#(family)"}]}}"#)
            #expect(inUse.retcode == -2)
            #expect(inUse.text.contains("still has 1 contact"))
            // Renaming the group carries its contacts along.
            #expect(
                try await client.post("/api/group/set", #"{"data":{"item":[{"ID":"\#(family)","Name":"Kin"}]}}"#).retcode == 0)
            #expect(try await directory.contacts().first?.group == "Kin")
            #expect(try await client.get("/api/contact/get?page=2").items.isEmpty)
            #expect(try await client.post("/api/contact/del", #"{"data":{"item":[{"ID":"999"}]}}"#).text.contains("item[0]: ID"))
        }
    }

    @Test("calllog: one item per call, newest first, named from the phone book")
    func calllog() async throws {
        let fixture = try Fixture()
        let directory = try AkuvoxDirectoryStore.inMemory()
        _ = try await directory.apply([.addContact(name: "Mum", phone: "+4930111", group: "")])
        await fixture.site.dtmf(call: "c1", caller: "+4930111", digits: "1")
        await fixture.site.dtmf(call: "c1", caller: "+4930111", digits: "2")
        fixture.clock.advance(by: 60)
        await fixture.site.dtmf(call: "c2", caller: "+4930999", digits: "9")
        try await fixture.site.flush()
        try await withServer(Self.router(fixture, directory, target: nil)) { (client: HTTPClient) async throws -> Void in
            let log = try await client.get("/api/calllog/get")
            #expect(log.data["num"] as? Int == 2)
            #expect(log.items.map { $0["Num"] as? String } == ["+4930999", "+4930111"])
            #expect(log.items.map { $0["Name"] as? String } == ["+4930999", "Mum"])
            #expect(log.items.allSatisfy { $0["Type"] as? String == "Received" && $0["LocalIdentity"] as? String == "Gate" })
        }
    }

    @Test("calllog: a SIP call is one item with its digits, typed Received, Dialed or Missed by direction and outcome")
    func calllogOfSIPCalls() async throws {
        let fixture = try Fixture()
        let site = fixture.site
        await site.report(CallReport(call: "sip-1", direction: .incoming, party: "+4930111", phase: .answered))
        await site.dtmf(call: "sip-1", caller: "+4930111", digits: "1")
        await site.report(CallReport(call: "sip-1", direction: .incoming, party: "+4930111", phase: .ended, duration: 12))
        fixture.clock.advance(by: 60)
        await site.report(CallReport(call: "sip-2", direction: .outgoing, party: "guard", phase: .dialing))
        await site.report(
            CallReport(call: "sip-2", direction: .outgoing, party: "guard", phase: .failed, detail: "486 Busy Here"))
        fixture.clock.advance(by: 60)
        await site.report(CallReport(call: "sip-3", direction: .incoming, party: "+4930999", phase: .ringing))
        await site.report(CallReport(call: "sip-3", direction: .incoming, party: "+4930999", phase: .refused))
        try await site.flush()
        try await withServer(Self.router(fixture, try .inMemory(), target: nil)) { (client: HTTPClient) async throws -> Void in
            let log = try await client.get("/api/calllog/get")
            #expect(log.data["num"] as? Int == 3)
            #expect(log.items.map { $0["Num"] as? String } == ["+4930999", "guard", "+4930111"])
            #expect(log.items.map { $0["Type"] as? String } == ["Missed", "Dialed", "Received"])
        }
    }

    @Test("schedules in the compact forms: add without an ID numbers it; Week and Daily set the days and hours")
    func compactSchedules() async throws {
        let fixture = try Fixture()
        try await withServer(Self.router(fixture, try .inMemory(), target: nil)) { (client: HTTPClient) async throws -> Void in
            let add = try await client.post(
                "/api/schedule/set",
                #"{"action":"add","data":{"item":[{"Type":"1","Name":"Office","Week":"12345","Daily":"08:00-18:00"}]}}"#)
            #expect(add.retcode == 0, "\(add.text)")
            let office = try #require(try await client.get("/api/schedule/get").items.first { $0["Name"] as? String == "Office" })
            #expect(office["Week"] as? String == "12345")
            #expect(office["Daily"] as? String == "08:00-18:00")
            #expect(office["Sun"] as? String == "0")
            #expect(office["Mon"] as? String == "1")
            let bad = try await client.post("/api/schedule/add", #"{"data":{"item":[{"Type":"1","Week":"1289"}]}}"#)
            #expect(bad.text.contains("item[0].Week"))
            let builtIn = try await client.post("/api/schedule/set", #"{"data":{"item":[{"ID":"1001","Name":"Mine"}]}}"#)
            #expect(builtIn.retcode == -2)
        }
    }
}
