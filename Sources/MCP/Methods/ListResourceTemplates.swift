import Wire

/// `resources/templates/list`: how saved results are addressed, so clients that list
/// templates alongside resources (the official SDK, pydantic-ai, llama-index) do not fail.
public enum ListResourceTemplates: MCPMethod {
    /// The method name.
    public static let name = "resources/templates/list"
    /// The template set is fixed for the life of the process.
    public static let cacheHint: CacheHint? = .processLifetime

    /// The templates.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        .success(["resourceTemplates": .array(request.application.listResourceTemplates())])
    }
}
