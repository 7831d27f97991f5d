/// `social-data-mcp tools [--format …] [--strict]`: the exposed tools as JSON.
enum ToolsCommand {
    static func run(_ arguments: CommandLineArguments, configuration: Configuration) throws(CommandError) -> Int32 {
        let catalog: ToolCatalog
        do {
            catalog = try ToolCatalog(providers: ToolTable.providers, configuration: configuration)
        } catch {
            throw error.asCommandError
        }
        let formatName = arguments.option("--format") ?? "mcp"
        guard let format = ToolExport.Format(rawValue: formatName) else {
            throw CommandError(
                "unknown format '\(formatName)'; use \(ToolExport.Format.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        CLI.writeOut(ToolExport.text(catalog.entries, format: format, strict: arguments.switches.contains("--strict")))
        return 0
    }
}
