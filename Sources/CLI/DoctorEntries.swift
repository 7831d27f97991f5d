import Foundation
import Install
import ToolCall
import Wire

/// What `doctor` says about the entries clients have installed: the settings the server
/// will get from one entry (`doctor --client`), or every entry found and where it differs
/// from this shell (plain `doctor`), since the client, not the shell, starts the server.
enum DoctorEntries {
    /// The variables whose values are secrets, shown masked.
    static var secrets: Set<String> { InstallCommand.secrets }

    /// `NAME=value` for a setting, the value masked when it is a secret.
    static func shown(_ variable: String, _ value: String) -> String {
        "\(variable)=\(secrets.contains(variable) ? SecretRedactor.mask(value) : value)"
    }

    /// The lines for `doctor --client`: where the entry is, what it runs, and each setting
    /// as the server will get it.
    static func describe(_ entry: InstalledEntry, client: MCPClient) -> [String] {
        var lines = ["Settings from \(client.title)'s entry in \(entry.path) (what the server runs with there)."]
        lines.append("It runs \(([entry.command] + entry.arguments).joined(separator: " "))\(commandProblem(entry))")
        let settings = entry.environment.keys.sorted().map { shown($0, entry.environment[$0] ?? "") }
        lines.append(
            settings.isEmpty
                ? "Entry settings: none (the server gets only the client's own environment)."
                : "Entry settings: \(settings.joined(separator: ", "))."
        )
        if !entry.unresolved.isEmpty {
            lines.append(
                "Set by \(client.title) at start, not visible here: "
                    + entry.unresolved.keys.sorted().map { "\($0) (\(entry.unresolved[$0] ?? ""))" }
                    .joined(separator: ", ") + "; reported below as not set."
            )
        }
        return lines
    }

    /// The lines for plain `doctor`: every entry found in every client's config, each with
    /// the settings it has that this shell does not, or has otherwise.
    static func installed(_ invocation: Invocation, shell: Environment) -> [String] {
        guard let home = try? invocation.home() else { return [] }
        var lines: [String] = []
        // A client's scopes can name the same file (the project is the home folder).
        var seen: Set<String> = []
        for client in MCPClient.all where client.format != .pasted {
            for scope in client.scopes {
                let entry: InstalledEntry?
                do {
                    entry = try InstalledEntry.read(
                        client: client,
                        scope: scope,
                        home: home,
                        projectDirectory: FileManager.default.currentDirectoryPath,
                        environment: shell
                    )
                } catch {
                    lines.append("  \(client.name) (\(scope.rawValue)): could not read it: \(error.message)")
                    continue
                }
                guard let entry, seen.insert("\(client.name) \(entry.path)").inserted else { continue }
                lines.append("  \(client.name) (\(scope.rawValue), \(entry.path))\(commandProblem(entry))")
                lines += differences(entry, shell: shell).map { "      " + $0 }
            }
        }
        guard !lines.isEmpty else {
            return ["Installed entries: none found (\(ServerIdentity.name) install CLIENT adds one)."]
        }
        return ["Installed entries (the client starts the server with its entry's settings, not this shell's):"]
            + lines
            + ["The report above uses this shell's settings; doctor --client NAME [--scope S] uses an entry's."]
    }

    /// Where the entry's settings and this shell's part.
    static func differences(_ entry: InstalledEntry, shell: Environment) -> [String] {
        var lines: [String] = []
        var onlyEntry: [String] = []
        var differing: [String] = []
        for variable in entry.written.keys.sorted() {
            let value = entry.written[variable] ?? ""
            switch shell[variable] {
            case nil: onlyEntry.append(shown(variable, value))
            case value?: continue
            case let other?:
                differing.append("\(shown(variable, value)) there, \(shown(variable, other)) here")
            }
        }
        if !onlyEntry.isEmpty {
            lines.append("set in the entry, not in this shell: \(onlyEntry.joined(separator: ", "))")
        }
        if !differing.isEmpty { lines.append("set otherwise than in this shell: \(differing.joined(separator: "; "))") }
        if !entry.unresolved.isEmpty {
            lines.append(
                "given by the client at start: "
                    + entry.unresolved.keys.sorted().map { "\($0) (\(entry.unresolved[$0] ?? ""))" }
                    .joined(separator: ", ")
            )
        }
        if lines.isEmpty { lines.append("the same settings as this shell") }
        return lines
    }

    /// ` (missing: …)` when the program the entry runs is not there or cannot run.
    static func commandProblem(_ entry: InstalledEntry) -> String {
        guard entry.command.hasPrefix("/") else { return "" }
        guard FileManager.default.isExecutableFile(atPath: entry.command) else {
            return "; \(entry.command) is missing or not executable, so the client cannot start it: "
                + "re-run \(ServerIdentity.name) install"
        }
        return ""
    }

    /// Every secret value in these environments, for the redactor the report goes through.
    static func secretValues(_ environments: [[String: String]]) -> [String] {
        environments.flatMap { values in secrets.compactMap { values[$0] } }
    }
}
