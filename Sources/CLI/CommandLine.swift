import Catalog
import Spend

/// A parsed command line: the command, its positional arguments and options, and the
/// configuration flags (each also an environment variable) folded into overrides.
public struct CommandLineArguments: Sendable, Equatable {
    /// The command's name (``CommandTable/defaultCommand`` when none is given).
    public var command = CommandTable.defaultCommand
    /// Positional arguments after the command.
    public var positionals: [String] = []
    /// Command options with values, in order (`--env` may repeat).
    public var options: [String: [String]] = [:]
    /// Command switches given.
    public var switches: Set<String> = []
    /// Configuration flags as environment overrides.
    public var configuration: [String: String] = [:]

    /// Parses `arguments` (without the program name) against ``CommandTable`` and the
    /// configuration keys.
    ///
    /// `--help` after a command asks for that command's help (`install --help`).
    public init(_ arguments: [String], configKeys: [ConfigKey]) throws(CommandLineError) {
        let flags = Dictionary(configKeys.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })
        var current = CommandTable.command(named: CommandTable.defaultCommand)
        var commandSeen = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            // A name selects a command only first; an alias (`--help`, `--version`) anywhere,
            // and `install --help` is install's help.
            if let selected = CommandTable.command(named: argument), selected.name != argument || !commandSeen {
                positionals = commandSeen && selected.name == "help" ? [command] : []
                command = selected.name
                current = selected
                commandSeen = true
                continue
            }
            guard argument.hasPrefix("--") else {
                guard commandSeen else {
                    throw CommandLineError(CommandTable.unknownCommand(argument))
                }
                positionals.append(argument)
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(CommandLineError) -> String {
                if let inlineValue { return inlineValue }
                guard index < arguments.count else { throw CommandLineError("\(name) needs a value", command: command) }
                index += 1
                return arguments[index - 1]
            }
            if let key = flags[name] {
                // `--read-only` and `--sandbox` alone mean on; every other flag takes a value.
                let isSwitch = [ToolSelection.readOnlyKey.variable, Configuration.sandboxKey.variable].contains(
                    key.variable
                )
                configuration[key.variable] = isSwitch && inlineValue == nil ? "1" : try value()
            } else if let option = current?.option(named: name) {
                if option.takesValue {
                    options[name, default: []].append(try value())
                } else {
                    guard inlineValue == nil else { throw CommandLineError("\(name) takes no value", command: command) }
                    switches.insert(name)
                }
            } else {
                let known = (current?.options.map(\.name) ?? []) + flags.keys.sorted()
                throw CommandLineError(
                    "unknown option \(name) for '\(command)'\(CommandTable.suggestion(for: name, among: known))",
                    command: command
                )
            }
        }
    }

    /// The last value of an option.
    public func option(_ name: String) -> String? { options[name]?.last }
}

/// A command line that cannot be understood (exit code 2, with the command's usage).
public struct CommandLineError: Error, Sendable, Equatable {
    /// What is wrong.
    public let message: String
    /// The command it concerns, whose usage line goes with the message.
    public let command: String?

    /// Creates an error.
    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }
}
