/// An amount of money in exact fixed point: ten-thousandths of a unit.
///
/// Binary floating point cannot add ¥0.08 a hundred times and compare it with a ¥8.00
/// ceiling reliably; integers can. Four decimals cover every price the providers quote.
public struct Money: Sendable, Hashable, Comparable {
    /// What the amount is counted in.
    public enum Currency: String, Sendable, Hashable, CaseIterable {
        /// Chinese yuan: DataNexus prices, DataTrust charges.
        case cny
        /// CreatiVault credits, which have no published yuan price.
        case credits
    }

    /// The currency.
    public let currency: Currency
    /// The amount in ten-thousandths.
    public let units: Int64

    /// Creates an amount from ten-thousandths.
    public init(units: Int64, _ currency: Currency) {
        self.units = units
        self.currency = currency
    }

    /// Creates a yuan amount such as `Money.yuan(0.08)`.
    public static func yuan(_ amount: Double) -> Money { Money(amount, .cny) }

    /// Creates an amount from a decimal number, rounded to four decimals.
    ///
    /// Never traps: a number beyond what `Int64` holds saturates and NaN is zero, so a
    /// provider's `1e300` becomes an amount that `checkedProviderAmount` then rejects.
    public init(_ amount: Double, _ currency: Currency) {
        let scaled = (amount * 10_000).rounded()
        let units: Int64
        if scaled.isNaN {
            units = 0
        } else if scaled >= 9.2e18 {
            units = .max
        } else if scaled <= -9.2e18 {
            units = .min
        } else {
            units = Int64(scaled)
        }
        self.init(units: units, currency)
    }

    /// The most one call can sanely cost: ¥1,000,000 or 10,000,000 credits.
    ///
    /// Anything above it from a provider or the ledger is damage or an attack, not a price.
    public static func maximumPerCall(_ currency: Currency) -> Money {
        switch currency {
        case .cny: return Money(units: 1_000_000 * 10_000, .cny)
        case .credits: return Money(units: 10_000_000 * 10_000, .credits)
        }
    }

    /// Whether an amount read from a provider or the ledger may take part in arithmetic:
    /// not negative and not above `maximumPerCall`.
    public var isSaneAmount: Bool { units >= 0 && self <= Money.maximumPerCall(currency) }

    /// The amount a provider reported, or `nil` when it is out of range.
    ///
    /// Out of range: negative, above `maximumPerCall`, not finite. Callers fall back to the floor or the worst case and
    /// say so. The range check every provider number passes before arithmetic.
    public static func checkedProviderAmount(_ amount: Double, _ currency: Currency) -> Money? {
        guard amount.isFinite, amount >= 0 else { return nil }
        let money = Money(amount, currency)
        return money.isSaneAmount ? money : nil
    }

    /// Nothing, in a currency.
    public static func zero(_ currency: Currency) -> Money { Money(units: 0, currency) }

    /// The amount as a decimal number, for JSON.
    public var amount: Double { Double(units) / 10_000 }

    /// Whether the amount is zero.
    public var isZero: Bool { units == 0 }

    /// The amount times a count, saturating: money arithmetic never traps.
    public func times(_ count: Int) -> Money {
        let (product, overflow) = units.multipliedReportingOverflow(by: Int64(count))
        guard overflow else { return Money(units: product, currency) }
        return Money(units: (units < 0) != (count < 0) ? .min : .max, currency)
    }

    /// The sum of two amounts in the same currency, saturating.
    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(units: saturating(lhs.units.addingReportingOverflow(rhs.units), sign: rhs.units), lhs.currency)
    }

    /// The difference of two amounts in the same currency, saturating.
    public static func - (lhs: Money, rhs: Money) -> Money {
        let (difference, overflow) = lhs.units.subtractingReportingOverflow(rhs.units)
        guard overflow else { return Money(units: difference, lhs.currency) }
        return Money(units: rhs.units < 0 ? .max : .min, lhs.currency)
    }

    private static func saturating(_ result: (partialValue: Int64, overflow: Bool), sign: Int64) -> Int64 {
        guard result.overflow else { return result.partialValue }
        return sign < 0 ? .min : .max
    }

    /// Orders amounts (of one currency).
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.units < rhs.units }

    /// The amount as people write it: `¥0.08`, `¥12.50`, `60 credits`.
    public var formatted: String {
        switch currency {
        case .cny: return "¥" + Money.decimal(units, minimumFractionDigits: 2)
        case .credits: return Money.decimal(units, minimumFractionDigits: 0) + " credits"
        }
    }

    private static func decimal(_ units: Int64, minimumFractionDigits: Int) -> String {
        let sign = units < 0 ? "-" : ""
        let magnitude = units.magnitude
        let whole = magnitude / 10_000
        var fraction = String(magnitude % 10_000)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.count > minimumFractionDigits, fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}
