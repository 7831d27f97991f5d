extension MCPClient {
    /// Every client, one row each, with where its facts come from.
    public static let all: [MCPClient] = [
        // https://modelcontextprotocol.io/quickstart/user (claude_desktop_config.json; no variable expansion)
        MCPClient(
            name: "claude-desktop",
            title: "Claude Desktop",
            format: .json,
            locations: [.user: .applicationSettings("Claude/claude_desktop_config.json")],
            references: .none,
            takesBundle: true
        ),
        // https://docs.anthropic.com/en/docs/claude-code/mcp (~/.claude.json, .mcp.json, ${VAR} expansion)
        // Remote: {"type": "http", "url", "headers"}, ${VAR} expanded in url and headers (same page).
        MCPClient(
            name: "claude-code",
            title: "Claude Code",
            format: .json,
            locations: [.user: .home(".claude.json"), .project: .project(".mcp.json")],
            references: .braced,
            entryFields: ["type": "stdio"],
            remote: RemoteEntryForm(fields: ["type": "http"])
        ),
        // https://docs.cursor.com/context/model-context-protocol (mcp.json, ${env:NAME} interpolation)
        // Remote: {"url", "headers"}; ${env:NAME} is interpolated in url and headers too (same page).
        MCPClient(
            name: "cursor",
            title: "Cursor",
            format: .json,
            locations: [.user: .home(".cursor/mcp.json"), .project: .project(".cursor/mcp.json")],
            references: .envPrefixed,
            remote: RemoteEntryForm()
        ),
        // https://code.visualstudio.com/docs/copilot/chat/mcp-servers ("servers", "inputs", ${input:…}, ${env:…})
        // Remote: {"type": "http", "url", "headers"}, the token from a password prompt (${input:…}).
        MCPClient(
            name: "vscode",
            title: "VS Code",
            format: .jsonc,
            locations: [.user: .applicationSettings("Code/User/mcp.json"), .project: .project(".vscode/mcp.json")],
            defaultScope: .project,
            container: "servers",
            references: .envPrefixed,
            promptsForSecrets: true,
            entryFields: ["type": "stdio"],
            remote: RemoteEntryForm(fields: ["type": "http"])
        ),
        // https://github.com/openai/codex/blob/main/docs/config.md ([mcp_servers.NAME], env, env_vars)
        // Remote: url = "…" and bearer_token_env_var = "VAR" (Codex refuses an inline bearer_token).
        MCPClient(
            name: "codex",
            title: "Codex",
            format: .toml,
            locations: [.user: .home(".codex/config.toml"), .project: .project(".codex/config.toml")],
            container: "mcp_servers",
            references: .forwarded,
            remote: RemoteEntryForm(token: .bearerTokenVariable)
        ),
        // https://geminicli.com/docs/cli/configuration (~/.gemini/settings.json, .gemini/settings.json;
        // "String values within your settings.json files can reference environment variables using
        // either $VAR_NAME or ${VAR_NAME}") and
        // https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/mcp-server.md (mcpServers, env)
        // Remote: "httpUrl" (its "url" means the old SSE transport) and "headers", where $VAR expands.
        MCPClient(
            name: "gemini-cli",
            title: "Gemini CLI",
            format: .json,
            locations: [.user: .home(".gemini/settings.json"), .project: .project(".gemini/settings.json")],
            references: .dollar,
            remote: RemoteEntryForm(urlKey: "httpUrl")
        ),
        // https://docs.windsurf.com/windsurf/cascade/mcp (~/.codeium/windsurf/mcp_config.json on every
        // system, mcpServers, ${env:VAR} interpolation; Cascade uses at most 100 tools at a time)
        // Remote: "serverUrl" and "headers", ${env:VAR} interpolated in both (same page).
        MCPClient(
            name: "windsurf",
            title: "Windsurf",
            format: .json,
            locations: [.user: .home(".codeium/windsurf/mcp_config.json")],
            references: .envPrefixed,
            toolCap: 100,
            remote: RemoteEntryForm(urlKey: "serverUrl")
        ),
        // https://docs.trae.ai/ide/model-context-protocol and https://www.volcengine.com/docs/86677/2137601
        // (project .trae/mcp.json, mcpServers with command/args/env; the user file is the one the
        // MCP window's "raw config (JSON)" opens: Trae/User/mcp.json under the application settings
        // folder); no variable expansion is documented. Cap: "所有 MCP Server 工具的数量上限：40"
        // (https://m.w3cschool.cn/traedocs/trae-ide-troubleshoot-mcp-server-related-issues.html,
        // a mirror of Trae's troubleshooting page).
        MCPClient(
            name: "trae",
            title: "Trae",
            format: .json,
            locations: [.user: .applicationSettings("Trae/User/mcp.json"), .project: .project(".trae/mcp.json")],
            references: .none,
            toolCap: 40
        ),
        // https://docs.cherry-ai.com/advanced-basic/mcp (servers are added in Settings → MCP Servers;
        // "Import from JSON" takes {"mcpServers": {…}}; see also https://vaayne.com/tags/llm). No file
        // this program may edit, so `install cherry-studio --print` prints the JSON to paste.
        MCPClient(
            name: "cherry-studio",
            title: "Cherry Studio",
            format: .pasted,
            locations: [.user: .window("Cherry Studio: Settings → MCP Servers → Add → Import from JSON")],
            references: .none
        ),
    ]
}
