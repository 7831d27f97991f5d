import Foundation

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
        /// A Markdown table per provider, for documentation (the README's tool list).
        case markdown
    }

    /// The export as text: JSON for the API formats, Markdown for `.markdown`.
    public static func text(_ entries: [ToolCatalog.Entry], format: Format, strict: Bool) -> String {
        guard format == .markdown else { return export(entries, format: format, strict: strict).prettyJSONText }
        var lines: [String] = []
        var providerIDs: [String] = []
        for entry in entries where !providerIDs.contains(entry.provider.id) { providerIDs.append(entry.provider.id) }
        for providerID in providerIDs {
            let tools = entries.filter { $0.provider.id == providerID }
            guard let provider = tools.first?.provider else { continue }
            lines.append("#### \(provider.name) (`\(provider.id)`)")
            lines.append("")
            lines.append(provider.summary.prefix(1).uppercased() + provider.summary.dropFirst())
            lines.append("")
            lines.append("| tool | what it does | price |")
            lines.append("|---|---|---|")
            for entry in tools {
                let cells = [entry.tool.summary, entry.tool.price.sentence].map {
                    $0.replacingOccurrences(of: "|", with: "\\|")
                }
                lines.append("| `\(entry.tool.name)` | \(cells[0]) | \(cells[1]) |")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Exports `entries`; `strict` gives OpenAI strict-mode schemas where a tool allows one.
    public static func export(_ entries: [ToolCatalog.Entry], format: Format, strict: Bool) -> JSONValue {
        switch format {
        case .mcp, .markdown:
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
