import Catalog
import Wire

/// The catalog profile's own tools: find a tool by words, call a tool by name.
///
/// With `SOCIAL_DATA_MCP_PROFILE=catalog` `tools/list` shows these two plus the usage
/// report and the saved-result reader; every other exposed tool is still there, reached by
/// name. A call goes through the same pipeline as a direct call (validation, quote, cache,
/// spend gate, result), so it costs, refuses and records exactly the same.
public enum CatalogToolset {
    /// The finder's name.
    public static let findName = "social_data_find_tools"
    /// The caller's name.
    public static let callName = "social_data_call_tool"
    /// What `tools/list` shows under the catalog profile, in this order.
    public static let listedNames = [findName, callName, ServerToolset.usageName, ServerToolset.readResultName]
    /// The most tools one search returns with their schemas.
    static let matchesShown = 5

    /// The two rows.
    public static let tools = [
        ToolDefinition(
            name: findName,
            title: "Find tools",
            summary:
                "Search every data tool (小红书 XHS, 抖音 Douyin, 视频号, 快手, 博主 KOL, GEO, images…) by words in "
                + "Chinese or English; returns names, descriptions and input schemas for social_data_call_tool.",
            parameters: [Parameter("query", .string(maxLength: 256), "Words; \"\" = list all.", in: .local)],
            route: .none,
            price: .free("answered locally"),
            effect: .local,
            execution: .local
        ),
        ToolDefinition(
            name: callName,
            title: "Call a tool",
            summary:
                "Call a tool found with social_data_find_tools: same validation, price, dry_run, limits and result "
                + "as calling it directly.",
            parameters: [
                Parameter("name", .string(maxLength: 64), "The tool's name.", required: true, in: .local),
                Parameter("arguments", .object, "Its arguments, per its input schema.", in: .local),
            ],
            route: .none,
            // What it costs is the called tool's price, which that call quotes and settles.
            price: .free("the called tool's price applies"),
            effect: .local,
            execution: .local
        ),
    ]

    /// The toolsets with the server's own toolset carrying the catalog tools as well.
    public static func toolsets(_ toolsets: [Toolset]) -> [Toolset] {
        toolsets.map { toolset in
            guard toolset.id == ServerToolset.id else { return toolset }
            return Toolset(
                id: toolset.id,
                name: toolset.name,
                summary: toolset.summary,
                settings: toolset.settings,
                tools: toolset.tools + tools
            )
        }
    }

    /// The finder's answer over the exposed tools.
    static func answers(_ catalog: ToolCatalog) -> [String: LocalAnswer] {
        [
            findName: { call in
                let query = call.arguments["query"]?.stringValue ?? ""
                let candidates = catalog.entries.filter { !listedNames.contains($0.tool.name) }
                let ranked = CatalogSearch.rank(candidates, query: query)
                if ranked.isEmpty {
                    // No query, or no word matched: every name and title, to pick from.
                    let all = candidates.map { entry -> JSONValue in
                        ["name": .string(entry.tool.name), "title": .string(entry.tool.title)]
                    }
                    return .success(
                        UpstreamPayload(
                            data: [
                                "query": .string(query), "matched": 0, "tools": .array(all),
                                "hint": "Search with words from a title to get its input schema.",
                            ]
                        )
                    )
                }
                let shown = ranked.prefix(matchesShown).map { entry -> JSONValue in
                    [
                        "name": .string(entry.tool.name),
                        "description": .string(entry.tool.description),
                        "inputSchema": InputSchema.schema(for: entry.tool),
                    ]
                }
                return .success(
                    UpstreamPayload(
                        data: ["query": .string(query), "matched": .int(ranked.count), "tools": .array(shown)]
                    )
                )
            }
        ]
    }
}
