import Catalog
import Foundation
import Spend

/// `social-data-mcp usage [--days N] [--format table|json|csv] [--clear-unsettled]
/// [--client NAME [--scope S]]`: spend per day, provider and tool from the ledger every
/// server process writes; with `--client`, the ledger and limits of that client's entry.
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
