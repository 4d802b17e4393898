import AccessControl
import PushProtocol

/// What one request asks the server to do, decided from the parsed request and what the registry knows about the
/// device. Pure: no store, no clock, no sockets (sans-I/O, like swift-nio-ssh's state machines); `PushServer`
/// performs the step.
public enum SessionStep: Sendable, Hashable {
    /// `GET cdata?options=all` (§4.1).
    case handshake
    /// `POST registry` (§4.4).
    case register(PushOptionList)
    /// `POST push` (§4.5).
    case configuration
    /// Refused with 401 and no reason (unknown, unapproved, or a wrong session token): the device keeps its data.
    case refuse
    /// `exchange?type=publickey` (§4.2): the device's public key P1 (Gatehouse's scheme, PushCrypto).
    case exchangePublicKey(String)
    /// `exchange?type=factors` (§4.3): the device's factor R1, encrypted to the server's public key.
    case exchangeFactors(String)
    /// `getrequest` poll (§8.1).
    case poll
    /// `ping` (§6).
    case ping
    /// `rtdata?type=time` (§9.5.1).
    case time
    /// `devicecmd` results, or results POSTed to getrequest by old firmware (§7.4).
    case results([CommandResult])
    /// `cdata?AuthType=device` (§10).
    case identify([RealtimeEvent])
    /// `file?url=` firmware download: this server hosts no firmware files.
    case fileNotHosted
    /// Any upload to store (rtlog, rtstate, options, tabledata, querydata, ACCOUNT, enrollment, file parts).
    case ingest(PushRequestMessage)
}

public enum PushServerSession {
    /// Decides the step for a request from a device in the given registry state. `cookie` is the `Cookie` header.
    public static func step(for request: PushRequest, device: PushDeviceRecord?, cookie: String?) -> SessionStep {
        switch request.message {
        case .initialization:
            return .handshake
        case .registration(let options):
            return .register(options)
        default:
            break
        }
        guard DeviceAdmission.admits(device, cookie: cookie) else { return .refuse }
        switch request.message {
        case .configurationRequest: return .configuration
        // Only an admitted device negotiates encryption (the exchange follows a handshake that named PushProtVer).
        case .publicKey(let key): return .exchangePublicKey(key)
        case .factors(let value): return .exchangeFactors(value)
        case .commandPoll: return .poll
        case .ping: return .ping
        case .timeRequest: return .time
        case .commandResults(let results): return .results(results)
        case .remoteIdentification(let events): return .identify(events)
        case .fileDownload: return .fileNotHosted
        default: return .ingest(request.message)
        }
    }
}

/// Whether a device may use the data endpoints.
public enum DeviceAdmission {
    /// Approved, and when it presents a session token, the token matches the current session (§4.5). A device that
    /// sends no cookie is admitted on its serial alone (several firmware never send one).
    public static func admits(_ device: PushDeviceRecord?, cookie: String?) -> Bool {
        guard let device, device.status == .approved else { return false }
        guard let cookie, !cookie.isEmpty else { return true }
        guard let presented = SessionToken.fromCookie(cookie) else {
            // A cookie that carries no token (e.g. only a JSESSIONID a proxy added) is not a wrong token.
            return true
        }
        guard let expected = device.expectedToken else { return false }
        // The token is a bearer secret: compared in constant time.
        return ConstantTime.equal(presented.lowercased(), expected.lowercased())
    }
}
