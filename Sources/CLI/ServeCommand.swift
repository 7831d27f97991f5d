import Foundation
import HTTPServer
import Locking
import MCP
import Members
import Spend
import TeamServer
import ToolCall
import Wire

/// `social-data-mcp [serve]`: the stdio MCP server, or with `--http` the team server.
enum ServeCommand {
    static let options: [CommandOption] = [
        .value("--http", "[HOST:]PORT", "serve MCP over Streamable HTTP at /mcp to members (127.0.0.1 unless HOST)"),
        .value("--allow-origin", "ORIGIN", repeats: true, "with --http: a browser Origin allowed to call"),
    ]

    static func run(_ invocation: Invocation) async throws -> Int32 {
        let services = try invocation.services()
        let output = OutputChannel(redactor: services.secrets)
        let application = ServerApplication(services: services)
        let toolsets = Set(services.catalog.entries.map(\.toolset.id)).sorted().joined(separator: ", ")
        guard let listen = invocation.option("--http") else {
            let server = MCPServer(application: application, notify: output.send, diagnostics: output.log)
            // A person who runs the bare binary in a terminal would otherwise see one log line
            // and a server waiting for JSON; stdout stays for MCP alone, so this goes to stderr.
            if isatty(STDIN_FILENO) == 1 { output.log(TerminalNote.text) }
            output.log(
                "\(ServerIdentity.version) serving \(services.catalog.entries.count) tools (\(toolsets)) on stdio"
            )
            StdioServer(server: server, output: output).run()
        }
        guard let address = HTTPListenAddress(parsing: listen) else {
            throw CommandError("--http takes PORT or HOST:PORT (for example 8080 or 0.0.0.0:8080), not \(listen)")
        }
        let store = MemberStore(directory: URL(fileURLWithPath: services.configuration.stateDirectory))
        let count = (try? store.list().count) ?? 0
        if count == 0 {
            output.log(
                "no members yet: add one with `\(ServerIdentity.name) member add NAME` (every request needs a token)"
            )
        }
        var settings = EndpointSettings()
        settings.allowedOrigins = Set(invocation.values("--allow-origin"))
        let secrets = services.secrets
        // Progress and log messages go to each request's own stream, never to stdout.
        // Each member gets an application over services of their own (same ledger, client
        // and caches): their name on every ledger line, their limits beside the team's (read
        // from the members file for each call, so `member limit` applies at once, in open
        // sessions too), and their toolsets if they have some (made again when those change).
        let served = Locked([String: (toolsets: [String]?, application: ServerApplication)]())
        let endpoint = MCPEndpoint(
            settings: settings,
            members: store,
            redact: { secrets.redact($0) },
            makeServer: { member in
                let application = served.withLock { cache in
                    if let made = cache[member.name], made.toolsets == member.toolsets { return made.application }
                    let name = member.name
                    let added = member.budget
                    // Removed meanwhile: their token no longer authenticates; the limits last read still hold.
                    let current: @Sendable () -> MemberBudget = { store.member(named: name)?.budget ?? added }
                    let made = ServerApplication(services: services.serving(current, toolsets: member.toolsets))
                    cache[member.name] = (member.toolsets, made)
                    return made
                }
                return MCPServer(application: application, notify: { _ in }, diagnostics: output.log)
            }
        )
        output.log(
            "\(ServerIdentity.version) serving \(services.catalog.entries.count) tools (\(toolsets)) to \(count) members"
        )
        return await TeamServer.run(address: address, endpoint: endpoint, log: output.log)
    }
}
