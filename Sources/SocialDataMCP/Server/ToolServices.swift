/// Everything a tool call shares with other calls in the process.
public final class ToolServices: Sendable {
    /// The settings.
    public let configuration: Configuration
    /// The exposed tools.
    public let catalog: ToolCatalog
    /// The upstream client.
    public let client: UpstreamClient
    /// This process's spend and ceilings.
    public let ledger: SpendLedger
    /// Every process's spend and the daily and monthly limits, on disk.
    public let sharedLedger: DurableLedger
    /// Complete data of trimmed results, served as resources.
    public let savedResults: SavedResults
    /// DataNexus's current unit prices, read once per platform from its free price list.
    public let prices: PriceBook
    /// The read cache.
    public let cache: ResponseCache
    /// The output redactor.
    public let secrets: SecretRedactor
    /// The time source for deadlines, cache ages, pacing, backoff and polling.
    public let clock: any ServerClock

    /// Wires the services for a configuration and transport.
    public init(
        configuration: Configuration,
        providers: [Provider] = ToolTable.providers,
        transport: any HTTPTransport,
        clock: any ServerClock = SystemClock()
    ) throws(ConfigurationError) {
        self.configuration = configuration
        self.clock = clock
        catalog = try ToolCatalog(providers: providers, configuration: configuration)
        client = UpstreamClient(transport: transport, providers: providers, clock: clock)
        prices = PriceBook(transport: transport, environment: configuration.environment)
        ledger = SpendLedger(ceilings: configuration.ceilings)
        sharedLedger = DurableLedger(
            stateDirectory: configuration.stateDirectory,
            limits: configuration.limits,
            clock: { clock.currentDate() }
        )
        savedResults = SavedResults(stateDirectory: configuration.stateDirectory)
        cache = ResponseCache(clock: clock)
        let secretKeys = providers.flatMap(\.configKeys).filter(\.isSecret).map(\.variable)
        secrets = SecretRedactor(secretKeys.compactMap { configuration.environment[$0] })
    }
}
