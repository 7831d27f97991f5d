import Catalog

/// A call refused before anything was sent because its worst case would pass a limit:
/// this process's ceiling, or the daily or monthly limit shared by every process.
public struct BudgetRefusal: Error, Sendable, Equatable {
    /// Which limit.
    public enum Scope: String, Sendable, Equatable, CaseIterable {
        /// `SOCIAL_DATA_MCP_MAX_SPEND_CNY` / `_MAX_CREDITS`: this process's lifetime.
        case process
        /// The daily limit, across every process sharing the state directory.
        case day
        /// The monthly limit, likewise.
        case month

        /// The limit's name in sentences.
        public var phrase: String {
            switch self {
            case .process: return "this server process's spend ceiling"
            case .day: return "the daily limit"
            case .month: return "the monthly limit"
            }
        }
    }

    /// Which limit refused the call.
    public var scope: Scope
    /// The limit.
    public var limit: Money
    /// Spent within the limit's scope (for day and month: settled calls and unsettled holds
    /// of every process).
    public var spent: Money
    /// Held for calls in flight.
    public var reserved: Money
    /// This call's worst case, when known.
    public var worstCase: Money?
    /// Spent today and this month across every process, when known, for the advice.
    public var spentToday: Money?
    /// See `spentToday`.
    public var spentThisMonth: Money?
    /// The team member whose call was refused (`serve --http`); `nil` over stdio.
    public var member: String?
    /// Whether the limit is the member's own (`member add --daily-limit-cny`) rather than
    /// the team's (the settings every member shares).
    public var isMembersOwn = false

    /// Creates a refusal.
    public init(
        scope: Scope,
        limit: Money,
        spent: Money,
        reserved: Money,
        worstCase: Money?,
        spentToday: Money? = nil,
        spentThisMonth: Money? = nil
    ) {
        self.scope = scope
        self.limit = limit
        self.spent = spent
        self.reserved = reserved
        self.worstCase = worstCase
        self.spentToday = spentToday
        self.spentThisMonth = spentThisMonth
    }

    /// The currency of the limit.
    public var currency: Money.Currency { limit.currency }

    /// What is left for new calls.
    public var available: Money { limit - spent - reserved }

    /// Which limit refused the call, in words: the daily limit over stdio; on a team server
    /// the member's own or the team's.
    public var phrase: String {
        guard let member, scope != .process else { return scope.phrase }
        let name = scope == .day ? "daily" : "monthly"
        return isMembersOwn ? "\(member)'s own \(name) limit" : "the team's \(name) limit (shared by every member)"
    }

    /// How to spend more: raise the setting, or for a member's own limit ask whoever runs the server.
    public var raiseAdvice: String {
        if isMembersOwn {
            return "To spend more, ask whoever runs the team server to raise your own limit "
                + "(`social-data-mcp member limit \(member ?? "NAME") \(scope == .day ? "--daily" : "--monthly")-limit-"
                + "\(currency.rawValue) X`), or wait for the \(scope.rawValue) to roll over."
        }
        let advice =
            " To spend more, raise \(setting.variable) (or \(setting.flag)) in the server's config and restart it"
        return String(advice.dropFirst())
            + (scope == .process ? "." : ", or wait for the \(scope.rawValue) to roll over.")
    }

    /// The setting that raises this limit.
    public var setting: ConfigKey { Configuration.limitKey(scope, currency) }

    /// Whether a call with this worst case fits in `available` (a call whose cost is
    /// only known afterwards fits while anything is left).
    public static func fits(_ worstCase: Money?, available: Money) -> Bool {
        worstCase.map { $0 <= available } ?? (available > .zero(available.currency))
    }
}
