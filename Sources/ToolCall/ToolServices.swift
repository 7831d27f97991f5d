import Catalog
import Providers
import Spend
import Upstream
import Wire

/// Everything a tool call shares with other calls in the process, wired once.
public final class ToolServices: Sendable {
    /// The settings.
    public let configuration: Configuration
    /// The exposed tools.
    public let catalog: ToolCatalog
    /// How to reach each provider, by toolset id.
    public let providers: [String: Provider]
    /// The upstream client: pacing, retries, time budgets.
    public let client: UpstreamClient
    /// Both ledgers, the process ceiling and the shared daily and monthly limits.
    public let spend: SpendGuard
    /// Complete data of trimmed results, served as resources.
    public let savedResults: SavedResults
    /// Files providers send instead of JSON, saved under the state folder.
    public let downloads: Downloads
    /// DataNexus's current unit prices, read once per platform from its free price list.
    public let prices: PriceBook
    /// The read cache.
    public let cache: ResponseCache
    /// The read cache on disk, shared by every server process of the user.
    public let diskCache: DiskResponseCache
    /// The output redactor.
    public let secrets: SecretRedactor
    /// The time source for deadlines, cache ages, pacing, backoff and polling.
    public let clock: any ServerClock

    /// Every toolset of the table: the providers' and the server's own.
    public static let toolsets = ToolTable.toolsets + [ServerToolset.toolset]

    /// Every row of the table with its toolset, unfiltered.
    public static var entries: [ToolCatalog.Entry] { ToolCatalog.allEntries(toolsets) }

    /// Every setting: each toolset's, then the server's own, in README order.
    public static var settings: [ConfigKey] {
        Configuration.keys(for: toolsets) + [ToolProfile.key] + UpstreamSettings.keys
    }

    /// Reads every setting from `environment`, refusing any value the server cannot use:
    /// what the server does at start, and what `install` checks before writing an entry.
    public static func configuration(_ environment: Environment) throws(ConfigurationError) -> Configuration {
        try UpstreamSettings.validate(environment)
        _ = try ToolProfile.from(environment[ToolProfile.key.variable])
        return try Configuration(environment: environment)
    }

    /// The tools a selection exposes; the server's own usage report stays whatever the
    /// toolsets setting says (it is free and it is how a budget is watched).
    ///
    /// Under the catalog profile the server's toolset also carries the catalog tools, and
    /// `tools/list` shows only those four.
    public static func catalog(
        _ toolsets: [Toolset] = ToolServices.toolsets,
        selection: ToolSelection,
        profile: ToolProfile = .all
    ) throws(ConfigurationError) -> ToolCatalog {
        switch profile {
        case .all:
            return try ToolCatalog(toolsets: toolsets, selection: selection, alwaysExposed: [ServerToolset.id])
        case .catalog:
            // Exact tool names choose what can be called; the catalog tools stay listed.
            var selection = selection
            selection.toolNames = selection.toolNames.map { names in
                names + CatalogToolset.listedNames.filter { !names.contains($0) }
            }
            return try ToolCatalog(
                toolsets: CatalogToolset.toolsets(toolsets),
                selection: selection,
                alwaysExposed: [ServerToolset.id]
            ).listing(only: CatalogToolset.listedNames)
        }
    }

    /// These services with the tools narrowed to `toolsets` (a team member's own), sharing
    /// everything else: the ledger, the upstream client, the caches and the secrets.
    public func narrowed(toToolsets toolsets: [String]) -> ToolServices {
        ToolServices(sharing: self, catalog: restricted(toolsets), spend: spend)
    }

    /// These services for one team member, sharing everything but the spend door.
    ///
    /// `member` gives their name and current limits for each call. Their calls carry their
    /// name in the ledger and must fit their own limits beside the team's (`SpendGuard.serving`), and with
    /// `toolsets` only those tools are listed and called. Everything else is shared.
    public func serving(_ member: @escaping @Sendable () -> MemberBudget, toolsets: [String]?) -> ToolServices {
        ToolServices(
            sharing: self,
            catalog: toolsets.map(restricted) ?? catalog,
            spend: spend.serving(member)
        )
    }

    private func restricted(_ toolsets: [String]) -> ToolCatalog {
        catalog.restricted(
            toToolsets: Set(toolsets),
            alwaysExposed: [ServerToolset.id],
            because: "it is not in your toolsets on this team server (social-data-mcp member add --toolsets)"
        )
    }

    private init(sharing other: ToolServices, catalog: ToolCatalog, spend: SpendGuard) {
        configuration = other.configuration
        self.catalog = catalog
        providers = other.providers
        client = other.client
        self.spend = spend
        savedResults = other.savedResults
        downloads = other.downloads
        prices = other.prices
        cache = other.cache
        diskCache = other.diskCache
        secrets = other.secrets
        clock = other.clock
    }

    /// Wires the services for a configuration and transport.
    public init(
        configuration: Configuration,
        toolsets: [Toolset] = ToolServices.toolsets,
        providers: [Provider] = ToolTable.providers,
        transport: any HTTPTransport,
        clock: any ServerClock = SystemClock()
    ) throws(ConfigurationError) {
        try UpstreamSettings.validate(configuration.environment)
        self.configuration = configuration
        self.clock = clock
        catalog = try ToolServices.catalog(
            toolsets,
            selection: configuration.selection,
            profile: ToolProfile.from(configuration.environment[ToolProfile.key.variable])
        )
        self.providers = Dictionary(providers.map { ($0.id, $0) }) { first, _ in first }
        client = UpstreamClient(transport: transport, providers: providers, clock: clock)
        prices = PriceBook(client: client, environment: configuration.environment, clock: clock)
        spend = SpendGuard(configuration: configuration, clock: { clock.currentDate() })
        let secretKeys = toolsets.flatMap(\.settings).filter(\.isSecret).map(\.variable)
        secrets = SecretRedactor(secretKeys.compactMap { configuration.environment[$0] })
        // Saved data can echo a key or cookie: it is masked before it reaches the disk.
        savedResults = SavedResults(stateDirectory: configuration.stateDirectory, redactor: secrets)
        downloads = Downloads(stateDirectory: configuration.stateDirectory, redactor: secrets)
        cache = ResponseCache(clock: clock)
        diskCache = DiskResponseCache(stateDirectory: configuration.stateDirectory, redactor: secrets)
    }
}
