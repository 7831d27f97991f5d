import Wire

/// What the MCP methods serve: tools, prompts and saved results, and the instructions.
///
/// The MCP layer owns the protocol (eras, parameters, errors, cache hints); the
/// application behind it (the call pipeline) owns what the answers say.
public protocol MCPApplication: Sendable {
    /// The `instructions` of `initialize` and `server/discover`.
    var instructions: String { get }

    /// Every exposed tool as a `Tool` object, in table order.
    func listTools() -> [JSONValue]

    /// Runs a tool call; protocol problems (unknown tool, arguments not an object) are
    /// JSON-RPC errors, everything else a `CallToolResult`.
    func callTool(name: String, arguments: JSONValue?, context: CallContext) async -> Result<JSONValue, RPCError>

    /// Every exposed prompt as a `Prompt` object.
    func listPrompts() -> [JSONValue]

    /// A prompt's `GetPromptResult` for these arguments.
    func getPrompt(name: String, arguments: [String: String]) -> Result<JSONValue, RPCError>

    /// The resources on offer, as `Resource` objects.
    func listResources() -> [JSONValue]

    /// The resource templates on offer, as `ResourceTemplate` objects.
    func listResourceTemplates() -> [JSONValue]

    /// A resource's contents (`TextResourceContents` objects), or `nil` when there is no
    /// such resource.
    func readResource(uri: String) -> [JSONValue]?
}
