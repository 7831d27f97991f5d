import Catalog

/// A team member as the ledger sees them: the name written on each of their calls' lines
/// and their own daily and monthly limits, checked beside the team's.
///
/// Built from a `Member` of the team server's store (the `Members` module) by the command
/// that serves them; `nil` wherever there is no member (stdio, the CLI's own calls).
public struct MemberBudget: Sendable, Equatable {
    /// The member's name, as `member add` took it.
    public let name: String
    /// Their own limits (`day` and `month`, by currency); empty for none.
    public let limits: SpendLimits

    /// A member with these limits.
    public init(name: String, limits: SpendLimits) {
        self.name = name
        self.limits = limits
    }

    /// A member with limits in yuan and credits (`nil`: no limit of that kind).
    public init(
        name: String,
        dailyCNY: Double? = nil,
        monthlyCNY: Double? = nil,
        dailyCredits: Int? = nil,
        monthlyCredits: Int? = nil
    ) {
        var limits = SpendLimits()
        if let dailyCNY { limits.set(.day, .yuan(dailyCNY), isDefault: false) }
        if let monthlyCNY { limits.set(.month, .yuan(monthlyCNY), isDefault: false) }
        if let dailyCredits { limits.set(.day, Money(Double(dailyCredits), .credits), isDefault: false) }
        if let monthlyCredits { limits.set(.month, Money(Double(monthlyCredits), .credits), isDefault: false) }
        self.init(name: name, limits: limits)
    }
}
