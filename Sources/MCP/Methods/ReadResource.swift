import Wire

/// `resources/read`: a saved result's complete data.
public enum ReadResource: MCPMethod {
    /// The method name.
    public static let name = "resources/read"
    /// A saved result never changes.
    public static let cacheHint: CacheHint? = .processLifetime

    /// The contents; "not found" is -32602 in 2026-07-28 and -32002 before it.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        guard let uri = request.params["uri"]?.stringValue else {
            return .failure(.invalidParams("\"uri\" (a string) is required"))
        }
        guard let contents = request.application.readResource(uri: uri) else {
            return .failure(
                RPCError(
                    code: request.era.isModern ? -32602 : -32002,
                    message: "Resource not found",
                    data: ["uri": .string(uri)]
                )
            )
        }
        return .success(["contents": .array(contents)])
    }
}
