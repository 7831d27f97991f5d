import Foundation
import Testing
import Wire

/// One client and scope the install tests run against, with what its file should hold.
struct InstallTarget: Sendable, CustomTestStringConvertible {
    let client: String
    let scope: String?
    /// The config's path under HOME (`~/`) or the project directory (`./`).
    let path: String
    /// For JSON clients, the object holding the servers; nil for TOML.
    let container: String?
    let existing: String
    /// How a project scope writes the key instead of its value; nil: the value.
    var reference: String? = nil
    var testDescription: String { "\(client) \(scope ?? "default scope")" }

    /// The settings folder of desktop applications, as `~/` path.
    static let applicationSettings = Platform.current == .darwin ? "~/Library/Application Support" : "~/.config"

    static let otherJSON =
        "{\n  \"theme\": \"dark\",\n  \"mcpServers\": {\n    \"github\": {\"command\": \"gh-mcp\"}\n  }\n}\n"

    /// Every client with a file, in every scope that takes a key.
    static let all: [InstallTarget] = [
        InstallTarget(
            client: "claude-desktop",
            scope: nil,
            path: applicationSettings + "/Claude/claude_desktop_config.json",
            container: "mcpServers",
            existing: otherJSON
        ),
        InstallTarget(
            client: "claude-code",
            scope: nil,
            path: "~/.claude.json",
            container: "mcpServers",
            existing: otherJSON
        ),
        InstallTarget(
            client: "claude-code",
            scope: "project",
            path: "./.mcp.json",
            container: "mcpServers",
            existing: otherJSON,
            reference: "${DATANEXUS_API_KEY}"
        ),
        InstallTarget(
            client: "cursor",
            scope: "user",
            path: "~/.cursor/mcp.json",
            container: "mcpServers",
            existing: otherJSON
        ),
        InstallTarget(
            client: "cursor",
            scope: "project",
            path: "./.cursor/mcp.json",
            container: "mcpServers",
            existing: otherJSON,
            reference: "${env:DATANEXUS_API_KEY}"
        ),
        InstallTarget(
            client: "vscode",
            scope: nil,
            path: "./.vscode/mcp.json",
            container: "servers",
            existing:
                "{\n  // workspace servers\n  \"servers\": {\n    \"github\": {\"type\": \"stdio\", \"command\": \"gh-mcp\"},\n  }\n}\n",
            reference: "${input:social-data-DATANEXUS_API_KEY}"
        ),
        InstallTarget(
            client: "codex",
            scope: nil,
            path: "~/.codex/config.toml",
            container: nil,
            existing: "model = \"gpt-5-codex\" # keep\n\n[mcp_servers.github]\ncommand = \"gh-mcp\"\n"
        ),
        InstallTarget(
            client: "gemini-cli",
            scope: nil,
            path: "~/.gemini/settings.json",
            container: "mcpServers",
            existing:
                "{\n  \"ui\": {\"theme\": \"GitHub\"},\n  \"mcpServers\": {\n    \"github\": {\"command\": \"gh-mcp\"}\n  }\n}\n"
        ),
        InstallTarget(
            client: "gemini-cli",
            scope: "project",
            path: "./.gemini/settings.json",
            container: "mcpServers",
            existing: otherJSON,
            reference: "$DATANEXUS_API_KEY"
        ),
        InstallTarget(
            client: "windsurf",
            scope: nil,
            path: "~/.codeium/windsurf/mcp_config.json",
            container: "mcpServers",
            existing: otherJSON
        ),
        InstallTarget(
            client: "trae",
            scope: nil,
            path: applicationSettings + "/Trae/User/mcp.json",
            container: "mcpServers",
            existing: otherJSON
        ),
    ]

    /// The config file under `home` or `project`.
    func file(home: URL, project: URL) -> URL {
        let relative = String(path.dropFirst(2))
        return (path.hasPrefix("~/") ? home : project).appendingPathComponent(relative)
    }
}
