import Wire

/// `prompts/list`: every exposed prompt on one page (there are a handful).
public enum ListPrompts: MCPMethod {
    /// The method name.
    public static let name = "prompts/list"
    /// The prompt set is fixed for the life of the process and follows its configuration.
    public static let cacheHint: CacheHint? = .processLifetime

    /// The prompts.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        if case .failure(let error) = ListCursor.offset(request.params, items: nil, method: name) {
            return .failure(error)
        }
        return .success(["prompts": .array(request.application.listPrompts())])
    }
}
