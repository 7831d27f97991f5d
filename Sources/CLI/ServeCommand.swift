import Foundation
import MCP
import ToolCall
import Wire

/// `social-data-mcp [serve]`: the stdio MCP server.
enum ServeCommand {
    static func run(_ invocation: Invocation) throws -> Int32 {
        let services = try invocation.services()
        let output = OutputChannel(redactor: services.secrets)
        let server = MCPServer(
            application: ServerApplication(services: services),
            notify: output.send,
            diagnostics: output.log
        )
        // A person who runs the bare binary in a terminal would otherwise see one log line
        // and a server waiting for JSON; stdout stays for MCP alone, so this goes to stderr.
        if isatty(STDIN_FILENO) == 1 { output.log(terminalNote) }
        let toolsets = Set(services.catalog.entries.map(\.toolset.id)).sorted().joined(separator: ", ")
        output.log("\(ServerIdentity.version) serving \(services.catalog.entries.count) tools (\(toolsets)) on stdio")
        StdioServer(server: server, output: output).run()
    }

    /// What a person starting the server by hand in a terminal is told.
    static let terminalNote =
        "This is an MCP server: it speaks MCP (JSON-RPC) on stdin/stdout, for an MCP client to start. "
        + "Add it to one with `\(ServerIdentity.name) install claude-code` (clients: \(InstallCommand.clientList); "
        + "--sandbox tries it without keys), or see `\(ServerIdentity.name) --help`. Waiting for MCP messages; Ctrl-D ends."
}
