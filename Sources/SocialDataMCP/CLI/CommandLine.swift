/// A parsed command line: the command, its positional arguments and options, and the
/// configuration flags (each also an environment variable) folded into overrides.
public struct CommandLineArguments: Sendable, Equatable {
    /// The command (`serve` when none is given).
    public var command = "serve"
    /// Positional arguments after the command.
    public var positionals: [String] = []
    /// Command options with values, in order (`--env` may repeat).
    public var options: [String: [String]] = [:]
    /// Command switches given.
    public var switches: Set<String> = []
    /// Configuration flags as environment overrides.
    public var configuration: [String: String] = [:]

    /// The commands, for dispatch and `--help`.
    public static let commands = ["serve", "tools", "call", "skill", "install", "doctor", "usage", "help", "version"]

    /// Options that take a value, by command.
    static let valueOptions: [String: Set<String>] = [
        "tools": ["--format"],
        "skill": ["--dir"],
        "install": ["--scope", "--env"],
        "usage": ["--days", "--format"],
    ]
    /// Options without a value, by command.
    static let switchOptions: [String: Set<String>] = [
        "tools": ["--strict"],
        "skill": ["--install"],
        "install": ["--print"],
        "usage": ["--clear-unsettled"],
    ]

    /// Parses `arguments` (without the program name) against the known configuration keys.
    public init(_ arguments: [String], configKeys: [ConfigKey]) throws(CommandLineError) {
        let flags = Dictionary(configKeys.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        var commandSeen = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" {
                command = "help"
                commandSeen = true
                continue
            }
            if argument == "--version" || argument == "-V" {
                command = "version"
                commandSeen = true
                continue
            }
            guard argument.hasPrefix("--") else {
                if !commandSeen, CommandLineArguments.commands.contains(argument) {
                    command = argument
                    commandSeen = true
                } else if !commandSeen {
                    throw CommandLineError(
                        "unknown command '\(argument)'; commands: \(CommandLineArguments.commands.joined(separator: ", "))"
                    )
                } else {
                    positionals.append(argument)
                }
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
                guard index < arguments.count else { throw CommandLineError("\(name) needs a value") }
                index += 1
                return arguments[index - 1]
            }
            if let key = flags[name] {
                // `--read-only` and `--sandbox` alone mean on; every other flag takes a value.
                let isSwitch = [Configuration.readOnlyKey.variable, Sandbox.key.variable].contains(key.variable)
                configuration[key.variable] = isSwitch && inlineValue == nil ? "1" : try value()
            } else if CommandLineArguments.valueOptions[command]?.contains(name) == true {
                options[name, default: []].append(try value())
            } else if CommandLineArguments.switchOptions[command]?.contains(name) == true {
                switches.insert(name)
            } else {
                throw CommandLineError("unknown option \(name) for '\(command)'; see social-data-mcp --help")
            }
        }
    }

    /// The last value of an option.
    public func option(_ name: String) -> String? { options[name]?.last }
}

/// A command line that cannot be understood (exit code 2).
public struct CommandLineError: Error, Sendable, Equatable {
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }
}
