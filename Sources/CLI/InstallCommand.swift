import Foundation
import Install
import ToolCall
import Wire

/// `social-data-mcp install CLIENT [--print] [--scope user|project] [--env K[=V] ...]`.
enum InstallCommand {
    /// The clients, for help and errors.
    static var clientList: String { ClientInstaller.Client.allCases.map(\.rawValue).joined(separator: ", ") }

    /// The options `install` takes.
    static let options: [CommandOption] = [
        .flag("--print", "show the change (secrets masked) and the form of each setting; write nothing"),
        scopeOption,
        .value("--env", "K[=V]", repeats: true, "a setting for the entry; K alone copies it from this shell"),
        .flag(
            "--reference",
            "write every setting as a reference the client expands from its environment (project scopes always do for keys)"
        ),
    ]

    /// `--scope`, shared with `uninstall`.
    static let scopeOption = CommandOption.value(
        "--scope",
        "user|project",
        "the user's config or the current project's (default: user; vscode: project)"
    )

    static func run(_ invocation: Invocation) throws -> Int32 {
        let installer = try installer(for: invocation, verb: "install")
        let secrets = Set(ToolServices.settings.filter(\.isSecret).map(\.variable))
        // Settings given as flags on this command line (`install cursor --sandbox`,
        // `--daily-limit-cny 20`) belong to the entry as well.
        let flags = invocation.arguments.configuration.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let settings = try settings(
            invocation.values("--env") + flags,
            from: invocation.environment,
            referenced: { variable in
                invocation.flag("--reference") || (installer.scope == .project && secrets.contains(variable))
            }
        )
        if !installer.expandsReferences, settings.values.contains(.reference) {
            throw CommandError(
                "\(installer.client.rawValue) does not expand variables in its config; give values (--env K=V) "
                    + "or use the bundle (social-data-mcp bundle), which keeps keys in the OS keychain"
            )
        }
        let meanings = Dictionary(
            ToolServices.settings.map { ($0.variable, $0.meaning) },
            uniquingKeysWith: { first, _ in first }
        )
        let plan = try installer.plan { existing throws(ConfigFileError) in
            try installer.merged(
                into: existing,
                command: ClientInstaller.executablePath,
                settings: settings,
                secrets: secrets,
                meanings: meanings
            )
        }
        var values: [String] = []
        for case (let variable, .value(let value)) in settings where secrets.contains(variable) { values.append(value) }
        let redactor = SecretRedactor(values)
        let forms = describe(settings, installer: installer, secrets: secrets)
        guard plan.updated != nil else {
            CLI.writeOut(
                "\(ServerIdentity.registrationName) is already registered in \(plan.path) with these settings; nothing changed.\n"
            )
            return 0
        }
        if invocation.flag("--print") {
            CLI.writeOut(
                "Would change \(plan.path) (nothing written; secrets masked):\n\(forms)\(plan.diff)",
                redactor: redactor
            )
            return 0
        }
        let backup = try installer.apply(plan)
        var message = "Registered \(ServerIdentity.registrationName) in \(plan.path)"
        message += backup.map { " (previous version saved as \($0))" } ?? " (new file)"
        message += ".\n\(forms)Restart \(installer.client.rawValue) to load it."
        if settings.isEmpty {
            message +=
                "\nNo --env given: add provider keys with --env DATANEXUS_API_KEY=… (or --env NAME to copy it from this shell)."
        }
        CLI.writeOut(message + "\n", redactor: redactor)
        return 0
    }

    /// One line per setting: written as a value (masked when secret) or as which reference.
    static func describe(
        _ settings: [String: ClientInstaller.Setting],
        installer: ClientInstaller,
        secrets: Set<String>
    )
        -> String
    {
        settings.keys.sorted().map { variable in
            switch settings[variable] {
            case .value(let value)?:
                let shown = secrets.contains(variable) ? SecretRedactor.mask(value) : value
                return "  \(variable): the value (\(shown)), written in the file\n"
            case .reference?, nil:
                let form = installer.referenceForm(variable, secret: secrets.contains(variable))
                let source =
                    form.hasPrefix("${input:")
                    ? "VS Code asks for it once, in a password prompt, and keeps it out of the file"
                    : "\(installer.client.rawValue) reads it from the environment it was started in, so set it there"
                return "  \(variable): a reference, \(form); \(source)\n"
            }
        }.joined()
    }

    /// The installer for the client and scope named on the command line.
    static func installer(for invocation: Invocation, verb: String) throws -> ClientInstaller {
        guard invocation.positionals.count == 1,
            let client = ClientInstaller.Client(rawValue: invocation.positionals[0])
        else {
            throw CommandError("\(verb) needs one client: \(clientList)")
        }
        var scope: ClientInstaller.Scope?
        if let scopeName = invocation.option(scopeOption.name) {
            guard let parsed = ClientInstaller.Scope(rawValue: scopeName) else {
                throw CommandError("--scope is user or project")
            }
            scope = parsed
        }
        return try ClientInstaller(
            client: client,
            scope: scope,
            home: try invocation.home(),
            projectDirectory: FileManager.default.currentDirectoryPath
        )
    }

    /// What the entry gets for each `--env`: `K=V` as given and bare `K` from this shell,
    /// or a reference where `referenced` says so (then the value is never written).
    static func settings(
        _ pairs: [String],
        from environment: Environment,
        referenced: (String) -> Bool
    ) throws(CommandError) -> [String: ClientInstaller.Setting] {
        let known = Set(ToolServices.settings.map(\.variable))
        var result: [String: ClientInstaller.Setting] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            guard known.contains(name) else {
                throw CommandError(
                    "--env \(name): not a setting of this server; known: \(known.sorted().joined(separator: ", "))"
                )
            }
            if referenced(name) {
                result[name] = .reference
            } else if parts.count == 2 {
                result[name] = .value(parts[1])
            } else if let value = environment[name] {
                result[name] = .value(value)
            } else {
                throw CommandError("--env \(name): it is not set in this shell; pass --env \(name)=VALUE")
            }
        }
        return result
    }
}
