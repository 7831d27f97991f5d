import Catalog
import Spend

/// The `instructions` an agent reads on connecting: how to use the tools and what they cost.
///
/// What every tool shares is said here once rather than on each tool in `tools/list`: the
/// server's own arguments (`dry_run`, `max_age`), each provider's billing prose, and
/// arguments the server's environment can supply.
public enum Instructions {
    /// The text for the exposed tools.
    public static func text(for catalog: ToolCatalog, configuration: Configuration) -> String {
        var lines = [
            "social-data-mcp fetches paid social-media and marketing data. Every paid call spends the user's money, so:",
            "- Ask for what the user needs: small page sizes first, then page on. Each tool's description ends with its price.",
            "- Every paid tool takes dry_run: true, which returns the worst-case price for those arguments and sends nothing.",
            "- Reads take max_age, in seconds: identical reads within the cache TTL are answered from cache at no cost; "
                + "max_age: 0 forces fresh data.",
            "- Every result states its cost and the session's running total; social_data_usage shows spend by provider and tool.",
            "- An isError result explains what went wrong and what to do; argument errors cost nothing, fix and retry.",
            "- A result too large for you is trimmed and its complete data saved: page through it with "
                + "social_data_read_result (its resource_uri, offset, limit), free.",
        ]
        if catalog.listed.count < catalog.entries.count {
            lines.append(
                "- Only a few tools are listed: find the one you need with social_data_find_tools (words in Chinese or "
                    + "English), then call it with social_data_call_tool {name, arguments}; it costs what that tool costs."
            )
        }
        if configuration.isSandbox {
            lines.insert(
                "SANDBOX MODE IS ON: every tool answers with sample data from the providers' documentation. Nothing is "
                    + "sent to any provider and nothing is charged; each result says what the real call would cost.",
                at: 0
            )
        }
        let thresholds = Money.Currency.allCases.compactMap { configuration.confirmAbove[$0]?.formatted }
        if !thresholds.isEmpty {
            lines.append(
                "- Any paid call whose worst case is above \(thresholds.joined(separator: " or ")) asks first (the worst "
                    + "case is the quote, or for a price the provider reports afterwards the largest charge recorded, "
                    + "the documented one, or everything left today): the user approves it in the client, "
                    + "or the result gives a quote and a confirm_token; show the user the price and, if they agree, "
                    + "call again with the same arguments plus confirm_token."
            )
        }
        if let ceiling = configuration.ceilings[.cny] {
            lines.append(
                "- A spend ceiling of \(ceiling.formatted) is set: calls whose worst case would pass it are refused."
            )
        }
        for (parameter, toolsets) in environmentBacked(catalog.entries) {
            guard let variable = parameter.fallbackEnvironment else { continue }
            let secret = parameter.isSecret ? ": it keeps the secret out of the conversation" : ""
            let tools = toolsets.map { "\($0)_*" }.joined(separator: ", ")
            lines.append(
                "- \(parameter.name) (\(tools)) may be omitted when the server's environment has \(variable), "
                    + "which is preferred\(secret)."
            )
        }
        let exposedIDs = Set(catalog.entries.map(\.toolset.id))
        let exposed = catalog.toolsets.filter { exposedIDs.contains($0.id) && $0.id != ServerToolset.id }
        if !exposed.isEmpty {
            lines.append("Providers, and how they bill:")
            for toolset in exposed {
                let entries = catalog.entries.filter { $0.toolset.id == toolset.id }
                var line = "- \(toolset.name) (\(toolset.id)_*): \(toolset.summary)"
                let billing = billingNotes(entries.map(\.tool))
                if !billing.isEmpty { line += " Billing: " + billing.joined(separator: "; ") + "." }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A provider's billing prose: each distinct price note of these tools once, in table
    /// order, free ones marked as such.
    public static func billingNotes(_ tools: [ToolDefinition]) -> [String] {
        var notes: [String] = []
        for tool in tools {
            guard var note = tool.price.note else { continue }
            while note.hasSuffix(".") { note.removeLast() }
            if !tool.price.isPaid { note = "free (\(note))" }
            if !notes.contains(note) { notes.append(note) }
        }
        return notes
    }

    /// Arguments the environment can supply, each with the toolsets whose exposed tools take it.
    private static func environmentBacked(_ entries: [ToolCatalog.Entry]) -> [(Parameter, [String])] {
        var found: [(Parameter, [String])] = []
        for entry in entries {
            for parameter in entry.tool.parameters where parameter.fallbackEnvironment != nil {
                let toolset = entry.toolset.id
                if let index = found.firstIndex(where: { $0.0.name == parameter.name }) {
                    if !found[index].1.contains(toolset) { found[index].1.append(toolset) }
                } else {
                    found.append((parameter, [toolset]))
                }
            }
        }
        return found
    }
}
