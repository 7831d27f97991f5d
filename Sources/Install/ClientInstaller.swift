import Foundation
import Wire

/// Why a client's config file was not changed; the message says what to do.
public struct ConfigFileError: Error, Sendable, Equatable {
    /// What went wrong and how to fix it.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }
}

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
    public init(client: Client, scope: Scope?, home: String, projectDirectory: String) throws(ConfigFileError) {
        let scope = scope ?? client.defaultScope
        if client == .claudeDesktop, scope == .project {
            throw ConfigFileError("claude-desktop has no project scope; use --scope user")
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

    /// What the entry holds for one setting.
    public enum Setting: Sendable, Equatable {
        /// The value itself.
        case value(String)
        /// A reference to the variable, which the client expands when it starts the server.
        case reference
    }

    /// Whether the client can expand a reference to an environment variable in its config.
    public var expandsReferences: Bool { client != .claudeDesktop }

    /// How the entry writes a reference to `variable` (`secret`: a key, token or cookie).
    ///
    /// Each client's own syntax: Claude Code `${VAR}`, Cursor and VS Code `${env:VAR}`,
    /// VS Code a password prompt (`${input:…}`) for secrets, Codex `env_vars`, which
    /// forwards the variable from Codex's environment.
    public func referenceForm(_ variable: String, secret: Bool) -> String {
        switch client {
        case .claudeCode: return "${\(variable)}"
        case .cursor: return "${env:\(variable)}"
        case .vscode: return secret ? "${input:\(Self.inputID(variable))}" : "${env:\(variable)}"
        case .codex: return "env_vars = [\"\(variable)\"]"
        case .claudeDesktop: return "(none: Claude Desktop does not expand variables)"
        }
    }

    /// The id of the VS Code input that prompts for `variable`; the prefix marks it as ours.
    static func inputID(_ variable: String) -> String { ServerIdentity.registrationName + "-" + variable }

    /// The config text with the server entry merged in, or `nil` when nothing changes.
    ///
    /// The server owns `command`, `args`, `type` and the variables in `settings`; every
    /// other key in the entry, and every other variable in its `env`, stays as it was.
    public func merged(
        into existing: String,
        command: String,
        settings: [String: Setting],
        secrets: Set<String> = [],
        meanings: [String: String] = [:]
    ) throws(ConfigFileError) -> String? {
        let name = ServerIdentity.registrationName
        let references = settings.filter { $0.value == .reference }.keys.sorted()
        var values: [String: String] = [:]
        for case (let variable, .value(let value)) in settings { values[variable] = value }
        do {
            switch client {
            case .codex:
                return try TOMLConfigEditor().upsert(
                    command: command,
                    arguments: [],
                    environment: values,
                    forwarded: references,
                    named: name,
                    under: "mcp_servers",
                    in: existing
                )
            case .vscode, .claudeDesktop, .claudeCode, .cursor:
                var env = values.mapValues { JSONValue.string($0) }
                for variable in references {
                    env[variable] = .string(referenceForm(variable, secret: secrets.contains(variable)))
                }
                var entry: [String: JSONValue] = ["command": .string(command), "args": []]
                if client == .claudeCode || client == .vscode { entry["type"] = "stdio" }
                if !env.isEmpty { entry["env"] = .object(env) }
                let editor = JSONConfigEditor(allowsComments: client == .vscode)
                var text = try editor.upsert(.object(entry), named: name, under: container, in: existing) ?? existing
                if client == .vscode {
                    for variable in references where secrets.contains(variable) {
                        let input: JSONValue = [
                            "type": "promptString", "id": .string(Self.inputID(variable)),
                            "description": .string("\(meanings[variable] ?? variable) (\(name))"), "password": true,
                        ]
                        text = try editor.appendUnlessPresent(input, toArray: "inputs", in: text)
                    }
                }
                return text == existing ? nil : text
            }
        } catch {
            throw fileError(error)
        }
    }

    /// The config text without the server's entry (and, for VS Code, its inputs), or `nil`
    /// when it is not there.
    public func removed(from existing: String) throws(ConfigFileError) -> String? {
        let name = ServerIdentity.registrationName
        do {
            if client == .codex {
                return try TOMLConfigEditor().remove(named: name, under: "mcp_servers", in: existing)
            }
            let editor = JSONConfigEditor(allowsComments: client == .vscode)
            var text = try editor.remove(at: [container, name], in: existing)
            if client == .vscode {
                let prefix = Self.inputID("")
                text =
                    try editor.removeElements(ofArray: "inputs", in: text ?? existing) { $0.hasPrefix(prefix) } ?? text
            }
            return text
        } catch {
            throw fileError(error)
        }
    }

    /// The object holding the servers in a JSON config.
    private var container: String { client == .vscode ? "servers" : "mcpServers" }

    /// Any editor error as the one error this type throws: a malformed file says what is
    /// wrong with it, anything else names the file.
    private func fileError(_ error: any Error) -> ConfigFileError {
        switch error {
        case let error as JSONConfigEditor.Malformed: return malformed("JSON", error.reason)
        case let error as TOMLConfigEditor.Malformed: return malformed("TOML", error.reason)
        default: return ConfigFileError("\(configPath): \(error)")
        }
    }

    private func malformed(_ format: String, _ reason: String) -> ConfigFileError {
        ConfigFileError(
            "\(configPath) is not valid \(format) (\(reason)); it was left untouched. Fix it and run again."
        )
    }

    /// A change to make: the file's text now (`nil` when it does not exist) and after.
    public struct Plan: Sendable {
        /// The config file.
        public let path: String
        /// Its current text, or `nil` when there is no file yet.
        public let existing: String?
        /// The new text, or `nil` when the entry is already there, identical.
        public let updated: String?

        /// The change as a unified diff, for `--print`; empty when there is none.
        public var diff: String {
            updated.map { LineDiff.unified(old: existing ?? "", new: $0, path: path) } ?? ""
        }
    }

    /// Reads the config and works out the change `edit` makes to its text, writing nothing.
    public func plan(_ edit: (String) throws(ConfigFileError) -> String?) throws(ConfigFileError) -> Plan {
        var existing: String?
        if FileManager.default.fileExists(atPath: configPath) {
            guard let data = FileManager.default.contents(atPath: configPath) else {
                throw ConfigFileError("cannot read \(configPath); it was left untouched")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigFileError("\(configPath) is not UTF-8 text; it was left untouched")
            }
            existing = text
        }
        return Plan(path: configPath, existing: existing, updated: try edit(existing ?? ""))
    }

    /// Makes a planned change and returns the backup's path.
    ///
    /// A timestamped backup of the old file comes first, then an atomic replace that keeps
    /// the file's permissions (`~/.claude.json` is private).
    public func apply(_ plan: Plan) throws(ConfigFileError) -> String? {
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
            throw ConfigFileError("could not write \(plan.path): \(error.localizedDescription)")
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
