import Foundation

/// One setting: an environment variable, which is also a command-line flag.
public struct ConfigKey: Sendable {
    /// The environment variable.
    public let variable: String
    /// What it does, for `--help` and the README.
    public let meaning: String
    /// Whether its value is a secret (masked by `doctor`, redacted everywhere).
    public let isSecret: Bool

    /// Creates a key.
    public init(_ variable: String, _ meaning: String, secret: Bool = false) {
        self.variable = variable
        self.meaning = meaning
        self.isSecret = secret
    }

    /// The flag: `SOCIAL_DATA_MCP_MAX_SPEND_CNY` is `--max-spend-cny`,
    /// `DATANEXUS_API_KEY` is `--datanexus-api-key`.
    public var flag: String {
        var name = variable
        if name.hasPrefix(Configuration.prefix) { name.removeFirst(Configuration.prefix.count) }
        return "--" + String(name.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}

/// A setting has a value the server cannot use: reported on stderr at startup.
public struct ConfigurationError: Error, Sendable, Equatable {
    /// What is wrong and how to fix it.
    public let message: String
}

/// The server's own settings, read once at startup.
public struct Configuration: Sendable {
    static let prefix = "SOCIAL_DATA_MCP_"

    /// `SOCIAL_DATA_MCP_TOOLSETS`.
    public static let toolsetsKey = ConfigKey(
        "SOCIAL_DATA_MCP_TOOLSETS",
        "comma list of providers to expose (`datanexus,geo`); default: all"
    )
    /// `SOCIAL_DATA_MCP_TOOLS`.
    public static let toolsKey = ConfigKey(
        "SOCIAL_DATA_MCP_TOOLS",
        "exact tool names to expose, comma separated (overrides toolsets)"
    )
    /// `SOCIAL_DATA_MCP_READ_ONLY`.
    public static let readOnlyKey = ConfigKey(
        "SOCIAL_DATA_MCP_READ_ONLY",
        "`1`: hide tools that create paid work (image generation, collection submits, raw TikOmni routes)"
    )
    /// `SOCIAL_DATA_MCP_MAX_SPEND_CNY`.
    public static let maxSpendKey = ConfigKey(
        "SOCIAL_DATA_MCP_MAX_SPEND_CNY",
        "spend ceiling in yuan for the process lifetime; a call whose worst case would pass it is refused before any request"
    )
    /// `SOCIAL_DATA_MCP_MAX_CREDITS`.
    public static let maxCreditsKey = ConfigKey(
        "SOCIAL_DATA_MCP_MAX_CREDITS",
        "the same ceiling for CreatiVault credits (which have no yuan price); calls are refused once it is reached"
    )
    /// `SOCIAL_DATA_MCP_DAILY_LIMIT_CNY`.
    public static let dailyLimitKey = ConfigKey(
        "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY",
        "yuan all server processes sharing the state directory may spend per local day (default 50; `none` removes it)"
    )
    /// `SOCIAL_DATA_MCP_MONTHLY_LIMIT_CNY`.
    public static let monthlyLimitKey = ConfigKey(
        "SOCIAL_DATA_MCP_MONTHLY_LIMIT_CNY",
        "yuan all server processes may spend per local calendar month (default none)"
    )
    /// `SOCIAL_DATA_MCP_DAILY_LIMIT_CREDITS`.
    public static let dailyCreditsKey = ConfigKey(
        "SOCIAL_DATA_MCP_DAILY_LIMIT_CREDITS",
        "CreatiVault credits all server processes may spend per local day (default none)"
    )
    /// `SOCIAL_DATA_MCP_MONTHLY_LIMIT_CREDITS`.
    public static let monthlyCreditsKey = ConfigKey(
        "SOCIAL_DATA_MCP_MONTHLY_LIMIT_CREDITS",
        "CreatiVault credits all server processes may spend per local calendar month (default none)"
    )
    /// `SOCIAL_DATA_MCP_STATE_DIR`.
    public static let stateDirectoryKey = ConfigKey(
        Platform.stateDirectoryVariable,
        "the spend ledger and saved full results (default ~/.local/state/social-data-mcp on Linux, "
            + "~/Library/Application Support/social-data-mcp on macOS)"
    )
    /// The daily yuan limit when none is set: a protection, not a quota.
    public static let defaultDailyLimit = Money.yuan(50)

    /// The setting behind each limit.
    public static func limitKey(_ scope: BudgetRefusal.Scope, _ currency: Money.Currency) -> ConfigKey {
        switch (scope, currency) {
        case (.process, .cny): return maxSpendKey
        case (.process, .credits): return maxCreditsKey
        case (.day, .cny): return dailyLimitKey
        case (.day, .credits): return dailyCreditsKey
        case (.month, .cny): return monthlyLimitKey
        case (.month, .credits): return monthlyCreditsKey
        }
    }

    /// `SOCIAL_DATA_MCP_CACHE_TTL`.
    public static let cacheTTLKey = ConfigKey(
        "SOCIAL_DATA_MCP_CACHE_TTL",
        "seconds an identical read is answered from cache at no cost (default 300; GEO's daily data at least 3600); `0` off"
    )
    /// `SOCIAL_DATA_MCP_TIMEOUT`.
    public static let timeoutKey = ConfigKey(
        "SOCIAL_DATA_MCP_TIMEOUT",
        "time budget per call in seconds, retries included (default 20 to 40 by provider; image generation 120)"
    )

    /// `SOCIAL_DATA_MCP_MAX_RESPONSE_MB`.
    public static let maxResponseKey = ConfigKey(
        "SOCIAL_DATA_MCP_MAX_RESPONSE_MB",
        "largest upstream answer in MiB, counted after decompression (default 64); a larger one is cut off with an error"
    )
    /// `SOCIAL_DATA_MCP_ALLOW_INSECURE_HTTP`.
    public static let allowInsecureHTTPKey = ConfigKey(
        "SOCIAL_DATA_MCP_ALLOW_INSECURE_HTTP",
        "`1`: allow a base URL that is plain `http://` on a host other than this machine (keys then cross the network unencrypted)"
    )

    /// The server's own keys, in README order.
    public static let serverKeys = [
        toolsetsKey, toolsKey, readOnlyKey, maxSpendKey, maxCreditsKey, dailyLimitKey, monthlyLimitKey,
        dailyCreditsKey, monthlyCreditsKey, stateDirectoryKey, cacheTTLKey, timeoutKey, maxResponseKey,
        allowInsecureHTTPKey, Sandbox.key,
    ]

    /// The upstream answer cap in bytes that `environment` sets (`SOCIAL_DATA_MCP_MAX_RESPONSE_MB`),
    /// or `nil` when its value is not a whole number of MiB from 1 to 4096.
    public static func maximumResponseBytes(_ environment: Environment) -> Int? {
        guard let text = environment[maxResponseKey.variable]?.trimmed, !text.isEmpty else {
            return HTTPRequest.defaultMaximumResponseBytes
        }
        guard let megabytes = Int(text), (1...4096).contains(megabytes) else { return nil }
        return megabytes << 20
    }

    /// Whether `environment` allows plain-http base URLs on other hosts
    /// (`SOCIAL_DATA_MCP_ALLOW_INSECURE_HTTP`), or `nil` when its value is not a yes or no.
    public static func allowsInsecureHTTP(_ environment: Environment) -> Bool? {
        switch environment[allowInsecureHTTPKey.variable]?.trimmed.lowercased() {
        case nil, "", "0", "false", "no", "off": return false
        case "1", "true", "yes", "on": return true
        default: return nil
        }
    }

    /// Every key: each provider's, then the server's.
    public static func keys(for providers: [Provider]) -> [ConfigKey] {
        providers.flatMap(\.configKeys) + serverKeys
    }

    /// The raw variables (credentials, base URLs, cookie) for providers to read.
    public let environment: Environment
    /// Providers to expose, or `nil` for all.
    public let toolsets: [String]?
    /// Exact tool names to expose, or `nil`.
    public let toolNames: [String]?
    /// Whether tools that create paid work are hidden.
    public let isReadOnly: Bool
    /// Spend ceilings by currency.
    public let ceilings: [Money.Currency: Money]
    /// Daily and monthly limits across every process sharing the state directory.
    public let limits: SpendLimits
    /// Where the ledger and saved results live.
    public let stateDirectory: String
    /// Seconds a read is served from cache; 0 disables the cache.
    public let cacheTTL: Int
    /// The per-call upstream time budget, or `nil` for each tool's default.
    public let timeout: Duration?

    /// Reads the settings; a malformed value is an error rather than a silent default.
    public init(environment: Environment) throws(ConfigurationError) {
        self.environment = environment
        toolsets = Configuration.list(environment[Configuration.toolsetsKey.variable])
        toolNames = Configuration.list(environment[Configuration.toolsKey.variable])
        switch environment[Configuration.readOnlyKey.variable]?.lowercased() {
        case nil, "0", "false", "no", "off": isReadOnly = false
        case "1", "true", "yes", "on": isReadOnly = true
        case let other?:
            throw ConfigurationError(message: "\(Configuration.readOnlyKey.variable)=\(other): use 1 or 0.")
        }
        var ceilings: [Money.Currency: Money] = [:]
        for (key, currency) in [
            (Configuration.maxSpendKey, Money.Currency.cny), (Configuration.maxCreditsKey, .credits),
        ] {
            guard let text = environment[key.variable] else { continue }
            guard let amount = Double(text), amount.isFinite, amount >= 0 else {
                throw ConfigurationError(
                    message:
                        "\(key.variable)=\(text): expected a number of \(currency == .cny ? "yuan" : "credits") ≥ 0."
                )
            }
            ceilings[currency] = Money(amount, currency)
        }
        self.ceilings = ceilings
        var limits = SpendLimits()
        for (scope, currency) in [
            (BudgetRefusal.Scope.day, Money.Currency.cny), (.month, .cny), (.day, .credits), (.month, .credits),
        ] {
            let key = Configuration.limitKey(scope, currency)
            let isDefaulted = scope == .day && currency == .cny
            switch environment[key.variable]?.trimmed.lowercased() {
            case nil, "":
                if isDefaulted { limits.set(scope, Configuration.defaultDailyLimit, isDefault: true) }
            case "none", "off":
                break
            case let text?:
                guard let amount = Double(text), amount.isFinite, amount >= 0 else {
                    throw ConfigurationError(
                        message: "\(key.variable)=\(text): expected a number of "
                            + "\(currency == .cny ? "yuan" : "credits") ≥ 0, or none."
                    )
                }
                limits.set(scope, Money(amount, currency), isDefault: false)
            }
        }
        self.limits = limits
        guard Configuration.maximumResponseBytes(environment) != nil else {
            throw ConfigurationError(
                message:
                    "\(Configuration.maxResponseKey.variable)=\(environment[Configuration.maxResponseKey.variable] ?? ""): "
                    + "expected whole MiB from 1 to 4096."
            )
        }
        guard Configuration.allowsInsecureHTTP(environment) != nil else {
            throw ConfigurationError(
                message:
                    "\(Configuration.allowInsecureHTTPKey.variable)=\(environment[Configuration.allowInsecureHTTPKey.variable] ?? ""): use 1 or 0."
            )
        }
        stateDirectory = Platform.defaultStateDirectory(environment: environment)
        cacheTTL = try Configuration.seconds(environment, Configuration.cacheTTLKey, default: 300, range: 0...86_400)
        if environment[Configuration.timeoutKey.variable] != nil {
            timeout = .seconds(
                try Configuration.seconds(environment, Configuration.timeoutKey, default: 30, range: 1...600)
            )
        } else {
            timeout = nil
        }
    }

    private static func list(_ text: String?) -> [String]? {
        guard let text else { return nil }
        let items = text.split(separator: ",").map(\.trimmed).filter { !$0.isEmpty }
        return items.isEmpty ? nil : items
    }

    private static func seconds(
        _ environment: Environment,
        _ key: ConfigKey,
        default defaultValue: Int,
        range: ClosedRange<Int>
    ) throws(ConfigurationError) -> Int {
        guard let text = environment[key.variable] else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(
                message:
                    "\(key.variable)=\(text): expected whole seconds from \(range.lowerBound) to \(range.upperBound)."
            )
        }
        return value
    }
}
