/// Writes tool results: the text the model reads and the `structuredContent` beside it.
///
/// Every result, error or not, states its cost and the session's running total in both
/// places; `_meta` alone is invisible to models.
public enum ResultFormatter {
    /// The text block's size budget in bytes (Claude Code caps a result near 25k tokens).
    public static let textBudget = 20_000
    /// The bound on `structuredContent.data` in bytes.
    public static let structuredBudget = 1_000_000

    /// What a call cost, as decided by the runner.
    public struct Charge: Sendable {
        /// The amount, or `nil` when the provider does not publish it.
        public var cost: Money?
        /// How it was computed ("20 items × ¥0.08").
        public var basis: String
        /// Seconds since the cached answer was fetched, for cache hits.
        public var cachedAgeSeconds: Int?
        /// Whether the answer was shared by an identical call running at the same time.
        public var isShared = false
    }

    /// A successful call.
    public static func success(
        _ entry: ToolCatalog.Entry,
        arguments: [String: JSONValue],
        payload: UpstreamPayload,
        charge: Charge,
        snapshot: SpendLedger.Snapshot
    ) -> ToolResult {
        let tool = entry.tool
        let presentation = tool.presenter?(payload.data, arguments) ?? Presentation()
        var lines = [headline(entry, data: payload.data)]
        lines += presentation.lines
        lines += payload.notes
        lines.append(costLine(tool.price, charge: charge, billing: payload.billing))
        lines.append(sessionLine(snapshot, currency: tool.price.currency))

        let header = lines.joined(separator: "\n")
        let data = presentation.data ?? payload.data
        // Serialized once: almost every answer fits both budgets as it is, and trimming
        // (which measures as it cuts) is only for the rest.
        let serialized = data.jsonText
        let textLimit = max(2_000, textBudget - header.utf8.count - 200)
        var text = header
        if serialized.utf8.count <= textLimit {
            text += "\n\nData: " + serialized
        } else {
            let (textData, textNotes) = JSONTrimmer.trim(data, toFit: textLimit)
            text +=
                "\nTrimmed for this text block (" + textNotes.joined(separator: "; ")
                + "); the complete data is in structuredContent.data.\n\nData: " + textData.jsonText
        }
        var structuredData = data
        var structuredNotes: [String] = []
        if serialized.utf8.count > structuredBudget {
            (structuredData, structuredNotes) = JSONTrimmer.trim(data, toFit: structuredBudget)
        }
        var structured = presentation.structured
        structured["data"] = structuredData
        if !structuredNotes.isEmpty {
            structured["data_trimmed"] = .array(structuredNotes.map { .string($0) })
        }
        if !payload.details.isEmpty { structured["upstream"] = .object(payload.details) }
        structured["billing"] = billing(
            tool.price,
            charge: charge,
            providerBilling: payload.billing,
            snapshot: snapshot
        )
        return ToolResult(
            content: [ToolResult.text(text)] + presentation.content + payload.content,
            structured: structured,
            isError: false
        )
    }

    /// A failed call: the error in the user's terms, and what it cost (nothing, normally).
    public static func failure(
        _ message: String,
        error: JSONValue,
        price: Price,
        snapshot: SpendLedger.Snapshot
    ) -> ToolResult {
        let charge = Charge(cost: .zero(price.currency), basis: "nothing charged: the call failed")
        let text =
            message + "\n" + costLine(price, charge: charge, billing: ProviderBilling()) + "\n"
            + sessionLine(snapshot, currency: price.currency)
        return ToolResult.error(
            text,
            structured: [
                "error": error,
                "billing": billing(price, charge: charge, providerBilling: ProviderBilling(), snapshot: snapshot),
            ]
        )
    }

    /// The answer to `dry_run: true`: the worst case and what the ceiling leaves.
    public static func quote(
        _ entry: ToolCatalog.Entry,
        arguments: [String: JSONValue],
        endpoint: Endpoint?,
        snapshot: SpendLedger.Snapshot
    ) -> ToolResult {
        let price = entry.tool.price
        let worstCase = price.worstCase(for: arguments)
        var lines = ["Dry run of \(entry.tool.name): nothing was sent to \(entry.provider.name) and nothing was spent."]
        let path = endpoint.map { RequestBuilder.expand($0.path, tool: entry.tool, arguments: arguments) }
        if let endpoint, let path { lines.append("Would call \(endpoint.method.rawValue) \(path).") }
        lines.append(price.sentence)
        if let worstCase {
            lines.append(
                "Worst case for these arguments: \(worstCase.formatted) (\(worstCaseBasis(price, arguments: arguments)))."
            )
        } else {
            lines.append("The cost is only known after the call: \(entry.provider.name) reports it.")
        }
        if let remaining = snapshot.remaining(price.currency) {
            let fits = worstCase.map { $0 <= remaining - (snapshot.reserved[price.currency] ?? .zero(price.currency)) }
            lines.append(
                "Ceiling: \(remaining.formatted) left"
                    + (fits.map { $0 ? "; this call fits." : "; this call would be refused." } ?? ".")
            )
        }
        lines.append(sessionLine(snapshot, currency: price.currency))
        var quote: [String: JSONValue] = [
            "dry_run": true,
            "tool": .string(entry.tool.name),
            "price": price.json,
            "worst_case": worstCase.map { .double($0.amount) } ?? .null,
            "currency": .string(price.currency.rawValue.uppercased()),
        ]
        if let endpoint, let path { quote["request"] = .string("\(endpoint.method.rawValue) \(path)") }
        let charge = Charge(cost: .zero(price.currency), basis: "dry run")
        quote["billing"] = billing(price, charge: charge, providerBilling: ProviderBilling(), snapshot: snapshot)
        return ToolResult(content: [ToolResult.text(lines.joined(separator: "\n"))], structured: quote, isError: false)
    }

    /// A call refused by the ceiling: what was spent, what it would cost, what to do.
    public static func refusal(
        _ entry: ToolCatalog.Entry,
        arguments: [String: JSONValue],
        refusal: SpendLedger.Refusal,
        snapshot: SpendLedger.Snapshot
    ) -> ToolResult {
        let price = entry.tool.price
        let key = price.currency == .cny ? Configuration.maxSpendKey : Configuration.maxCreditsKey
        var message = "Refused before calling \(entry.provider.name): spend ceiling. "
        if let worstCase = refusal.worstCase {
            message +=
                "This call could cost up to \(worstCase.formatted) (\(worstCaseBasis(price, arguments: arguments))), "
        } else {
            message += "This call's cost is only known afterwards, "
        }
        message += "and \(refusal.spent.formatted) of the \(refusal.ceiling.formatted) ceiling is already spent"
        if !refusal.reserved.isZero { message += " (\(refusal.reserved.formatted) more held for calls in flight)" }
        message += ", leaving \(max(refusal.available, .zero(price.currency)).formatted)."
        if case .perItem(let unitPrice, _, .argument(let name, _, _), _) = price, unitPrice.units > 0 {
            let fitting = Int(refusal.available.units / unitPrice.units)
            if fitting >= 1 { message += " A call with \(name) ≤ \(fitting) would fit." }
        }
        message += " To spend more, raise \(key.variable) (or \(key.flag)) in the server's config and restart it."
        message += " Nothing was sent or charged."
        let error: JSONValue = [
            "kind": "budget_exceeded",
            "ceiling": .double(refusal.ceiling.amount),
            "spent": .double(refusal.spent.amount),
            "reserved": .double(refusal.reserved.amount),
            "worst_case": refusal.worstCase.map { .double($0.amount) } ?? .null,
            "currency": .string(price.currency.rawValue.uppercased()),
            "raise_with": .string(key.variable),
        ]
        return failure(message, error: error, price: price, snapshot: snapshot)
    }

    /// How the worst case is computed, in words.
    static func worstCaseBasis(_ price: Price, arguments: [String: JSONValue]) -> String {
        switch price {
        case .perItem(let unitPrice, let unit, let maximum, _):
            let count = maximum.count(for: arguments)
            return "\(count) \(plural(unit, count)) × \(unitPrice.formatted)"
        case .free:
            return "free"
        case .reportedByProvider, .undisclosed:
            return "reported by the provider"
        }
    }

    private static func headline(_ entry: ToolCatalog.Entry, data: JSONValue) -> String {
        let what: String
        if data.isNull {
            what = "no data returned (the provider answered with null)"
        } else if let count = itemCount(entry.tool.price, data: data) {
            var noun = "item"
            if case .perItem(_, let unit, _, _) = entry.tool.price { noun = unit }
            what = "\(count) \(plural(noun, count)) returned"
        } else {
            what = "result returned"
        }
        return "\(entry.provider.name) · \(entry.tool.name): \(what)."
    }

    /// The number of items in a response, by the price's counting rule or the usual list shapes.
    static func itemCount(_ price: Price, data: JSONValue) -> Int? {
        if case .perItem(_, _, _, let counting) = price { return counting.count(in: data) }
        if let array = data.arrayValue { return array.count }
        for key in ["items", "list", "data", "records", "results"] {
            if let array = data[key]?.arrayValue { return array.count }
        }
        return nil
    }

    private static func costLine(_ price: Price, charge: Charge, billing: ProviderBilling) -> String {
        var line: String
        if charge.isShared {
            line = "Cost: \(Money.zero(price.currency).formatted) (\(charge.basis); only that call was charged)."
        } else if let age = charge.cachedAgeSeconds {
            line =
                "Cost: \(Money.zero(price.currency).formatted) (answered from cache, fetched \(age) s ago; max_age: 0 fetches fresh)."
        } else if let cost = charge.cost {
            line = "Cost: \(cost.formatted) (\(charge.basis))."
        } else {
            line = "Cost: \(charge.basis)."
        }
        if let balance = billing.balance { line += " Balance left with the provider: \(balance.formatted)." }
        return line
    }

    private static func sessionLine(_ snapshot: SpendLedger.Snapshot, currency: Money.Currency) -> String {
        var parts: [String] = []
        for shown in Money.Currency.allCases
        where shown == currency || !snapshot.overall.spent(shown).isZero
            || snapshot.ceilings[shown] != nil
        {
            var part = "\(snapshot.overall.spent(shown).formatted) spent"
            if let ceiling = snapshot.ceilings[shown], let remaining = snapshot.remaining(shown) {
                part += " of the \(ceiling.formatted) ceiling (\(max(remaining, .zero(shown)).formatted) left)"
            } else if shown == .cny {
                part += " (no ceiling: set \(Configuration.maxSpendKey.variable) to cap it)"
            }
            parts.append(part)
        }
        if snapshot.overall.unpricedCalls > 0 {
            parts.append("\(snapshot.overall.unpricedCalls) call(s) billed at unpublished rates")
        }
        return "Session: " + parts.joined(separator: "; ") + "."
    }

    static func billing(
        _ price: Price,
        charge: Charge,
        providerBilling: ProviderBilling,
        snapshot: SpendLedger.Snapshot
    ) -> JSONValue {
        var object: [String: JSONValue] = [
            "cost": charge.cachedAgeSeconds != nil ? .double(0) : (charge.cost.map { .double($0.amount) } ?? .null),
            "currency": .string(price.currency.rawValue.uppercased()),
            "cost_basis": .string(charge.basis),
            "cached": .bool(charge.cachedAgeSeconds != nil),
        ]
        if let age = charge.cachedAgeSeconds { object["cached_age_seconds"] = .int(age) }
        for currency in Money.Currency.allCases {
            let suffix = currency.rawValue
            object["session_spent_\(suffix)"] = .double(snapshot.overall.spent(currency).amount)
            object["ceiling_\(suffix)"] = snapshot.ceilings[currency].map { .double($0.amount) } ?? .null
            object["remaining_\(suffix)"] =
                snapshot.remaining(currency).map { .double(max($0, .zero(currency)).amount) } ?? .null
        }
        if let balance = providerBilling.balance {
            object["provider_balance"] = .double(balance.amount)
        }
        return .object(object)
    }

    static func plural(_ noun: String, _ count: Int) -> String {
        count == 1 ? noun : noun + "s"
    }
}
