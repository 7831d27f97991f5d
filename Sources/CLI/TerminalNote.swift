import Wire

/// What a person who starts the stdio server by hand in a terminal is told, on stderr:
/// that it is an MCP server for a client to start, and how to add it to one.
enum TerminalNote {
    /// The note, one line.
    static let text =
        "This is an MCP server: it speaks MCP (JSON-RPC) on stdin/stdout, for an MCP client to start. "
        + "Add it to one with `\(ServerIdentity.name) install claude-code` (clients: \(InstallCommand.clientList); "
        + "--sandbox tries it without keys), or see `\(ServerIdentity.name) --help`. Waiting for MCP messages; Ctrl-D ends."
}
