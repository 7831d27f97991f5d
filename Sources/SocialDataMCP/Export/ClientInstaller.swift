import Foundation

/// Registers the server with an MCP client by merging one entry into the client's config.
///
/// Existing configs are merged, never clobbered: other servers, unknown keys, comments and
/// formatting survive; a backup is written before any change; a malformed file is reported
/// and left untouched; a second identical run changes nothing.
public struct ClientInstaller: Sendable {
    /// The clients this can configure.
    public enum Client: String, CaseIterable, Sendable {
        /// Claude Desktop's `claude_desktop_config.json`.
        case claudeDesktop = "claude-desktop"
        /// Claude Code: `~/.claude.json` (user) or `.mcp.json` (project).
        case claudeCode = "claude-code"
        /// Cursor: `~/.cursor/mcp.json` or `.cursor/mcp.json`.
        case cursor
        /// VS Code: `.vscode/mcp.json` (project) or the user profile's `mcp.json`.
        case vscode
        /// Codex: `~/.codex/config.toml` or `.codex/config.toml`.
        case codex

        /// The scope used when none is given.
        public var defaultScope: Scope { self == .vscode ? .project : .user }
    }

    /// Where the entry goes: the user's config or the current project's.
    public enum Scope: String, Sendable {
        /// The user-wide config.
        case user
        /// The config in the current directory.
        case project
    }

    /// The client.
    public let client: Client
    /// The scope.
    public let scope: Scope
    /// The home directory.
    public let home: String
    /// The current directory, for project scope.
    public let projectDirectory: String

    /// Creates an installer; fails for a scope the client does not have.
    public init(client: Client, scope: Scope?, home: String, projectDirectory: String) throws(CommandError) {
        let scope = scope ?? client.defaultScope
        if client == .claudeDesktop, scope == .project {
            throw CommandError("claude-desktop has no project scope; use --scope user")
        }
        self.client = client
        self.scope = scope
        self.home = home
        self.projectDirectory = projectDirectory
    }

    /// The config file this installer edits.
    public var configPath: String {
        switch (client, scope) {
        case (.claudeDesktop, _):
            return Platform.applicationSettingsDirectory(home: home) + "/Claude/claude_desktop_config.json"
        case (.claudeCode, .user): return home + "/.claude.json"
        case (.claudeCode, .project): return projectDirectory + "/.mcp.json"
        case (.cursor, .user): return home + "/.cursor/mcp.json"
        case (.cursor, .project): return projectDirectory + "/.cursor/mcp.json"
        case (.vscode, .project): return projectDirectory + "/.vscode/mcp.json"
        case (.vscode, .user): return Platform.applicationSettingsDirectory(home: home) + "/Code/User/mcp.json"
        case (.codex, .user): return home + "/.codex/config.toml"
        case (.codex, .project): return projectDirectory + "/.codex/config.toml"
        }
    }

    /// The config text with the server entry merged in, or `nil` when nothing changes.
    public func merged(
        into existing: String,
        command: String,
        environment: [String: String]
    ) throws(CommandError) -> String? {
        let name = ServerIdentity.registrationName
        do {
            switch client {
            case .codex:
                return try TOMLConfigEditor().upsert(
                    command: command,
                    arguments: [],
                    environment: environment,
                    named: name,
                    under: "mcp_servers",
                    in: existing
                )
            case .vscode:
                var entry: [String: JSONValue] = ["type": "stdio", "command": .string(command), "args": []]
                if !environment.isEmpty { entry["env"] = .object(environment.mapValues { .string($0) }) }
                return try JSONConfigEditor(allowsComments: true).upsert(
                    .object(entry),
                    named: name,
                    under: "servers",
                    in: existing
                )
            case .claudeDesktop, .claudeCode, .cursor:
                var entry: [String: JSONValue] = ["command": .string(command), "args": []]
                if client == .claudeCode { entry["type"] = "stdio" }
                if !environment.isEmpty { entry["env"] = .object(environment.mapValues { .string($0) }) }
                return try JSONConfigEditor(allowsComments: false).upsert(
                    .object(entry),
                    named: name,
                    under: "mcpServers",
                    in: existing
                )
            }
        } catch let error as JSONConfigEditor.Malformed {
            throw CommandError(
                "\(configPath) is not valid JSON (\(error.reason)); it was left untouched. Fix it and run again."
            )
        } catch let error as TOMLConfigEditor.Malformed {
            throw CommandError(
                "\(configPath) is not valid TOML (\(error.reason)); it was left untouched. Fix it and run again."
            )
        } catch {
            throw CommandError("\(configPath): \(error)")
        }
    }

    /// A change to make: the file's text now (`nil` when it does not exist) and after.
    public struct Plan: Sendable {
        /// The config file.
        public let path: String
        /// Its current text, or `nil` when there is no file yet.
        public let existing: String?
        /// The new text, or `nil` when the entry is already there, identical.
        public let updated: String?
    }

    /// Reads the config and works out the change, writing nothing.
    public func plan(command: String, environment: [String: String]) throws(CommandError) -> Plan {
        var existing: String?
        if FileManager.default.fileExists(atPath: configPath) {
            guard let data = FileManager.default.contents(atPath: configPath) else {
                throw CommandError("cannot read \(configPath); it was left untouched")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CommandError("\(configPath) is not UTF-8 text; it was left untouched")
            }
            existing = text
        }
        let updated = try merged(into: existing ?? "", command: command, environment: environment)
        return Plan(path: configPath, existing: existing, updated: updated)
    }

    /// Makes a planned change and returns the backup's path.
    ///
    /// A timestamped backup of the old file comes first, then an atomic replace that keeps
    /// the file's permissions (`~/.claude.json` is private).
    public func apply(_ plan: Plan) throws(CommandError) -> String? {
        guard let updated = plan.updated else { return nil }
        let fileManager = FileManager.default
        let url = URL(fileURLWithPath: plan.path)
        var backup: String?
        do {
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            var permissions: Any?
            if plan.existing != nil {
                permissions = try fileManager.attributesOfItem(atPath: plan.path)[.posixPermissions]
                var backupPath = plan.path + ".bak-" + Self.timestamp()
                var attempt = 1
                while fileManager.fileExists(atPath: backupPath) {
                    attempt += 1
                    backupPath = plan.path + ".bak-" + Self.timestamp() + "-\(attempt)"
                }
                try fileManager.copyItem(atPath: plan.path, toPath: backupPath)
                backup = backupPath
            }
            try Data(updated.utf8).write(to: url, options: .atomic)
            if let permissions {
                try fileManager.setAttributes([.posixPermissions: permissions], ofItemAtPath: plan.path)
            }
        } catch {
            throw CommandError("could not write \(plan.path): \(error.localizedDescription)")
        }
        return backup
    }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }

    /// The absolute path of the running binary, which the entry launches.
    public static var executablePath: String { Platform.executablePath }
}
