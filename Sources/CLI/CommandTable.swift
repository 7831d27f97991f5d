import Export
import Wire

/// Every command of `social-data-mcp`, in the order `--help` lists them.
///
/// Parsing, `--help`, per-command usage lines and dispatch all read this table, so a
/// command is added by adding its row (and its run function).
public enum CommandTable {
    /// The command used when none is named: what MCP clients start.
    public static let defaultCommand = "serve"

    /// The rows.
    public static let commands: [Command] = [
        Command(
            "serve",
            summary: "run the stdio MCP server (what MCP clients start; the default), or with --http the team server",
            options: ServeCommand.options,
            run: ServeCommand.run
        ),
        Command(
            "tools",
            summary: "print the tools as JSON",
            options: [
                .value(
                    "--format",
                    "F",
                    "mcp (default), \(ToolExport.Format.allCases.map(\.rawValue).filter { $0 != "mcp" }.joined(separator: ", "))"
                ),
                .flag("--strict", "OpenAI strict mode: every property required, optional ones nullable"),
            ],
            run: ToolsCommand.run
        ),
        Command(
            "call",
            arguments: "TOOL [JSON]",
            summary: "call one tool and print the result; exit 1 on a tool error",
            run: CallCommand.run
        ),
        Command(
            "skill",
            summary: "print SKILL.md, or install the agent skill folder",
            options: [
                .flag("--install", "write the skill to ~/.claude/skills and ~/.agents/skills"),
                .value("--dir", "DIR", "with --install: write it to DIR/social-data-mcp instead"),
            ],
            run: SkillCommand.run
        ),
        Command(
            "install",
            arguments: "CLIENT",
            summary: "register the server with \(InstallCommand.clientList)",
            options: InstallCommand.options,
            run: InstallCommand.run
        ),
        Command(
            "uninstall",
            arguments: "CLIENT",
            summary: "remove the server's entry from a client's config, keeping everything else",
            options: UninstallCommand.options,
            run: UninstallCommand.run
        ),
        Command(
            "bundle",
            summary: "write a .mcpb of this binary for Claude Desktop's one-click install",
            options: BundleCommand.options,
            run: BundleCommand.run
        ),
        Command(
            "registry-entry",
            summary: "write the MCP Registry's server.json for release .mcpb files",
            options: RegistryEntryCommand.options,
            run: RegistryEntryCommand.run
        ),
        Command(
            "doctor",
            summary: "check keys (masked), base URLs, reachability, tool count, and the installed entries",
            options: ClientEntryOption.options,
            run: DoctorCommand.run
        ),
        Command(
            "usage",
            arguments: "[ID…]",
            summary:
                "spend per day, provider and tool, from the ledger of every server process; --by member: who spent what",
            options: [
                .value("--days", "N", "how many local days, today included (default 7, at most 366)"),
                .value("--by", "member", "per team member (calls over stdio as \"(local)\"), per day and tool"),
                .value(
                    "--from",
                    "YYYY-MM-DD",
                    "with --by member: the first local day (default: the 1st of this month)"
                ),
                .value("--to", "YYYY-MM-DD", "with --by member: the last local day (default: today)"),
                .value("--format", "F", "table (default), json or csv"),
                .flag(
                    "--clear-unsettled",
                    "stop counting the holds of crashed calls (all, or the IDs given), after checking the provider's balance"
                ),
            ] + ClientEntryOption.options,
            run: UsageCommand.run
        ),
        Command(
            "member",
            arguments: "add|list|limit|remove|rotate [NAME]",
            summary:
                "the members a team server (serve --http) answers, each with a token and their own limits "
                + "(add NAME --daily-limit-cny X --toolsets a,b; limit NAME --daily-limit-cny X changes them)",
            options: MemberCommand.options,
            run: MemberCommand.run
        ),
        Command(
            "help",
            aliases: ["--help", "-h"],
            arguments: "[COMMAND]",
            summary: "show this help, or one command's",
            checksConfiguration: false,
            run: HelpText.run
        ),
        Command(
            "version",
            aliases: ["--version", "-V", "-v"],
            summary: "print the version",
            checksConfiguration: false,
            run: { _ in
                CLI.writeOut("\(ServerIdentity.name) \(ServerIdentity.version)\n")
                return 0
            }
        ),
    ]

    /// The command named or aliased `name`.
    public static func command(named name: String) -> Command? {
        commands.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// The commands' names, for error messages.
    public static var names: String { commands.map(\.name).joined(separator: ", ") }

    /// ` (did you mean 'install'?)` when a valid name is close to the mistyped `name`,
    /// otherwise nothing, to put right after the name in a message.
    public static func suggestion(for name: String, among candidates: [String]) -> String {
        NearestName.question(for: name, among: candidates).map { " (\($0))" } ?? ""
    }

    /// The message for a command name that is not in the table.
    public static func unknownCommand(_ name: String) -> String {
        "unknown command '\(name)'\(suggestion(for: name, among: commands.map(\.name))); commands: \(names)"
    }
}
