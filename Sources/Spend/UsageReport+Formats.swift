import Catalog
import Wire

/// `usage --format table|json|csv`.
extension UsageReport {
    /// The report as data.
    public var json: JSONValue {
        func totals(_ totals: Totals) -> JSONValue {
            [
                "spent_cny": .double(totals.spent(.cny).amount),
                "spent_credits": .double(totals.spent(.credits).amount),
                "calls": .int(totals.calls), "items": .int(totals.items), "cache_hits": .int(totals.cacheHits),
                "failed": .int(totals.failed), "unsettled_holds": .int(totals.unsettled),
            ]
        }
        var limits: [String: JSONValue] = [:]
        for currency in Money.Currency.allCases {
            for scope in [BudgetRefusal.Scope.day, .month] {
                let key = "\(scope == .day ? "daily" : "monthly")_\(currency.rawValue)"
                limits[key] = [
                    "limit": status.limits.limit(scope, currency).map { .double($0.amount) } ?? .null,
                    "spent": .double(status.spent(scope, currency).amount),
                    "held_in_flight": .double(status.held(scope, currency).amount),
                    "remaining": status.remaining(scope, currency).map { .double(max($0, .zero(currency)).amount) }
                        ?? .null,
                ]
            }
        }
        limits["daily_cny_is_default"] = .bool(status.limits.isDailyDefault)
        return [
            "ledger": .string(directory),
            "time_zone": .string(timeZone),
            "days": .array(
                days.map { day in
                    .object((totals(day.totals).objectValue ?? [:]).merging(["date": .string(day.date)]) { a, _ in a })
                }
            ),
            "by_provider": .object(byProvider.mapValues(totals)),
            "by_tool": .object(byTool.mapValues(totals)),
            "limits": .object(limits),
            "unsettled": .array(
                status.unsettled.map { hold in
                    [
                        "id": .string(hold.id), "pid": .int(Int(hold.pid)), "tool": .string(hold.tool),
                        "provider": .string(hold.provider), "time_ms": .int(Int(hold.time)),
                        "worst_case": hold.amount.map { .double($0.amount) } ?? .null,
                        "currency": .string(hold.currency.rawValue.uppercased()),
                    ]
                }
            ),
            "unreadable_lines": .int(status.unreadableLines),
            "out_of_range_lines": .int(status.outOfRangeLines),
        ]
    }

    /// One row per day, provider and tool with any activity; RFC 4180, for a spreadsheet.
    public var csv: String {
        var rows = ["date,provider,tool,calls,items,cache_hits,failed,unsettled_holds,spent_cny,spent_credits"]
        for day in days {
            for key in day.byTool.keys.sorted() {
                guard let totals = day.byTool[key] else { continue }
                let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
                let fields = [
                    day.date, parts.first ?? "", parts.last ?? "", "\(totals.calls)", "\(totals.items)",
                    "\(totals.cacheHits)", "\(totals.failed)", "\(totals.unsettled)",
                    Self.plain(totals.spent(.cny)), Self.plain(totals.spent(.credits)),
                ]
                rows.append(fields.map(Self.csvField).joined(separator: ","))
            }
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    /// A table for people: a bar per day, then providers, tools, limits and unsettled holds.
    public var table: String {
        var lines = [
            "Spend of every server process, \(days.first?.date ?? "") to \(days.last?.date ?? "") (\(timeZone)).",
            "",
            Self.row(["day", "yuan", "credits", "calls", "items", "cached", "unsettled", ""], first: 10),
        ]
        let most = days.map { $0.totals.spent(.cny).units }.max() ?? 0
        for day in days {
            let spent = day.totals.spent(.cny)
            let width = most > 0 ? Int((Double(spent.units) / Double(most) * 20).rounded(.up)) : 0
            lines.append(Self.row(Self.cells(day.date, day.totals) + [String(repeating: "█", count: width)], first: 10))
        }
        for (title, group) in [("provider", byProvider), ("tool", byTool)] where !group.isEmpty {
            lines += ["", Self.row([title, "yuan", "credits", "calls", "items", "cached", "unsettled"])]
            for name in group.keys.sorted() {
                guard let totals = group[name] else { continue }
                lines.append(Self.row(Self.cells(name, totals)))
            }
        }
        lines.append("")
        for currency in Money.Currency.allCases {
            for scope in [BudgetRefusal.Scope.day, .month] {
                guard let limit = status.limits.limit(scope, currency) else { continue }
                let remaining = max(status.remaining(scope, currency) ?? .zero(currency), .zero(currency))
                let isDefault = scope == .day && currency == .cny && status.limits.isDailyDefault
                lines.append(
                    "\(scope == .day ? "Today" : "This month"): \(status.spent(scope, currency).formatted) of the "
                        + "\(limit.formatted) \(isDefault ? "default " : "")\(scope == .day ? "daily" : "monthly") limit, "
                        + "\(remaining.formatted) left (\(Configuration.limitKey(scope, currency).variable))."
                )
            }
        }
        if status.limits.isEmpty { lines.append("No daily or monthly limit is set.") }
        if !status.unsettled.isEmpty {
            lines.append(
                "\(status.unsettled.count) unsettled hold(s): calls whose server process died before they finished. "
                    + "Each counts at its worst case; check the provider's balance, then run "
                    + "`social-data-mcp usage --clear-unsettled` (or `--clear-unsettled ID` for one)."
            )
            for hold in status.unsettled {
                lines.append("  \(hold.id) \(hold.tool) up to \(hold.amount?.formatted ?? "an unknown amount")")
            }
        }
        if status.unreadableLines > 0 {
            lines.append("\(status.unreadableLines) unreadable ledger line(s) (a crash in mid-write) were skipped.")
        }
        if status.outOfRangeLines > 0 {
            lines.append(
                "\(status.outOfRangeLines) ledger line(s) with an amount out of range (negative or absurd) were skipped."
            )
        }
        lines.append("Ledger: \(directory)")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cells(_ name: String, _ totals: Totals) -> [String] {
        [
            name, totals.spent(.cny).formatted, plain(totals.spent(.credits)), "\(totals.calls)", "\(totals.items)",
            "\(totals.cacheHits)", "\(totals.unsettled)",
        ]
    }

    private static func row(_ cells: [String], first: Int = 32) -> String {
        let widths = [first, 10, 8, 6, 6, 7, 10]
        var line = ""
        for (index, cell) in cells.enumerated() {
            let width = index < widths.count ? widths[index] : 0
            line += index == 0 ? cell.padding(width) : " " + cell.leftPadding(width)
        }
        return line.trimmingTrailingSpaces
    }

    private static func plain(_ money: Money) -> String {
        money.formatted.replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: " credits", with: "")
    }

    private static func csvField(_ field: String) -> String {
        guard field.contains(where: { ",\"\r\n".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
