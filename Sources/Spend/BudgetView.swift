import Catalog
import Wire

/// What the spend looks like when a result is written: this process's totals and
/// ceilings, and every process's day and month under the shared limits.
public struct BudgetView: Sendable {
    /// This process.
    public var process: SpendLedger.Snapshot
    /// Every process sharing the state directory; `nil` when the ledger was not read
    /// (free calls never touch it).
    public var shared: DurableLedger.Status?
    /// On a team server, the member's own spend under their own limits (read with `shared`).
    public var member: DurableLedger.Status?
    /// That member's name.
    public var memberName: String?

    /// Creates a view.
    public init(process: SpendLedger.Snapshot, shared: DurableLedger.Status?) {
        self.process = process
        self.shared = shared
    }

    /// The budget in one line, for the text ("Session: …; All processes: …").
    public func line(for currency: Money.Currency) -> String {
        var parts: [String] = []
        for shown in shownCurrencies(currency) {
            var part = "\(process.overall.spent(shown).formatted) spent"
            if let ceiling = process.ceilings[shown], let remaining = process.remaining(shown) {
                part += " of the \(ceiling.formatted) ceiling (\(max(remaining, .zero(shown)).formatted) left)"
            } else if shown == .cny {
                part += " (no ceiling: set \(Configuration.maxSpendKey.variable) to cap it)"
            }
            parts.append(part)
        }
        if process.overall.unpricedCalls > 0 {
            parts.append("\(process.overall.unpricedCalls) call(s) billed at unpublished rates")
        }
        var line = "Session: " + parts.joined(separator: "; ") + "."
        if let shared {
            var sharedParts: [String] = []
            for shown in shownCurrencies(currency) {
                sharedParts.append(
                    scopePhrase(.day, shown, shared, "today") + ", " + scopePhrase(.month, shown, shared, "this month")
                )
            }
            line += " \(member == nil ? "All processes" : "Team"): " + sharedParts.joined(separator: "; ") + "."
            if let member, let memberName {
                var memberParts: [String] = []
                for shown in shownCurrencies(currency) {
                    memberParts.append(
                        scopePhrase(.day, shown, member, "today") + ", "
                            + scopePhrase(.month, shown, member, "this month")
                    )
                }
                line += " \(memberName)'s own: " + memberParts.joined(separator: "; ") + "."
            }
            if !shared.unsettled.isEmpty {
                line +=
                    " \(shared.unsettled.count) unsettled hold(s) of crashed calls count at their worst case "
                    + "(`social-data-mcp usage`)."
            }
        }
        return line
    }

    /// The same facts as data, merged into `structuredContent.billing`.
    public var json: [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for currency in Money.Currency.allCases {
            let suffix = currency.rawValue
            object["session_spent_\(suffix)"] = .double(process.overall.spent(currency).amount)
            object["ceiling_\(suffix)"] = process.ceilings[currency].map { .double($0.amount) } ?? .null
            object["remaining_\(suffix)"] =
                process.remaining(currency).map { .double(max($0, .zero(currency)).amount) } ?? .null
            guard let shared else { continue }
            object["today_spent_\(suffix)"] = .double(shared.spent(.day, currency).amount)
            object["month_spent_\(suffix)"] = .double(shared.spent(.month, currency).amount)
            object["daily_limit_\(suffix)"] = shared.limits.limit(.day, currency).map { .double($0.amount) } ?? .null
            object["monthly_limit_\(suffix)"] =
                shared.limits.limit(.month, currency).map { .double($0.amount) } ?? .null
            object["daily_remaining_\(suffix)"] =
                shared.remaining(.day, currency).map { .double(max($0, .zero(currency)).amount) } ?? .null
            object["monthly_remaining_\(suffix)"] =
                shared.remaining(.month, currency).map { .double(max($0, .zero(currency)).amount) } ?? .null
        }
        if let shared { object["unsettled_holds"] = .int(shared.unsettled.count) }
        if let member, let memberName {
            object["member"] = .string(memberName)
            for currency in Money.Currency.allCases {
                let suffix = currency.rawValue
                object["member_today_spent_\(suffix)"] = .double(member.spent(.day, currency).amount)
                object["member_month_spent_\(suffix)"] = .double(member.spent(.month, currency).amount)
                object["member_daily_limit_\(suffix)"] =
                    member.limits.limit(.day, currency).map { .double($0.amount) } ?? .null
                object["member_monthly_limit_\(suffix)"] =
                    member.limits.limit(.month, currency).map { .double($0.amount) } ?? .null
                object["member_daily_remaining_\(suffix)"] =
                    member.remaining(.day, currency).map { .double(max($0, .zero(currency)).amount) } ?? .null
                object["member_monthly_remaining_\(suffix)"] =
                    member.remaining(.month, currency).map { .double(max($0, .zero(currency)).amount) } ?? .null
            }
        }
        return object
    }

    private func shownCurrencies(_ currency: Money.Currency) -> [Money.Currency] {
        Money.Currency.allCases.filter { shown in
            shown == currency || !process.overall.spent(shown).isZero || process.ceilings[shown] != nil
                || (shared.map { !$0.spent(.month, shown).isZero || $0.limits.limit(.day, shown) != nil } ?? false)
        }
    }

    private func scopePhrase(
        _ scope: BudgetRefusal.Scope,
        _ currency: Money.Currency,
        _ shared: DurableLedger.Status,
        _ when: String
    ) -> String {
        var phrase = "\(shared.spent(scope, currency).formatted) \(when)"
        if let limit = shared.limits.limit(scope, currency), let remaining = shared.remaining(scope, currency) {
            let name = scope == .day ? "daily" : "monthly"
            let isDefault = scope == .day && currency == .cny && shared.limits.isDailyDefault
            phrase +=
                " of the \(limit.formatted) \(isDefault ? "default " : "")\(name) limit"
                + " (\(max(remaining, .zero(currency)).formatted) left)"
        }
        return phrase
    }
}
