/// `social-data-mcp --help`, generated from the command list and the configuration keys.
enum HelpText {
    static var text: String {
        var lines = [
            "\(ServerIdentity.name) \(ServerIdentity.version): paid social-media and marketing data for AI agents over MCP (stdio).",
            "",
            "Usage:",
            "  social-data-mcp [serve]                    run the stdio MCP server (what MCP clients start)",
            "  social-data-mcp tools [--format F] [--strict]",
            "                                             print the tools; F: mcp (default), openai, openai-responses, anthropic, markdown",
            "  social-data-mcp call TOOL [JSON]           call one tool and print the result; exit 1 on a tool error",
            "  social-data-mcp skill [--install [--dir DIR]]",
            "                                             print SKILL.md, or install the agent skill folder",
            "  social-data-mcp install CLIENT [--print] [--scope user|project] [--env K[=V] ...]",
            "                                             register the server with claude-desktop, claude-code, cursor, vscode or codex",
            "  social-data-mcp doctor                     check keys (masked), base URLs, reachability, tool count",
            "  social-data-mcp usage [--days N] [--format table|json|csv] [--clear-unsettled]",
            "                                             spend per day, provider and tool, across all processes",
            "  social-data-mcp --version | --help",
            "",
            "Configuration (environment variable, or the flag beside it on any command):",
        ]
        for key in CLI.configKeys {
            lines.append("  \(key.variable)")
            lines.append("      \(key.flag)  \(key.meaning)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
