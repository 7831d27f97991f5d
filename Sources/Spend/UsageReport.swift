import Catalog
import Foundation

/// Spend per local day, provider and tool, read from the ledger of every process: what
/// `social-data-mcp usage` prints.
public struct UsageReport: Sendable {
    /// Counters for one day, provider or tool.
    public struct Totals: Sendable, Equatable {
        /// Settled spend by currency.
        public var spent: [Money.Currency: Money] = [:]
        /// Calls that reached the provider (settled).
        public var calls = 0
        /// Priced items returned.
        public var items = 0
        /// Paid reads answered from the cache for free.
        public var cacheHits = 0
        /// Calls that failed after reaching the provider.
        public var failed = 0
        /// Holds of crashed processes, counted at their worst case.
        public var unsettled = 0

        /// Spend in a currency.
        public func spent(_ currency: Money.Currency) -> Money { spent[currency] ?? .zero(currency) }

        mutating func add(_ amount: Money) { spent[amount.currency] = spent(amount.currency) + amount }

        /// Counts one finished call (or a cache hit) in these totals: the one rule both
        /// usage reports (by day and tool, and by member) add events by.
        mutating func count(_ event: LedgerEvent) {
            if event.kind == .cache {
                cacheHits += 1
                return
            }
            calls += 1
            items += event.items ?? 0
            if event.failed == true { failed += 1 }
            if let amount = event.amount { add(amount) }
        }
    }

    /// One local day.
    public struct Day: Sendable {
        /// `YYYY-MM-DD`.
        public let date: String
        /// Its totals.
        public var totals = Totals()
        /// By provider and tool, for the CSV.
        public var byTool: [String: Totals] = [:]
    }

    /// The days, oldest first, the last one today.
    public var days: [Day]
    /// Over all days, by provider id.
    public var byProvider: [String: Totals] = [:]
    /// Over all days, by tool name.
    public var byTool: [String: Totals] = [:]
    /// Today's and this month's spend and the limits.
    public var status: DurableLedger.Status
    /// The ledger folder.
    public var directory: String
    /// The time zone days are counted in.
    public var timeZone: String

    /// Reads the last `days` local days (today included) from the ledger.
    public static func read(_ ledger: DurableLedger, days count: Int) -> UsageReport {
        let now = ledger.now()
        let calendar = ledger.calendar
        let today = calendar.startOfDay(for: now)
        let starts: [Date] = (0...count).compactMap { offset in
            calendar.date(byAdding: .day, value: offset - count + 1, to: today)
        }
        let bounds = starts.map(DurableLedger.milliseconds)
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        var report = UsageReport(
            days: starts.dropLast().map { Day(date: formatter.string(from: $0)) },
            status: ledger.status(),
            directory: ledger.directory,
            timeZone: calendar.timeZone.identifier
        )
        let firstMonth = LedgerFiles.fileName(
            year: calendar.component(.year, from: starts[0]),
            month: calendar.component(.month, from: starts[0])
        )
        let files = LedgerFiles(directory: ledger.directory)
        var owners: [String: (tool: String, provider: String)] = [:]
        // Month files are named for the month they were written in: every file from the
        // first day's month on can hold events of these days.
        for name in files.monthFiles() where name >= firstMonth {
            _ = files.read(name, from: 0) { event in
                guard let day = Self.index(of: event.time, in: bounds) else { return }
                let tool = event.tool ?? owners[event.id ?? ""]?.tool ?? "?"
                let provider = event.provider ?? owners[event.id ?? ""]?.provider ?? "?"
                switch event.kind {
                case .hold:
                    if let id = event.id { owners[id] = (tool, provider) }
                case .release, .clear:
                    break
                case .settle, .cache:
                    report.count(event, day: day, tool: tool, provider: provider)
                }
            }
        }
        for hold in report.status.unsettled {
            guard let day = Self.index(of: hold.time, in: bounds) else { continue }
            report.days[day].totals.unsettled += 1
            report.days[day].byTool["\(hold.provider)\u{0}\(hold.tool)", default: Totals()].unsettled += 1
            report.byProvider[hold.provider, default: Totals()].unsettled += 1
            report.byTool[hold.tool, default: Totals()].unsettled += 1
        }
        return report
    }

    private mutating func count(_ event: LedgerEvent, day: Int, tool: String, provider: String) {
        func apply(_ totals: inout Totals) { totals.count(event) }
        apply(&days[day].totals)
        apply(&days[day].byTool["\(provider)\u{0}\(tool)", default: Totals()])
        apply(&byProvider[provider, default: Totals()])
        apply(&byTool[tool, default: Totals()])
    }

    /// The day whose bounds hold `time`, by binary search over the day starts.
    static func index(of time: Int64, in bounds: [Int64]) -> Int? {
        guard let first = bounds.first, let last = bounds.last, time >= first, time < last else { return nil }
        var low = 0
        var high = bounds.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if bounds[middle] <= time { low = middle } else { high = middle }
        }
        return low
    }
}
