/// The one table: every provider, and through them every tool, in display order.
///
/// Adding a provider is one new file in `Providers/` and one line here.
public enum ToolTable {
    /// The providers, in the order tools are listed.
    public static let providers: [Provider] = [
        DataNexus.provider,
        CreatiVault.provider,
        TikOmni.provider,
        GEO.provider,
        DataTrust.provider,
        SocialDataServer.provider,
    ]

    /// Every tool of the table with its provider.
    public static var entries: [ToolCatalog.Entry] { ToolCatalog.allEntries(providers) }
}
