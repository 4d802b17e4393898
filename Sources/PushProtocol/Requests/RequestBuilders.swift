/// Builders for the device role: each returns the request the reference prescribes, with the query in the
/// reference's order.
extension PushRequest {
    /// `GET /iclock/cdata?SN=…&options=all&pushver=…` plus optional extra keys (§4.1, Appendix 13).
    public static func initialization(serialNumber: String, pushVersion: PushProtocolVersion? = .v3_1_2, extra: [PushField] = []) -> PushRequest {
        var items = [PushField("SN", serialNumber), PushField("options", "all")]
        if let pushVersion { items.append(PushField("pushver", pushVersion.description)) }
        return PushRequest(method: .get, endpoint: .cdata, query: PushQuery(items: items + extra), message: .initialization)
    }

    /// `POST /iclock/registry?SN=…` (§4.4).
    public static func registration(serialNumber: String, options: PushOptionList) -> PushRequest {
        PushRequest(method: .post, endpoint: .registry, query: PushQuery(["SN": serialNumber]), message: .registration(options))
    }

    /// `POST /iclock/push?SN=…` (§4.5).
    public static func configurationRequest(serialNumber: String) -> PushRequest {
        PushRequest(method: .post, endpoint: .push, query: PushQuery(["SN": serialNumber]), message: .configurationRequest([]))
    }

    /// `POST /iclock/cdata?SN=…&table=rtlog` (§7.2).
    public static func realtimeLog(serialNumber: String, rows: [RealtimeRow]) -> PushRequest {
        PushRequest(method: .post, endpoint: .cdata, query: PushQuery(["SN": serialNumber, "table": "rtlog"]), message: .realtimeLog(rows))
    }

    /// `POST /iclock/cdata?SN=…&table=rtstate` (§7.3).
    public static func realtimeState(serialNumber: String, states: [RealtimeState]) -> PushRequest {
        PushRequest(method: .post, endpoint: .cdata, query: PushQuery(["SN": serialNumber, "table": "rtstate"]), message: .realtimeState(states))
    }

    /// `POST /iclock/cdata?SN=…&table=tabledata&tablename=…&count=…` (§7.5–§7.12).
    public static func tableData(serialNumber: String, table: PushTableName, records: [PushRecord]) -> PushRequest {
        PushRequest(
            method: .post, endpoint: .cdata,
            query: PushQuery(["SN": serialNumber, "table": "tabledata", "tablename": table.text, "count": String(records.count)]),
            message: .tableData(table: table, records: records))
    }

    /// `GET /iclock/getrequest?SN=…` (§8.1).
    public static func commandPoll(serialNumber: String) -> PushRequest {
        PushRequest(method: .get, endpoint: .getrequest, query: PushQuery(["SN": serialNumber]), message: .commandPoll)
    }

    /// `GET /iclock/ping?SN=…` (§6).
    public static func ping(serialNumber: String) -> PushRequest {
        PushRequest(method: .get, endpoint: .ping, query: PushQuery(["SN": serialNumber]), message: .ping)
    }

    /// `POST /iclock/devicecmd?SN=…` (§7.4).
    public static func commandResults(serialNumber: String, results: [CommandResult]) -> PushRequest {
        PushRequest(method: .post, endpoint: .devicecmd, query: PushQuery(["SN": serialNumber]), message: .commandResults(results))
    }

    /// `POST /iclock/querydata?SN=…&type=…&cmdid=…&tablename=…&count=…&packcnt=…&packidx=…` (§9.1.3, §9.1.4).
    public static func queryData(
        serialNumber: String, type: String, commandID: String, table: String, count: Int, packageCount: Int = 1,
        packageIndex: Int = 1, message: PushRequestMessage
    ) -> PushRequest {
        PushRequest(
            method: .post, endpoint: .querydata,
            query: PushQuery([
                "SN": serialNumber, "type": type, "cmdid": commandID, "tablename": table, "count": String(count),
                "packcnt": String(packageCount), "packidx": String(packageIndex),
            ]),
            message: message)
    }

    /// `GET /iclock/rtdata?SN=…&type=time` (§9.5.1).
    public static func timeRequest(serialNumber: String) -> PushRequest {
        PushRequest(method: .get, endpoint: .rtdata, query: PushQuery(["SN": serialNumber, "type": "time"]), message: .timeRequest)
    }
}
