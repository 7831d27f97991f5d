import Foundation
import Install
import Spend
import ToolCall
import Wire

/// `social-data-mcp install CLIENT [--print] [--scope user|project] [--env K[=V] ...] [--bin-dir DIR]`.
enum InstallCommand {
    /// The clients, for help and errors.
    static var clientList: String { MCPClient.names }

    /// The options `install` takes.
    static let options: [CommandOption] =
        [
            .flag("--print", "show the change (secrets masked) and the form of each setting; write nothing"),
            scopeOption,
            .value("--env", "K[=V]", repeats: true, "a setting for the entry; K alone copies it from this shell"),
            .flag(
                "--reference",
                "write every setting as a reference the client expands from its environment (project scopes always do for keys)"
            ),
            .value(
                "--bin-dir",
                "DIR",
                "where the binary the entry runs is copied (default ~/.local/bin; macOS ~/Library/Application Support/social-data-mcp/bin)"
            ),
        ] + RemoteInstall.options

    /// `--scope`, shared with `uninstall`.
    static let scopeOption = CommandOption.value(
        "--scope",
        "user|project",
        "the user's config or the current project's (default: user; vscode: project)"
    )

    /// The variables whose values are secrets.
    static var secrets: Set<String> { Set(ToolServices.settings.filter(\.isSecret).map(\.variable)) }

    static func run(_ invocation: Invocation) throws -> Int32 {
        let installer = try installer(for: invocation, verb: "install")
        if let url = invocation.option("--remote") {
            return try RemoteInstall.run(invocation, installer: installer, url: url)
        }
        let client = installer.client
        let secrets = Self.secrets
        let settings = try checkedSettings(for: installer, invocation)
        var given: [String: String] = [:]
        for case (let variable, .value(let value)) in settings { given[variable] = value }
        let home = try invocation.home()
        let binDirectory = invocation.option("--bin-dir") ?? StableBinary.defaultDirectory(home: home)
        let command = StableBinary.path(in: binDirectory)
        let meanings = Dictionary(
            ToolServices.settings.map { ($0.variable, $0.meaning) },
            uniquingKeysWith: { first, _ in first }
        )
        let plan = try installer.plan { existing throws(ConfigFileError) in
            try installer.merged(
                into: existing,
                command: command,
                settings: settings,
                secrets: secrets,
                meanings: meanings
            )
        }
        let before = try plan.existing.flatMap { text throws(ConfigFileError) in
            try InstalledEntry.parse(text, client: client, path: plan.path, environment: invocation.environment)
        }
        let after = try (plan.updated ?? plan.existing).flatMap { text throws(ConfigFileError) in
            try InstalledEntry.parse(text, client: client, path: plan.path, environment: invocation.environment)
        }
        let redactor = SecretRedactor(
            Array(given.values) + Array((before?.written ?? [:]).values) + Array((after?.written ?? [:]).values)
        )
        let forms = describe(settings, installer: installer, secrets: secrets)
        let notes = notes(client: client, before: before, after: after, given: given)
        if client.format == .pasted {
            return try printPasted(plan, client: client, forms: forms, notes: notes, redactor: redactor, invocation)
        }
        if invocation.flag("--print") {
            let change =
                plan.updated == nil
                ? "\(ServerIdentity.registrationName) is already registered in \(plan.path) with these settings.\n"
                : "Would change \(plan.path) (nothing written; secrets masked):\n\(forms)\(plan.diff)"
            CLI.writeOut(
                change + "Would copy this binary to \(command) for the entry to run.\n" + notes,
                redactor: redactor
            )
            return 0
        }
        let placed = try placeBinary(in: binDirectory)
        guard plan.updated != nil else {
            CLI.writeOut(
                "\(ServerIdentity.registrationName) is already registered in \(plan.path) with these settings; "
                    + "nothing changed in it.\n\(placed)\(notes)",
                redactor: redactor
            )
            return 0
        }
        let holdsKeys = !(after?.written.keys.filter(secrets.contains).isEmpty ?? true)
        let backup = try installer.apply(plan, holdsKeys: holdsKeys)
        var message = "Registered \(ServerIdentity.registrationName) in \(plan.path)"
        message += backup.map { " (previous version saved as \($0))" } ?? " (new file)"
        message += ".\n\(forms)\(placed)Restart \(client.title) to load it."
        if settings.isEmpty {
            message +=
                "\nNo --env given: add provider keys with --env DATANEXUS_API_KEY=… (or --env NAME to copy it from this shell)."
        }
        CLI.writeOut(message + "\n" + notes, redactor: redactor)
        return 0
    }

    /// The settings for the entry, refused (before anything is written) where the client
    /// cannot take them or the server would not start with them.
    static func checkedSettings(
        for installer: ClientInstaller,
        _ invocation: Invocation
    ) throws -> [String: ClientInstaller.Setting] {
        let client = installer.client
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
            if installer.scope == .project {
                throw CommandError(
                    "\(client.title) does not expand variables in its config, and a project file is shared, so a "
                        + "key cannot go into \(installer.configPath): install keys with --scope user"
                )
            }
            throw CommandError(
                "\(client.name) does not expand variables in its config; give values (--env K=V)"
                    + (client.takesBundle
                        ? " or use the bundle (social-data-mcp bundle), which keeps keys in the OS keychain" : "")
            )
        }
        var given: [String: String] = [:]
        for case (let variable, .value(let value)) in settings { given[variable] = value }
        do {
            try InstallSettingsCheck.check(given)
        } catch {
            let reason = error.message.hasSuffix(".") ? String(error.message.dropLast()) : error.message
            throw CommandError(reason + ". Nothing was written.")
        }
        return settings
    }

    /// Copies the running binary to its stable place and says so.
    private static func placeBinary(in directory: String) throws -> String {
        let outcome: StableBinary.Outcome
        do {
            outcome = try StableBinary.place(ClientInstaller.executablePath, in: directory)
        } catch {
            throw CommandError("could not copy the binary to \(directory): \(error.reason); nothing was written")
        }
        let path = StableBinary.path(in: directory)
        switch outcome {
        case .copied:
            return "The entry runs \(path), a copy of this binary (re-run install after a rebuild to update it).\n"
        case .unchanged: return "The entry runs \(path), already the same as this binary.\n"
        case .runningFromIt: return "The entry runs \(path), this binary.\n"
        }
    }

    /// For a client configured in its own window: the JSON to paste there (and, without
    /// `--print`, the binary copied to where that JSON points).
    private static func printPasted(
        _ plan: ClientInstaller.Plan,
        client: MCPClient,
        forms: String,
        notes: String,
        redactor: SecretRedactor,
        _ invocation: Invocation
    ) throws -> Int32 {
        let home = try invocation.home()
        let directory = invocation.option("--bin-dir") ?? StableBinary.defaultDirectory(home: home)
        let placed =
            invocation.flag("--print")
            ? "Would copy this binary to \(StableBinary.path(in: directory)) for the entry to run "
                + "(install \(client.name) without --print does).\n"
            : try placeBinary(in: directory)
        let written =
            try InstalledEntry.parse(
                plan.updated ?? "",
                client: client,
                path: plan.path,
                environment: invocation.environment
            )?.written ?? [:]
        let masked =
            written.keys.contains(where: secrets.contains)
            ? "Keys are masked here: after pasting, type each key over its masked value in \(client.title)'s editor.\n"
            : ""
        CLI.writeOut(
            "\(client.title) keeps its servers itself; paste this into \(plan.path):\n\n\(plan.updated ?? "")\n"
                + forms + masked + placed + notes,
            redactor: redactor
        )
        return 0
    }

    /// What the user should know about the entry as it will be: a tool cap it passes, and
    /// sandbox mode when it is on (most of all when it stays on from before).
    static func notes(
        client: MCPClient,
        before: InstalledEntry?,
        after: InstalledEntry?,
        given: [String: String]
    )
        -> String
    {
        var notes: [String] = []
        let environment = after?.environment ?? given
        if let cap = ToolCapNote.text(for: client, settings: environment) { notes.append(cap) }
        if Configuration.isSandbox(Environment(environment)) {
            let kept =
                given[Configuration.sandboxKey.variable] == nil
                && before.map { Configuration.isSandbox(Environment($0.environment)) } == true
            notes.append(
                "Sandbox mode is on\(kept ? " (\(Configuration.sandboxKey.variable)=1 is kept from the existing entry)" : ""): "
                    + "tools answer with sample data and nothing is sent or charged. To use your keys for real: "
                    + "install \(client.name) --env \(Configuration.sandboxKey.variable)=0 (or uninstall first)."
            )
        }
        return notes.map { $0 + "\n" }.joined()
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
                return "  \(variable): the value (\(shown)), written in the entry\n"
            case .reference?, nil:
                let form = installer.referenceForm(variable, secret: secrets.contains(variable))
                let source =
                    form.hasPrefix("${input:")
                    ? "VS Code asks for it once, in a password prompt, and keeps it out of the file"
                    : "\(installer.client.name) reads it from the environment it was started in, so set it there"
                return "  \(variable): a reference, \(form); \(source)\n"
            }
        }.joined()
    }

    /// The installer for the client and scope named on the command line.
    static func installer(for invocation: Invocation, verb: String) throws -> ClientInstaller {
        switch invocation.positionals.count {
        case 1: break
        case 0: throw CommandError("\(verb) needs a client, one of: \(clientList)")
        default:
            throw CommandError(
                "\(verb) takes one client at a time, not \(invocation.positionals.count) "
                    + "(\(invocation.positionals.joined(separator: " "))); clients: \(clientList)"
            )
        }
        return try installer(named: invocation.positionals[0], invocation)
    }

    /// The installer for the client called `name`, in the scope `--scope` names.
    static func installer(named name: String, _ invocation: Invocation) throws -> ClientInstaller {
        guard let client = MCPClient.named(name) else {
            let hint = CommandTable.suggestion(for: name, among: MCPClient.all.map(\.name))
            throw CommandError("unknown client '\(name)'\(hint); clients: \(clientList)")
        }
        var scope: ConfigScope?
        if let scopeName = invocation.option(scopeOption.name) {
            guard let parsed = ConfigScope(rawValue: scopeName) else {
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
