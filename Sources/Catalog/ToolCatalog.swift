import Wire

/// The tools this process exposes: the table filtered by toolsets, exact names and
/// read-only mode, with each row paired with its toolset.
public struct ToolCatalog: Sendable {
    /// A row and its toolset.
    public struct Entry: Sendable {
        /// The row.
        public let tool: ToolDefinition
        /// Its toolset.
        public let toolset: Toolset

        /// Pairs a row with its toolset.
        public init(tool: ToolDefinition, toolset: Toolset) {
            self.tool = tool
            self.toolset = toolset
        }
    }

    /// Every toolset of the table.
    public let toolsets: [Toolset]
    /// The exposed tools, in table order: every one can be called by name.
    public let entries: [Entry]
    /// The tools `tools/list` shows: `entries`, or only the catalog tools under the
    /// catalog profile (the others are still called by name through them).
    public private(set) var listed: [Entry]
    private let index: [String: Int]
    private let hidden: [String: String]

    /// Every row of the table with its toolset, unfiltered.
    public static func allEntries(_ toolsets: [Toolset]) -> [Entry] {
        toolsets.flatMap { toolset in toolset.tools.map { Entry(tool: $0, toolset: toolset) } }
    }

    /// Filters the table; unknown toolset or tool names are errors, not silence.
    ///
    /// The toolsets in `alwaysExposed` (the server's own usage report: it is free and it
    /// is how a budget is watched) stay whatever the toolsets setting says.
    public init(
        toolsets: [Toolset],
        selection: ToolSelection,
        alwaysExposed: Set<String> = []
    ) throws(ConfigurationError) {
        self.toolsets = toolsets
        let all = ToolCatalog.allEntries(toolsets)
        let toolsetIDs = toolsets.map(\.id)
        var selected = all
        var hidden: [String: String] = [:]
        if let names = selection.toolNames {
            for name in names where !all.contains(where: { $0.tool.name == name }) {
                throw ConfigurationError(
                    message: "\(ToolSelection.toolsKey.variable) names unknown tool '\(name)'"
                        + Self.suggestion(for: name, among: all.map(\.tool.name)) + ". Known tools: "
                        + all.map(\.tool.name).joined(separator: ", ") + "."
                )
            }
            selected = all.filter { names.contains($0.tool.name) }
            for entry in all where !names.contains(entry.tool.name) {
                hidden[entry.tool.name] = "it is not listed in \(ToolSelection.toolsKey.variable)"
            }
        } else if let chosen = selection.toolsets {
            for toolset in chosen where !toolsetIDs.contains(toolset) {
                throw ConfigurationError(
                    message:
                        "\(ToolSelection.toolsetsKey.variable) names unknown toolset '\(toolset)'"
                        + Self.suggestion(for: toolset, among: toolsetIDs) + ". Known toolsets: "
                        + toolsetIDs.filter { !alwaysExposed.contains($0) }.joined(separator: ", ") + "."
                )
            }
            selected = all.filter { chosen.contains($0.toolset.id) || alwaysExposed.contains($0.toolset.id) }
            for entry in all where !selected.contains(where: { $0.tool.name == entry.tool.name }) {
                hidden[entry.tool.name] =
                    "its toolset '\(entry.toolset.id)' is not in \(ToolSelection.toolsetsKey.variable)"
            }
        }
        if selection.isReadOnly {
            for entry in selected where !entry.tool.effect.isReadOnly {
                hidden[entry.tool.name] = "\(ToolSelection.readOnlyKey.variable)=1 hides tools that create paid work"
            }
            selected = selected.filter { $0.tool.effect.isReadOnly }
        }
        entries = selected
        listed = selected
        self.hidden = hidden
        index = Dictionary(uniqueKeysWithValues: selected.enumerated().map { ($1.tool.name, $0) })
    }

    /// This catalog with only the tools of `toolsets` (and of `alwaysExposed`) left.
    ///
    /// What is left is listed and callable; the others are hidden for `reason`. A team
    /// member's own toolsets narrow the server's: they never add a tool it does not expose.
    public func restricted(
        toToolsets toolsets: Set<String>,
        alwaysExposed: Set<String>,
        because reason: String
    ) -> ToolCatalog {
        let keeps = { (entry: Entry) in toolsets.contains(entry.toolset.id) || alwaysExposed.contains(entry.toolset.id)
        }
        var hidden = self.hidden
        for entry in entries where !keeps(entry) { hidden[entry.tool.name] = reason }
        return ToolCatalog(
            toolsets: self.toolsets,
            entries: entries.filter(keeps),
            listed: listed.filter(keeps),
            hidden: hidden
        )
    }

    private init(toolsets: [Toolset], entries: [Entry], listed: [Entry], hidden: [String: String]) {
        self.toolsets = toolsets
        self.entries = entries
        self.listed = listed
        self.hidden = hidden
        index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.tool.name, $0) })
    }

    /// The exposed tool called `name`.
    public func entry(named name: String) -> Entry? {
        index[name].map { entries[$0] }
    }

    /// ` (did you mean 'x'?)` for a mistyped name, or nothing.
    private static func suggestion(for name: String, among names: [String]) -> String {
        NearestName.question(for: name, among: names).map { " (\($0))" } ?? ""
    }

    /// This catalog with only the tools called `names` listed, in that order; every
    /// exposed tool can still be called.
    public func listing(only names: [String]) -> ToolCatalog {
        var copy = self
        copy.listed = names.compactMap { entry(named: $0) }
        return copy
    }

    /// Why a table tool is not exposed, or `nil` when it is exposed or unknown.
    public func hiddenReason(_ name: String) -> String? { hidden[name] }
}
