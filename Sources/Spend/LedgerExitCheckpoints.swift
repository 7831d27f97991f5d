import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Saves the checkpoint of every registered ledger when the process exits.
///
/// The server ends with `exit` (end of input, SIGTERM, a closed stdout), which runs no
/// `deinit`: without this, a server's last events since its previous checkpoint would be
/// read again, in full, by the next process's first paid call. Ledgers are held weakly
/// and unregister themselves when they go away.
enum LedgerExitCheckpoints {
    private struct Registry {
        var saves: [ObjectIdentifier: @Sendable () -> Void] = [:]
        var installed = false
    }

    private static let registry = Locked(Registry())

    /// Saves `ledger`'s checkpoint at exit if it folded anything since its last one.
    static func register(_ ledger: DurableLedger) {
        let install = registry.withLock { registry -> Bool in
            registry.saves[ObjectIdentifier(ledger)] = { [weak ledger] in ledger?.checkpointIfChanged() }
            defer { registry.installed = true }
            return !registry.installed
        }
        // A C handler captures nothing: it reaches the ledgers through the registry.
        if install { atexit { LedgerExitCheckpoints.saveAll() } }
    }

    /// Forgets a ledger (from its `deinit`).
    static func unregister(_ ledger: DurableLedger) {
        registry.withLock { _ = $0.saves.removeValue(forKey: ObjectIdentifier(ledger)) }
    }

    private static func saveAll() {
        let saves = registry.withLock { Array($0.saves.values) }
        for save in saves { save() }
    }
}
