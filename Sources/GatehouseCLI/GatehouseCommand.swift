import ArgumentParser
import Foundation
import Gatehouse
import Logging
import NIOCore
import NIOPosix
import Scripting
import Storage

/// The process entry point.
///
/// Swift concurrency runs on NIO's event loops (`MultiThreadedEventLoopGroup.singleton`, one per core), the same
/// threads Hummingbird serves HTTP and PUSH on. Without this, every request hops from its event loop to the
/// concurrency pool and back, a thread switch each way; on a 2-core controller those switches were most of the
/// admin API's tail latency. It must happen before the first task starts, so it is the first thing `main` does.
/// Nothing on the global executor may block: Lua, libcurl and the file watcher have threads of their own, and
/// SQLite work runs on GRDB's queues.
@main
enum GatehouseMain {
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await GatehouseCommand.main()
    }
}

/// The `gatehouse` executable: argument parsing and exit codes only.
///
/// Exit codes: 0 success; 1 a check or lookup failed (`check`, `push decode`,
/// `wiegand decode`); 2 configuration or start-up error; 64 usage error.
struct GatehouseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "Access-control automation host: PUSH server and device, door engine, Lua site scripts.",
        version: GatehouseHost.version,
        subcommands: [
            RunCommand.self, CheckCommand.self, VersionCommand.self, TokenCommand.self,
        ] + ExtraCommands.all
    )
}

/// Exits with code 2 and one line on stderr: the operator's error path.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
    FileHandle.standardError.write(Data("gatehouse: \(message)\n".utf8))
    return ExitCode(code)
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the host: store, site scripts, HTTP and PUSH listeners.")

    @Option(name: .long, help: "TOML configuration file.")
    var config: String?
    @Option(name: .long, help: "Data directory holding gatehouse.sqlite (default ./gatehouse-data).")
    var data: String?
    @Option(name: .long, help: "Site directory with main.lua (default ./site if present, else no scripts).")
    var site: String?
    @Option(name: .customLong("http-listen"), help: "Admin HTTP listener host:port (default 127.0.0.1:8080).")
    var httpListen: String?
    @Option(name: .customLong("push-listen"), help: "Device-facing PUSH listener host:port or 'off' (default 0.0.0.0:8088).")
    var pushListen: String?
    @Option(name: .customLong("log-format"), help: "text or json.")
    var logFormat: String?

    func run() async throws {
        let configuration: GatehouseConfiguration
        do {
            configuration = try GatehouseConfiguration.load(
                file: config, environment: ProcessInfo.processInfo.environment,
                overrides: .init(
                    dataDirectory: data, siteDirectory: site, httpListen: httpListen, pushListen: pushListen,
                    logFormat: logFormat))
        } catch {
            throw fail("configuration error: \(error)")
        }
        GatehouseLogging.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        // Everything the host writes (the database, the last good scripts, the console socket) is its own: secrets
        // live there.
        umask(0o077)
        do {
            try await GatehouseHost(configuration: configuration).run()
        } catch let error as HostError {
            throw fail(error.description)
        } catch let error as APITokenStore.TokenError {
            throw fail(error.description)
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a site directory offline; prints file:line: message per problem.")

    @Argument(help: "The site directory (holding main.lua).")
    var site: String

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: site, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw fail("\(site): no such site directory")
        }
        let directory = URL(fileURLWithPath: site).standardizedFileURL
        let diagnostics = ScriptHost.check(siteDirectory: directory)
        for diagnostic in diagnostics {
            print(diagnostic.description)
        }
        // The site's actions file (actions.toml) is part of the site: the same file:line: key errors as at start.
        let actionProblems = SiteActionsCheck.problems(siteDirectory: directory)
        for problem in actionProblems { print(problem) }
        if !diagnostics.isEmpty || !actionProblems.isEmpty { throw ExitCode(1) }
        print("\(site): ok")
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
    func run() { print("gatehouse \(GatehouseHost.version)") }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage admin API bearer tokens.", subcommands: [Create.self, List.self, Revoke.self])

    struct Options: ParsableArguments {
        @Option(name: .long, help: "Data directory holding gatehouse.sqlite (default ./gatehouse-data).")
        var data: String = "./gatehouse-data"

        func store() throws -> APITokenStore {
            do {
                return APITokenStore(database: try GatehouseStore.open(directory: data))
            } catch {
                throw fail(error.description)
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; prints it once (only its hash is stored).")
        @Option(name: .long, help: "A unique name for the token.")
        var name: String
        @OptionGroup var options: Options

        func run() throws {
            do {
                print(try options.store().create(name: name).secret)
            } catch let error as APITokenStore.TokenError {
                throw fail(error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List token names.")
        @OptionGroup var options: Options
        func run() throws {
            for name in try options.store().names() { print(name) }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name.")
        @Option(name: .long) var name: String
        @OptionGroup var options: Options
        func run() throws {
            guard try options.store().revoke(name: name) else { throw fail("no token named '\(name)'", code: 1) }
        }
    }
}
