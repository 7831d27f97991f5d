import Foundation
import Install
import ToolCall
import Wire

/// `--client NAME [--scope user|project]` for commands that report on what a client runs
/// (`usage` and `doctor`): the settings come from the client's installed entry,
/// not from this shell.
enum ClientEntryOption {
    /// The options: `--client` and the shared `--scope`.
    static let options: [CommandOption] = [
        .value("--client", "NAME", "read the settings from this client's installed entry (\(MCPClient.names))"),
        InstallCommand.scopeOption,
    ]

    /// The entry `--client` names, or `nil` without `--client`; an error when the client
    /// is unknown or has no entry.
    static func entry(_ invocation: Invocation) throws -> InstalledEntry? {
        guard let name = invocation.option("--client") else { return nil }
        let installer = try InstallCommand.installer(named: name, invocation)
        guard
            let entry = try InstalledEntry.read(
                client: installer.client,
                scope: installer.scope,
                home: try invocation.home(),
                projectDirectory: FileManager.default.currentDirectoryPath,
                environment: invocation.environment
            )
        else {
            throw CommandError(
                "\(installer.client.title) has no \(ServerIdentity.registrationName) entry in \(installer.configPath); "
                    + "install it first (social-data-mcp install \(installer.client.name))"
            )
        }
        return entry
    }

    /// The environment the server runs with: this one with the entry's settings on top
    /// (the client starts the server with its own environment plus the entry's `env`).
    static func environment(_ invocation: Invocation) throws -> (Environment, InstalledEntry?) {
        guard let entry = try entry(invocation) else { return (invocation.environment, nil) }
        // Configuration flags among the entry's arguments (`--daily-limit-cny 1`) count too,
        // over its env, as they do when the server starts.
        let flags =
            (try? CommandLineArguments(entry.arguments, configKeys: ToolServices.settings))?.configuration ?? [:]
        return (invocation.environment.merging(entry.environment).merging(flags), entry)
    }
}
