import Catalog
import Foundation
import Locking

/// The spend of every server process that shares the state directory, on disk: what
/// the daily and monthly limits count and what `usage` reports.
///
/// A hold (the worst case) is written and flushed before a paid request is sent, and a
/// settle (the actual cost) before its result is written, so a crash at any point leaves
/// either the settled cost or a hold. A hold whose process is gone counts as spent at its
/// worst case, because the provider may have charged, until the user clears it.
public final class DurableLedger: Sendable {
    /// A hold this process wrote, to be settled or released.
    public struct Hold: Sendable {
        /// The hold's id in the ledger.
        public let id: String
        /// The currency it is counted in.
        public let currency: Money.Currency
        /// The worst case held, or `nil` when the cost is only known afterwards.
        public let amount: Money?
        /// The tool and provider, repeated on the settle line.
        let tool: String
        let provider: String
    }

    /// A hold with no settle: in flight in a live process, or unsettled after a crash.
    public struct OpenHold: Sendable, Equatable {
        /// Its id.
        public let id: String
        /// The process that wrote it.
        public let pid: Int32
        /// When, in milliseconds since 1970.
        public let time: Int64
        /// The tool and provider.
        public let tool: String
        /// See `tool`.
        public let provider: String
        /// The worst case held, if known.
        public let amount: Money?
        /// The currency.
        public let currency: Money.Currency
    }

    /// What every process spent in the current day and month, and what is left.
    public struct Status: Sendable {
        /// Settled spend plus unsettled holds, today and this month, by currency.
        public var spentToday: [Money.Currency: Money] = [:]
        /// See `spentToday`.
        public var spentThisMonth: [Money.Currency: Money] = [:]
        /// Held for calls in flight in live processes, today and this month.
        public var heldToday: [Money.Currency: Money] = [:]
        /// See `heldToday`.
        public var heldThisMonth: [Money.Currency: Money] = [:]
        /// Holds of processes that died before settling.
        public var unsettled: [OpenHold] = []
        /// Lines that could not be read (torn by a crash), skipped.
        public var unreadableLines = 0
        /// The limits.
        public var limits = SpendLimits()

        /// Spent (settled and unsettled) in a scope.
        public func spent(_ scope: BudgetRefusal.Scope, _ currency: Money.Currency) -> Money {
            (scope == .day ? spentToday[currency] : spentThisMonth[currency]) ?? .zero(currency)
        }

        /// Held for calls in flight in a scope.
        public func held(_ scope: BudgetRefusal.Scope, _ currency: Money.Currency) -> Money {
            (scope == .day ? heldToday[currency] : heldThisMonth[currency]) ?? .zero(currency)
        }

        /// What is left under a limit, or `nil` without one.
        public func remaining(_ scope: BudgetRefusal.Scope, _ currency: Money.Currency) -> Money? {
            limits.limit(scope, currency).map { $0 - spent(scope, currency) - held(scope, currency) }
        }
    }

    private struct Settled {
        let time: Int64
        let amount: Money
    }

    private struct State {
        var files: [String] = []
        var offsets: [String: Int] = [:]
        var settled: [Settled] = []
        var open: [String: OpenHold] = [:]
        var unreadable = 0
        var tornBytes = 0
        var sequence = 0
    }

    /// The folder the ledger lives in.
    public let directory: String
    /// The limits it enforces.
    public let limits: SpendLimits
    private let files: LedgerFiles
    private let clock: @Sendable () -> Date
    /// The calendar local days and months are counted in.
    let calendar: Calendar
    private let pid: Int32
    private let started: Int64
    private let state = Locked(State())

    /// Creates the ledger in `<stateDirectory>/ledger`; `clock` and `timeZone` decide
    /// which local day and month it is.
    public init(
        stateDirectory: String,
        limits: SpendLimits,
        clock: @escaping @Sendable () -> Date = { Date() },
        timeZone: TimeZone = .current
    ) {
        directory = stateDirectory + "/ledger"
        self.limits = limits
        files = LedgerFiles(directory: directory)
        self.clock = clock
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        pid = LedgerFiles.currentProcessID
        started = Self.milliseconds(clock())
    }

    /// Holds the call's worst case if it fits under every limit of its currency.
    ///
    /// Every process's spend counts; nothing is sent before this returns.
    public func admit(
        _ cost: CallCost,
        tool: String,
        provider: String,
        argumentsHash: String
    ) throws(LedgerError) -> Result<Hold, BudgetRefusal> {
        let now = clock()
        return try state.withLock { state throws(LedgerError) in
            try files.withLock { () throws(LedgerError) -> Result<Hold, BudgetRefusal> in
                refresh(&state, now: now)
                let status = self.status(of: state, now: now)
                for scope in [BudgetRefusal.Scope.day, .month] {
                    guard let limit = limits.limit(scope, cost.currency) else { continue }
                    let spent = status.spent(scope, cost.currency)
                    let held = status.held(scope, cost.currency)
                    if !BudgetRefusal.fits(cost.worstCase, available: limit - spent - held) {
                        let refusal = BudgetRefusal(
                            scope: scope,
                            limit: limit,
                            spent: spent,
                            reserved: held,
                            worstCase: cost.worstCase,
                            spentToday: status.spent(.day, cost.currency),
                            spentThisMonth: status.spent(.month, cost.currency)
                        )
                        return .failure(refusal)
                    }
                }
                state.sequence += 1
                let id = "\(pid)-\(started)-\(state.sequence)"
                let event = LedgerEvent(
                    .hold,
                    id: id,
                    time: Self.milliseconds(now),
                    pid: pid,
                    tool: tool,
                    provider: provider,
                    arguments: argumentsHash,
                    currency: cost.currency,
                    units: cost.worstCase?.units
                )
                try write(event, in: &state, now: now, sync: true)
                return .success(
                    Hold(id: id, currency: cost.currency, amount: cost.worstCase, tool: tool, provider: provider)
                )
            }
        }
    }

    /// Records what a held call cost, flushed to disk before the result is written.
    public func settle(_ hold: Hold, _ settlement: Settlement) throws(LedgerError) {
        let event = LedgerEvent(
            .settle,
            id: hold.id,
            time: Self.milliseconds(clock()),
            pid: pid,
            tool: settlement.tool,
            provider: settlement.provider,
            currency: settlement.currency,
            units: settlement.cost?.units,
            items: settlement.items,
            failed: settlement.failed,
            balanceUnits: settlement.balance?.units
        )
        try record(event, sync: true)
    }

    /// Drops a hold whose call never reached the provider.
    public func release(_ hold: Hold) throws(LedgerError) {
        try record(LedgerEvent(.release, id: hold.id, time: Self.milliseconds(clock()), pid: pid), sync: false)
    }

    /// Counts a paid read answered from the cache (free), for the usage report.
    public func recordCacheHit(tool: String, provider: String) {
        let event = LedgerEvent(.cache, time: Self.milliseconds(clock()), pid: pid, tool: tool, provider: provider)
        try? record(event, sync: false)
    }

    /// The current day's and month's spend across every process.
    public func status() -> Status {
        let now = clock()
        return state.withLock { state in
            (try? files.withLock { () throws(LedgerError) in refresh(&state, now: now) }) ?? ()
            return self.status(of: state, now: now)
        }
    }

    /// Clears the unsettled holds, which stop counting against the limits.
    ///
    /// For after the user checked the provider's balance. Returns the holds cleared.
    public func clearUnsettled() throws(LedgerError) -> [OpenHold] {
        let now = clock()
        return try state.withLock { state throws(LedgerError) in
            try files.withLock { () throws(LedgerError) -> [OpenHold] in
                refresh(&state, now: now)
                let unsettled = status(of: state, now: now).unsettled
                for hold in unsettled {
                    let event = LedgerEvent(.clear, id: hold.id, time: Self.milliseconds(now), pid: pid)
                    try write(event, in: &state, now: now, sync: true)
                }
                return unsettled
            }
        }
    }

    /// The ledger's clock now.
    func now() -> Date { clock() }

    /// Bytes after the last newline of the current month's file: a line torn by a crash.
    public func tornBytes() -> Int { state.withLock { $0.tornBytes } }

    private func record(_ event: LedgerEvent, sync: Bool) throws(LedgerError) {
        let now = clock()
        try state.withLock { state throws(LedgerError) in
            try files.withLock { () throws(LedgerError) in
                refresh(&state, now: now)
                try write(event, in: &state, now: now, sync: sync)
            }
        }
    }

    /// Appends an event to this month's file and folds it in, keeping the offset past it
    /// (the caller holds both locks and has just refreshed, so nothing lies between).
    private func write(_ event: LedgerEvent, in state: inout State, now: Date, sync: Bool) throws(LedgerError) {
        let name = currentFile(now)
        try files.append(event.line, to: name, sync: sync)
        // Re-read rather than assume: a sealed torn line may have added a byte.
        refresh(&state, now: now)
    }

    /// Folds in every line written since the last read, by any process.
    ///
    /// A new month starts the fold again from the previous month's file.
    private func refresh(_ state: inout State, now: Date) {
        let wanted = [previousFile(now), currentFile(now)]
        if state.files != wanted {
            state = State(sequence: state.sequence)
            state.files = wanted
        }
        for name in wanted {
            let read = files.read(name, from: state.offsets[name] ?? 0) { fold($0, into: &state) }
            state.offsets[name] = read.end
            state.unreadable += read.unreadable
            if name == wanted[1] { state.tornBytes = read.tornBytes }
        }
    }

    private func fold(_ event: LedgerEvent, into state: inout State) {
        switch event.kind {
        case .hold:
            guard let id = event.id, let currency = event.currency else { return }
            state.open[id] = OpenHold(
                id: id,
                pid: event.pid,
                time: event.time,
                tool: event.tool ?? "",
                provider: event.provider ?? "",
                amount: event.amount,
                currency: currency
            )
        case .settle:
            if let id = event.id { state.open[id] = nil }
            if let amount = event.amount, !amount.isZero {
                state.settled.append(Settled(time: event.time, amount: amount))
            }
        case .release, .clear:
            if let id = event.id { state.open[id] = nil }
        case .cache:
            break
        }
    }

    private func status(of state: State, now: Date) -> Status {
        var status = Status(unreadableLines: state.unreadable, limits: limits)
        let (dayStart, dayEnd) = bounds(of: .day, around: now)
        let (monthStart, monthEnd) = bounds(of: .month, around: now)
        func add(
            _ amount: Money,
            at time: Int64,
            to day: inout [Money.Currency: Money],
            _ month: inout [Money.Currency: Money]
        ) {
            if time >= dayStart, time < dayEnd {
                day[amount.currency] = (day[amount.currency] ?? .zero(amount.currency)) + amount
            }
            if time >= monthStart, time < monthEnd {
                month[amount.currency] = (month[amount.currency] ?? .zero(amount.currency)) + amount
            }
        }
        for settled in state.settled {
            add(settled.amount, at: settled.time, to: &status.spentToday, &status.spentThisMonth)
        }
        for hold in state.open.values.sorted(by: { $0.time < $1.time }) {
            let running = LedgerFiles.isRunning(hold.pid)
            if !running { status.unsettled.append(hold) }
            guard let amount = hold.amount else { continue }
            if running {
                add(amount, at: hold.time, to: &status.heldToday, &status.heldThisMonth)
            } else {
                add(amount, at: hold.time, to: &status.spentToday, &status.spentThisMonth)
            }
        }
        return status
    }

    /// The start and end of the local day or month containing `date`, in milliseconds.
    private func bounds(of scope: BudgetRefusal.Scope, around date: Date) -> (Int64, Int64) {
        let component: Calendar.Component = scope == .day ? .day : .month
        guard let interval = calendar.dateInterval(of: component, for: date) else { return (0, Int64.max) }
        return (Self.milliseconds(interval.start), Self.milliseconds(interval.end))
    }

    private func currentFile(_ now: Date) -> String {
        let parts = calendar.dateComponents([.year, .month], from: now)
        return LedgerFiles.fileName(year: parts.year ?? 1970, month: parts.month ?? 1)
    }

    private func previousFile(_ now: Date) -> String {
        let earlier = calendar.date(byAdding: .month, value: -1, to: now) ?? now
        return currentFile(earlier)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
