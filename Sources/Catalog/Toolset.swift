/// A named group of rows that is exposed or hidden together (`datanexus`, `geo`, the
/// server's own `social_data`): the unit of `SOCIAL_DATA_MCP_TOOLSETS`, of the
/// instructions, of `SKILL.md` and of the README.
///
/// A provider's toolset and its `Provider` (how to reach it) share an id; the server's
/// own toolset has no provider, which is why this is a concept of its own.
public struct Toolset: Sendable {
    /// The toolset name (`datanexus`), also the tool-name prefix.
    public let id: String
    /// The display name (`DataNexus`).
    public let name: String
    /// What it offers, for the instructions, `SKILL.md` and the README.
    public let summary: String
    /// The settings its tools read (keys, base URL, cookie), for `--help`, `doctor`, the
    /// bundle and the README.
    public let settings: [ConfigKey]
    /// The rows, in display order.
    public let tools: [ToolDefinition]

    /// Creates a toolset.
    public init(
        id: String,
        name: String,
        summary: String,
        settings: [ConfigKey] = [],
        tools: [ToolDefinition]
    ) {
        self.id = id
        self.name = name
        self.summary = summary
        self.settings = settings
        self.tools = tools
    }
}
