import Catalog
import Foundation
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DurableLedger {
    // MARK: - Under the locks

    /// Takes `ledger.lock` and returns its descriptor, to unlock with `LedgerFiles.unlock`.
    ///
    /// The descriptor stays open between calls, and is reopened when the file at its path
    /// is another one (deleted and created again): processes must share one lock.
    func lockFile(_ state: inout State) throws(LedgerError) -> Int32 {
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

    /// Appends `event` and folds it in under both locks; returns the spend just after it.
    func record(_ event: LedgerEvent) throws(LedgerError) -> Status {
        let now = Self.milliseconds(clock())
        return try state.withLock { state throws(LedgerError) -> Status in
            let lock = try lockFile(&state)
            defer { LedgerFiles.unlock(lock) }
            do {
                try refresh(&state, now: now)
                _ = try write(event, in: &state, now: now)
                return status(&state, now: now)
            }
        }
    }

    /// Appends an event to this month's file and folds it in without reading it back.
    ///
    /// The caller holds both locks and has just refreshed, so nothing lies between. Returns
    /// the ticket to wait on for it to be on disk.
    func write(_ event: LedgerEvent, in state: inout State, now: Int64) throws(LedgerError) -> UInt64 {
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
    func refresh(_ state: inout State, now: Int64) throws(LedgerError) {
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
    func load(_ state: inout State) {
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
    func isCurrent(_ mark: LedgerCheckpoint.Mark) -> Bool {
        let identity = files.identity(of: mark.name)
        guard identity == mark.identity else { return false }
        guard identity != nil else { return mark.offset == 0 }
        guard let descriptor = files.openForReading(mark.name) else { return false }
        defer { close(descriptor) }
        guard let size = LedgerFiles.describe(descriptor)?.size, size >= mark.offset else { return false }
        return LedgerCheckpoint.fingerprint(descriptor, before: mark.offset) == mark.fingerprint
    }

    func saveCheckpoint(_ state: inout State) {
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

    /// The spend now (of one member's calls, under their own limits, when `member` is given), from the
    /// running totals; the open holds' owners are looked up at
    /// most once a second each (a dead owner stays dead).
    func status(_ state: inout State, now: Int64, member: MemberBudget? = nil) -> Status {
        let today = state.totals.calendar.day(of: now)
        let month = state.totals.calendar.month(of: now)
        var liveness = state.liveness
        let limits = member?.limits ?? limits
        let status = state.totals.status(today: today, month: month, limits: limits, member: member?.name) { hold in
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
    func reserve(for cost: CallCost, tool: String, totals: LedgerTotals) -> (Money?, ReserveBasis) {
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
