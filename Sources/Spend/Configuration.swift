import Catalog
import Foundation
import Wire

/// The server's own settings, read once at startup.
public struct Configuration: Sendable {

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

    /// `SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY`.
    public static let confirmAboveKey = ConfigKey(
        "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY",
        "a paid call whose worst case is above this many yuan asks the user (or needs a confirm_token) first (default 5; `none` off)"
    )
    /// `SOCIAL_DATA_MCP_CONFIRM_ABOVE_CREDITS`.
    public static let confirmAboveCreditsKey = ConfigKey(
        "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CREDITS",
        "the same in CreatiVault credits (default none): a call whose reserve (largest charge recorded, else everything left) is above it asks"
    )
    /// The yuan threshold when none is set: ¥5 is about 60 items, more than a look-up and
    /// less than a runaway loop's page.
    public static let defaultConfirmAbove = Money.yuan(5)

    /// The server's own keys, in README order.
    public static let serverKeys = [
        ToolSelection.toolsetsKey, ToolSelection.toolsKey, ToolSelection.readOnlyKey, maxSpendKey, maxCreditsKey,
        dailyLimitKey, monthlyLimitKey,
        dailyCreditsKey, monthlyCreditsKey, confirmAboveKey, confirmAboveCreditsKey, stateDirectoryKey, cacheTTLKey,
        timeoutKey, sandboxKey,
    ]

    /// `SOCIAL_DATA_MCP_SANDBOX` (and `--sandbox`).
    public static let sandboxKey = ConfigKey(
        "SOCIAL_DATA_MCP_SANDBOX",
        "`1`: answer every tool with sample data from the providers' documentation; no key needed, nothing sent or charged"
    )

    /// Every key: each toolset's, then the server's.
    public static func keys(for toolsets: [Toolset]) -> [ConfigKey] {
        toolsets.flatMap(\.settings) + serverKeys
    }

    /// The raw variables (credentials, base URLs, cookie) for providers to read.
    public let environment: Environment
    /// Which rows of the table are exposed.
    public let selection: ToolSelection
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
    /// Whether every tool answers from the providers' documented examples.
    public let isSandbox: Bool
    /// Above which worst case a paid call asks first, by currency; a currency absent here never asks.
    public let confirmAbove: [Money.Currency: Money]

    /// Reads the settings; a malformed value is an error rather than a silent default.
    public init(environment: Environment) throws(ConfigurationError) {
        self.environment = environment
        let isReadOnly: Bool
        switch environment[ToolSelection.readOnlyKey.variable]?.lowercased() {
        case nil, "0", "false", "no", "off": isReadOnly = false
        case "1", "true", "yes", "on": isReadOnly = true
        case let other?:
            throw ConfigurationError(message: "\(ToolSelection.readOnlyKey.variable)=\(other): use 1 or 0.")
        }
        selection = ToolSelection(
            toolsets: Configuration.list(environment[ToolSelection.toolsetsKey.variable]),
            toolNames: Configuration.list(environment[ToolSelection.toolsKey.variable]),
            isReadOnly: isReadOnly
        )
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
            case let text?:
                if let amount = try Configuration.limit(text, key, currency) {
                    limits.set(scope, amount, isDefault: false)
                }
            }
        }
        self.limits = limits
        confirmAbove = try Configuration.thresholds(environment)
        isSandbox = Configuration.isSandbox(environment)
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

    /// A daily or monthly limit as written: the one rule for every limit.
    ///
    /// For `key` (the setting, or a team member's own `member add --daily-limit-cny`): a
    /// number ≥ 0, or `nil` for `none`/`off`; anything else is an error.
    public static func limit(
        _ text: String,
        _ key: ConfigKey,
        _ currency: Money.Currency
    ) throws(ConfigurationError) -> Money? {
        switch text.trimmed.lowercased() {
        case "none", "off": return nil
        case let text:
            guard let amount = Double(text), amount.isFinite, amount >= 0 else {
                throw ConfigurationError(
                    message: "\(key.variable)=\(text): expected a number of "
                        + "\(currency == .cny ? "yuan" : "credits") ≥ 0, or none."
                )
            }
            return Money(amount, currency)
        }
    }

    /// The ask-first thresholds in one sentence, for `doctor` and the usage report.
    public var confirmationLine: String {
        let parts = Money.Currency.allCases.compactMap { confirmAbove[$0]?.formatted }
        guard !parts.isEmpty else {
            return "Asks before spending: never (\(Configuration.confirmAboveKey.variable)=none)."
        }
        let isDefault = confirmAbove[.cny] == Configuration.defaultConfirmAbove
        return "Asks before spending: a paid call whose worst case is above " + parts.joined(separator: " or ")
            + " (\(isDefault ? "the default; " : "")\(Configuration.confirmAboveKey.variable))."
    }

    /// Whether sandbox mode is on in `environment`.
    public static func isSandbox(_ environment: Environment) -> Bool {
        switch environment[sandboxKey.variable]?.lowercased() {
        case "1", "true", "yes", "on": return true
        default: return false
        }
    }

    /// The ask-first thresholds: yuan defaulting to ¥5, credits to none; `none` or `off` turns one off.
    private static func thresholds(_ environment: Environment) throws(ConfigurationError) -> [Money.Currency: Money] {
        var thresholds: [Money.Currency: Money] = [:]
        for (key, currency) in [(confirmAboveKey, Money.Currency.cny), (confirmAboveCreditsKey, .credits)] {
            switch environment[key.variable]?.trimmed.lowercased() {
            case nil, "":
                if currency == .cny { thresholds[currency] = defaultConfirmAbove }
            case "none", "off":
                break
            case let text?:
                guard let amount = Double(text), amount.isFinite, amount >= 0 else {
                    throw ConfigurationError(
                        message: "\(key.variable)=\(text): expected a number of "
                            + "\(currency == .cny ? "yuan" : "credits") ≥ 0, or none."
                    )
                }
                thresholds[currency] = Money(amount, currency)
            }
        }
        return thresholds
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
