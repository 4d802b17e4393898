import ArgumentParser
import Foundation
import Gatehouse

#if canImport(Glibc)
    import Glibc
#endif

/// `gatehouse console`: a Lua REPL into the running host over its Unix socket (`<data>/console/console.sock`, reachable
/// only by the data directory's owner). Each session has its own scratch `_ENV` and runs under the handlers' limits.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Lua REPL into the running host (Unix socket in the data directory).",
        discussion: """
            Reads Lua line by line; prints what each line printed or returned. `=expr` and bare expressions show their value.
            From a pipe (`echo 'return kv.get("x")' | gatehouse console`) it exits 1 if any line failed.
            """)

    @Option(name: .long, help: "TOML configuration file (its data.dir is used).")
    var config: String?
    @Option(name: .long, help: "Data directory of the running host (default ./gatehouse-data).")
    var data: String?

    func run() throws {
        let dataDirectory: String
        if let data {
            dataDirectory = data
        } else {
            do {
                dataDirectory = try GatehouseConfiguration.load(
                    file: config, environment: ProcessInfo.processInfo.environment, overrides: .init()
                ).dataDirectory
            } catch {
                throw fail("configuration error: \(error)")
            }
        }
        let path = ConsoleWire.socketPath(dataDirectory: dataDirectory)
        let connection: ConsoleConnection
        do {
            connection = try ConsoleConnection(path: path)
        } catch {
            throw fail("\(error) (is `gatehouse run` running with data dir \(dataDirectory)?)")
        }
        defer { connection.close() }

        let interactive = isatty(STDIN_FILENO) == 1
        var failed = false
        var continuation = false
        while true {
            if interactive {
                FileHandle.standardOutput.write(Data((continuation ? ">> " : "> ").utf8))
            }
            guard let line = readLine(strippingNewline: true) else { break }
            let (status, text) = try connection.send(line)
            continuation = status == "more"
            if status == "error" {
                failed = true
                FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
            } else if !text.isEmpty {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        }
        if continuation { throw fail("console: input ended inside an unfinished chunk", code: 1) }
        if failed && !interactive { throw ExitCode(1) }
    }
}

/// A blocking client of the console socket: one request line, one length-prefixed reply.
final class ConsoleConnection {
    private let descriptor: Int32

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "console: socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(descriptor)
            throw Failure(description: "console: socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw Failure(description: "console: cannot connect to \(path): \(reason)")
        }
    }

    func send(_ line: String) throws -> (status: String, text: String) {
        try writeAll(Array((line + "\n").utf8))
        let header = try readHeaderLine()
        guard let (status, length) = ConsoleWire.parseHeader(header) else {
            throw Failure(description: "console: unexpected reply header `\(header)`")
        }
        return (status, String(decoding: try readExactly(length), as: UTF8.self))
    }

    func close() { Glibc.close(descriptor) }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(description: "console: the host closed the connection") }
            offset += written
        }
    }

    private func readHeaderLine() throws -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            guard read(descriptor, &byte, 1) == 1 else { throw Failure(description: "console: the host closed the connection") }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
            guard bytes.count < 64 else { throw Failure(description: "console: malformed reply from the host") }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = buffer[offset...].withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard got > 0 else { throw Failure(description: "console: the host closed the connection mid-reply") }
            offset += got
        }
        return buffer
    }
}
