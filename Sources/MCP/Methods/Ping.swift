import Wire

/// `ping`: an empty result.
public enum Ping: MCPMethod {
    /// The method name.
    public static let name = "ping"

    /// Always `{}`.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> { .success([:]) }
}
