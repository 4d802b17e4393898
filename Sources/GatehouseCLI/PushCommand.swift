import ArgumentParser
import Foundation
import PushProtocol

/// `gatehouse push …`: tools for integrators working with the PUSH protocol.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Tools for the ZKTeco Security PUSH protocol.",
        subcommands: [Decode.self])

    /// `gatehouse push decode`: prints a captured exchange as the typed model, in JSON.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode a captured PUSH request, command or server reply to JSON.",
            discussion: """
                Exactly one input form:
                  --request <file>                 a raw HTTP request (request line, headers, blank line, body)
                  --path '<path?query>' --body <file>   a request given as its target and body
                  --command '<C:… line>'           a server command
                  --reply --path '<path?query>' --body <file>   a server reply to a request on that path
                Exit 0 with JSON on stdout; exit 1 with `line N, field F: what is wrong` on stderr.
                """)

        @Option(name: .long, help: "A raw HTTP request capture.")
        var request: String?

        @Option(name: .long, help: "The request target, e.g. '/iclock/cdata?SN=123&table=rtlog'.")
        var path: String?

        @Option(name: .long, help: "A file holding the body (request body, or reply body with --reply).")
        var body: String?

        @Option(name: .long, help: "A server command line, e.g. 'C:221:CONTROL DEVICE 01010105'.")
        var command: String?

        @Flag(name: .long, help: "Decode --body as the server's reply to a request on --path.")
        var reply = false

        func validate() throws {
            let forms = [request != nil, command != nil, path != nil].filter { $0 }.count
            guard forms == 1 else {
                throw ValidationError("give exactly one of --request, --command, or --path (with --body)")
            }
            if reply && path == nil { throw ValidationError("--reply needs --path and --body") }
        }

        func run() throws {
            do {
                let json: JSONValue
                if let request {
                    json = try PushDecode.request(capture: try readFile(request))
                } else if let command {
                    json = try PushDecode.command(command)
                } else if let path {
                    let bodyBytes = try body.map(readFile) ?? []
                    json = reply ? try PushDecode.reply(target: path, body: bodyBytes) : try PushDecode.request(target: path, body: bodyBytes)
                } else {
                    throw ValidationError("nothing to decode")
                }
                print(json.rendered())
            } catch let error as PushParseError {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(1)
            } catch let error as FileError {
                FileHandle.standardError.write(Data((error.message + "\n").utf8))
                throw ExitCode(1)
            }
        }

        private struct FileError: Error {
            var message: String
        }

        private func readFile(_ path: String) throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw FileError(message: "line 0, field file: cannot read `\(path)`")
            }
            return Array(data)
        }
    }
}
