import Catalog
import Foundation
import Providers
import ToolCall
import Wire

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
        /// A Markdown table per provider, the prompts and the `tools/list` sizes, for
        /// documentation (the README's tool list).
        case markdown
    }

    /// The export as text: JSON for the API formats, Markdown for `.markdown`.
    public static func text(_ entries: [ToolCatalog.Entry], format: Format, strict: Bool) -> String {
        guard format == .markdown else { return export(entries, format: format, strict: strict).prettyJSONText }
        var lines: [String] = []
        var providerIDs: [String] = []
        for entry in entries where !providerIDs.contains(entry.toolset.id) { providerIDs.append(entry.toolset.id) }
        for providerID in providerIDs {
            let tools = entries.filter { $0.toolset.id == providerID }
            guard let provider = tools.first?.toolset else { continue }
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
        lines += promptList(exposing: Set(entries.map(\.tool.name)))
        lines += sizeTable(entries)
        return lines.joined(separator: "\n")
    }

    /// The most the compact JSON of the `tools` array of `tools/list` may take for the whole
    /// table, in UTF-8 bytes: it is read in every conversation (a test holds it).
    public static let toolsListBudget = 30_000

    /// The compact JSON of the `tools` array of `tools/list` for these entries, in UTF-8
    /// bytes, exactly as the server writes it.
    public static func toolsListBytes(_ entries: [ToolCatalog.Entry]) -> Int {
        JSONValue.array(entries.map(\.mcpJSON)).jsonBytes.count
    }

    /// The `tools/list` size of all these entries, then of each provider's toolset alone
    /// (with the server's own tools, which every toolset selection keeps).
    public static func toolsListSizes(_ entries: [ToolCatalog.Entry]) -> [(toolset: String, tools: Int, bytes: Int)] {
        let own = entries.filter { $0.toolset.id == ServerToolset.id }
        var sizes = [(toolset: "all", tools: entries.count, bytes: toolsListBytes(entries))]
        var providerIDs: [String] = []
        for entry in entries where entry.toolset.id != ServerToolset.id && !providerIDs.contains(entry.toolset.id) {
            providerIDs.append(entry.toolset.id)
        }
        for providerID in providerIDs {
            let selected = entries.filter { $0.toolset.id == providerID } + own
            sizes.append((toolset: providerID, tools: selected.count, bytes: toolsListBytes(selected)))
        }
        return sizes
    }

    private static func promptList(exposing tools: Set<String>) -> [String] {
        let prompts = PromptTable.prompts.filter { $0.isAvailable(exposing: tools) }
        guard !prompts.isEmpty else { return [] }
        var lines = [
            "#### Prompts",
            "",
            "| prompt | what it does | arguments | tools it calls |",
            "|---|---|---|---|",
        ]
        for prompt in prompts {
            let arguments = prompt.arguments.map { "`\($0.name)`\($0.isRequired ? " (required)" : "")" }
            let calls = prompt.tools.map { "`\($0)`" }.joined(separator: prompt.needs == .all ? ", " : " or ")
            lines.append(
                "| `\(prompt.name)` | \(prompt.title): \(prompt.description) | \(arguments.joined(separator: ", ")) | \(calls) |"
            )
        }
        lines.append("")
        return lines
    }

    private static func sizeTable(_ entries: [ToolCatalog.Entry]) -> [String] {
        var lines = [
            "#### Size of `tools/list`",
            "",
            "The compact JSON of the `tools` array, in UTF-8 bytes (about 4 bytes a token), as the server writes it; "
                + "a test fails when the whole table passes \(toolsListBudget.formatted(grouping: true)) bytes.",
            "",
            "| toolset | tools | bytes |",
            "|---|---|---|",
        ]
        for size in toolsListSizes(entries) {
            let name = size.toolset == "all" ? "all" : "`\(size.toolset)` (with the server's own tools)"
            lines.append("| \(name) | \(size.tools) | \(size.bytes.formatted(grouping: true)) |")
        }
        if let catalog = try? ToolServices.catalog(selection: ToolSelection(), profile: .catalog) {
            let bytes = toolsListBytes(catalog.listed).formatted(grouping: true)
            lines.append("| `\(ToolProfile.key.variable)=catalog` | \(catalog.listed.count) | \(bytes) |")
        }
        lines.append("")
        return lines
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

extension Int {
    /// The number with thousands separated by commas (30,000), whatever the locale.
    fileprivate func formatted(grouping: Bool) -> String {
        let digits = String(self.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (self < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
