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
/// Everything that differs between clients comes from the client's row (``MCPClient``).
/// Existing configs are merged, never clobbered: other servers, unknown keys, comments and
/// formatting survive; a backup is written before any change; a malformed file is reported
/// and left untouched; a second identical run changes nothing.
public struct ClientInstaller: Sendable {
    /// Where the entry goes.
    public typealias Scope = ConfigScope

    /// The client.
    public let client: MCPClient
    /// The scope.
    public let scope: ConfigScope
    /// The config file this installer edits (for a client configured in its window, the
    /// place there to paste the entry).
    public let configPath: String

    /// Creates an installer; fails for a scope the client does not have.
    public init(client: MCPClient, scope: ConfigScope?, home: String, projectDirectory: String) throws(ConfigFileError)
    {
        let scope = scope ?? client.defaultScope
        guard let location = client.locations[scope] else {
            let scopes = client.scopes.map { "--scope \($0.rawValue)" }.joined(separator: " or ")
            throw ConfigFileError("\(client.name) has no \(scope.rawValue) scope; use \(scopes)")
        }
        self.client = client
        self.scope = scope
        self.configPath = location.path(home: home, projectDirectory: projectDirectory)
    }

    /// What the entry holds for one setting.
    public enum Setting: Sendable, Equatable {
        /// The value itself.
        case value(String)
        /// A reference to the variable, which the client expands when it starts the server.
        case reference
    }

    /// Whether the client can expand a reference to an environment variable in its config.
    public var expandsReferences: Bool { client.references.expands }

    /// How the entry writes a reference to `variable` (`secret`: a key, token or cookie).
    public func referenceForm(_ variable: String, secret: Bool) -> String {
        client.referenceForm(variable, secret: secret)
    }

    /// The config text with the server entry merged in, or `nil` when nothing changes.
    ///
    /// The server owns `command`, `args`, the row's own fields (`type`) and the variables in
    /// `settings`; every other key in the entry, and every other variable in its `env`,
    /// stays as it was.
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
            if client.format == .toml {
                return try TOMLConfigEditor().upsert(
                    command: command,
                    arguments: [],
                    environment: values,
                    forwarded: references,
                    named: name,
                    under: client.container,
                    in: existing
                )
            }
            var env = values.mapValues { JSONValue.string($0) }
            for variable in references {
                env[variable] = .string(referenceForm(variable, secret: secrets.contains(variable)))
            }
            var entry = client.entryFields
            entry["command"] = .string(command)
            entry["args"] = []
            if !env.isEmpty { entry["env"] = .object(env) }
            let editor = JSONConfigEditor(allowsComments: client.format == .jsonc)
            var text = try editor.upsert(.object(entry), named: name, under: client.container, in: existing) ?? existing
            if client.promptsForSecrets {
                for variable in references where secrets.contains(variable) {
                    let input: JSONValue = [
                        "type": "promptString", "id": .string(client.inputID(variable)),
                        "description": .string("\(meanings[variable] ?? variable) (\(name))"), "password": true,
                    ]
                    text = try editor.appendUnlessPresent(input, toArray: "inputs", in: text)
                }
            }
            return text == existing ? nil : text
        } catch {
            throw fileError(error)
        }
    }

    /// The config text without the server's entry (and the password prompts it added), or
    /// `nil` when it is not there.
    public func removed(from existing: String) throws(ConfigFileError) -> String? {
        let name = ServerIdentity.registrationName
        do {
            if client.format == .toml {
                return try TOMLConfigEditor().remove(named: name, under: client.container, in: existing)
            }
            let editor = JSONConfigEditor(allowsComments: client.format == .jsonc)
            var text = try editor.remove(at: [client.container, name], in: existing)
            if client.promptsForSecrets {
                let prefix = client.inputID("")
                text =
                    try editor.removeElements(ofArray: "inputs", in: text ?? existing) { $0.hasPrefix(prefix) } ?? text
            }
            return text
        } catch {
            throw fileError(error)
        }
    }

    /// Any editor error as the one error this type throws: a malformed file says what is
    /// wrong with it, anything else names the file.
    func fileError(_ error: any Error) -> ConfigFileError {
        switch error {
        case let error as JSONConfigEditor.Malformed: return malformed("JSON", error.reason)
        case let error as TOMLConfigEditor.Malformed: return malformed("TOML", error.reason)
        default: return ConfigFileError("\(configPath): \(error.localizedDescription)")
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

    /// The config file's text, or `nil` when there is no file (or no file at all, for a
    /// client configured in its window).
    public func currentText() throws(ConfigFileError) -> String? {
        guard client.format != .pasted, FileManager.default.fileExists(atPath: configPath) else { return nil }
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw ConfigFileError("cannot read \(configPath); it was left untouched")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigFileError("\(configPath) is not UTF-8 text; it was left untouched")
        }
        return text
    }

    /// Reads the config and works out the change `edit` makes to its text, writing nothing.
    public func plan(_ edit: (String) throws(ConfigFileError) -> String?) throws(ConfigFileError) -> Plan {
        let existing = try currentText()
        return Plan(path: configPath, existing: existing, updated: try edit(existing ?? ""))
    }

    /// Makes a planned change and returns the backup's path.
    ///
    /// A private timestamped backup of the old file comes first (only the newest
    /// ``ConfigBackups/kept`` stay), then an atomic replace. A file that holds keys after the
    /// change (`holdsKeys`) is at most 0600: a new one is created so, an existing one keeps
    /// its own mode when that is stricter. Other files keep their mode (new ones: 0644).
    public func apply(_ plan: Plan, holdsKeys: Bool) throws(ConfigFileError) -> String? {
        guard let updated = plan.updated else { return nil }
        guard client.format != .pasted else {
            throw ConfigFileError("\(client.title) is configured in its own window; use --print and paste the JSON")
        }
        do {
            var mode = AtomicFile.mode(of: plan.path) ?? 0o644
            if holdsKeys { mode &= 0o600 }
            let backup = try plan.existing.map { existing throws(AtomicFile.Failure) in
                try ConfigBackups.make(of: plan.path, text: existing)
            }
            try AtomicFile.write(Data(updated.utf8), to: plan.path, mode: mode)
            return backup
        } catch {
            throw ConfigFileError("could not write \(plan.path): \(error.reason)")
        }
    }

    /// The absolute path of the running binary.
    public static var executablePath: String { Platform.executablePath }
}
