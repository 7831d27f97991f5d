import Catalog
import Foundation
import Members
import Spend

/// `social-data-mcp usage [--days N] [--format table|json|csv] [--clear-unsettled]
/// [--client NAME [--scope S]]`: spend per day, provider and tool from the ledger every
/// server process writes.
///
/// With `--client`, the ledger and limits of that client's entry.
/// `--by member [--from YYYY-MM-DD --to YYYY-MM-DD]`: who spent what, on which tools, per day
/// (the month so far by default).
enum UsageCommand {
    static func run(_ invocation: Invocation) throws -> Int32 {
        let (environment, entry) = try ClientEntryOption.environment(invocation)
        let configuration = try Configuration(environment: environment)
        let arguments = invocation.arguments
        let ledger = DurableLedger(stateDirectory: configuration.stateDirectory, limits: configuration.limits)
        if arguments.switches.contains("--clear-unsettled") {
            let cleared: [DurableLedger.OpenHold]
            var missing: [String] = []
            do {
                // Ids name holds to clear even when their pid looks alive (a reused pid).
                let ids = arguments.positionals
                cleared = try ledger.clearUnsettled(ids: ids.isEmpty ? nil : ids)
                missing = ids.filter { id in !cleared.contains { $0.id == id } }
            } catch {
                throw CommandError("cannot write the ledger at \(error.path): \(error.reason)")
            }
            CLI.writeOut(
                cleared.isEmpty
                    ? "No unsettled holds.\n"
                    : "Cleared \(cleared.count) unsettled hold(s):\n"
                        + cleared.map {
                            "  \($0.id)  \($0.tool) (up to \($0.amount?.formatted ?? "an unknown amount"))\n"
                        }
                        .joined() + "They no longer count against the limits.\n"
            )
            if !missing.isEmpty {
                throw CommandError("no open hold with id \(missing.joined(separator: ", "))")
            }
            return 0
        }
        if let by = arguments.option("--by") {
            guard by == "member" else { throw CommandError("--by \(by): expected member") }
            return try byMember(invocation, ledger: ledger, stateDirectory: configuration.stateDirectory)
        }
        for option in ["--from", "--to"] where arguments.option(option) != nil {
            throw CommandError("\(option) goes with --by member")
        }
        let days: Int
        if let text = arguments.option("--days") {
            guard let value = Int(text), (1...366).contains(value) else {
                throw CommandError("--days \(text): expected a whole number of days from 1 to 366")
            }
            days = value
        } else {
            days = 7
        }
        let report = UsageReport.read(ledger, days: days)
        switch arguments.option("--format") ?? "table" {
        case "table":
            let source = entry.map { "Settings from the entry in \($0.path).\n" } ?? ""
            CLI.writeOut(source + report.table)
        case "json": CLI.writeOut(report.json.prettyJSONText + "\n")
        case "csv": CLI.writeOut(report.csv)
        case let other: throw CommandError("--format \(other): expected table, json or csv")
        }
        return 0
    }
}

extension UsageCommand {
    /// `usage --by member`: the range (this month so far unless `--from`/`--to`), the team's
    /// members with their limits, and every member the ledger names.
    private static func byMember(
        _ invocation: Invocation,
        ledger: DurableLedger,
        stateDirectory: String
    ) throws -> Int32 {
        if invocation.option("--days") != nil {
            throw CommandError("--days does not go with --by member: use --from/--to")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let today = calendar.dateComponents([.year, .month, .day], from: Date())
        var first = today
        first.day = 1
        if let text = invocation.option("--from") { first = try day(text, "--from") }
        var last = today
        if let text = invocation.option("--to") { last = try day(text, "--to") }
        if invocation.option("--from") != nil, invocation.option("--to") == nil,
            let start = calendar.date(from: first), let now = calendar.date(from: today), start > now
        {
            last = first
        }
        guard let start = calendar.date(from: first), let end = calendar.date(from: last), start <= end,
            (calendar.dateComponents([.day], from: start, to: end).day ?? 0) < 366
        else {
            throw CommandError("--from must be on or before --to, at most 366 days apart")
        }
        let known = (try? MemberStore(directory: URL(fileURLWithPath: stateDirectory)).list()) ?? []
        guard let report = MemberUsageReport.read(ledger, from: first, to: last, known: known.map(\.budget)) else {
            throw CommandError("cannot count the days from \(first) to \(last)")
        }
        switch invocation.option("--format") ?? "table" {
        case "table": CLI.writeOut(report.table)
        case "json": CLI.writeOut(report.json.prettyJSONText + "\n")
        case "csv": CLI.writeOut(report.csv)
        case let other: throw CommandError("--format \(other): expected table, json or csv")
        }
        return 0
    }

    /// `YYYY-MM-DD` as a local day.
    private static func day(_ text: String, _ option: String) throws -> DateComponents {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, text.count == 10, let year = parts[0], let month = parts[1], let day = parts[2],
            (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day)
        else {
            throw CommandError("\(option) \(text): expected a date as YYYY-MM-DD")
        }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        guard calendar.date(from: components).map({ calendar.component(.day, from: $0) == day }) == true else {
            throw CommandError("\(option) \(text): no such day")
        }
        return components
    }

    /// What `doctor` says about the ledger: where it is, the limits, and anything a crash
    /// left behind (unsettled holds, a torn last line).
    static func doctorLines(_ configuration: Configuration) -> [String] {
        let ledger = DurableLedger(stateDirectory: configuration.stateDirectory, limits: configuration.limits)
        let status = ledger.status()
        var lines = ["State directory: \(configuration.stateDirectory) (spend ledger and saved full results)."]
        var limits: [String] = []
        for currency in Money.Currency.allCases {
            for scope in [BudgetRefusal.Scope.day, .month] {
                guard let limit = status.limits.limit(scope, currency) else { continue }
                let isDefault = scope == .day && currency == .cny && status.limits.isDailyDefault
                limits.append(
                    "\(scope == .day ? "daily" : "monthly") \(limit.formatted)\(isDefault ? " (default)" : ""), "
                        + "\(status.spent(scope, currency).formatted) spent"
                )
            }
        }
        lines.append(
            limits.isEmpty
                ? "Limits across all processes: none (\(Configuration.dailyLimitKey.variable)=none)."
                : "Limits across all processes: " + limits.joined(separator: "; ") + "."
        )
        if !status.unsettled.isEmpty {
            lines.append(
                "Unsettled holds: \(status.unsettled.count), counted at their worst case; "
                    + "`social-data-mcp usage` lists them, `--clear-unsettled` clears them."
            )
        }
        let torn = ledger.tornBytes()
        if torn > 0 || status.unreadableLines > 0 || status.outOfRangeLines > 0 {
            lines.append(
                "Ledger damage skipped: \(status.unreadableLines) unreadable line(s)"
                    + (status.outOfRangeLines > 0
                        ? ", \(status.outOfRangeLines) line(s) with an amount out of range" : "")
                    + (torn > 0 ? ", and a torn last line of \(torn) bytes (a crash in mid-write)" : "") + "."
            )
        }
        return lines
    }
}
