import Catalog

/// The ledger folded into running totals: settled spend per local day and month, the
/// open holds, and each tool's largest charge, updated event by event.
///
/// A budget check reads two dictionary entries and the open holds (a handful), however
/// many events the month holds: the month is never summed again.
struct LedgerTotals: Sendable {
    /// Local days and months, for bucketing settles.
    var calendar: LedgerCalendar
    /// Settled spend by the start of its local day, then currency.
    var byDay: [Int64: [Money.Currency: Money]] = [:]
    /// Settled spend by the start of its local month, then currency.
    var byMonth: [Int64: [Money.Currency: Money]] = [:]
    /// Settled spend of each team member by the start of its local day, then currency:
    /// a member's own limits read one entry, like the team's.
    var byMemberDay: [String: [Int64: [Money.Currency: Money]]] = [:]
    /// The same by local month.
    var byMemberMonth: [String: [Int64: [Money.Currency: Money]]] = [:]
    /// Holds with no settle, release or clear yet, by id.
    var open: [String: DurableLedger.OpenHold] = [:]
    /// The largest charge settled for each tool: the worst case of a tool whose price is
    /// only reported afterwards.
    var largest: [String: Money] = [:]
    /// Complete lines that are no event.
    var unreadable = 0
    /// Events skipped for a number out of range.
    var outOfRange = 0
    /// Events folded.
    var events = 0

    init(calendar: LedgerCalendar) {
        self.calendar = calendar
    }

    /// Folds one event in.
    mutating func fold(_ event: LedgerEvent) {
        events += 1
        switch event.kind {
        case .hold:
            guard let id = event.id, let currency = event.currency else { return }
            open[id] = DurableLedger.OpenHold(
                id: id,
                pid: event.pid,
                time: event.time,
                tool: event.tool ?? "",
                provider: event.provider ?? "",
                amount: event.amount,
                currency: currency,
                processStart: event.processStart,
                basis: event.basis,
                member: event.member
            )
        case .settle:
            var tool = event.tool
            var member = event.member
            if let id = event.id {
                if tool == nil { tool = open[id]?.tool }
                // A settle written without the member (a lost field) still counts against
                // the member whose hold it closes.
                if member == nil { member = open[id]?.member }
                open[id] = nil
            }
            guard let amount = event.amount, !amount.isZero else { return }
            let day = calendar.day(of: event.time).start
            let month = calendar.month(of: event.time).start
            Self.add(amount, to: &byDay[day, default: [:]])
            Self.add(amount, to: &byMonth[month, default: [:]])
            if let member {
                Self.add(amount, to: &byMemberDay[member, default: [:]][day, default: [:]])
                Self.add(amount, to: &byMemberMonth[member, default: [:]][month, default: [:]])
            }
            if let tool, largest[tool].map({ $0.currency != amount.currency || $0 < amount }) ?? true {
                largest[tool] = amount
            }
        case .release, .clear:
            if let id = event.id { open[id] = nil }
        case .cache:
            break
        }
    }

    private static func add(_ amount: Money, to totals: inout [Money.Currency: Money]) {
        totals[amount.currency] = (totals[amount.currency] ?? .zero(amount.currency)) + amount
    }

    /// What an open hold counts at: its amount, or (an old hold written without one) the
    /// largest charge recorded for its tool.
    func counted(_ hold: DurableLedger.OpenHold) -> Money? {
        if let amount = hold.amount { return amount }
        return largest[hold.tool].flatMap { $0.currency == hold.currency ? $0 : nil }
    }

    /// The spend of the day and month holding `now` (of one member's calls when `member` is
    /// given, else of everyone's); `isRunning` decides which open holds are in flight and which
    /// were left by a dead process.
    func status(
        today: LedgerCalendar.Span,
        month: LedgerCalendar.Span,
        limits: SpendLimits,
        member: String? = nil,
        isRunning: (DurableLedger.OpenHold) -> Bool
    ) -> DurableLedger.Status {
        var status = DurableLedger.Status(unreadableLines: unreadable, limits: limits)
        status.outOfRangeLines = outOfRange
        if let member {
            status.spentToday = byMemberDay[member]?[today.start] ?? [:]
            status.spentThisMonth = byMemberMonth[member]?[month.start] ?? [:]
        } else {
            status.spentToday = byDay[today.start] ?? [:]
            status.spentThisMonth = byMonth[month.start] ?? [:]
        }
        for hold in open.values where member == nil || hold.member == member {
            let running = isRunning(hold)
            if !running { status.unsettled.append(hold) }
            guard let amount = counted(hold) else { continue }
            func add(_ totals: inout [Money.Currency: Money]) {
                totals[amount.currency] = (totals[amount.currency] ?? .zero(amount.currency)) + amount
            }
            if today.contains(hold.time) { running ? add(&status.heldToday) : add(&status.spentToday) }
            if month.contains(hold.time) { running ? add(&status.heldThisMonth) : add(&status.spentThisMonth) }
        }
        status.unsettled.sort { ($0.time, $0.id) < ($1.time, $1.id) }
        return status
    }
}
