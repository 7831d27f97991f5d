import Install
import Wire

/// `social-data-mcp uninstall CLIENT [--scope user|project] [--print]`: removes the entry
/// (and VS Code inputs it added), leaving every other byte of the config as it was.
enum UninstallCommand {
    /// The options `uninstall` takes.
    static let options: [CommandOption] = [
        .flag("--print", "show the change and write nothing"),
        InstallCommand.scopeOption,
    ]

    static func run(_ invocation: Invocation) throws -> Int32 {
        let installer = try InstallCommand.installer(for: invocation, verb: "uninstall")
        let plan = try installer.plan { existing throws(ConfigFileError) in try installer.removed(from: existing) }
        guard plan.updated != nil else {
            CLI.writeOut("\(ServerIdentity.registrationName) is not registered in \(plan.path); nothing changed.\n")
            return 0
        }
        if invocation.flag("--print") {
            CLI.writeOut("Would change \(plan.path) (nothing written):\n\(plan.diff)")
            return 0
        }
        let backup = try installer.apply(plan)
        CLI.writeOut(
            "Removed \(ServerIdentity.registrationName) from \(plan.path)"
                + (backup.map { " (previous version saved as \($0))" } ?? "")
                + ".\nRestart \(installer.client.rawValue) to unload it.\n"
        )
        return 0
    }
}
