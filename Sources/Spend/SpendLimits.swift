import Catalog

/// The daily and monthly limits shared by every server process on the machine.
public struct SpendLimits: Sendable, Equatable {
    /// The limits by scope (`day`, `month`) and currency.
    public private(set) var amounts: [BudgetRefusal.Scope: [Money.Currency: Money]] = [:]
    /// Whether the daily yuan limit is the protective default rather than the user's.
    public private(set) var isDailyDefault = false

    /// No limits.
    public init() {}

    /// Sets one limit.
    public mutating func set(_ scope: BudgetRefusal.Scope, _ amount: Money, isDefault: Bool) {
        amounts[scope, default: [:]][amount.currency] = amount
        if scope == .day, amount.currency == .cny { isDailyDefault = isDefault }
    }

    /// The limit for a scope and currency, if any.
    public func limit(_ scope: BudgetRefusal.Scope, _ currency: Money.Currency) -> Money? {
        amounts[scope]?[currency]
    }

    /// Whether any limit is set.
    public var isEmpty: Bool { amounts.values.allSatisfy(\.isEmpty) }
}
