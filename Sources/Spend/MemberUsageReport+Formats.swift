import Catalog
import Wire

/// `usage --by member --format table|json|csv`.
extension MemberUsageReport {
    /// The report as data: each member's totals, limits and days (each with its tools).
    public var json: JSONValue {
        func totals(_ totals: UsageReport.Totals) -> [String: JSONValue] {
            [
                "spent_cny": .double(totals.spent(.cny).amount),
                "spent_credits": .double(totals.spent(.credits).amount),
                "calls": .int(totals.calls), "items": .int(totals.items), "cache_hits": .int(totals.cacheHits),
                "failed": .int(totals.failed), "unsettled_holds": .int(totals.unsettled),
            ]
        }
        let members: [JSONValue] = members.map { member in
            var object = totals(member.totals)
            object["member"] = member.name.map { .string($0) } ?? .null
            object["label"] = .string(member.label)
            if let limits = member.limits {
                for currency in Money.Currency.allCases {
                    object["daily_limit_\(currency.rawValue)"] =
                        limits.limit(.day, currency).map { .double($0.amount) } ?? .null
                    object["monthly_limit_\(currency.rawValue)"] =
                        limits.limit(.month, currency).map { .double($0.amount) } ?? .null
                }
            }
            object["days"] = .array(
                member.days.keys.sorted().map { date in
                    let tools = member.days[date] ?? [:]
                    var day = totals(tools.values.reduce(into: UsageReport.Totals()) { $0.merge($1) })
                    day["date"] = .string(date)
                    day["tools"] = .array(
                        tools.keys.sorted().map { key in
                            var tool = totals(tools[key] ?? UsageReport.Totals())
                            let (provider, name) = Self.split(key)
                            tool["provider"] = .string(provider)
                            tool["tool"] = .string(name)
                            return .object(tool)
                        }
                    )
                    return .object(day)
                }
            )
            return .object(object)
        }
        return [
            "by": "member", "from": .string(from), "to": .string(to), "time_zone": .string(timeZone),
            "ledger": .string(directory), "members": .array(members), "total": .object(totals(total)),
        ]
    }

    /// One row per day, member, provider and tool with any activity; RFC 4180.
    public var csv: String {
        var rows = [
            "date,member,provider,tool,calls,items,cache_hits,failed,unsettled_holds,spent_cny,spent_credits"
        ]
        var lines: [(String, String, String, [String])] = []
        for member in members {
            for (date, tools) in member.days {
                for (key, totals) in tools {
                    let (provider, tool) = Self.split(key)
                    let fields = [
                        date, member.label, provider, tool, "\(totals.calls)", "\(totals.items)", "\(totals.cacheHits)",
                        "\(totals.failed)", "\(totals.unsettled)", Self.plain(totals.spent(.cny)),
                        Self.plain(totals.spent(.credits)),
                    ]
                    lines.append((date, member.label, key, fields))
                }
            }
        }
        lines.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        rows += lines.map { $0.3.map(Self.csvField).joined(separator: ",") }
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    /// A table for people: one line per member with their limits, then each member's days and tools.
    public var table: String {
        var lines = ["Spend by member, \(from) to \(to) (\(timeZone)).", ""]
        let header = [
            "member", "yuan", "credits", "calls", "items", "cached", "unsettled", "daily limit", "monthly limit",
        ]
        var rows = [header]
        for member in members {
            rows.append(
                Self.cells(member.label, member.totals) + [
                    Self.limit(member.limits, .day), Self.limit(member.limits, .month),
                ]
            )
        }
        rows.append(Self.cells("total", total) + ["", ""])
        lines += Self.aligned(rows)
        for member in members where !member.days.isEmpty {
            lines += ["", "\(member.label):"]
            var detail = [["  day", "tool", "yuan", "credits", "calls", "items", "cached"]]
            for date in member.days.keys.sorted() {
                let tools = member.days[date] ?? [:]
                for key in tools.keys.sorted() {
                    guard let totals = tools[key] else { continue }
                    detail.append(["  " + date] + Self.cells(Self.split(key).1, totals).dropLast())
                }
            }
            lines += Self.aligned(detail)
        }
        if members.isEmpty { lines.append("No spend in this range.") }
        lines += ["", "Calls over stdio carry no member: \(Self.localName). Ledger: \(directory)"]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func limit(_ limits: SpendLimits?, _ scope: BudgetRefusal.Scope) -> String {
        guard let limits else { return "" }
        let amounts = Money.Currency.allCases.compactMap { limits.limit(scope, $0)?.formatted }
        return amounts.isEmpty ? "none" : amounts.joined(separator: " + ")
    }

    private static func cells(_ name: String, _ totals: UsageReport.Totals) -> [String] {
        [
            name, totals.spent(.cny).formatted, plain(totals.spent(.credits)), "\(totals.calls)", "\(totals.items)",
            "\(totals.cacheHits)", "\(totals.unsettled)",
        ]
    }

    /// Columns padded to their widest cell: names left, numbers right.
    private static func aligned(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let isName = column == 0 || (row.first?.hasPrefix("  ") == true && column == 1)
                line += (column == 0 ? "" : "  ") + (isName ? cell + padding : padding + cell)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    private static func split(_ key: String) -> (provider: String, tool: String) {
        let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
        return (parts.first ?? "", parts.last ?? "")
    }

    private static func plain(_ money: Money) -> String {
        money.formatted.replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: " credits", with: "")
    }

    private static func csvField(_ field: String) -> String {
        guard field.contains(where: { ",\"\r\n".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension UsageReport.Totals {
    /// Adds another's counts and spend.
    mutating func merge(_ other: UsageReport.Totals) {
        calls += other.calls
        items += other.items
        cacheHits += other.cacheHits
        failed += other.failed
        unsettled += other.unsettled
        for amount in other.spent.values { add(amount) }
    }
}
