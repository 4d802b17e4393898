import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real Mosquitto broker (Debian's `mosquitto`) on a free loopback port, optionally with a password file and TLS
/// (a CA and a server certificate for 127.0.0.1 made by the openssl CLI). `stop()` and `start()` again keep the
/// port and the persistence file, so a test can take the broker away and bring it back.
final class MosquittoBroker: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test that owns the broker, one call at a time.
    let directory: URL
    let port: Int
    let credentials: (user: String, password: String)?
    let tls: Bool
    private var process: Process?

    static let executable = URL(fileURLWithPath: "/usr/sbin/mosquitto")

    var caFile: URL { directory.appendingPathComponent("ca.pem") }
    var url: String { "\(tls ? "mqtts" : "mqtt")://127.0.0.1:\(port)" }

    init(credentials: (user: String, password: String)? = nil, tls: Bool = false) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw PeerLaunchError(description: "no mosquitto broker at \(Self.executable.path): run scripts/setup")
        }
        directory = try temporaryDirectory("mosquitto")
        port = try freeLoopbackPort()
        self.credentials = credentials
        self.tls = tls
        var lines = [
            "listener \(port) 127.0.0.1", "persistence true", "persistence_location \(directory.path)/",
            "log_dest stderr", "log_type error", "log_type warning",
            // Run as root (the test runner here), mosquitto would drop to its own user and lose the private files.
            "user root",
        ]
        if let credentials {
            let file = directory.appendingPathComponent("passwords")
            let tool = URL(fileURLWithPath: "/usr/bin/mosquitto_passwd")
            let result = try await runToEnd(tool, ["-b", "-c", file.path, credentials.user, credentials.password], quiet: true)
            guard result.status == 0 else { throw PeerLaunchError(description: "mosquitto_passwd failed") }
            lines += ["allow_anonymous false", "password_file \(file.path)"]
        } else {
            lines += ["allow_anonymous true"]
        }
        if tls {
            try await makeCertificates()
            lines += [
                "cafile \(caFile.path)", "certfile \(directory.appendingPathComponent("server.pem").path)",
                "keyfile \(directory.appendingPathComponent("server.key").path)",
            ]
        }
        try lines.joined(separator: "\n").appending("\n").write(
            to: directory.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
        try await start()
    }

    /// Starts the broker and returns once it accepts connections.
    func start() async throws {
        let process = Process()
        // Through Python, to unblock SIGTERM first: a child inherits the test runner's signal mask, in which it is
        // blocked, and mosquitto only saves its persistence file (the peer's session) when SIGTERM reaches it.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c",
            "import os, signal, sys; signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT}); "
                + "os.execv(sys.argv[1], sys.argv[1:])",
            Self.executable.path, "-c", directory.appendingPathComponent("mosquitto.conf").path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let accepting = await waitFor(within: 10) { canConnect(port: port) ? true : nil }
        guard accepting == true else { throw PeerLaunchError(description: "mosquitto did not start on port \(port)") }
    }

    /// SIGTERM: the broker saves its persistence file (sessions and queued messages) and drops every connection.
    func stop() {
        if let process { stopProcess(process) }
        process = nil
    }

    deinit { stop() }

    private func makeCertificates() async throws {
        let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
        let d = directory.path
        let extensions = directory.appendingPathComponent("san.cnf")
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: extensions, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Gatehouse test CA",
             "-keyout", "\(d)/ca.key", "-out", "\(d)/ca.pem"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "\(d)/server.key",
             "-out", "\(d)/server.csr"],
            ["x509", "-req", "-in", "\(d)/server.csr", "-CA", "\(d)/ca.pem", "-CAkey", "\(d)/ca.key", "-CAcreateserial",
             "-days", "2", "-extfile", extensions.path, "-out", "\(d)/server.pem"],
        ]
        for step in steps {
            let result = try await runToEnd(openssl, step, quiet: true)
            guard result.status == 0 else { throw PeerLaunchError(description: "openssl \(step[0]) failed") }
        }
    }
}

/// A port the kernel hands out on 127.0.0.1 (TCP unless `kind` says UDP), released for the caller to bind; with
/// `port`, that port if it is free now (else it throws).
func freeLoopbackPort(_ kind: __socket_type = SOCK_STREAM, port: Int = 0) throws -> Int {
    let descriptor = socket(AF_INET, Int32(kind.rawValue), 0)
    guard descriptor >= 0 else { throw PeerLaunchError(description: "socket: \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
    }
    guard bound else { throw PeerLaunchError(description: "bind: \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port` now.
func canConnect(port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

/// paho-mqtt (from the test venv) subscribed to the broker, recording what it receives and publishing on request
/// (Tests/GatehouseTests/Peers/mqtt_peer.py).
struct MQTTPeer {
    let peer: PythonPeer

    static var directory: URL { ActionsPeers.repositoryRoot.appendingPathComponent("Tests/GatehouseTests/Peers") }

    static func start(_ broker: MosquittoBroker, subscribe: String = "#", persistent: Bool = false) async throws -> MQTTPeer {
        var arguments = ["--broker-port", String(broker.port), "--subscribe", subscribe]
        if let credentials = broker.credentials { arguments += ["--username", credentials.user, "--password", credentials.password] }
        if broker.tls { arguments += ["--cafile", broker.caFile.path] }
        if persistent { arguments += ["--persistent"] }
        return MQTTPeer(peer: try await PythonPeer.start("mqtt_peer.py", arguments, in: directory))
    }

    struct Received {
        var topic: String
        var payload: String
        var retain: Bool
        var time: Double
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] }
    }

    func messages() async throws -> [Received] {
        let (_, data) = try await httpGet("http://127.0.0.1:\(peer.port)/_messages")
        let list = (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
        return list.map {
            Received(
                topic: $0["topic"] as? String ?? "", payload: $0["payload"] as? String ?? "", retain: $0["retain"] as? Bool ?? false,
                time: $0["t"] as? Double ?? 0)
        }
    }

    /// The messages on `topic` once `condition` holds for them (polled), else what arrived.
    func waitFor(_ topic: String, within seconds: Double = 20, until condition: ([Received]) -> Bool = { !$0.isEmpty })
        async throws -> [Received]
    {
        let found = try await GatehouseTests.waitFor(within: seconds) { () async throws -> [Received]? in
            let list = try await messages().filter { $0.topic == topic }
            return condition(list) ? list : nil
        }
        if let found { return found }
        return try await messages().filter { $0.topic == topic }
    }

    func publish(_ topic: String, _ payload: String, retain: Bool = false, qos: Int = 1) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["topic": topic, "payload": payload, "retain": retain, "qos": qos])
        let (status, _) = try await httpExchange(
            "POST", "http://127.0.0.1:\(peer.port)/_publish", headers: ["Content-Type": "application/json"], body: body)
        guard status == 200 else { throw PeerLaunchError(description: "mqtt_peer could not publish (\(status))") }
    }

    func stop() { peer.stop() }
}
