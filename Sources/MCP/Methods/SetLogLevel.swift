import Wire

/// `logging/setLevel` (legacy era; 2026-07-28 carries the level in each request's `_meta`).
public enum SetLogLevel: MCPMethod {
    /// The method name.
    public static let name = "logging/setLevel"
    /// The modern era has no session to remember a level in.
    public static let isLegacyOnly = true

    /// Remembers the level for the session.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        guard let level = request.params["level"]?.stringValue.flatMap(LogLevel.init(rawValue:)) else {
            return .failure(
                .invalidParams("\"level\" must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            )
        }
        request.session.withLock { $0.legacyLogLevel = level }
        return .success([:])
    }
}
