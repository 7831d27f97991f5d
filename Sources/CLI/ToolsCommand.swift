import Export

/// `social-data-mcp tools [--format …] [--strict]`: the exposed tools as JSON.
enum ToolsCommand {
    static func run(_ invocation: Invocation) throws -> Int32 {
        let catalog = try invocation.catalog()
        let formatName = invocation.option("--format") ?? "mcp"
        guard let format = ToolExport.Format(rawValue: formatName) else {
            throw CommandError(
                "unknown format '\(formatName)'; use \(ToolExport.Format.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        CLI.writeOut(ToolExport.text(catalog.entries, format: format, strict: invocation.flag("--strict")))
        return 0
    }
}
