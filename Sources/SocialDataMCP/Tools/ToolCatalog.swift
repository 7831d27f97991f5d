/// The tools this process exposes: the table filtered by toolsets, exact names and
/// read-only mode, with each row paired with its provider.
public struct ToolCatalog: Sendable {
    /// A row and its provider.
    public struct Entry: Sendable {
        /// The row.
        public let tool: ToolDefinition
        /// Its provider.
        public let provider: Provider
    }

    /// Every provider of the table.
    public let providers: [Provider]
    /// The exposed tools, in table order.
    public let entries: [Entry]
    private let index: [String: Int]
    private let hidden: [String: String]

    /// Every row of the table with its provider, unfiltered.
    public static func allEntries(_ providers: [Provider]) -> [Entry] {
        providers.flatMap { provider in provider.tools.map { Entry(tool: $0, provider: provider) } }
    }

    /// Filters the table; unknown toolset or tool names are errors, not silence.
    public init(providers: [Provider], configuration: Configuration) throws(ConfigurationError) {
        self.providers = providers
        let all = ToolCatalog.allEntries(providers)
        let providerIDs = providers.map(\.id)
        var selected = all
        var hidden: [String: String] = [:]
        if let names = configuration.toolNames {
            for name in names where !all.contains(where: { $0.tool.name == name }) {
                throw ConfigurationError(
                    message: "\(Configuration.toolsKey.variable) names unknown tool '\(name)'. Known tools: "
                        + all.map(\.tool.name).joined(separator: ", ") + "."
                )
            }
            selected = all.filter { names.contains($0.tool.name) }
            for entry in all where !names.contains(entry.tool.name) {
                hidden[entry.tool.name] = "it is not listed in \(Configuration.toolsKey.variable)"
            }
        } else if let toolsets = configuration.toolsets {
            for toolset in toolsets where !providerIDs.contains(toolset) {
                throw ConfigurationError(
                    message:
                        "\(Configuration.toolsetsKey.variable) names unknown toolset '\(toolset)'. Known toolsets: "
                        + providerIDs.filter { $0 != SocialDataServer.id }.joined(separator: ", ") + "."
                )
            }
            // The usage report is always there: it is free and it is how a budget is watched.
            selected = all.filter { toolsets.contains($0.provider.id) || $0.provider.id == SocialDataServer.id }
            for entry in all where !selected.contains(where: { $0.tool.name == entry.tool.name }) {
                hidden[entry.tool.name] =
                    "its toolset '\(entry.provider.id)' is not in \(Configuration.toolsetsKey.variable)"
            }
        }
        if configuration.isReadOnly {
            for entry in selected where !entry.tool.effect.isReadOnly {
                hidden[entry.tool.name] = "\(Configuration.readOnlyKey.variable)=1 hides tools that create paid work"
            }
            selected = selected.filter { $0.tool.effect.isReadOnly }
        }
        entries = selected
        self.hidden = hidden
        index = Dictionary(uniqueKeysWithValues: selected.enumerated().map { ($1.tool.name, $0) })
    }

    /// The exposed tool called `name`.
    public func entry(named name: String) -> Entry? {
        index[name].map { entries[$0] }
    }

    /// Why a table tool is not exposed, or `nil` when it is exposed or unknown.
    public func hiddenReason(_ name: String) -> String? { hidden[name] }
}
