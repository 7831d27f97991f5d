import Catalog
import Spend
import Upstream
import Wire

/// Writes tool results: one model-facing report, rendered twice.
///
/// The text blocks are what Claude Desktop and Cursor give the model; `structuredContent`
/// is what Claude Code, Codex and VS Code give it instead. Both carry the same facts
/// (headline, reading, notes, cost line, budget line and data), each within `formBudget`.
public enum ResultFormatter {
    /// The most either form may take: Claude Code's 25k-token cap, CJK counted heavily.
    ///
    /// The text form is measured in UTF-8 bytes; `structuredContent` in its widest
    /// serialization (`JSONValue.widestJSONSize`: the Agents SDK's `json.dumps` escapes
    /// every non-ASCII character), so the bound holds in every client.
    public static let formBudget = 60_000

    /// The facts of one result before they are rendered.
    struct Report {
        var headline: String
        var reading: [String] = []
        var notes: [String] = []
        var cost: String
        var budget: String
        /// Members for `structuredContent` beyond the rendered lines (billing, error, quote).
        var structured: [String: JSONValue] = [:]
        /// The data, trimmed to fit when it had to be.
        var data: JSONValue?
        /// `data` serialized, when it already was.
        var dataText: String?
        /// Provider metadata (request id, paging), shown as data in both forms.
        var details: [String: JSONValue] = [:]
        var content: [JSONValue] = []
        var isError = false

        /// The lines of the text form, also stored as `structuredContent.summary`.
        var lines: [String] { [headline] + reading + notes + [cost, budget] }

        func render() -> ToolResult {
            var structured = self.structured
            var summary: [String: JSONValue] = [
                "headline": .string(headline), "cost": .string(cost), "budget": .string(budget),
            ]
            if !reading.isEmpty { summary["reading"] = .array(reading.map { .string($0) }) }
            if !notes.isEmpty { summary["notes"] = .array(notes.map { .string($0) }) }
            structured["summary"] = .object(summary)
            var text = lines.joined(separator: "\n")
            if let data {
                structured["data"] = data
                text += "\n\nData: " + (dataText ?? data.jsonText)
            }
            if !details.isEmpty {
                structured["upstream"] = .object(details)
                text += "\n\nProvider details: " + JSONValue.object(details).jsonText
            }
            return ToolResult(content: [ToolResult.text(text)] + content, structured: structured, isError: isError)
        }
    }

    /// A successful call (fetched, shared or from the cache).
    public static func success(
        _ entry: ToolCatalog.Entry,
        cost: CallCost,
        payload: UpstreamPayload,
        charge: Charge,
        budget: BudgetView,
        savedResults: SavedResults?
    ) -> ToolResult {
        let tool = entry.tool
        let presentation = tool.presenter?(payload.data, cost.arguments) ?? Presentation()
        var report = Report(
            headline: headline(entry, cost: cost, data: payload.data),
            reading: presentation.lines.map(clamp),
            notes: payload.notes.map(clamp),
            cost: costLine(cost.currency, charge: charge, billing: payload.billing),
            budget: budget.line(for: cost.currency),
            structured: presentation.structured,
            details: payload.details,
            content: presentation.content + payload.content
        )
        report.structured["billing"] = billing(cost.currency, charge: charge, balance: payload.billing.balance, budget)
        let data = presentation.data ?? payload.data
        let bare = report.render()
        // What the forms take besides the data ("Data: " and `"data":` included).
        let overhead = max(bare.structured.jsonSize, bare.text.utf8.count) + 16
        let dataText = data.jsonText
        let serialized = dataText.utf8.count
        // The data is in both forms: its widest size bounds both.
        if overhead + JSONValue.widestJSONSize(of: data, compact: dataText) <= formBudget {
            // Almost every answer: serialized once, shown whole in both forms.
            report.data = data
            report.dataText = dataText
            return report.render()
        }

        // Too large for the model: save everything that was paid for, show what fits
        // (leaving room for the notice, which both forms carry).
        let (trimmed, cuts) = JSONTrimmer.trim(data, toFit: max(1_000, formBudget - overhead - 2_500))
        let total = cost.itemCount(in: payload.data)
        let shown = cost.itemCount(in: trimmed)
        var trimming: [String: JSONValue] = [
            "cuts": .array(cuts.map { .string($0) }), "complete_bytes": .int(serialized),
        ]
        var notice = "Trimmed to fit \(formBudget) bytes (\(cuts.joined(separator: "; ")))."
        if let total, let shown, total > shown {
            notice += " \(total - shown) of \(total) items are left out here."
            trimming["items_total"] = .int(total)
            trimming["items_shown"] = .int(shown)
            trimming["items_left_out"] = .int(total - shown)
        }
        do {
            guard let savedResults else { throw SavingUnavailable() }
            let saved = try savedResults.save(payload.data, tool: tool.name)
            notice +=
                " The complete data (\(serialized) bytes) is saved at \(saved.path); read it page by page with "
                + "social_data_read_result (result: \(saved.uri)) or as that resource (resources/read), or call again "
                + "with a smaller page size."
            trimming["saved_to"] = .string(saved.path)
            trimming["resource_uri"] = .string(saved.uri)
            report.content.append([
                "type": "resource_link", "uri": .string(saved.uri), "name": .string(saved.name),
                "mimeType": "application/json", "size": .int(saved.bytes),
                "description": .string("The complete data of this \(tool.name) call"),
            ])
        } catch {
            notice +=
                " The complete data could not be saved (\(error)); call again with a smaller page size to see the rest."
        }
        report.notes.append(notice)
        report.structured["trimmed"] = .object(trimming)
        report.data = trimmed
        return report.render()
    }

    /// A failed or refused call: the message in the user's terms, what it cost (nothing,
    /// normally) and the budget.
    public static func failure(
        _ failure: ToolFailure,
        currency: Money.Currency,
        charge: Charge? = nil,
        budget: BudgetView
    ) -> ToolResult {
        let charge = charge ?? Charge.nothing(currency, "nothing charged: the call failed")
        var report = Report(
            headline: clamp(failure.message),
            cost: costLine(currency, charge: charge, billing: ProviderBilling()),
            budget: budget.line(for: currency),
            isError: true
        )
        report.structured["error"] = failure.json
        report.structured["billing"] = billing(currency, charge: charge, balance: nil, budget)
        return report.render()
    }

    /// The answer to `dry_run: true`: the worst case and what the limits leave.
    ///
    /// `reserve` is what the ledger would hold for a price the provider reports afterwards
    /// (the largest charge recorded, the documented one, or everything left).
    public static func quote(
        _ entry: ToolCatalog.Entry,
        cost: CallCost,
        reserve: SpendGuard.WorstCase? = nil,
        endpoint: Endpoint?,
        budget: BudgetView
    ) -> ToolResult {
        let price = cost.price
        let worstCase = cost.worstCase ?? reserve?.amount
        let basis = cost.worstCase == nil ? reserve?.words ?? cost.worstCaseBasis : cost.worstCaseBasis
        var reading: [String] = []
        let path = endpoint.map { RequestBuilder.expand($0.path, tool: entry.tool, arguments: cost.arguments) }
        if let endpoint, let path { reading.append("Would call \(endpoint.method.rawValue) \(path).") }
        reading.append(price.sentence)
        if cost.worstCase == nil {
            reading.append("The cost is only known after the call: \(entry.toolset.name) reports it.")
        }
        if let worstCase {
            reading.append(
                cost.worstCase == nil
                    ? "The spend ledger would hold \(worstCase.formatted) for it (\(basis))."
                    : "Worst case for these arguments: \(worstCase.formatted) (\(basis))."
            )
        }
        var fitsEverywhere = true
        if let remaining = budget.process.remaining(cost.currency) {
            let available = remaining - (budget.process.reserved[cost.currency] ?? .zero(cost.currency))
            let fits = BudgetRefusal.fits(worstCase, available: available)
            fitsEverywhere = fitsEverywhere && fits
            reading.append(
                "Ceiling: \(remaining.formatted) left" + (fits ? "; this call fits." : "; this call would be refused.")
            )
        }
        if let shared = budget.shared {
            for scope in [BudgetRefusal.Scope.day, .month] {
                guard let remaining = shared.remaining(scope, cost.currency) else { continue }
                let fits = BudgetRefusal.fits(worstCase, available: remaining)
                fitsEverywhere = fitsEverywhere && fits
                reading.append(
                    "\(scope == .day ? "Daily" : "Monthly") limit: \(max(remaining, .zero(cost.currency)).formatted) "
                        + "left across all processes" + (fits ? "; this call fits." : "; this call would be refused.")
                )
            }
        }
        let charge = Charge.nothing(cost.currency, "dry run")
        var report = Report(
            headline:
                "Dry run of \(entry.tool.name): no paid request was sent to \(entry.toolset.name) and nothing was spent.",
            reading: reading,
            cost: costLine(cost.currency, charge: charge, billing: ProviderBilling()),
            budget: budget.line(for: cost.currency)
        )
        report.structured["dry_run"] = true
        report.structured["tool"] = .string(entry.tool.name)
        report.structured["price"] = price.json
        report.structured["worst_case"] = worstCase.map { .double($0.amount) } ?? .null
        report.structured["worst_case_basis"] = .string(basis)
        report.structured["fits_limits"] = .bool(fitsEverywhere)
        report.structured["currency"] = .string(cost.currency.rawValue.uppercased())
        if let endpoint, let path { report.structured["request"] = .string("\(endpoint.method.rawValue) \(path)") }
        report.structured["billing"] = billing(cost.currency, charge: charge, balance: nil, budget)
        return report.render()
    }

    private struct SavingUnavailable: Error, CustomStringConvertible {
        var description: String { "no state directory" }
    }

    private static func headline(_ entry: ToolCatalog.Entry, cost: CallCost, data: JSONValue) -> String {
        let what: String
        if data.isNull {
            what = "no data returned (the provider answered with null)"
        } else if let count = cost.itemCount(in: data) {
            var noun = "item"
            if case .perItem(_, let unit, _, _) = cost.price { noun = unit }
            what = "\(count) \(CallCost.plural(noun, count)) returned"
        } else {
            what = "result returned"
        }
        return "\(entry.toolset.name) · \(entry.tool.name): \(what)."
    }

    private static func costLine(_ currency: Money.Currency, charge: Charge, billing: ProviderBilling) -> String {
        var line: String
        if charge.isShared {
            line = "Cost: \(Money.zero(currency).formatted) (\(charge.basis); only that call was charged)."
        } else if let age = charge.cachedAgeSeconds {
            // The disk cache says whose read it was (another server process's).
            let what =
                charge.basis.hasPrefix("answered from") ? charge.basis : "answered from cache, fetched \(age) s ago"
            line = "Cost: \(Money.zero(currency).formatted) (\(what); max_age: 0 fetches fresh)."
        } else if let cost = charge.cost {
            line = "Cost: \(cost.formatted) (\(charge.basis))."
        } else {
            line = "Cost: \(charge.basis)."
        }
        if let balance = billing.balance { line += " Balance left with the provider: \(balance.formatted)." }
        return line
    }

    static func billing(
        _ currency: Money.Currency,
        charge: Charge,
        balance: Money?,
        _ budget: BudgetView
    ) -> JSONValue {
        var object = budget.json
        object["cost"] = charge.cachedAgeSeconds != nil ? .double(0) : (charge.cost.map { .double($0.amount) } ?? .null)
        object["currency"] = .string(currency.rawValue.uppercased())
        object["cost_basis"] = .string(charge.basis)
        object["cached"] = .bool(charge.cachedAgeSeconds != nil)
        if let age = charge.cachedAgeSeconds { object["cached_age_seconds"] = .int(age) }
        if let balance { object["provider_balance"] = .double(balance.amount) }
        return .object(object)
    }

    /// A line of at most 4,000 characters: a provider's message cannot blow the budget.
    private static func clamp(_ line: String) -> String {
        line.count <= 4_000 ? line : String(line.prefix(4_000)) + "… (cut)"
    }
}

extension [String: JSONValue] {
    /// The size of the object in its widest serialization (`JSONValue.widestJSONSize`).
    var jsonSize: Int { JSONValue.object(self).widestJSONSize }
}
