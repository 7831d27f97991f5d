import Wire

/// `tools/list`: the exposed tools, a page at a time.
public enum ListTools: MCPMethod {
    /// The method name.
    public static let name = "tools/list"
    /// The tool set is fixed for the life of the process.
    public static let cacheHint: CacheHint? = .processLifetime
    /// Tools per page (all 42 fit one page; tests shrink it).
    public static let pageSize = 100

    /// One page of tools, with `nextCursor` when more follow.
    public static func respond(to request: MCPRequest) async -> Result<JSONValue, RPCError> {
        let tools = request.application.listTools()
        let offset: Int
        switch ListCursor.offset(request.params, items: tools.count, method: name) {
        case .success(let value): offset = value
        case .failure(let error): return .failure(error)
        }
        let end = min(tools.count, offset + request.toolsPageSize)
        var result: [String: JSONValue] = ["tools": .array(Array(tools[offset..<end]))]
        if end < tools.count { result["nextCursor"] = .string("offset:\(end)") }
        return .success(.object(result))
    }
}
