import Foundation
import Install
import Wire

/// `install CLIENT --remote https://HOST/mcp --token-env VAR`: a team server's entry.
///
/// The entry names the team server (`serve --http`); the client reads the member's token
/// from `VAR` when it connects. Only the reference is written, in every scope, so a
/// project file can be shared.
enum RemoteInstall {
    static let options: [CommandOption] = [
        .value("--remote", "URL", "register a team server (serve --http) at URL instead of this binary"),
        .value("--token-env", "VAR", "with --remote: the variable holding the member's token (never written)"),
    ]

    static func run(_ invocation: Invocation, installer: ClientInstaller, url: String) throws -> Int32 {
        let client = installer.client
        guard client.remote != nil else {
            throw CommandError(
                "\(client.title) cannot read a token from its environment for a remote server, and a token must not "
                    + "be written into its config; use a client that can (\(remoteClients)) or run the server locally"
            )
        }
        guard invocation.values("--env").isEmpty, invocation.arguments.configuration.isEmpty else {
            throw CommandError(
                "--remote takes no settings: keys and limits live on the team server; give only --token-env"
            )
        }
        try checkURL(url)
        guard let variable = invocation.option("--token-env") else {
            throw CommandError("--remote needs --token-env VAR: the variable that will hold your member token")
        }
        guard ReferenceSyntax.isVariableName(variable) else {
            throw CommandError("--token-env takes a variable name (letters, digits, _), not \(variable)")
        }
        let plan = try installer.plan { existing throws(ConfigFileError) in
            try installer.mergedRemote(
                into: existing,
                url: url,
                tokenVariable: variable,
                tokenMeaning: "member token for the social-data-mcp team server"
            )
        }
        let token =
            client.remote?.token == .bearerTokenVariable
            ? "bearer_token_env_var = \"\(variable)\"" : installer.referenceForm(variable, secret: true)
        if invocation.flag("--print") {
            let change =
                plan.updated == nil
                ? "\(ServerIdentity.registrationName) already points at \(url) in \(plan.path).\n"
                : "Would change \(plan.path) (nothing written):\n\(plan.diff)"
            CLI.writeOut(change)
            return 0
        }
        guard plan.updated != nil else {
            CLI.writeOut(
                "\(ServerIdentity.registrationName) already points at \(url) in \(plan.path); nothing changed.\n"
            )
            return 0
        }
        let backup = try installer.apply(plan, holdsKeys: false)
        var message = "Registered \(ServerIdentity.registrationName) at \(url) in \(plan.path)"
        message += backup.map { " (previous version saved as \($0))" } ?? " (new file)"
        message += ".\nThe token is read from \(token) when \(client.title) connects"
        message +=
            client.promptsForSecrets
            ? " (it asks for it once and keeps it in its secret storage).\n"
            : ": set \(variable) in the environment \(client.title) starts from, then restart it.\n"
        CLI.writeOut(message)
        return 0
    }

    private static var remoteClients: String {
        MCPClient.all.filter { $0.remote != nil }.map(\.name).joined(separator: ", ")
    }

    /// https anywhere; plain http only to this machine, where nothing travels a network.
    private static func checkURL(_ text: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host,
            !host.isEmpty, text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else {
            throw CommandError("--remote takes the team server's URL, like https://mcp.example.com/mcp, not \(text)")
        }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw CommandError(
                "--remote must be https:// (the token would cross the network in clear); plain http is only for "
                    + "127.0.0.1 or localhost"
            )
        }
    }
}
