/// The server's own tools: the usage report that lets an agent (and its user) watch
/// what the session has spent.
public enum SocialDataServer {
    /// The toolset id; always exposed when toolsets are filtered.
    public static let id = "social_data"

    /// The pseudo-provider holding the server's tools.
    public static let provider = Provider(
        id: id,
        name: "social-data-mcp",
        summary: "This server's own report of spend, calls, items and cache hits.",
        credential: nil,
        baseURL: nil,
        decode: { _, provider throws(UpstreamError) in throw UpstreamError(.rejected, provider: provider.name) },
        tools: [
            ToolDefinition(
                name: "social_data_usage",
                title: "Spend and usage so far",
                summary:
                    "Spend, calls, items and cache hits so far by provider and tool, what the ceilings leave, and the "
                    + "latest balances. Check it before a series of paid calls.",
                route: .none,
                price: .free("answered locally"),
                effect: .local,
                presenter: presentUsage,
                execution: .local { invocation in
                    UpstreamPayload(
                        data: usage(
                            invocation.services.ledger.snapshot(),
                            cacheEntries: invocation.services.cache.count
                        )
                    )
                }
            )
        ]
    )

    static func usage(_ snapshot: SpendLedger.Snapshot, cacheEntries: Int) -> JSONValue {
        func totals(_ totals: SpendLedger.Totals) -> JSONValue {
            var object: [String: JSONValue] = [
                "calls": .int(totals.calls),
                "items": .int(totals.items),
                "cache_hits": .int(totals.cacheHits),
                "errors": .int(totals.errors),
                "unpriced_calls": .int(totals.unpricedCalls),
            ]
            for currency in Money.Currency.allCases {
                object["spent_\(currency.rawValue)"] = .double(totals.spent(currency).amount)
            }
            return .object(object)
        }
        var ceilings: [String: JSONValue] = [:]
        for currency in Money.Currency.allCases {
            ceilings[currency.rawValue] = [
                "ceiling": snapshot.ceilings[currency].map { .double($0.amount) } ?? .null,
                "spent": .double(snapshot.overall.spent(currency).amount),
                "remaining": snapshot.remaining(currency).map { .double(max($0, .zero(currency)).amount) } ?? .null,
                "held_for_calls_in_flight": .double((snapshot.reserved[currency] ?? .zero(currency)).amount),
            ]
        }
        return [
            "overall": totals(snapshot.overall),
            "by_provider": .object(snapshot.byProvider.mapValues(totals)),
            "by_tool": .object(snapshot.byTool.mapValues(totals)),
            "budget": .object(ceilings),
            "provider_balances": .object(snapshot.balances.mapValues { .double($0.amount) }),
            "cache_entries": .int(cacheEntries),
        ]
    }

    static func presentUsage(_ data: JSONValue, _ arguments: [String: JSONValue]) -> Presentation {
        var lines: [String] = []
        let byProvider = data["by_provider"]?.objectValue ?? [:]
        if byProvider.isEmpty {
            lines.append("No calls yet in this session.")
        }
        for provider in byProvider.keys.sorted() {
            guard let totals = byProvider[provider] else { continue }
            var line =
                "\(provider): \(totals["calls"]?.intValue ?? 0) calls, \(totals["items"]?.intValue ?? 0) items, "
                + "\(totals["cache_hits"]?.intValue ?? 0) cache hits, \(totals["errors"]?.intValue ?? 0) errors, "
                + Money(totals["spent_cny"]?.doubleValue ?? 0, .cny).formatted
            if let credits = totals["spent_credits"]?.doubleValue, credits > 0 {
                line += ", \(Money(credits, .credits).formatted)"
            }
            lines.append(line + ".")
        }
        return Presentation(lines: lines)
    }
}
