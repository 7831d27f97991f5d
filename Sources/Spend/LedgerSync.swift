import Dispatch
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Group commit of the month file: many holds appended by one process share one `fsync`.
///
/// The append happens under the ledger's locks (they order read–check–append); the
/// `fsync` happens after, outside them. Each append takes a ticket; a caller waits until
/// a sync that started after its append has finished, and whoever syncs covers every
/// ticket handed out before it started, so a burst of admits pays for one flush.
///
/// `durable(_:)` waits without blocking a thread: the flush runs on a queue of its own and
/// resumes every waiter it covered, so pipelined calls on the cooperative pool share it.
final class LedgerSync: Sendable {
    private struct Tickets {
        var appended: UInt64 = 0
        var synced: UInt64 = 0
        var descriptor: Int32 = -1
        var path = ""
        var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Result<Void, LedgerError>, Never>)] = []
        var flushing = false
    }

    // `tickets` is held only briefly (never across a syscall that waits on the disk);
    // `gate` is held across each `fsync` and descriptor swap, so that no descriptor is
    // closed while it is being flushed. Order: `gate`, then `tickets`.
    private let tickets = Locked(Tickets())
    private let gate = Locked(())
    private let queue = DispatchQueue(label: "social-data-mcp.ledger-sync")

    /// Records an append to `descriptor` (under the ledger's locks) and returns its ticket.
    func appended(to descriptor: Int32, path: String) -> UInt64 {
        tickets.withLock { tickets in
            tickets.descriptor = descriptor
            tickets.path = path
            tickets.appended += 1
            return tickets.appended
        }
    }

    /// Returns once everything up to `ticket` is on disk, flushing it if nobody has.
    func sync(_ ticket: UInt64) throws(LedgerError) {
        try flush(upTo: ticket).get()
    }

    /// Waits, without blocking a thread, until everything up to `ticket` is on disk.
    func durable(_ ticket: UInt64) async throws(LedgerError) {
        let result = await withCheckedContinuation { continuation in
            let start = tickets.withLock { tickets -> Bool? in
                if tickets.synced >= ticket { return nil }
                tickets.waiters.append((ticket, continuation))
                defer { tickets.flushing = true }
                return !tickets.flushing
            }
            switch start {
            case nil: continuation.resume(returning: .success(()))
            case true?: queue.async { self.drain() }
            case false?: break
            }
        }
        try result.get()
    }

    /// Flushes and closes a descriptor that is being replaced (a new month, a replaced
    /// file), so that no ticket waits on a closed descriptor.
    func retire(_ descriptor: Int32) {
        gate.withLock { _ in
            let pending = tickets.withLock { tickets -> Bool in
                guard tickets.descriptor == descriptor else { return false }
                return tickets.synced < tickets.appended
            }
            if pending { fsync(descriptor) }
            let resumed = tickets.withLock { tickets -> [CheckedContinuation<Result<Void, LedgerError>, Never>] in
                guard tickets.descriptor == descriptor else { return [] }
                tickets.synced = tickets.appended
                tickets.descriptor = -1
                return takeCovered(&tickets)
            }
            for continuation in resumed { continuation.resume(returning: .success(())) }
            close(descriptor)
        }
    }

    /// Flushes until no waiter is left (on `queue`).
    private func drain() {
        while true {
            let target = tickets.withLock { tickets -> UInt64? in
                guard let highest = tickets.waiters.map(\.ticket).max() else {
                    tickets.flushing = false
                    return nil
                }
                return highest
            }
            guard let target else { return }
            let result = flush(upTo: target)
            let resumed = tickets.withLock { tickets in
                if case .failure = result {
                    let all = tickets.waiters.filter { $0.ticket <= target }.map(\.continuation)
                    tickets.waiters.removeAll { $0.ticket <= target }
                    return all
                }
                return takeCovered(&tickets)
            }
            for continuation in resumed { continuation.resume(returning: result) }
        }
    }

    /// One `fsync` covering every ticket handed out before it started, unless one already did.
    private func flush(upTo ticket: UInt64) -> Result<Void, LedgerError> {
        gate.withLock { _ in
            let (covered, descriptor, path) = tickets.withLock { ($0.appended, $0.descriptor, $0.path) }
            if tickets.withLock({ $0.synced >= ticket }) || descriptor < 0 { return .success(()) }
            if fsync(descriptor) != 0 { return .failure(LedgerError(path: path, errno: errno)) }
            tickets.withLock { $0.synced = max($0.synced, covered) }
            return .success(())
        }
    }

    private func takeCovered(
        _ tickets: inout Tickets
    ) -> [CheckedContinuation<Result<Void, LedgerError>, Never>] {
        let synced = tickets.synced
        let covered = tickets.waiters.filter { $0.ticket <= synced }.map(\.continuation)
        tickets.waiters.removeAll { $0.ticket <= synced }
        return covered
    }
}
