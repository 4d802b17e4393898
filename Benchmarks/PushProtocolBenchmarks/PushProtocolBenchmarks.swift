import Benchmark
import PushProtocol

/// A 1,000-row rtlog body as acc firmware sends it (TAB-separated, CRLF, the extra fields real devices add).
private let rtlogBody: [UInt8] = {
    var text = ""
    for index in 0..<1000 {
        let second = index % 60
        text += "time=2024-05-01 08:\(index / 60 % 60 < 10 ? "0" : "")\(index / 60 % 60):\(second < 10 ? "0" : "")\(second)\tpin=\(10_000 + index)\tcardno=\(123_456_789 + index)\tsitecode=0\tlinkid=0\teventaddr=\(index % 4 + 1)\tevent=\(index % 3 == 0 ? 27 : 0)\tinoutstatus=\(index % 2)\tverifytype=4\tindex=\(index)\tmaskflag=0\ttemperature=36.5\tconvtemperature=97.7\r\n"
    }
    return Array(text.utf8)
}()

/// A 1,000-command getrequest reply: user updates, authorisations, deletes and door controls.
private let getrequestBody: [UInt8] = {
    var text = ""
    for index in 0..<1000 {
        switch index % 4 {
        case 0: text += "C:\(index):DATA UPDATE user CardNo=\(123_456_789 + index)\tPin=\(index)\tPassword=\tGroup=0\tStartTime=0\tEndTime=0\tName=User \(index)\tPrivilege=0\n"
        case 1: text += "C:\(index):DATA UPDATE userauthorize Pin=\(index)\tAuthorizeTimezoneId=1\tAuthorizeDoorId=15\tDevID=1\n"
        case 2: text += "C:\(index):DATA DELETE templatev10 Pin=\(index)\n"
        default: text += "C:\(index):CONTROL DEVICE 01010105\n"
        }
    }
    return Array(text.utf8)
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "Parse 1,000-row rtlog body",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try PushRequest.parse(method: "POST", target: "/iclock/cdata?SN=3383154200002&table=rtlog", body: rtlogBody))
        }
    }

    Benchmark(
        "Parse 1,000-command getrequest reply",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ServerReply.parse(getrequestBody, endpoint: .getrequest))
        }
    }
}
