extension ToolCatalog.Entry {
    /// The `_meta` key of a tool's price.
    public static let priceMetaKey = "social-data-mcp/price"
    /// The `_meta` key of a tool's toolset.
    public static let toolsetMetaKey = "social-data-mcp/toolset"

    /// The MCP `Tool` object: name, title, description, schema, annotations, price.
    public var mcpJSON: JSONValue {
        [
            "name": .string(tool.name),
            "title": .string(tool.title),
            "description": .string(tool.description),
            "inputSchema": InputSchema.schema(for: tool),
            "annotations": annotations,
            "_meta": [
                ToolCatalog.Entry.priceMetaKey: tool.price.json,
                ToolCatalog.Entry.toolsetMetaKey: .string(provider.id),
            ],
        ]
    }

    /// The MCP annotations, all derived from the row's effect.
    public var annotations: JSONValue {
        [
            "title": .string(tool.title),
            "readOnlyHint": .bool(tool.effect.isReadOnly),
            // Nothing here deletes or overwrites; creating paid work is additive.
            "destructiveHint": false,
            "idempotentHint": .bool(tool.effect.isReadOnly),
            "openWorldHint": .bool(tool.effect != .local),
        ]
    }
}
