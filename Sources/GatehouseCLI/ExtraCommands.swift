import ArgumentParser

/// Subcommands contributed by the modules' own command files.
enum ExtraCommands {
    static let all: [any ParsableCommand.Type] = [PushCommand.self, WiegandCommand.self, CardCommand.self]
}
