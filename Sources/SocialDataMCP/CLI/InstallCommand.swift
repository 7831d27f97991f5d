import Foundation

/// `social-data-mcp install CLIENT [--print] [--scope user|project] [--env K[=V] ...]`.
enum InstallCommand {
    /// The clients, for help and errors.
    static var clientList: String { ClientInstaller.Client.allCases.map(\.rawValue).joined(separator: ", ") }

    /// The options `install` takes.
    static let options: [CommandOption] = [
        .flag("--print", "show the change (secrets masked) and write nothing"),
        scopeOption,
        .value("--env", "K[=V]", repeats: true, "a setting for the entry; K alone copies it from this shell"),
    ]

    /// `--scope`, shared with `uninstall`.
    static let scopeOption = CommandOption.value(
        "--scope",
        "user|project",
        "the user's config or the current project's (default: user; vscode: project)"
    )

    static func run(_ invocation: Invocation) throws(CommandError) -> Int32 {
        let installer = try installer(for: invocation, verb: "install")
        let serverEnvironment = try entryEnvironment(invocation.values("--env"), from: invocation.environment)
        let plan = try installer.plan(command: ClientInstaller.executablePath, environment: serverEnvironment)
        let secrets = SecretRedactor(secretValues(serverEnvironment))
        guard let updated = plan.updated else {
            CLI.writeOut(
                "\(ServerIdentity.registrationName) is already registered in \(plan.path) with these settings; nothing changed.\n"
            )
            return 0
        }
        if invocation.flag("--print") {
            let diff = LineDiff.unified(old: plan.existing ?? "", new: updated, path: plan.path)
            CLI.writeOut("Would change \(plan.path) (nothing written; secrets masked):\n\(diff)", redactor: secrets)
            return 0
        }
        let backup = try installer.apply(plan)
        var message = "Registered \(ServerIdentity.registrationName) in \(plan.path)"
        message += backup.map { " (previous version saved as \($0))" } ?? " (new file)"
        message += ".\nRestart \(installer.client.rawValue) to load it."
        if serverEnvironment.isEmpty {
            message +=
                "\nNo --env given: add provider keys with --env DATANEXUS_API_KEY=… (or --env NAME to copy it from this shell)."
        }
        CLI.writeOut(message + "\n")
        return 0
    }

    /// The installer for the client and scope named on the command line.
    static func installer(for invocation: Invocation, verb: String) throws(CommandError) -> ClientInstaller {
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

    /// `K=V` pairs as given, and bare `K` taken from this shell; only known settings.
    static func entryEnvironment(
        _ pairs: [String],
        from environment: Environment
    ) throws(CommandError) -> [String: String] {
        let known = Set(CLI.configKeys.map(\.variable))
        var result: [String: String] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            guard known.contains(name) else {
                throw CommandError(
                    "--env \(name): not a setting of this server; known: \(known.sorted().joined(separator: ", "))"
                )
            }
            if parts.count == 2 {
                result[name] = parts[1]
            } else if let value = environment[name] {
                result[name] = value
            } else {
                throw CommandError("--env \(name): it is not set in this shell; pass --env \(name)=VALUE")
            }
        }
        return result
    }

    static func secretValues(_ environment: [String: String]) -> [String] {
        let secret = Set(CLI.configKeys.filter(\.isSecret).map(\.variable))
        return environment.filter { secret.contains($0.key) }.map(\.value)
    }
}

/// A unified diff of one contiguous change (all an install makes), with context.
enum LineDiff {
    static func unified(old: String, new: String, path: String, context: Int = 3) -> String {
        func lines(_ text: String) -> [String] {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            return lines
        }
        let before = lines(old)
        let after = lines(new)
        var prefix = 0
        while prefix < before.count, prefix < after.count, before[prefix] == after[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < before.count - prefix, suffix < after.count - prefix,
            before[before.count - 1 - suffix] == after[after.count - 1 - suffix]
        {
            suffix += 1
        }
        let start = max(0, prefix - context)
        let oldEnd = min(before.count, before.count - suffix + context)
        let newEnd = min(after.count, after.count - suffix + context)
        var output = ["--- \(old.isEmpty ? "/dev/null" : path)", "+++ \(path)"]
        let oldStart = oldEnd > start ? start + 1 : start
        output.append("@@ -\(oldStart),\(oldEnd - start) +\(start + 1),\(newEnd - start) @@")
        for line in before[start..<prefix] { output.append(" " + line) }
        for line in before[prefix..<(before.count - suffix)] { output.append("-" + line) }
        for line in after[prefix..<(after.count - suffix)] { output.append("+" + line) }
        for line in after[(after.count - suffix)..<newEnd] { output.append(" " + line) }
        return output.joined(separator: "\n") + "\n"
    }
}
