import Wire

/// What a tool costs: the one fact behind the description's price, the `_meta` price,
/// and (through `CallCost`) the worst-case quote and the cost recorded afterwards.
public enum Price: Sendable {
    /// No charge; the text says why (a public endpoint, included in a plan).
    case free(String)
    /// A price per returned thing, with a worst case known before the call.
    case perItem(Money, unit: String, maximum: ItemBound, counted: ItemCounting)
    /// Charged by the provider, which reports the amount in its response; `documented`
    /// is the provider's documented charge for one call of the tool, the floor of the
    /// worst case the ledger reserves (`nil` when the provider documents none).
    case reportedByProvider(Money.Currency, String, documented: Money? = nil)
    /// Charged by the provider at a rate it does not publish.
    case undisclosed(String)

    /// Whether calls cost anything at all (paid tools get `dry_run`).
    public var isPaid: Bool {
        if case .free = self { return false }
        return true
    }

    /// The currency the ledger counts this tool's spend in.
    public var currency: Money.Currency {
        switch self {
        case .free, .undisclosed: return .cny
        case .perItem(let unitPrice, _, _, _): return unitPrice.currency
        case .reportedByProvider(let currency, _, _): return currency
        }
    }

    /// The provider's documented charge for one call, for a price reported afterwards.
    public var documentedCharge: Money? {
        if case .reportedByProvider(_, _, let documented) = self { return documented }
        return nil
    }

    /// The price in one short clause, appended to the tool description.
    ///
    /// It is repeated on every tool in every conversation, so it says only what differs
    /// between tools; the provider's billing prose (`note`) is said once, in the server's
    /// instructions and in `SKILL.md`.
    public var sentence: String {
        switch self {
        case .free:
            return "Free."
        case .perItem(let unitPrice, let unit, .fixed(1), _):
            return "Price: \(unitPrice.formatted) per \(unit)."
        case .perItem(let unitPrice, let unit, .fixed(let count), _):
            return "Price: \(unitPrice.formatted) per \(unit), at most \(unitPrice.times(count).formatted) a call."
        case .perItem(let unitPrice, let unit, .argument(let parameter), _):
            return "Price: \(unitPrice.formatted) per returned \(unit), ≤ \(parameter.name) × \(unitPrice.formatted) "
                + "(\(unitPrice.times(parameter.maximumCount).formatted) at \(parameter.maximumCount))."
        case .reportedByProvider(.credits, _, _):
            return "Paid in credits."
        case .reportedByProvider(.cny, _, _):
            return "Paid in yuan."
        case .undisclosed:
            return "Paid (plan rate)."
        }
    }

    /// The provider's own words on how it bills, shared by its tools, or `nil` when the
    /// price says it all.
    public var note: String? {
        switch self {
        case .free(let why): return why
        case .perItem: return nil
        case .reportedByProvider(_, let how, _), .undisclosed(let how): return how
        }
    }

    /// The price as data, for a result's `billing`.
    public var json: JSONValue {
        switch self {
        case .free(let why):
            return ["model": "free", "note": .string(why)]
        case .perItem(let unitPrice, let unit, let maximum, _):
            var object: [String: JSONValue] = [
                "model": "per_item",
                "currency": .string(unitPrice.currency.rawValue.uppercased()),
                "unit_price": .double(unitPrice.amount),
                "unit": .string(unit),
            ]
            switch maximum {
            case .fixed(let count):
                object["max_items"] = .int(count)
            case .argument(let parameter):
                object["max_items_argument"] = .string(parameter.name)
                object["default_items"] = .int(parameter.defaultCount)
                object["max_items"] = .int(parameter.maximumCount)
            }
            return .object(object)
        case .reportedByProvider(let currency, let how, _):
            return [
                "model": "reported_by_provider", "currency": .string(currency.rawValue.uppercased()),
                "note": .string(how),
            ]
        case .undisclosed(let how):
            return ["model": "undisclosed", "note": .string(how)]
        }
    }
}

/// How many priced things a call can return at most.
public enum ItemBound: Sendable {
    /// Always this many (one author, one image).
    case fixed(Int)
    /// As many as a page-size argument asks for: its default when absent, its schema
    /// maximum at most. The numbers are the parameter's own, so the quote and the
    /// schema cannot drift apart.
    case argument(Parameter)

    /// The bound for these arguments.
    public func count(for arguments: [String: JSONValue]) -> Int {
        switch self {
        case .fixed(let count): return count
        case .argument(let parameter): return arguments[parameter.name]?.intValue ?? parameter.defaultCount
        }
    }
}

extension Parameter {
    /// A page-size argument's default (its schema maximum when it has none).
    public var defaultCount: Int { defaultValue?.intValue ?? maximumCount }

    /// A page-size argument's schema maximum.
    public var maximumCount: Int {
        if case .integer(let range?) = kind { return range.upperBound }
        return defaultValue?.intValue ?? 1
    }
}

/// How the priced things are counted in a response's `data`.
public enum ItemCounting: Sendable {
    /// The elements of the array at this path (`["items"]`); when the path is absent and
    /// `data` itself is an array, its elements.
    case array(at: [String])
    /// One thing when `data` is present and not `null` (a detail lookup).
    case oneIfPresent

    /// The count in this response's data.
    public func count(in data: JSONValue) -> Int {
        switch self {
        case .array(let path):
            var value = data
            for key in path {
                guard let next = value[key] else { return data.arrayValue?.count ?? 0 }
                value = next
            }
            return value.arrayValue?.count ?? 0
        case .oneIfPresent:
            return data.isNull ? 0 : 1
        }
    }
}
