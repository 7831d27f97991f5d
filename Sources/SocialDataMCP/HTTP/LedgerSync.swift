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
final class LedgerSync: Sendable {
    private struct Tickets {
        var appended: UInt64 = 0
        var synced: UInt64 = 0
        var descriptor: Int32 = -1
        var path = ""
    }

    // The gate serialises syncs and descriptor swaps; tickets are read and bumped inside it.
    private let gate = Locked(Tickets())

    /// Records an append to `descriptor` (under the ledger's locks) and returns its ticket.
    func appended(to descriptor: Int32, path: String) -> UInt64 {
        gate.withLock { tickets in
            tickets.descriptor = descriptor
            tickets.path = path
            tickets.appended += 1
            return tickets.appended
        }
    }

    /// Returns once everything up to `ticket` is on disk, flushing it if nobody has.
    func sync(_ ticket: UInt64) throws(LedgerError) {
        try gate.withLock { tickets throws(LedgerError) in
            guard tickets.synced < ticket else { return }
            let covered = tickets.appended
            guard tickets.descriptor >= 0 else { return }
            if fsync(tickets.descriptor) != 0 { throw LedgerError(path: tickets.path, errno: errno) }
            tickets.synced = covered
        }
    }

    /// Flushes and closes a descriptor that is being replaced (a new month, a replaced
    /// file), so that no ticket waits on a closed descriptor.
    func retire(_ descriptor: Int32) {
        gate.withLock { tickets in
            if tickets.descriptor == descriptor {
                if tickets.synced < tickets.appended { fsync(descriptor) }
                tickets.synced = tickets.appended
                tickets.descriptor = -1
            }
            close(descriptor)
        }
    }
}
