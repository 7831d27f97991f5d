import Catalog
import Spend
import Upstream
import Wire

/// The server's own toolset: the usage report and the saved-result reader.
///
/// It lets an agent (and its user) watch what the session has spent, and read data it paid
/// for in clients without resources. Its rows are answered by the pipeline's local-answer stage.
public enum ServerToolset {
    /// The toolset id; always exposed when toolsets are filtered.
    public static let id = "social_data"

    /// The usage report's name.
    public static let usageName = "social_data_usage"
    /// The saved-result reader's name.
    public static let readResultName = "social_data_read_result"

    /// The toolset and its rows.
    public static let toolset = Toolset(
        id: id,
        name: "social-data-mcp",
        summary: "This server's own report of spend, calls, items and cache hits, and its saved results.",
        tools: [
            ToolDefinition(
                name: usageName,
                title: "Spend and usage",
                summary:
                    "Spend vs limits (all processes); session calls, cache hits, balances by provider and tool.",
                // One optional argument: an object without properties is not closed by the
                // Agents SDK's strict conversion, and the schema cannot close it itself.
                parameters: [Parameter("tool", .string(maxLength: 64), "Only this tool.", in: .local)],
                route: .none,
                price: .free("answered locally"),
                effect: .local,
                presenter: presentUsage,
                execution: .local
            ),
            ToolDefinition(
                name: readResultName,
                title: "Read saved result",
                summary: "Page through a trimmed result's complete data.",
                parameters: [
                    Parameter("result", .string(maxLength: 1_024), "resource_uri or id.", required: true, in: .local),
                    Parameter("offset", .integer(0...Int.max), "First item.", in: .local),
                    Parameter("limit", .integer(1...Int.max), "Max items.", in: .local),
                ],
                route: .none,
                price: .free("answered locally"),
                effect: .local,
                execution: .local
            ),
        ]
    )

    /// The answer of each row, over this process's services.
    static func answers(_ services: ToolServices) -> [String: LocalAnswer] {
        [
            usageName: { call in
                let spend = services.spend
                // On a team server: the team's spend and the member's own, from one read.
                let statuses = spend.member.map { spend.shared.status(member: $0) }
                var report = usage(
                    spend.process.snapshot(),
                    shared: statuses?.team ?? spend.shared.status(),
                    cacheEntries: services.cache.count,
                    confirmAbove: services.configuration.confirmAbove
                )
                if let member = spend.member, let own = statuses?.member, case .object(var members) = report {
                    var mine = allProcesses(own).objectValue ?? [:]
                    mine["name"] = .string(member.name)
                    mine["daily_cny_limit_is_default"] = nil
                    members["member"] = .object(mine)
                    report = .object(members)
                }
                if let tool = call.arguments["tool"]?.stringValue, case .object(var members) = report {
                    members["by_tool"] = .object((report["by_tool"]?.objectValue ?? [:]).filter { $0.key == tool })
                    report = .object(members)
                }
                return .success(UpstreamPayload(data: report))
            },
            readResultName: { call in
                SavedResultPage.read(
                    call.arguments["result"]?.stringValue ?? "",
                    offset: call.arguments["offset"]?.intValue ?? 0,
                    limit: call.arguments["limit"]?.intValue,
                    in: services.savedResults
                ).map { UpstreamPayload(data: $0) }
            },
        ]
    }

    static func usage(
        _ snapshot: SpendLedger.Snapshot,
        shared: DurableLedger.Status,
        cacheEntries: Int,
        confirmAbove: [Money.Currency: Money] = [:]
    ) -> JSONValue {
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
            "all_processes": allProcesses(shared),
            "confirm_above": .object(
                Dictionary(
                    uniqueKeysWithValues: Money.Currency.allCases.map { currency in
                        (currency.rawValue, confirmAbove[currency].map { .double($0.amount) } ?? .null)
                    }
                )
            ),
        ]
    }

    /// Today's and this month's spend of every process, the limits and what is left.
    static func allProcesses(_ shared: DurableLedger.Status) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for currency in Money.Currency.allCases {
            for scope in [BudgetRefusal.Scope.day, .month] {
                object["\(scope == .day ? "today" : "this_month")_\(currency.rawValue)"] = [
                    "spent": .double(shared.spent(scope, currency).amount),
                    "held_in_flight": .double(shared.held(scope, currency).amount),
                    "limit": shared.limits.limit(scope, currency).map { .double($0.amount) } ?? .null,
                    "remaining": shared.remaining(scope, currency).map { .double(max($0, .zero(currency)).amount) }
                        ?? .null,
                ]
            }
        }
        object["daily_cny_limit_is_default"] = .bool(shared.limits.isDailyDefault)
        object["unsettled_holds"] = .array(
            shared.unsettled.map { hold in
                [
                    "tool": .string(hold.tool), "worst_case": hold.amount.map { .double($0.amount) } ?? .null,
                    "currency": .string(hold.currency.rawValue.uppercased()), "pid": .int(Int(hold.pid)),
                ]
            }
        )
        return .object(object)
    }

    static func presentUsage(_ data: JSONValue, _ arguments: [String: JSONValue]) -> Presentation {
        var lines: [String] = []
        let shared = data["all_processes"]
        let member = data["member"]
        let who = member == nil ? "all server processes" : "the whole team"
        for (key, label) in [("today_cny", "Today"), ("this_month_cny", "This month")] {
            guard let scope = member?[key] else { continue }
            var line =
                "\(label), your own (\(member?["name"]?.stringValue ?? "")): "
                + "\(Money(scope["spent"]?.doubleValue ?? 0, .cny).formatted) spent"
            if let limit = scope["limit"]?.doubleValue, let remaining = scope["remaining"]?.doubleValue {
                line += " of your \(Money(limit, .cny).formatted) limit, \(Money(remaining, .cny).formatted) left"
            } else {
                line += " (no limit of your own)"
            }
            lines.append(line + ".")
        }
        for (key, label) in [("today_cny", "Today"), ("this_month_cny", "This month")] {
            guard let scope = shared?[key] else { continue }
            var line =
                "\(label), \(who): \(Money(scope["spent"]?.doubleValue ?? 0, .cny).formatted) spent"
            if let limit = scope["limit"]?.doubleValue, let remaining = scope["remaining"]?.doubleValue {
                let isDefault = key == "today_cny" && shared?["daily_cny_limit_is_default"] == .bool(true)
                line +=
                    " of the \(Money(limit, .cny).formatted) \(isDefault ? "default " : "")limit, "
                    + "\(Money(remaining, .cny).formatted) left"
            } else {
                line += " (no limit)"
            }
            lines.append(line + ".")
        }
        let thresholds = Money.Currency.allCases.compactMap { currency in
            data["confirm_above"]?[currency.rawValue]?.doubleValue.map { Money($0, currency).formatted }
        }
        lines.append(
            thresholds.isEmpty
                ? "Big calls do not ask first (the threshold is off)."
                : "A paid call whose worst case is above \(thresholds.joined(separator: " or ")) asks first."
        )
        let unsettled = shared?["unsettled_holds"]?.arrayValue ?? []
        if !unsettled.isEmpty {
            lines.append(
                "\(unsettled.count) unsettled hold(s) from crashed calls count at their worst case until cleared "
                    + "with `social-data-mcp usage --clear-unsettled`."
            )
        }
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
