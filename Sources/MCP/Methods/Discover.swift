import Wire

/// `server/discover` (2026-07-28): versions, capabilities and instructions without a session.
public enum Discover: MCPMethod {
    /// The method name.
    public static let name = "server/discover"
    /// The tool set is fixed for the life of the process.
    public static let cacheHint: CacheHint? = .processLifetime

    /// What the server speaks and offers.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        .success([
            "supportedVersions": .array(ProtocolVersion.supported.map { .string($0) }),
            "capabilities": request.capabilities,
            "instructions": .string(request.application.instructions),
        ])
    }
}
