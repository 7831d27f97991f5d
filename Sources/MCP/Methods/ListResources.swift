import Wire

/// `resources/list`: the saved complete data of trimmed results.
public enum ListResources: MCPMethod {
    /// The method name.
    public static let name = "resources/list"
    /// New results appear with every trimmed call: never cache the list.
    public static let cacheHint: CacheHint? = CacheHint(ttlMs: 0)

    /// The resources.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        .success(["resources": .array(request.application.listResources())])
    }
}
