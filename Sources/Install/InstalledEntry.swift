import Wire

/// The server's entry as a client has it: what the client will run, and with which
/// settings, read from the client's own config file.
///
/// For `doctor --client` and `usage --client`, which must report what the server will
/// actually run with rather than what this shell has set.
public struct InstalledEntry: Sendable, Equatable {
    /// The config file it was read from.
    public let path: String
    /// The program the client launches.
    public let command: String
    /// Its arguments.
    public let arguments: [String]
    /// Each setting as the server will get it: values as written, references resolved
    /// from the environment given to ``read(client:scope:home:projectDirectory:environment:)``.
    public let environment: [String: String]
    /// Settings written as references that cannot be resolved here, with the reference as
    /// written: a VS Code password prompt, or a variable not set in that environment.
    public let unresolved: [String: String]
    /// Settings written into the file as values (not references), with those values.
    public let written: [String: String]

    /// Reads the entry `client` has in `scope` (its default scope when `nil`); `nil` when the
    /// file or the entry is not there.
    ///
    /// `environment` stands for the one the client was started in (the shell's, usually):
    /// references are resolved from it where the client expands them.
    public static func read(
        client: MCPClient,
        scope: ConfigScope?,
        home: String,
        projectDirectory: String,
        environment: Environment
    ) throws(ConfigFileError) -> InstalledEntry? {
        let installer = try ClientInstaller(
            client: client,
            scope: scope,
            home: home,
            projectDirectory: projectDirectory
        )
        guard client.format != .pasted, let text = try installer.currentText() else { return nil }
        return try parse(text, client: client, path: installer.configPath, environment: environment)
    }

    /// The entry in `text`, a config file of `client`'s at `path`; `nil` when there is none.
    public static func parse(
        _ text: String,
        client: MCPClient,
        path: String,
        environment: Environment
    ) throws(ConfigFileError) -> InstalledEntry? {
        let name = ServerIdentity.registrationName
        var raw: [String: String] = [:]
        var forwarded: [String] = []
        let command: String
        let arguments: [String]
        do {
            if client.format == .toml {
                guard let entry = try TOMLConfigEditor().entry(named: name, under: client.container, in: text) else {
                    return nil
                }
                (command, arguments, raw, forwarded) = (
                    entry.command ?? "", entry.arguments, entry.environment, entry.forwarded
                )
            } else {
                let editor = JSONConfigEditor(allowsComments: client.format == .jsonc)
                guard let entry = try editor.value(at: [client.container, name], in: text) else { return nil }
                command = entry["command"]?.stringValue ?? ""
                arguments = entry["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
                for case (let variable, .string(let value)) in entry["env"]?.objectValue ?? [:] {
                    raw[variable] = value
                }
            }
        } catch let error as JSONConfigEditor.Malformed {
            throw ConfigFileError("\(path) is not valid JSON (\(error.reason))")
        } catch let error as TOMLConfigEditor.Malformed {
            throw ConfigFileError("\(path) is not valid TOML (\(error.reason))")
        } catch {
            throw ConfigFileError("\(path): \(error.localizedDescription)")
        }
        var resolved: [String: String] = [:]
        var unresolved: [String: String] = [:]
        var written: [String: String] = [:]
        for (variable, value) in raw {
            let referenced = client.references.expands ? ReferenceSyntax.referencedVariable(in: value) : nil
            if let referenced {
                if let found = environment[referenced] {
                    resolved[variable] = found
                } else {
                    unresolved[variable] = value
                }
            } else if client.promptsForSecrets, value.hasPrefix("${input:") {
                unresolved[variable] = value
            } else {
                resolved[variable] = value
                written[variable] = value
            }
        }
        for variable in forwarded where raw[variable] == nil {
            if let found = environment[variable] {
                resolved[variable] = found
            } else {
                unresolved[variable] = client.references.form(variable)
            }
        }
        return InstalledEntry(
            path: path,
            command: command,
            arguments: arguments,
            environment: resolved,
            unresolved: unresolved,
            written: written
        )
    }
}
