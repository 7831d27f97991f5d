import Catalog
import Install
import Providers
import Spend
import ToolCall
import Upstream
import Wire

/// What to tell the user when a client shows the model fewer tools than the entry exposes
/// (Trae: 40), offering the catalog profile and naming toolsets that fit.
public enum ToolCapNote {
    /// The note for an entry with these settings in `client`, or `nil` when every tool fits
    /// (or the client has no cap).
    public static func text(for client: MCPClient, settings: [String: String]) -> String? {
        guard let cap = client.toolCap else { return nil }
        guard let configuration = try? ToolServices.configuration(Environment(settings)),
            let profile = try? ToolProfile.from(settings[ToolProfile.key.variable]),
            let catalog = try? ToolServices.catalog(selection: configuration.selection, profile: profile),
            catalog.listed.count > cap
        else { return nil }
        let toolsets = ToolTable.toolsets
        let always = ServerToolset.toolset.tools.count
        var best: [Toolset] = []
        // Every subset (there are few toolsets): the one with the most tools that fits.
        for mask in 0..<(1 << toolsets.count) {
            let chosen = toolsets.indices.filter { mask & (1 << $0) != 0 }.map { toolsets[$0] }
            let count = chosen.map(\.tools.count).reduce(always, +)
            if count <= cap, count > best.map(\.tools.count).reduce(always, +) { best = chosen }
        }
        let sizes = toolsets.map { "\($0.id) (\($0.tools.count))" }.joined(separator: ", ")
        let fits = best.map(\.id).joined(separator: ",")
        let fitCount = best.map(\.tools.count).reduce(always, +)
        return """
            Note: \(client.title) shows the model at most \(cap) tools; this entry exposes \(catalog.entries.count), \
            so \(client.title) would leave some out. Use the catalog profile, --env \(ToolProfile.key.variable)=catalog \
            (\(CatalogToolset.listedNames.count) tools that find and call every tool), or pick the toolsets you need with \
            --env \(ToolSelection.toolsetsKey.variable)=… (tools per toolset: \(sizes); the free usage and read_result tools are always added), \
            for example --env \(ToolSelection.toolsetsKey.variable)=\(fits) (\(fitCount) tools).
            """
    }
}
