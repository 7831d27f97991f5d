import Foundation
import Install
import Wire

/// `social-data-mcp uninstall CLIENT [--scope user|project] [--print]`: removes the entry
/// (and VS Code inputs it added), leaving every other byte of the config as it was.
enum UninstallCommand {
    /// The options `uninstall` takes.
    static let options: [CommandOption] = [
        .flag("--print", "show the change (secrets masked) and write nothing"),
        InstallCommand.scopeOption,
    ]

    static func run(_ invocation: Invocation) throws -> Int32 {
        let installer = try InstallCommand.installer(for: invocation, verb: "uninstall")
        let client = installer.client
        guard client.format != .pasted else {
            throw CommandError(
                "\(client.title) keeps its servers itself: remove \(ServerIdentity.registrationName) in \(installer.configPath)"
            )
        }
        let plan = try installer.plan { existing throws(ConfigFileError) in try installer.removed(from: existing) }
        guard plan.updated != nil else {
            CLI.writeOut("\(ServerIdentity.registrationName) is not registered in \(plan.path); nothing changed.\n")
            return 0
        }
        let entry = try plan.existing.flatMap { text throws(ConfigFileError) in
            try InstalledEntry.parse(text, client: client, path: plan.path, environment: invocation.environment)
        }
        let redactor = SecretRedactor(Array((entry?.written ?? [:]).values))
        if invocation.flag("--print") {
            CLI.writeOut(
                "Would change \(plan.path) (nothing written; secrets masked):\n\(plan.diff)",
                redactor: redactor
            )
            return 0
        }
        let backup = try installer.apply(plan, holdsKeys: false)
        var message =
            "Removed \(ServerIdentity.registrationName) from \(plan.path)"
            + (backup.map { " (previous version saved as \($0))" } ?? "")
            + ".\nRestart \(client.title) to unload it.\n"
        let holding = ConfigBackups.list(of: plan.path).filter { holdsKeys($0, client: client, invocation) }
        if !holding.isEmpty {
            message +=
                "These backups still hold keys (readable only by you): \(holding.joined(separator: ", ")).\n"
                + "Delete them when you no longer need them (only the newest \(ConfigBackups.kept) are kept).\n"
        }
        CLI.writeOut(message, redactor: redactor)
        return 0
    }

    /// Whether the backup at `path` has this server's entry with a key written in it.
    private static func holdsKeys(_ path: String, client: MCPClient, _ invocation: Invocation) -> Bool {
        guard let data = FileManager.default.contents(atPath: path),
            let entry = try? InstalledEntry.parse(
                String(decoding: data, as: UTF8.self),
                client: client,
                path: path,
                environment: invocation.environment
            )
        else { return false }
        return entry.written.keys.contains(where: InstallCommand.secrets.contains)
    }
}
