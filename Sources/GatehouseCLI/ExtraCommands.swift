import ArgumentParser

/// Subcommands contributed by the modules' own command files.
enum ExtraCommands {
    static let all: [any ParsableCommand.Type] = [
        ScriptTestCommand.self, ScriptReplayCommand.self, PushCommand.self, WiegandCommand.self, CardCommand.self,
        SimulateDeviceCommand.self, ConsoleCommand.self,
    ]
}
