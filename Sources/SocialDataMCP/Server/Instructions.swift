/// The `instructions` an agent reads on connecting: how to use the tools and what they cost.
public enum Instructions {
    /// The text for the exposed tools.
    public static func text(for catalog: ToolCatalog, configuration: Configuration) -> String {
        var lines = [
            "social-data-mcp fetches paid social-media and marketing data. Every paid call spends the user's money, so:",
            "- Ask for what the user needs: small page sizes first, then page on. Each tool's description states its price.",
            "- Every result states its cost and the session's running total; social_data_usage shows spend by provider and tool.",
            "- Paid tools accept dry_run: true, which returns the worst-case price without calling the provider.",
            "- Identical reads within the cache TTL are answered from cache at no cost (max_age: 0 forces fresh data).",
            "- An isError result explains what went wrong and what to do; argument errors cost nothing, fix and retry.",
        ]
        if Sandbox.isOn(configuration.environment) {
            lines.insert(
                "SANDBOX MODE IS ON: every tool answers with sample data from the providers' documentation. Nothing is "
                    + "sent to any provider and nothing is charged; each result says what the real call would cost.",
                at: 0
            )
        }
        if let ceiling = configuration.ceilings[.cny] {
            lines.append(
                "- A spend ceiling of \(ceiling.formatted) is set: calls whose worst case would pass it are refused."
            )
        }
        let providerIDs = Set(catalog.entries.map(\.provider.id))
        let exposed = catalog.providers.filter { providerIDs.contains($0.id) && $0.id != SocialDataServer.id }
        if !exposed.isEmpty {
            lines.append("Providers:")
            for provider in exposed { lines.append("- \(provider.name) (\(provider.id)_*): \(provider.summary)") }
        }
        return lines.joined(separator: "\n")
    }
}
