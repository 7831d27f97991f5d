import Catalog
import Upstream

/// The one table: every provider's toolset, and through them every tool, in display order.
///
/// Adding a provider is one new file in `Providers/` (its `Provider` and its `Toolset`)
/// and one line in each list here. The server's own toolset (`social_data`) is added by
/// `ToolCall`, which answers its tools locally.
public enum ToolTable {
    /// The providers' toolsets, in the order tools are listed.
    public static let toolsets: [Toolset] = [
        DataNexus.toolset,
        CreatiVault.toolset,
        TikOmni.toolset,
        GEO.toolset,
        DataTrust.toolset,
    ]

    /// How to reach each provider, in the same order.
    public static let providers: [Provider] = [
        DataNexus.provider,
        CreatiVault.provider,
        TikOmni.provider,
        GEO.provider,
        DataTrust.provider,
    ]
}
