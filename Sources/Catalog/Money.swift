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
    public init(_ amount: Double, _ currency: Currency) {
        self.init(units: Int64((amount * 10_000).rounded()), currency)
    }

    /// Nothing, in a currency.
    public static func zero(_ currency: Currency) -> Money { Money(units: 0, currency) }

    /// The amount as a decimal number, for JSON.
    public var amount: Double { Double(units) / 10_000 }

    /// Whether the amount is zero.
    public var isZero: Bool { units == 0 }

    /// The amount times a count.
    public func times(_ count: Int) -> Money { Money(units: units * Int64(count), currency) }

    /// The sum of two amounts in the same currency.
    public static func + (lhs: Money, rhs: Money) -> Money { Money(units: lhs.units + rhs.units, lhs.currency) }

    /// The difference of two amounts in the same currency.
    public static func - (lhs: Money, rhs: Money) -> Money { Money(units: lhs.units - rhs.units, lhs.currency) }

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
