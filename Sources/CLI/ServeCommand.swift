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
        let toolsets = Set(services.catalog.entries.map(\.toolset.id)).sorted().joined(separator: ", ")
        output.log("\(ServerIdentity.version) serving \(services.catalog.entries.count) tools (\(toolsets)) on stdio")
        StdioServer(server: server, output: output).run()
    }
}
