import Catalog
import Foundation
import Locking

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
    /// How a hold's amount was chosen.
    public enum ReserveBasis: String, Sendable, Equatable {
        /// The call's own quote (a per-item price times the page size).
        case quote
        /// The largest charge recorded for the tool in the ledger.
        case recorded
        /// The provider's documented charge for the tool.
        case documented
        /// Everything left under the limits: the tool has no recorded or documented charge,
        /// so only one such call runs at a time while a limit is set.
        case rest
        /// Nothing: the provider publishes no rate (or no limit is set to reserve from).
        case none
    }

    /// A hold this process wrote, to be settled or released.
    public struct Hold: Sendable {
        /// The hold's id in the ledger.
        public let id: String
        /// The currency it is counted in.
        public let currency: Money.Currency
        /// The amount held: the call's worst case as the ledger counts it, or `nil` when
        /// nothing could be held (no rate published, no limit set).
        public let amount: Money?
        /// How `amount` was chosen.
        public let basis: ReserveBasis
        /// Every process's spend just after this hold, for the result's budget line.
        public let status: Status
        /// The tool and provider, repeated on the settle line.
        let tool: String
        let provider: String

        /// The reserve in words, for the result ("¥3.00, DataTrust's documented charge").
        public var reserveNote: String? {
            guard let amount else { return nil }
            switch basis {
            case .quote, .none: return nil
            case .recorded: return "\(amount.formatted) held: the largest charge recorded for \(tool)"
            case .documented: return "\(amount.formatted) held: the provider's documented charge for \(tool)"
            case .rest:
                return "\(amount.formatted) held, everything left under the limits: \(tool) has no recorded "
                    + "or documented charge yet, so one such call runs at a time"
            }
        }
    }

    /// What a settle recorded.
    public struct Settled: Sendable {
        /// The settlement as recorded, its cost range-checked.
        ///
        /// An out-of-range or negative charge is recorded at the hold's amount. Pass this one to the process's ledger.
        public let settlement: Settlement
        /// Sentences for the result: a charge above its reserve, an out-of-range charge.
        public let notes: [String]
        /// Every process's spend just after the settle, for the result's budget line.
        public let status: Status
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
        /// When the writing process started (see `ProcessIdentity`), if recorded.
        public var processStart: Int64?
        /// How the amount was chosen (`ReserveBasis`), if recorded.
        public var basis: String?

        /// The process that owns it.
        public var owner: ProcessIdentity { ProcessIdentity(pid: pid, start: processStart) }
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
        /// Events with a number out of range (a negative or absurd amount), skipped.
        public var outOfRangeLines = 0
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

        /// The least left under the day's and the month's limits, or `nil` without either.
        func leastRemaining(_ currency: Money.Currency) -> Money? {
            [remaining(.day, currency), remaining(.month, currency)].compactMap { $0 }.min()
        }
    }

    private struct State {
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
        var sent: Set<String> = []
        var sinceCheckpoint = 0
        var liveness: [ProcessIdentity: (alive: Bool, checked: Int64)] = [:]
    }

    /// The folder the ledger lives in.
    public let directory: String
    /// The limits it enforces.
    public let limits: SpendLimits
    private let files: LedgerFiles
    private let clock: @Sendable () -> Date
    /// The calendar local days and months are counted in.
    let calendar: Calendar
    private let identity = ProcessIdentity.current
    private let started: Int64
    private let state: Locked<State>
    private let sync = LedgerSync()
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
    public func admit(
        _ cost: CallCost,
        tool: String,
        provider: String,
        argumentsHash: String
    ) throws(LedgerError) -> Result<Hold, BudgetRefusal> {
        let (result, ticket) = try append(cost, tool: tool, provider: provider, argumentsHash: argumentsHash)
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
        argumentsHash: String
    ) async throws(LedgerError) -> Result<Hold, BudgetRefusal> {
        let (result, ticket) = try append(cost, tool: tool, provider: provider, argumentsHash: argumentsHash)
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

    /// The locked part of an admit: read, check, append the hold; the ticket to wait on.
    private func append(
        _ cost: CallCost,
        tool: String,
        provider: String,
        argumentsHash: String
    ) throws(LedgerError) -> (Result<Hold, BudgetRefusal>, UInt64?) {
        let now = Self.milliseconds(clock())
        return try state.withLock {
            state throws(LedgerError) -> (Result<Hold, BudgetRefusal>, UInt64?) in
            let lock = try lockFile(&state)
            defer { LedgerFiles.unlock(lock) }
            do {
                try refresh(&state, now: now)
                let before = status(&state, now: now)
                var (amount, basis) = reserve(for: cost, tool: tool, totals: state.totals)
                if basis == .rest {
                    amount = before.leastRemaining(cost.currency).map { max($0, .zero(cost.currency)) }
                    if amount == nil { basis = .none }
                }
                for scope in [BudgetRefusal.Scope.day, .month] {
                    guard let limit = limits.limit(scope, cost.currency) else { continue }
                    let spent = before.spent(scope, cost.currency)
                    let held = before.held(scope, cost.currency)
                    let asked = basis == .rest ? nil : amount
                    if !BudgetRefusal.fits(asked, available: limit - spent - held) {
                        let refusal = BudgetRefusal(
                            scope: scope,
                            limit: limit,
                            spent: spent,
                            reserved: held,
                            worstCase: asked,
                            spentToday: before.spent(.day, cost.currency),
                            spentThisMonth: before.spent(.month, cost.currency)
                        )
                        return (.failure(refusal), nil)
                    }
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
                    basis: basis.rawValue
                )
                let ticket = try write(event, in: &state, now: now)
                let hold = Hold(
                    id: id,
                    currency: cost.currency,
                    amount: amount,
                    basis: basis,
                    status: status(&state, now: now),
                    tool: tool,
                    provider: provider
                )
                return (.success(hold), ticket)
            }
        }
    }

    /// Notes that the hold's request may have reached the provider: from now on it is only
    /// settled, never released (a cancelled call still counts at its worst case).
    public func markSent(_ hold: Hold) {
        state.withLock { _ = $0.sent.insert(hold.id) }
    }

    /// Records what a held call cost (not flushed: a lost settle leaves the hold counting
    /// at its worst case).
    ///
    /// A charge that is negative or out of range is recorded at the hold's amount; a charge
    /// above the hold is recorded as reported and becomes the tool's reserve; a failed call
    /// of a tool priced afterwards with no charge known counts at its hold. `notes` says so.
    public func settle(_ hold: Hold, _ settlement: Settlement) throws(LedgerError) {
        _ = try settleReporting(hold, settlement)
    }

    /// `settle`, returning what was recorded and the notes for the result.
    public func settleReporting(_ hold: Hold, _ settlement: Settlement) throws(LedgerError) -> Settled {
        var recorded = settlement
        var notes: [String] = []
        if let cost = settlement.cost {
            if !cost.isSaneAmount {
                recorded.cost = hold.amount ?? .zero(cost.currency)
                notes.append(
                    "The provider reported a charge of \(cost.formatted), which is out of range (negative or above "
                        + "\(Money.maximumPerCall(cost.currency).formatted)); it is recorded at this call's worst case, "
                        + "\((hold.amount ?? .zero(cost.currency)).formatted). Check the provider's balance."
                )
            } else if let amount = hold.amount, hold.basis != .quote, cost > amount {
                notes.append(
                    "Charged \(cost.formatted), more than the \(amount.formatted) held for it: recorded as reported, "
                        + "and \(cost.formatted) is now the amount held for each \(hold.tool) call."
                )
            }
        } else if settlement.failed, let amount = hold.amount, [.recorded, .documented, .rest].contains(hold.basis) {
            recorded.cost = amount
            notes.append(
                "The provider may have charged for this failed call; counted at \(amount.formatted) held for it."
            )
        }
        let event = LedgerEvent(
            .settle,
            id: hold.id,
            time: Self.milliseconds(clock()),
            pid: identity.pid,
            tool: recorded.tool,
            provider: recorded.provider,
            currency: recorded.currency,
            units: recorded.cost?.units,
            items: max(0, recorded.items),
            failed: recorded.failed,
            balanceUnits: recorded.balance.flatMap { $0.isSaneAmount ? $0.units : nil }
        )
        let status = try record(event) { $0.sent.remove(hold.id) }
        return Settled(settlement: recorded, notes: notes, status: status)
    }

    /// Drops a hold whose call never reached the provider.
    ///
    /// After `markSent` the provider may have charged: the hold is settled at its amount
    /// instead (returned), never dropped.
    public func release(_ hold: Hold) throws(LedgerError) {
        _ = try releaseReporting(hold)
    }

    /// `release`, returning the settle recorded instead when the request had been sent.
    public func releaseReporting(_ hold: Hold) throws(LedgerError) -> Settled? {
        let wasSent = state.withLock { $0.sent.contains(hold.id) }
        if wasSent {
            let settlement = Settlement(
                provider: hold.provider,
                tool: hold.tool,
                currency: hold.currency,
                cost: hold.amount,
                items: 0,
                failed: true,
                balance: nil
            )
            var settled = try settleReporting(hold, settlement)
            settled = Settled(
                settlement: settled.settlement,
                notes: [
                    "The request had been sent when the call ended: counted at \(hold.amount?.formatted ?? "its worst case")."
                ],
                status: settled.status
            )
            return settled
        }
        _ = try record(LedgerEvent(.release, id: hold.id, time: Self.milliseconds(clock()), pid: identity.pid)) { _ in }
        return nil
    }

    /// Counts a paid read answered from the cache (free), for the usage report.
    public func recordCacheHit(tool: String, provider: String) {
        let event = LedgerEvent(
            .cache,
            time: Self.milliseconds(clock()),
            pid: identity.pid,
            tool: tool,
            provider: provider
        )
        _ = try? record(event) { _ in }
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

    /// The spend as this process last read it, without touching the disk (for the budget
    /// line of a result, right after `admit` or `settle`).
    public func cachedStatus() -> Status {
        let now = Self.milliseconds(clock())
        return state.withLock { status(&$0, now: now) }
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
                        LedgerEvent(.clear, id: hold.id, time: now, pid: identity.pid),
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

    /// The ledger's clock now.
    func now() -> Date { clock() }

    /// Bytes after the last newline of the current month's file: a line torn by a crash.
    public func tornBytes() -> Int { state.withLock { $0.tornBytes } }

    // MARK: - Under the locks

    /// Takes `ledger.lock` and returns its descriptor, to unlock with `LedgerFiles.unlock`.
    ///
    /// The descriptor stays open between calls, and is reopened when the file at its path
    /// is another one (deleted and created again): processes must share one lock.
    private func lockFile(_ state: inout State) throws(LedgerError) -> Int32 {
        let lockPath = files.path("ledger.lock")
        for _ in 0..<3 {
            if state.lockDescriptor < 0 {
                if !state.directoryReady {
                    try files.createDirectory()
                    state.directoryReady = true
                }
                let descriptor = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard descriptor >= 0 else {
                    state.directoryReady = false
                    throw LedgerError(path: lockPath, errno: errno)
                }
                state.lockDescriptor = descriptor
                state.lockIdentity = LedgerFiles.describe(descriptor)?.identity
            }
            try LedgerFiles.lock(state.lockDescriptor, path: lockPath)
            if files.identity(of: "ledger.lock") == state.lockIdentity { return state.lockDescriptor }
            LedgerFiles.unlock(state.lockDescriptor)
            close(state.lockDescriptor)
            state.lockDescriptor = -1
            state.directoryReady = false
        }
        throw LedgerError(path: lockPath, reason: "the lock file keeps being replaced")
    }

    /// Appends `event` and folds it in under both locks; `update` runs on the state after.
    private func record(_ event: LedgerEvent, _ update: (inout State) -> Void) throws(LedgerError) -> Status {
        let now = Self.milliseconds(clock())
        return try state.withLock { state throws(LedgerError) -> Status in
            let lock = try lockFile(&state)
            defer { LedgerFiles.unlock(lock) }
            do {
                try refresh(&state, now: now)
                _ = try write(event, in: &state, now: now)
                update(&state)
                return status(&state, now: now)
            }
        }
    }

    /// Appends an event to this month's file and folds it in without reading it back.
    ///
    /// The caller holds both locks and has just refreshed, so nothing lies between. Returns
    /// the ticket to wait on for it to be on disk.
    private func write(_ event: LedgerEvent, in state: inout State, now: Int64) throws(LedgerError) -> UInt64 {
        let name = state.names.current
        let path = files.path(name)
        if state.monthDescriptor < 0 {
            if !state.directoryReady {
                try files.createDirectory()
                state.directoryReady = true
            }
            state.monthDescriptor = try files.openForAppend(name)
            let opened = LedgerFiles.describe(state.monthDescriptor)?.identity
            if state.currentIdentity != nil, opened != state.currentIdentity {
                // Replaced between the refresh and this open: start over on the new file.
                state.loaded = false
            }
            state.currentIdentity = opened
            if !state.loaded { try refresh(&state, now: now) }
        }
        let offset = state.offsets[name] ?? 0
        let torn = state.tornBytes
        var bytes = event.line
        // A torn last line (a crash in mid-write) is sealed with a newline first, so that it
        // stays one unreadable line and never swallows the line written now.
        if torn > 0 { bytes.insert(0x0A, at: 0) }
        try LedgerFiles.append(bytes, to: state.monthDescriptor, path: path)
        let ticket = sync.appended(to: state.monthDescriptor, path: path)
        if torn > 0 {
            // Rare: read the sealed line back like any other process would.
            try refresh(&state, now: now)
        } else {
            state.offsets[name] = offset + bytes.count
            state.totals.fold(event)
            state.sinceCheckpoint += 1
        }
        return ticket
    }

    /// Folds in every line written since the last read, by any process.
    private func refresh(_ state: inout State, now: Int64) throws(LedgerError) {
        if !state.nowMonth.contains(now) {
            state.nowMonth = state.totals.calendar.month(of: now)
            let names = state.totals.calendar.fileNames(at: now)
            if names != state.names {
                if state.loaded, names.previous == state.names.current {
                    // The month turned: the old month's file becomes the previous one.
                    state.offsets = [names.previous: state.offsets[state.names.current] ?? 0, names.current: 0]
                    state.currentIdentity = nil
                    state.tornBytes = 0
                } else {
                    state.loaded = false
                }
                if state.monthDescriptor >= 0 {
                    sync.retire(state.monthDescriptor)
                    state.monthDescriptor = -1
                }
                state.names = names
            }
        }
        if !state.loaded { load(&state) }
        let name = state.names.current
        let identity = files.identity(of: name)
        if let known = state.currentIdentity, identity != known {
            // The file was replaced (or deleted): everything read from it is void.
            if state.monthDescriptor >= 0 {
                sync.retire(state.monthDescriptor)
                state.monthDescriptor = -1
            }
            load(&state)
        }
        state.currentIdentity = identity
        guard identity != nil else {
            state.tornBytes = 0
            return
        }
        let read: LedgerFiles.Read
        if state.monthDescriptor >= 0, let size = LedgerFiles.describe(state.monthDescriptor)?.size {
            read = LedgerFiles.read(state.monthDescriptor, from: state.offsets[name] ?? 0, to: size) { event in
                state.totals.fold(event)
            }
        } else {
            read = files.read(name, from: state.offsets[name] ?? 0) { event in
                state.totals.fold(event)
            }
        }
        state.offsets[name] = read.end
        state.totals.unreadable += read.unreadable
        state.totals.outOfRange += read.outOfRange
        state.tornBytes = read.tornBytes
        state.sinceCheckpoint += read.events + read.unreadable + read.outOfRange
        if state.sinceCheckpoint >= LedgerCheckpoint.interval { saveCheckpoint(&state) }
    }

    /// Starts the fold from the checkpoint when it still describes the files, or from the
    /// start of the previous month's file; the current file's tail is read by `refresh`.
    private func load(_ state: inout State) {
        state.totals = LedgerTotals(calendar: LedgerCalendar(calendar: calendar))
        state.offsets = [state.names.previous: 0, state.names.current: 0]
        state.tornBytes = 0
        state.currentIdentity = files.identity(of: state.names.current)
        state.sinceCheckpoint = 0
        if let checkpoint = LedgerCheckpoint.load(files, monthFile: state.names.current, calendar: calendar),
            checkpoint.timeZone == calendar.timeZone.identifier,
            checkpoint.marks.map(\.name) == [state.names.previous, state.names.current],
            checkpoint.marks.allSatisfy(isCurrent)
        {
            state.totals = checkpoint.totals
            for mark in checkpoint.marks { state.offsets[mark.name] = mark.offset }
        }
        let previous = state.names.previous
        let read = files.read(previous, from: state.offsets[previous] ?? 0) { event in
            state.totals.fold(event)
        }
        state.offsets[previous] = read.end
        state.totals.unreadable += read.unreadable
        state.totals.outOfRange += read.outOfRange
        state.sinceCheckpoint += read.events
        state.loaded = true
    }

    /// Whether a checkpoint's mark still describes the file at its name.
    private func isCurrent(_ mark: LedgerCheckpoint.Mark) -> Bool {
        let identity = files.identity(of: mark.name)
        guard identity == mark.identity else { return false }
        guard identity != nil else { return mark.offset == 0 }
        guard let descriptor = files.openForReading(mark.name) else { return false }
        defer { close(descriptor) }
        guard let size = LedgerFiles.describe(descriptor)?.size, size >= mark.offset else { return false }
        return LedgerCheckpoint.fingerprint(descriptor, before: mark.offset) == mark.fingerprint
    }

    private func saveCheckpoint(_ state: inout State) {
        state.sinceCheckpoint = 0
        let marks = [state.names.previous, state.names.current].map { name in
            let offset = state.offsets[name] ?? 0
            var fingerprint: UInt64 = 0
            if let descriptor = files.openForReading(name) {
                fingerprint = LedgerCheckpoint.fingerprint(descriptor, before: offset)
                close(descriptor)
            }
            return LedgerCheckpoint.Mark(
                name: name,
                offset: offset,
                identity: files.identity(of: name),
                fingerprint: fingerprint
            )
        }
        var folder = stat()
        guard !state.names.current.isEmpty, lstat(directory, &folder) == 0 else { return }
        LedgerCheckpoint(timeZone: calendar.timeZone.identifier, marks: marks, totals: state.totals)
            .save(files, monthFile: state.names.current)
    }

    /// The spend now, from the running totals; the open holds' owners are looked up at
    /// most once a second each (a dead owner stays dead).
    private func status(_ state: inout State, now: Int64) -> Status {
        let today = state.totals.calendar.day(of: now)
        let month = state.totals.calendar.month(of: now)
        var liveness = state.liveness
        let status = state.totals.status(today: today, month: month, limits: limits) { hold in
            let owner = hold.owner
            if owner.pid == identity.pid { return owner.isRunning }
            if let known = liveness[owner], !known.alive || now - known.checked < 1_000 { return known.alive }
            let alive = owner.isRunning
            liveness[owner] = (alive, now)
            return alive
        }
        state.liveness = liveness
        return status
    }

    /// The amount to hold for a call, and why.
    private func reserve(for cost: CallCost, tool: String, totals: LedgerTotals) -> (Money?, ReserveBasis) {
        if let worstCase = cost.worstCase { return (worstCase, .quote) }
        guard case .reportedByProvider(let currency, _, let documented) = cost.price else { return (nil, .none) }
        let recorded = totals.largest[tool].flatMap { $0.currency == currency && !$0.isZero ? $0 : nil }
        switch (recorded, documented) {
        case (let recorded?, let documented?):
            return recorded >= documented ? (recorded, .recorded) : (documented, .documented)
        case (let recorded?, nil): return (recorded, .recorded)
        case (nil, let documented?): return (documented, .documented)
        case (nil, nil): return (nil, .rest)
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { LedgerCalendar.milliseconds(date) }
}
