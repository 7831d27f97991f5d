import Catalog
import Foundation

/// Who spent what, on which tools, per day (`usage --by member`).
///
/// The ledger of every process grouped by team member. Calls made over stdio carry no member and are grouped
/// under `localName`.
public struct MemberUsageReport: Sendable {
    /// One member's (or the local calls') activity.
    public struct Member: Sendable {
        /// The member's name; `nil` for calls over stdio.
        public let name: String?
        /// Their own limits, when the member is still on the team.
        public var limits: SpendLimits?
        /// Over the whole range.
        public var totals = UsageReport.Totals()
        /// By `YYYY-MM-DD`, then `provider` NUL `tool`.
        public var days: [String: [String: UsageReport.Totals]] = [:]

        /// The name as reports show it.
        public var label: String { name ?? MemberUsageReport.localName }
    }

    /// The label of calls that carry no member: those made over stdio.
    public static let localName = "(local)"

    /// The first and last local day covered, `YYYY-MM-DD`.
    public var from: String
    /// See `from`.
    public var to: String
    /// The members (the store's, then anyone else the ledger names, then local calls),
    /// by name, `nil` for local.
    public var members: [Member]
    /// Over everyone.
    public var total = UsageReport.Totals()
    /// The ledger folder.
    public var directory: String
    /// The time zone days are counted in.
    public var timeZone: String

    /// Reads the local days from `first` to `last` (both included) from the ledger, with
    /// `known` (the team's members, in their order) listed even when they spent nothing.
    public static func read(
        _ ledger: DurableLedger,
        from first: DateComponents,
        to last: DateComponents,
        known: [MemberBudget] = []
    ) -> MemberUsageReport? {
        let calendar = ledger.calendar
        guard let start = calendar.date(from: first).map({ calendar.startOfDay(for: $0) }),
            let lastDay = calendar.date(from: last).map({ calendar.startOfDay(for: $0) }),
            let end = calendar.date(byAdding: .day, value: 1, to: lastDay), start < end
        else { return nil }
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        var starts: [Date] = []
        var day = start
        while day < end {
            starts.append(day)
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        let labels = starts.map(formatter.string(from:))
        let bounds = (starts + [end]).map(DurableLedger.milliseconds)
        var report = MemberUsageReport(
            from: labels.first ?? "",
            to: labels.last ?? "",
            members: known.map { Member(name: $0.name, limits: $0.limits) },
            directory: ledger.directory,
            timeZone: calendar.timeZone.identifier
        )
        var index = Dictionary(report.members.enumerated().map { ($1.name, $0) }) { first, _ in first }
        func slot(_ name: String?) -> Int {
            if let found = index[name] { return found }
            report.members.append(Member(name: name))
            index[name] = report.members.count - 1
            return report.members.count - 1
        }
        let firstMonth = LedgerFiles.fileName(
            year: calendar.component(.year, from: start),
            month: calendar.component(.month, from: start)
        )
        let files = LedgerFiles(directory: ledger.directory)
        var owners: [String: (tool: String, provider: String, member: String?)] = [:]
        for name in files.monthFiles() where name >= firstMonth {
            _ = files.read(name, from: 0) { event in
                let owner = owners[event.id ?? ""]
                let tool = event.tool ?? owner?.tool ?? "?"
                let provider = event.provider ?? owner?.provider ?? "?"
                let member = event.member ?? owner?.member
                if event.kind == .hold, let id = event.id { owners[id] = (tool, provider, member) }
                guard event.kind == .settle || event.kind == .cache,
                    let day = UsageReport.index(of: event.time, in: bounds)
                else { return }
                report.count(event, member: slot(member), date: labels[day], key: "\(provider)\u{0}\(tool)")
            }
        }
        for hold in ledger.status().unsettled {
            guard let day = UsageReport.index(of: hold.time, in: bounds) else { continue }
            let member = slot(hold.member)
            report.members[member].totals.unsettled += 1
            report.members[member].days[labels[day], default: [:]][
                "\(hold.provider)\u{0}\(hold.tool)",
                default: .init()
            ]
            .unsettled += 1
            report.total.unsettled += 1
        }
        // Local calls last: the team's members are what the report is for.
        if let local = index[nil], local != report.members.count - 1 {
            report.members.append(report.members.remove(at: local))
        }
        return report
    }

    private mutating func count(_ event: LedgerEvent, member: Int, date: String, key: String) {
        func apply(_ totals: inout UsageReport.Totals) { totals.count(event) }
        apply(&members[member].totals)
        apply(&members[member].days[date, default: [:]][key, default: UsageReport.Totals()])
        apply(&total)
    }
}
