import Catalog
import Wire

/// The money side of one call, in one place: the worst case quoted and checked before
/// anything is sent, the charge read from the reply, and the settlement the ledgers record.
///
/// Every number comes from the row: the unit price from its `Price`, the item bound from
/// its page-size parameter's own default and maximum.
public struct CallCost: Sendable {
    /// The row's price.
    public let price: Price
    /// The validated arguments.
    public let arguments: [String: JSONValue]
    /// The unit price in force for a per-item price: the table's, or the provider's
    /// current one when that is higher (DataNexus documents "at least ¥0.08").
    public let unitPrice: Money?
    /// Whether the unit price is only the documented floor because the provider's own
    /// price could not be read.
    public let isFloorPrice: Bool

    /// Creates the cost of a call; `currentUnitPrice` is the provider's published unit
    /// price, used when it is higher than the table's.
    public init(
        price: Price,
        arguments: [String: JSONValue],
        currentUnitPrice: Money? = nil,
        isFloorPrice: Bool = false
    ) {
        self.price = price
        self.arguments = arguments
        if case .perItem(let tablePrice, _, _, _) = price {
            unitPrice = max(tablePrice, currentUnitPrice ?? tablePrice)
        } else {
            unitPrice = nil
        }
        self.isFloorPrice = isFloorPrice
    }

    /// The currency the ledgers count this call in.
    public var currency: Money.Currency { price.currency }

    /// The most this call can cost, when that is knowable before sending it.
    public var worstCase: Money? {
        switch price {
        case .free: return .zero(.cny)
        case .perItem(_, _, let maximum, _): return unitPrice.map { $0.times(maximum.count(for: arguments)) }
        case .reportedByProvider, .undisclosed: return nil
        }
    }

    /// How the worst case is computed, in words ("20 items × ¥0.08").
    public var worstCaseBasis: String {
        switch price {
        case .perItem(_, let unit, let maximum, _):
            let count = maximum.count(for: arguments)
            let floor = isFloorPrice ? ", \(Self.floorPriceWords)" : ""
            return "\(count) \(Self.plural(unit, count)) × \(unitPrice?.formatted ?? "?")\(floor)"
        case .free:
            return "free"
        case .reportedByProvider, .undisclosed:
            return "reported by the provider"
        }
    }

    /// The largest page that fits in `available`, for a refusal's advice: the page-size
    /// argument's name and the count, or `nil` when the price has no page argument or
    /// not even one item fits.
    public func largestFittingPage(in available: Money) -> (argument: String, count: Int)? {
        guard case .perItem(_, _, .argument(let parameter), _) = price, let unitPrice, unitPrice.units > 0 else {
            return nil
        }
        let count = min(parameter.maximumCount, Int(max(0, available.units) / unitPrice.units))
        return count >= 1 ? (parameter.name, count) : nil
    }

    /// The number of priced items in a response, by the price's counting rule or, for
    /// other prices, the usual list shapes (for the headline).
    public func itemCount(in data: JSONValue) -> Int? {
        if case .perItem(_, _, _, let counting) = price { return counting.count(in: data) }
        if let array = data.arrayValue { return array.count }
        for key in ["items", "list", "data", "records", "results"] {
            if let array = data[key]?.arrayValue { return array.count }
        }
        return nil
    }

    /// What a quote and a result say when the unit price is only the documented floor.
    static let floorPriceWords = "the documented minimum price: the current one could not be read"

    /// What a successful call cost, from the price and what came back.
    public func charge(for payload: UpstreamPayload, provider: String) -> Charge {
        let items = itemCount(in: payload.data) ?? 0
        switch price {
        case .free(let why):
            return Charge(cost: .zero(.cny), basis: "free: \(why)", items: items)
        case .perItem(_, let unit, _, let counting):
            let count = counting.count(in: payload.data)
            let unitPrice = self.unitPrice ?? .zero(currency)
            // A floor price means the provider's own price could not be read (or was out of
            // range): the result says so, as the dry-run quote does.
            let floorNote = isFloorPrice ? ", \(Self.floorPriceWords)" : ""
            return Charge(
                cost: unitPrice.times(count),
                basis: "\(count) \(Self.plural(unit, count)) × \(unitPrice.formatted)\(floorNote)",
                items: count
            )
        case .reportedByProvider(let currency, _, _):
            if let charged = payload.billing.charged {
                return Charge(cost: charged, basis: "as reported by \(provider)", items: items)
            }
            return Charge(cost: .zero(currency), basis: "\(provider) reported no charge", items: items)
        case .undisclosed:
            return Charge(
                cost: nil,
                basis: "billed by \(provider) at your plan's rate, which it does not publish",
                items: items
            )
        }
    }

    /// The ledger entry for a finished call.
    public func settlement(
        of charge: Charge,
        provider: String,
        tool: String,
        failed: Bool,
        balance: Money?
    ) -> Settlement {
        Settlement(
            provider: provider,
            tool: tool,
            currency: currency,
            cost: charge.cost,
            items: charge.items,
            failed: failed,
            balance: balance
        )
    }

    package static func plural(_ noun: String, _ count: Int) -> String {
        count == 1 ? noun : noun + "s"
    }
}

/// What one call cost, as decided after it returned.
public struct Charge: Sendable {
    /// The amount, or `nil` when the provider does not publish it.
    public var cost: Money?
    /// How it was computed ("20 items × ¥0.08").
    public var basis: String
    /// Priced items returned.
    public var items = 0
    /// Seconds since the cached answer was fetched, for cache hits.
    public var cachedAgeSeconds: Int?
    /// Whether the answer was shared by an identical call running at the same time.
    public var isShared = false

    /// Creates a charge.
    public init(cost: Money?, basis: String, items: Int = 0) {
        self.cost = cost
        self.basis = basis
        self.items = items
    }

    /// Nothing, for a reason ("dry run", "the call failed").
    public static func nothing(_ currency: Money.Currency, _ basis: String) -> Charge {
        Charge(cost: .zero(currency), basis: basis)
    }
}

/// A finished call as the ledgers record it.
public struct Settlement: Sendable, Equatable {
    /// The provider id.
    public var provider: String
    /// The tool name.
    public var tool: String
    /// The currency the call is counted in.
    public var currency: Money.Currency
    /// What it cost, or `nil` when the provider does not publish its rate.
    public var cost: Money?
    /// Priced items returned.
    public var items: Int
    /// Whether the call failed after reaching the provider.
    public var failed: Bool
    /// The balance the provider reported, if any.
    public var balance: Money?

    /// Creates a settlement.
    public init(
        provider: String,
        tool: String,
        currency: Money.Currency,
        cost: Money?,
        items: Int,
        failed: Bool,
        balance: Money?
    ) {
        self.provider = provider
        self.tool = tool
        self.currency = currency
        self.cost = cost
        self.items = items
        self.failed = failed
        self.balance = balance
    }

    /// Whether the provider billed at a rate it does not publish.
    public var isUnpriced: Bool { cost == nil }
}
