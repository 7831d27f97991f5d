import Wire

/// One command of the command line: everything `--help`, the parser and dispatch need.
///
/// Commands are rows of ``CommandTable``; a new command is one more row, with its run
/// function in a file of its own.
public struct Command: Sendable {
    /// What the command's run function is given and returns.
    public typealias Run = @Sendable (Invocation) async throws -> Int32

    /// The name typed after `social-data-mcp`.
    public let name: String
    /// Other spellings that select it (`--help`, `-h`).
    public let aliases: [String]
    /// The positional arguments, as the usage line shows them (`CLIENT`, `TOOL [JSON]`).
    public let arguments: String
    /// One line on what it does.
    public let summary: String
    /// The options it accepts besides the configuration flags.
    public let options: [CommandOption]
    /// Whether the configuration must be valid before it runs (not for help and version,
    /// which must work whatever the environment holds).
    public let checksConfiguration: Bool
    /// Does the work; returns the exit code, or throws what ``CommandError/init(describing:)``
    /// turns into a message for stderr.
    public let run: Run

    /// Creates a row.
    public init(
        _ name: String,
        aliases: [String] = [],
        arguments: String = "",
        summary: String,
        options: [CommandOption] = [],
        checksConfiguration: Bool = true,
        run: @escaping Run
    ) {
        self.name = name
        self.aliases = aliases
        self.arguments = arguments
        self.summary = summary
        self.options = options
        self.checksConfiguration = checksConfiguration
        self.run = run
    }

    /// The option named `name` (`--format`), if the command has it.
    public func option(named name: String) -> CommandOption? { options.first { $0.name == name } }

    /// `social-data-mcp install CLIENT [--print] [--scope user|project] [--env K[=V] ...]`.
    public var usage: String {
        let parts = [ServerIdentity.name, name, arguments] + options.map(\.synopsis)
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// An option of one command: a switch, or a name followed by a value.
public struct CommandOption: Sendable, Equatable {
    /// `--format`.
    public let name: String
    /// What its value is called in help (`F`, `user|project`); `nil` for a switch.
    public let valueName: String?
    /// Whether it may be given more than once (`--env`).
    public let repeats: Bool
    /// One line on what it does.
    public let help: String

    /// An option followed by a value.
    public static func value(_ name: String, _ valueName: String, repeats: Bool = false, _ help: String) -> Self {
        CommandOption(name: name, valueName: valueName, repeats: repeats, help: help)
    }

    /// An option without a value.
    public static func flag(_ name: String, _ help: String) -> Self {
        CommandOption(name: name, valueName: nil, repeats: false, help: help)
    }

    /// Whether a value follows it.
    public var takesValue: Bool { valueName != nil }

    /// How the usage line shows it: `[--format F]`, `[--env K[=V] ...]`, `[--print]`.
    public var synopsis: String {
        "[" + name + (valueName.map { " " + $0 } ?? "") + (repeats ? " ..." : "") + "]"
    }
}
