import Spend
import ToolCall
import Wire

/// `social-data-mcp --help` and `social-data-mcp help COMMAND`, generated from
/// ``CommandTable`` and the configuration keys.
enum HelpText {
    /// Where summaries start in the command list, and help in an option list.
    static let commandColumn = 45
    static let optionColumn = 24

    static func run(_ invocation: Invocation) throws(CommandError) -> Int32 {
        guard let name = invocation.positionals.first else {
            CLI.writeOut(text)
            return 0
        }
        guard invocation.positionals.count == 1 else {
            throw CommandError("help takes one command: \(CommandTable.names)")
        }
        guard let command = CommandTable.command(named: name) else {
            throw CommandError(CommandTable.unknownCommand(name))
        }
        CLI.writeOut(detail(command))
        return 0
    }

    /// The whole help: every command's usage and summary, then every setting.
    static var text: String {
        var lines = [
            "\(ServerIdentity.name) \(ServerIdentity.version): paid social-media and marketing data for AI agents over MCP (stdio).",
            "",
            "Usage:",
        ]
        for command in CommandTable.commands {
            lines += aligned("  " + command.usage, command.summary, column: commandColumn)
        }
        lines += ["", "Configuration (environment variable, or the flag beside it on any command):"]
        for key in ToolServices.settings {
            lines.append("  \(key.variable)")
            lines.append("      \(key.flag)  \(key.meaning)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One command's usage, summary and options.
    static func detail(_ command: Command) -> String {
        var lines = ["usage: \(command.usage)", "", command.summary]
        if !command.options.isEmpty {
            lines += ["", "Options:"]
            for option in command.options {
                lines += aligned(
                    "  " + option.name + (option.valueName.map { " " + $0 } ?? ""),
                    option.help,
                    column: optionColumn
                )
            }
        }
        if command.checksConfiguration {
            lines += ["", "Every setting is also a flag (\(ServerIdentity.name) --help lists them)."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `left` then `right` in the second column, or on the next line when `left` is long.
    private static func aligned(_ left: String, _ right: String, column: Int) -> [String] {
        let indent = String(repeating: " ", count: column)
        guard left.count < column - 1 else { return [left, indent + right] }
        return [left + String(repeating: " ", count: column - left.count) + right]
    }
}
