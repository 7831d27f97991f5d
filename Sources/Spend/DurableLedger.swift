import Catalog
import Foundation
import Locking
import Wire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The spend of every server process that shares the state directory, on disk: what
/// the daily and monthly limits count and what `usage` reports.
///
/// A hold (the worst case) is written and flushed before a paid request is sent; a settle
/// (the actual cost) is written but not flushed: if it is lost, the hold still counts at its
/// worst case, which is safe. A hold whose process is gone counts as spent at its worst
/// case, because the provider may have charged, until the user clears it.
///
/// The order a paid call follows: `admit` (the hold, on disk before anything is sent),
/// `markSent` once the request may have reached the provider, then `settle` with what it
/// cost, or `release` when it never left (after `markSent`, `release` records the worst case
/// instead, since the provider may have charged).
public final class DurableLedger: Sendable {
    struct State {
        /// The month `names` belong to, and the local day, for the clock's `now`.
        var nowMonth = LedgerCalendar.Span(start: 0, end: 0)
        var names = (previous: "", current: "")
        var loaded = false
        var offsets: [String: Int] = [:]
        var totals: LedgerTotals
        var tornBytes = 0
        /// The current month file as last seen by path, to notice it replaced.
        var currentIdentity: LedgerFiles.Identity?
        var monthDescriptor: Int32 = -1
        var lockDescriptor: Int32 = -1
        var lockIdentity: LedgerFiles.Identity?
        var directoryReady = false
        var sinceCheckpoint = 0
        var liveness: [ProcessIdentity: (alive: Bool, checked: Int64)] = [:]
    }

    /// The folder the ledger lives in.
    public let directory: String
    /// The limits it enforces.
    public let limits: SpendLimits
    let files: LedgerFiles
    let clock: @Sendable () -> Date
    /// The calendar local days and months are counted in.
    let calendar: Calendar
    let identity = ProcessIdentity.current
    let started: Int64
    let state: Locked<State>
    /// The holds whose request may have left, apart from `state`: marked right before a
    /// request is sent, which must not wait behind another call's read of the file.
    let sent = Locked(Set<String>())
    let sync = LedgerSync()
    private static let sequence = Locked(0)

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
        started = Self.milliseconds(clock())
        state = Locked(State(totals: LedgerTotals(calendar: LedgerCalendar(calendar: calendar))))
    }

    deinit {
        LedgerExitCheckpoints.unregister(self)
        state.withLock { state in
            if state.sinceCheckpoint > 0 { saveCheckpoint(&state) }
            if state.monthDescriptor >= 0 { sync.retire(state.monthDescriptor) }
            if state.lockDescriptor >= 0 { close(state.lockDescriptor) }
        }
    }

    /// Holds the call's worst case if it fits under every limit of its currency.
    ///
    /// The worst case is the quote when there is one; for a price the provider reports
    /// afterwards, the larger of the largest charge recorded for the tool and the provider's
    /// documented charge; with neither, everything left under the limits. Every process's
    /// spend counts; the hold is on disk when this returns, and nothing may be sent before.
    /// A team `member`'s call must also fit their own limits (checked in the same locked
    /// read), and every line of it names them.
    public func admit(
        _ cost: CallCost,
        tool: String,
        provider: String,
        argumentsHash: String,
        member: MemberBudget? = nil
    ) throws(LedgerError) -> Result<Hold, BudgetRefusal> {
        let (result, ticket) = try append(
            cost,
            tool: tool,
            provider: provider,
            argumentsHash: argumentsHash,
            member: member
        )
        if let ticket, case .success(let hold) = result {
            // Outside the locks: concurrent admits share one flush (group commit).
            do {
                try sync.sync(ticket)
            } catch {
                _ = try? releaseReporting(hold)
                throw error
            }
        }
        return result
    }

    /// `admit` for async callers, whose wait for the disk blocks no thread.
    ///
    /// Every call admitted while one `fsync` runs shares the next one (group commit).
    /// Pipelined paid calls should use this one.
    public func admitDurably(
        _ cost: CallCost,
        tool: String,
        provider: String,
        argumentsHash: String,
        member: MemberBudget? = nil
    ) async throws(LedgerError) -> Result<Hold, BudgetRefusal> {
        let (result, ticket) = try append(
            cost,
            tool: tool,
            provider: provider,
            argumentsHash: argumentsHash,
            member: member
        )
        if let ticket, case .success(let hold) = result {
            do {
                try await sync.durable(ticket)
            } catch {
                _ = try? releaseReporting(hold)
                throw error
            }
        }
        return result
    }

    /// The locked part of an admit: read, check (the team's limits, then the member's own),
    /// append the hold; the ticket to wait on.
    ///
    /// Both checks and the append happen under one `flock`, so concurrent admits of any
    /// process never jointly pass the team's limits or a member's.
    private func append(
        _ cost: CallCost,
        tool: String,
        provider: String,
        argumentsHash: String,
        member: MemberBudget?
    ) throws(LedgerError) -> (Result<Hold, BudgetRefusal>, UInt64?) {
        if let member, !MemberName.isValid(member.name) {
            throw LedgerError(path: directory, reason: "a member name the ledger cannot record")
        }
        let now = Self.milliseconds(clock())
        return try state.withLock {
            state throws(LedgerError) -> (Result<Hold, BudgetRefusal>, UInt64?) in
            let lock = try lockFile(&state)
            defer { LedgerFiles.unlock(lock) }
            do {
                try refresh(&state, now: now)
                let team = status(&state, now: now)
                let own = member.map { status(&state, now: now, member: $0) }
                var (amount, basis) = reserve(for: cost, tool: tool, totals: state.totals)
                if basis == .rest {
                    amount = Self.everythingLeft([team, own], cost.currency)
                    if amount == nil { basis = .none }
                }
                let asked = basis == .rest ? nil : amount
                if let refusal = Self.refusal(
                    team,
                    asked: asked,
                    currency: cost.currency,
                    member: member?.name,
                    own: false
                )
                    ?? own.flatMap({
                        Self.refusal($0, asked: asked, currency: cost.currency, member: member?.name, own: true)
                    })
                {
                    return (.failure(refusal), nil)
                }
                // Numbered per process, not per instance: two ledgers of one process (tests,
                // `usage` beside a server) must never write the same id.
                let sequence = Self.sequence.withLock { value in
                    value += 1
                    return value
                }
                let id = "\(identity.pid)-\(started)-\(sequence)"
                let event = LedgerEvent(
                    .hold,
                    id: id,
                    time: now,
                    pid: identity.pid,
                    tool: tool,
                    provider: provider,
                    arguments: argumentsHash,
                    currency: cost.currency,
                    units: amount?.units,
                    processStart: identity.start,
                    basis: basis.rawValue,
                    member: member?.name
                )
                let ticket = try write(event, in: &state, now: now)
                let hold = Hold(
                    id: id,
                    currency: cost.currency,
                    amount: amount,
                    basis: basis,
                    status: status(&state, now: now),
                    tool: tool,
                    provider: provider,
                    member: member?.name
                )
                return (.success(hold), ticket)
            }
        }
    }

    /// What a hold of a tool with no known worst case reserves.
    ///
    /// Everything left under the tightest of the given limits (the team's and, on a team
    /// server, the member's own), never below zero; `nil` when no limit applies. The ask
    /// stage quotes the same.
    static func everythingLeft(_ statuses: [Status?], _ currency: Money.Currency) -> Money? {
        statuses.compactMap { $0?.leastRemaining(currency) }.min().map { max($0, .zero(currency)) }
    }

    /// The refusal of a call asking `asked` (`nil`: known only afterwards) under `status`'s
    /// daily or monthly limit, if it does not fit.
    private static func refusal(
        _ status: Status,
        asked: Money?,
        currency: Money.Currency,
        member: String?,
        own: Bool
    ) -> BudgetRefusal? {
        for scope in [BudgetRefusal.Scope.day, .month] {
            guard let limit = status.limits.limit(scope, currency) else { continue }
            let spent = status.spent(scope, currency)
            let held = status.held(scope, currency)
            guard !BudgetRefusal.fits(asked, available: limit - spent - held) else { continue }
            var refusal = BudgetRefusal(
                scope: scope,
                limit: limit,
                spent: spent,
                reserved: held,
                worstCase: asked,
                spentToday: own ? nil : status.spent(.day, currency),
                spentThisMonth: own ? nil : status.spent(.month, currency)
            )
            refusal.member = member
            refusal.isMembersOwn = own
            return refusal
        }
        return nil
    }

    /// The current day's and month's spend across every process, reading what other
    /// processes wrote since the last look.
    public func status() -> Status {
        let now = Self.milliseconds(clock())
        return state.withLock { state in
            try? refresh(&state, now: now)
            return status(&state, now: now)
        }
    }

    /// The team's spend and one member's (under their own limits), from one read of what
    /// every process wrote.
    public func status(member: MemberBudget) -> (team: Status, member: Status) {
        let now = Self.milliseconds(clock())
        return state.withLock { state in
            try? refresh(&state, now: now)
            return (status(&state, now: now), status(&state, now: now, member: member))
        }
    }

    /// A member's spend as this process last read it, like `cachedStatus()`.
    public func cachedStatus(member: MemberBudget) -> Status {
        let now = Self.milliseconds(clock())
        return state.withLock { state in
            if !state.loaded || !state.nowMonth.contains(now) { try? refresh(&state, now: now) }
            return status(&state, now: now, member: member)
        }
    }

    /// The spend as this process last read it, without touching the disk (for the budget
    /// line of a result, right after `admit` or `settle`); read once if it never was.
    public func cachedStatus() -> Status {
        let now = Self.milliseconds(clock())
        return state.withLock { state in
            // Never read (a dry run before any paid call): empty totals would understate the spend.
            if !state.loaded || !state.nowMonth.contains(now) { try? refresh(&state, now: now) }
            return status(&state, now: now)
        }
    }

    /// Clears unsettled holds, which stop counting against the limits.
    ///
    /// All of them, or those whose ids are given (any open hold, even one whose owner looks alive, for a
    /// pid the system gave to another process). Returns the holds cleared.
    ///
    /// For after the user checked the provider's balance.
    public func clearUnsettled(ids: [String]? = nil) throws(LedgerError) -> [OpenHold] {
        let now = Self.milliseconds(clock())
        let (cleared, ticket) = try state.withLock { state throws(LedgerError) -> ([OpenHold], UInt64?) in
            let lock = try lockFile(&state)
            defer { LedgerFiles.unlock(lock) }
            do {
                try refresh(&state, now: now)
                let chosen: [OpenHold]
                if let ids {
                    chosen = ids.compactMap { state.totals.open[$0] }
                } else {
                    chosen = status(&state, now: now).unsettled
                }
                var ticket: UInt64?
                for hold in chosen {
                    ticket = try write(
                        LedgerEvent(.clear, id: hold.id, time: now, pid: identity.pid, member: hold.member),
                        in: &state,
                        now: now
                    )
                }
                return (chosen, ticket)
            }
        }
        if let ticket { try sync.sync(ticket) }
        return cleared
    }

    /// Saves the checkpoint now (on exit), so the next process reads only the tail.
    public func checkpoint() {
        state.withLock { state in
            if state.loaded { saveCheckpoint(&state) }
        }
    }

    /// Saves the checkpoint at exit too (which runs no `deinit`): the server ends with `exit`.
    public func checkpointAtExit() {
        LedgerExitCheckpoints.register(self)
    }

    /// Saves the checkpoint when anything was folded since the last one: at exit, where
    /// `deinit` does not run.
    func checkpointIfChanged() {
        state.withLock { state in
            if state.loaded, state.sinceCheckpoint > 0 { saveCheckpoint(&state) }
        }
    }

    /// The ledger's clock now.
    func now() -> Date { clock() }

    /// Bytes after the last newline of the current month's file: a line torn by a crash.
    public func tornBytes() -> Int { state.withLock { $0.tornBytes } }

}
