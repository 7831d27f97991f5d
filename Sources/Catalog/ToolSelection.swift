/// Which rows of the table a process exposes: toolsets, exact names, read-only mode.
public struct ToolSelection: Sendable, Equatable {
    /// `SOCIAL_DATA_MCP_TOOLSETS`.
    public static let toolsetsKey = ConfigKey(
        "SOCIAL_DATA_MCP_TOOLSETS",
        "comma list of providers to expose (`datanexus,geo`); default: all"
    )
    /// `SOCIAL_DATA_MCP_TOOLS`.
    public static let toolsKey = ConfigKey(
        "SOCIAL_DATA_MCP_TOOLS",
        "exact tool names to expose, comma separated (overrides toolsets)"
    )
    /// `SOCIAL_DATA_MCP_READ_ONLY`.
    public static let readOnlyKey = ConfigKey(
        "SOCIAL_DATA_MCP_READ_ONLY",
        "`1`: hide tools that create paid work (image generation, collection submits, raw TikOmni routes)"
    )

    /// Toolsets to expose, or `nil` for all.
    public var toolsets: [String]?
    /// Exact tool names to expose (overrides toolsets), or `nil`.
    public var toolNames: [String]?
    /// Whether tools that create paid work are hidden.
    public var isReadOnly: Bool

    /// Creates a selection; the default exposes everything.
    public init(toolsets: [String]? = nil, toolNames: [String]? = nil, isReadOnly: Bool = false) {
        self.toolsets = toolsets
        self.toolNames = toolNames
        self.isReadOnly = isReadOnly
    }
}
