/// The tools in the shapes other tool-calling APIs take, all from the same rows.
public enum ToolExport {
    /// The export formats.
    public enum Format: String, CaseIterable, Sendable {
        /// The MCP `tools/list` result.
        case mcp
        /// OpenAI Chat Completions: `[{"type":"function","function":{…}}]`.
        case openai
        /// OpenAI Responses: `[{"type":"function","name":…}]`.
        case openaiResponses = "openai-responses"
        /// Anthropic Messages: `[{"name","description","input_schema"}]`.
        case anthropic
    }

    /// Exports `entries`; `strict` gives OpenAI strict-mode schemas where a tool allows one.
    public static func export(_ entries: [ToolCatalog.Entry], format: Format, strict: Bool) -> JSONValue {
        switch format {
        case .mcp:
            return ["tools": .array(entries.map(\.mcpJSON))]
        case .openai:
            return .array(
                entries.map { entry in
                    let (parameters, isStrict) = openAIParameters(entry.tool, strict: strict)
                    return [
                        "type": "function",
                        "function": [
                            "name": .string(entry.tool.name),
                            "description": .string(entry.tool.description),
                            "parameters": parameters,
                            "strict": .bool(isStrict),
                        ],
                    ]
                }
            )
        case .openaiResponses:
            return .array(
                entries.map { entry in
                    let (parameters, isStrict) = openAIParameters(entry.tool, strict: strict)
                    return [
                        "type": "function",
                        "name": .string(entry.tool.name),
                        "description": .string(entry.tool.description),
                        "parameters": parameters,
                        "strict": .bool(isStrict),
                    ]
                }
            )
        case .anthropic:
            return .array(
                entries.map { entry in
                    [
                        "name": .string(entry.tool.name),
                        "description": .string(entry.tool.description),
                        "input_schema": InputSchema.schema(for: entry.tool),
                    ]
                }
            )
        }
    }

    /// The parameters schema and whether it is strict: a tool with a free-form object
    /// argument cannot be described in strict mode, so it is exported non-strict.
    static func openAIParameters(_ tool: ToolDefinition, strict: Bool) -> (JSONValue, Bool) {
        guard strict,
            !tool.parameters.contains(where: { if case .object = $0.kind { return true } else { return false } })
        else {
            return (InputSchema.schema(for: tool), false)
        }
        return (StrictSchema.schema(for: tool), true)
    }
}
