import Wire

extension ToolCatalog.Entry {
    /// The MCP `Tool` object: name, title, description, schema, annotations.
    ///
    /// Every byte here is read in every conversation, so it carries only what a model needs
    /// to pick the tool and call it: the price is one clause of the description (the shared
    /// billing prose is in the server's instructions), and nothing is repeated in `_meta`.
    public var mcpJSON: JSONValue {
        [
            "name": .string(tool.name),
            "title": .string(tool.title),
            "description": .string(tool.description),
            "inputSchema": InputSchema.schema(for: tool),
            "annotations": annotations,
        ]
    }

    /// The MCP annotations, derived from the row's effect and price.
    ///
    /// A hint is written when it says something: `destructiveHint` and `idempotentHint`
    /// only mean anything when `readOnlyHint` is false, `idempotentHint` defaults to false
    /// (a tool that can spend is never idempotent: calling it again charges again), and
    /// `openWorldHint` defaults to true.
    public var annotations: JSONValue {
        let hints = tool.effect.hints(price: tool.price)
        var object: [String: JSONValue] = ["readOnlyHint": .bool(hints.readOnly)]
        if !hints.readOnly {
            object["destructiveHint"] = .bool(hints.destructive)
            if hints.idempotent { object["idempotentHint"] = true }
        }
        if !hints.openWorld { object["openWorldHint"] = false }
        return .object(object)
    }
}
